import Fluent
import Vapor
import YingshangCore

/// Creating and changing users (admin only), audited and atomic.
struct UserService {
    let db: any Database
    let app: Application
    let actor: Principal?

    static func isValidLogin(_ login: String) -> Bool {
        login.wholeMatch(of: #/[a-z][a-z0-9._-]{2,31}/#) != nil
    }

    func validated(_ input: UserInput, existing: User?) async throws -> (login: String, name: String, role: Role, unit: UUID?) {
        var errors: [String: String] = [:]
        let login = (input.login ?? existing?.login ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if existing == nil {
            if !Self.isValidLogin(login) {
                errors["login"] = "登录名须以字母开头，由 3–32 位小写字母、数字、点、下划线或连字符组成"
            } else if try await User.query(on: db).filter(\.$login == login).first() != nil {
                errors["login"] = "登录名“\(login)”已被使用"
            }
        }
        let name = (input.displayName ?? existing?.displayName ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty { errors["display_name"] = "姓名不能为空" } else if name.count > 50 { errors["display_name"] = "姓名不能超过 50 个字" }
        let role = (input.role ?? existing?.role).flatMap { raw in Role(rawValue: raw) ?? Role.allCases.first { $0.label == raw } }
        if role == nil { errors["role"] = "角色只能是 管理员 / 领导 / 责任单位 / 特邀监督员 / 企业用户" }
        var unitID = existing?.$orgUnit.id
        if let raw = input.orgUnitID {
            if raw.isEmpty { unitID = nil } else if let id = UUID(uuidString: raw), try await OrgUnit.find(id, on: db) != nil {
                unitID = id
            } else { errors["org_unit_id"] = "所属单位不存在" }
        }
        if role?.requiresOrgUnit == true, unitID == nil { errors["org_unit_id"] = "责任单位用户必须选择所属单位" }
        if let phone = input.phone, !phone.isEmpty, phone.wholeMatch(of: #/[0-9+\- ]{5,20}/#) == nil {
            errors["phone"] = "电话号码格式不正确"
        }
        if let email = input.email, !email.isEmpty, email.wholeMatch(of: #/[^@\s]+@[^@\s]+\.[^@\s]+/#) == nil {
            errors["email"] = "电子邮箱格式不正确"
        }
        guard errors.isEmpty, let role else { throw APIError.validation(errors) }
        return (login, name, role, unitID)
    }

    func create(_ input: UserInput) async throws -> (User, String) {
        let v = try await validated(input, existing: nil)
        let password = Passwords.generate()
        let hash = try await Passwords.hash(password, on: app)
        let actor = actor
        let user = try await Transactions.run(on: db) { tx in
            let user = User(login: v.login, displayName: v.name, role: v.role, orgUnitID: v.unit,
                            passwordHash: hash, mustChangePassword: true)
            user.phone = input.phone.flatMap { $0.isEmpty ? nil : $0 }
            user.email = input.email.flatMap { $0.isEmpty ? nil : $0 }
            try await user.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "user",
                                      entityID: try user.requireID().uuidString, before: nil, after: UserDTO.snapshot(user))
            return user
        }
        return (user, password)
    }

    func update(_ user: User, with input: UserInput) async throws -> User {
        let v = try await validated(input, existing: user)
        let before = UserDTO.snapshot(user)
        let actor = actor
        let id = try user.requireID()
        if actor?.userID == id, v.role != user.userRole || input.isActive == false {
            throw APIError.validation(["role": "不能修改自己的角色或停用自己"])
        }
        return try await Transactions.run(on: db) { tx in
            guard let fresh = try await User.find(id, on: tx) else { throw APIError.notFound }
            fresh.displayName = v.name
            fresh.role = v.role.rawValue
            fresh.$orgUnit.id = v.unit
            if let phone = input.phone { fresh.phone = phone.isEmpty ? nil : phone }
            if let email = input.email { fresh.email = email.isEmpty ? nil : email }
            if let active = input.isActive { fresh.isActive = active }
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "user",
                                      entityID: id.uuidString, before: before, after: UserDTO.snapshot(fresh))
            return fresh
        }
    }

    /// Sets a new one-time password that must be changed at the next login.
    func resetPassword(_ user: User) async throws -> String {
        let password = Passwords.generate()
        let hash = try await Passwords.hash(password, on: app)
        let actor = actor
        let id = try user.requireID()
        try await Transactions.run(on: db) { tx in
            guard let fresh = try await User.find(id, on: tx) else { throw APIError.notFound }
            fresh.passwordHash = hash
            fresh.mustChangePassword = true
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .passwordReset, entityType: "user",
                                      entityID: id.uuidString, before: nil, after: nil)
        }
        return password
    }
}

/// Reading users within the signed-in user's scope.
struct UserQueries {
    let request: Request

    func query() async throws -> QueryBuilder<User> {
        try request.require(.readUsers)
        let scope = try await request.orgUnitScope()
        let query = User.query(on: request.db).sort(\.$login)
        if let allowed = scope.allowedUnitIDs {
            query.filter(\.$orgUnit.$id ~~ allowed.compactMap(UUID.init(uuidString:)))
        }
        if let text = request.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            query.group(.or) { $0.filter(\.$login, .custom("LIKE"), "%\(text)%").filter(\.$displayName, .custom("LIKE"), "%\(text)%") }
        }
        if let raw = request.query[String.self, at: "role"], !raw.isEmpty {
            guard let role = Role(rawValue: raw) else { throw APIError.validation(["role": "未知角色"], message: "筛选条件无效") }
            query.filter(\.$role == role.rawValue)
        }
        if let raw = request.query[String.self, at: "org_unit_id"], !raw.isEmpty {
            guard let id = UUID(uuidString: raw) else { throw APIError.validation(["org_unit_id": "不是有效的编号"], message: "筛选条件无效") }
            query.filter(\.$orgUnit.$id == id)
        }
        return query
    }

    func find(_ id: UUID?) async throws -> User {
        try request.require(.readUsers)
        guard let id, let user = try await User.find(id, on: request.db) else { throw APIError.notFound }
        let scope = try await request.orgUnitScope()
        guard scope.allowedUnitIDs == nil || scope.allows(user.$orgUnit.id?.uuidString) else { throw APIError.notFound }
        return user
    }
}
