import Fluent
import Vapor
import YingshangCore

/// `/api/v1/users`.
struct UserAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.get(":id", use: show)
        users.patch(":id", use: update)
        users.post(":id", "reset-password", use: resetPassword)
        routes.get("me", use: me)
    }

    func list(req: Request) async throws -> PageOf<UserDTO> {
        let page = try PageRequest(from: req)
        let masked = try req.requirePrincipal().role.seesMaskedPersonalData
        let (items, total) = try await UserQueries(request: req).query().page(page)
        return PageOf(items: try items.map { try UserDTO($0, masked: masked) }, total: total, limit: page.limit, offset: page.offset)
    }

    func show(req: Request) async throws -> UserDTO {
        let masked = try req.requirePrincipal().role.seesMaskedPersonalData
        return try UserDTO(try await UserQueries(request: req).find(req.parameters.get("id", as: UUID.self)), masked: masked)
    }

    func me(req: Request) async throws -> UserDTO {
        let principal = try req.requirePrincipal()
        guard let user = try await User.find(principal.userID, on: req.db) else { throw APIError.unauthenticated }
        return try UserDTO(user, masked: false)
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.require(.manageUsers)
        let (user, password) = try await UserService(db: req.db, app: req.application, actor: actor)
            .create(try req.content.decode(UserInput.self))
        return try await UserWithPassword(user: UserDTO(user, masked: false), oneTimePassword: password)
            .encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> UserDTO {
        let actor = try req.require(.manageUsers)
        let user = try await UserQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        return try UserDTO(try await UserService(db: req.db, app: req.application, actor: actor)
            .update(user, with: try req.content.decode(UserInput.self)), masked: false)
    }

    func resetPassword(req: Request) async throws -> UserWithPassword {
        let actor = try req.require(.manageUsers)
        let user = try await UserQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        let password = try await UserService(db: req.db, app: req.application, actor: actor).resetPassword(user)
        return UserWithPassword(user: try UserDTO(user, masked: false), oneTimePassword: password)
    }
}
