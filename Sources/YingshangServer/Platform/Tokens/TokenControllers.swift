import Fluent
import Vapor

/// `/api/v1/tokens`: a user's own API tokens.
struct TokenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let tokens = routes.grouped("tokens")
        tokens.get(use: list)
        tokens.post(use: create)
        tokens.delete(":id", use: revoke)
    }

    func list(req: Request) async throws -> PageOf<APITokenDTO> {
        let page = try PageRequest(from: req)
        let (items, total) = try await TokenQueries(request: req).query().page(page)
        return PageOf(items: try items.map(APITokenDTO.init), total: total, limit: page.limit, offset: page.offset)
    }

    struct Input: Content { var name: String }

    func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard let user = try await User.find(principal.userID, on: req.db) else { throw APIError.unauthenticated }
        let (token, secret) = try await TokenService(db: req.db, actor: principal)
            .create(for: user, name: try req.content.decode(Input.self).name)
        return try await CreatedAPIToken(token: APITokenDTO(token), secret: secret).encodeResponse(status: .created, for: req)
    }

    func revoke(req: Request) async throws -> HTTPStatus {
        let principal = try req.requirePrincipal()
        let token = try await TokenQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        try await TokenService(db: req.db, actor: principal).revoke(token)
        return .noContent
    }
}

/// The API token page (接口令牌).
struct TokenPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("tokens", use: index)
        routes.post("tokens", use: create)
        routes.post("tokens", ":id", "revoke", use: revoke)
    }

    struct Row: Encodable {
        let id: String, name: String, prefix: String, owner: String, createdAt: String, lastUsedAt: String, revoked: Bool
    }

    struct IndexView: Encodable {
        let rows: [Row]
        let secret: String?
        let error: String?
        let showsOwner: Bool
    }

    func view(_ req: Request, secret: String? = nil, error: String? = nil) async throws -> View {
        let principal = try req.requirePrincipal()
        let tokens = try await TokenQueries(request: req).query().with(\.$user).limit(500).all()
        return try await req.page("tokens/index", title: "接口令牌", IndexView(
            rows: tokens.map { token in
                Row(id: token.id?.uuidString ?? "", name: token.name, prefix: token.prefix, owner: token.user.login,
                    createdAt: token.createdAt.map(DisplayDate.minute) ?? "", lastUsedAt: token.lastUsedAt.map(DisplayDate.minute) ?? "从未使用",
                    revoked: token.revokedAt != nil)
            },
            secret: secret, error: error, showsOwner: principal.role.may(.manageAllTokens)))
    }

    func index(req: Request) async throws -> View { try await view(req) }

    struct Form: Content { var name: String? }

    func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard let user = try await User.find(principal.userID, on: req.db) else { throw APIError.unauthenticated }
        do {
            let (_, secret) = try await TokenService(db: req.db, actor: principal)
                .create(for: user, name: try req.content.decode(Form.self).name ?? "")
            return try await view(req, secret: secret).encodeResponse(status: .created, for: req)
        } catch let error as APIError where error.code == "validation_failed" {
            return try await view(req, error: error.fields.values.first).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func revoke(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let token = try await TokenQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        try await TokenService(db: req.db, actor: principal).revoke(token)
        req.flash("令牌“\(token.name)”已撤销")
        return req.redirect(to: "/tokens")
    }
}
