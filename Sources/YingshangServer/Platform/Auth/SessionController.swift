import Fluent
import Vapor
import YingshangCore

/// Sign in, sign out and password change (登录、退出、修改密码).
struct SessionController: RouteCollection {
    /// One message for an unknown login and a wrong password, so logins cannot be enumerated.
    static let badCredentials = "用户名或密码错误"

    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: loginPage)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
        routes.get("password", use: passwordPage)
        routes.post("password", use: changePassword)
    }

    struct LoginView: Encodable {
        var login: String
        var next: String
        var error: String?
    }

    func loginPage(req: Request) async throws -> Response {
        if req.principal != nil { return req.redirect(to: "/") }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await req.page("login", title: "登录", LoginView(login: "", next: next, error: nil))
            .encodeResponse(for: req)
    }

    struct LoginForm: Content {
        var login: String?
        var password: String?
        var next: String?
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let login = (form.login ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.safeNext(form.next)
        let fail = { (status: HTTPResponseStatus, message: String) async throws -> Response in
            let response = try await req.page("login", title: "登录", LoginView(login: login, next: next, error: message))
                .encodeResponse(for: req)
            response.status = status
            return response
        }
        guard !login.isEmpty, let password = form.password, !password.isEmpty else {
            return try await fail(.unprocessableEntity, "请输入用户名和密码")
        }
        let throttle = LoginThrottle(policy: req.application.loginThrottlePolicy, db: req.db)
        let now = Date()
        if let until = try await throttle.lockedUntil(login: login, address: req.clientAddress, now: now) {
            return try await fail(.tooManyRequests, LoginThrottlePolicy.lockedMessage(until: until, now: now))
        }
        let user = try await User.query(on: req.db).filter(\.$login == login).first()
        // Hash even for unknown logins so both answers take the same time.
        let valid = try await Passwords.verify(password, against: user?.passwordHash ?? Self.dummyHash, on: req.application)
        guard let user, valid, user.isActive else {
            try await throttle.record(login: login, address: req.clientAddress, succeeded: false, now: now)
            if let until = try await throttle.lockedUntil(login: login, address: req.clientAddress, now: now) {
                return try await fail(.tooManyRequests, LoginThrottlePolicy.lockedMessage(until: until, now: now))
            }
            return try await fail(.unauthorized, Self.badCredentials)
        }
        try await throttle.record(login: login, address: req.clientAddress, succeeded: true, now: now)
        if Int.random(in: 0..<50) == 0 { try await throttle.prune(now: now) }
        let principal = try Principal(user: user, viaToken: false)
        req.session.data[AuthenticationMiddleware.sessionUserKey] = principal.userID.uuidString
        req.principal = principal
        try await AuditLog.record(on: req.db, actor: principal, action: .login, entityType: "user",
                                  entityID: principal.userID.uuidString, before: nil,
                                  after: ["address": req.clientAddress])
        return req.redirect(to: user.mustChangePassword ? "/password" : next)
    }

    func logout(req: Request) async throws -> Response {
        if let principal = req.principal {
            try await AuditLog.record(on: req.db, actor: principal, action: .logout, entityType: "user",
                                      entityID: principal.userID.uuidString, before: nil, after: nil)
        }
        req.session.destroy()
        return req.redirect(to: "/login")
    }

    struct PasswordView: Encodable {
        var mustChange: Bool
        var errors: [String: String]
        var minimumLength: Int
    }

    func passwordPage(req: Request) async throws -> View {
        let principal = try req.requirePrincipal()
        return try await req.page("password", title: "修改密码",
                                  PasswordView(mustChange: principal.mustChangePassword, errors: [:],
                                               minimumLength: PasswordPolicy.minimumLength))
    }

    struct PasswordForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    func changePassword(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard !principal.viaToken else { throw APIError.forbidden }
        let form = try req.content.decode(PasswordForm.self)
        guard let user = try await User.find(principal.userID, on: req.db) else { throw APIError.unauthenticated }
        var errors: [String: String] = [:]
        if !(try await Passwords.verify(form.current ?? "", against: user.passwordHash, on: req.application)) {
            errors["current"] = "当前密码不正确"
        }
        if let problem = PasswordPolicy.problem(with: form.new ?? "", login: user.login) {
            errors["new"] = problem
        } else if form.new == form.current {
            errors["new"] = "新密码不能与当前密码相同"
        }
        if form.new != form.confirm { errors["confirm"] = "两次输入的新密码不一致" }
        guard errors.isEmpty, let newPassword = form.new else {
            let response = try await req.page("password", title: "修改密码",
                                              PasswordView(mustChange: principal.mustChangePassword, errors: errors,
                                                           minimumLength: PasswordPolicy.minimumLength))
                .encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
        let hash = try await Passwords.hash(newPassword, on: req.application)
        try await Transactions.run(on: req.db) { tx in
            guard let user = try await User.find(principal.userID, on: tx) else { return }
            user.passwordHash = hash
            user.mustChangePassword = false
            try await user.save(on: tx)
            try await AuditLog.record(on: tx, actor: principal, action: .passwordChange, entityType: "user",
                                      entityID: principal.userID.uuidString, before: nil, after: nil)
        }
        req.flash("密码已修改")
        return req.redirect(to: "/")
    }

    /// Only same-site paths are followed after login.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    /// A bcrypt hash of a random string, verified against when the login is unknown.
    static let dummyHash = (try? Bcrypt.hash(UUID().uuidString, cost: 12)) ?? ""
}

extension Application {
    private struct ThrottleKey: StorageKey { typealias Value = LoginThrottlePolicy }

    var loginThrottlePolicy: LoginThrottlePolicy {
        get { storage[ThrottleKey.self] ?? LoginThrottlePolicy() }
        set { storage[ThrottleKey.self] = newValue }
    }
}
