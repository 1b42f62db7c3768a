import Fluent
import Vapor
import YingshangCore

/// Who is making a request: a signed-in user (by session cookie or API token).
struct Principal: Sendable {
    let userID: UUID
    let login: String
    let displayName: String
    let role: Role
    let orgUnitID: UUID?
    let mustChangePassword: Bool
    /// Authenticated by an API token rather than a browser session.
    let viaToken: Bool

    init(userID: UUID, login: String, displayName: String, role: Role, orgUnitID: UUID?, mustChangePassword: Bool, viaToken: Bool) {
        self.userID = userID
        self.login = login
        self.displayName = displayName
        self.role = role
        self.orgUnitID = orgUnitID
        self.mustChangePassword = mustChangePassword
        self.viaToken = viaToken
    }

    init(user: User, viaToken: Bool) throws {
        userID = try user.requireID()
        login = user.login
        displayName = user.displayName
        role = user.userRole
        orgUnitID = user.$orgUnit.id
        mustChangePassword = user.mustChangePassword
        self.viaToken = viaToken
    }

    /// The label stored in the audit log for this actor.
    var auditLabel: String { "\(displayName)（\(login)）" }
}

extension Request {
    private struct PrincipalKey: StorageKey { typealias Value = Principal }
    private struct ScopeKey: StorageKey { typealias Value = OrgUnitScope }

    /// The signed-in user, if any.
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// The signed-in user, or 401.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIError.unauthenticated }
        return principal
    }

    /// The signed-in user, who must hold `permission`; 401 or 403 otherwise.
    @discardableResult
    func require(_ permission: Permission) throws -> Principal {
        let principal = try requirePrincipal()
        guard principal.role.may(permission) else { throw APIError.forbidden }
        return principal
    }

    /// The org units whose records the signed-in user may read (computed once per request).
    func orgUnitScope() async throws -> OrgUnitScope {
        if let cached = storage[ScopeKey.self] { return cached }
        let principal = try requirePrincipal()
        let parentOf = principal.role.readScope == .ownSubtree ? try await OrgUnitDirectory.parentLinks(on: db) : [:]
        let scope = OrgUnitScope(role: principal.role, userUnitID: principal.orgUnitID?.uuidString, parentOf: parentOf)
        storage[ScopeKey.self] = scope
        return scope
    }
}
