import Fluent
import Vapor

/// Issuing and revoking API tokens, audited.
struct TokenService {
    let db: any Database
    let actor: Principal?

    /// Creates a token for `user`; the plain token is returned once and never stored.
    func create(for user: User, name: String) async throws -> (APIToken, String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            throw APIError.validation(["name": name.isEmpty ? "请填写令牌名称（用途）" : "名称不能超过 100 个字"])
        }
        let plain = APITokens.generate()
        let userID = try user.requireID()
        let actor = actor
        let token = try await Transactions.run(on: db) { tx in
            let token = APIToken(userID: userID, name: name, tokenHash: APITokens.hash(plain), prefix: String(plain.prefix(10)))
            try await token.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "api_token",
                                      entityID: try token.requireID().uuidString, before: nil,
                                      after: ["name": name, "user": user.login, "prefix": token.prefix])
            return token
        }
        return (token, plain)
    }

    func revoke(_ token: APIToken) async throws {
        guard token.revokedAt == nil else { return }
        let id = try token.requireID()
        let actor = actor
        try await Transactions.run(on: db) { tx in
            guard let fresh = try await APIToken.find(id, on: tx) else { throw APIError.notFound }
            fresh.revokedAt = Date()
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .revoke, entityType: "api_token",
                                      entityID: id.uuidString, before: ["revoked": false], after: ["revoked": true])
        }
    }
}

/// An API token as listed (never the token itself).
struct APITokenDTO: Content {
    var id: UUID
    var name: String
    var prefix: String
    var userID: UUID
    var createdAt: Date?
    var lastUsedAt: Date?
    var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, prefix
        case userID = "user_id", createdAt = "created_at", lastUsedAt = "last_used_at", revokedAt = "revoked_at"
    }

    init(_ token: APIToken) throws {
        id = try token.requireID()
        name = token.name
        prefix = token.prefix
        userID = token.$user.id
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
        revokedAt = token.revokedAt
    }
}

struct CreatedAPIToken: Content {
    var token: APITokenDTO
    var secret: String
}

/// Tokens a user may see: their own; an administrator sees everyone's.
struct TokenQueries {
    let request: Request

    func query() throws -> QueryBuilder<APIToken> {
        let principal = try request.requirePrincipal()
        let query = APIToken.query(on: request.db).sort(\.$createdAt, .descending)
        if !principal.role.may(.manageAllTokens) { query.filter(\.$user.$id == principal.userID) }
        return query
    }

    func find(_ id: UUID?) async throws -> APIToken {
        guard let id, let token = try await query().filter(\.$id == id).first() else { throw APIError.notFound }
        return token
    }
}
