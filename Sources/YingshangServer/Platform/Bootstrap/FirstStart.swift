import Fluent
import Vapor
import YingshangCore

/// On an empty database, creates the one administrator `admin` with a one-time password that is
/// printed once and must be changed at first login. No default password exists anywhere.
enum FirstStart {
    static let adminLogin = "admin"

    /// Returns the one-time password when the administrator was just created, `nil` otherwise.
    static func ensureAdministrator(on app: Application) async throws -> String? {
        guard try await User.query(on: app.db).count() == 0 else { return nil }
        let password = Passwords.generate()
        let hash = try await Passwords.hash(password, on: app)
        try await Transactions.run(on: app.db) { tx in
            let admin = User(login: adminLogin, displayName: "系统管理员", role: .admin, orgUnitID: nil,
                             passwordHash: hash, mustChangePassword: true)
            try await admin.create(on: tx)
            try await AuditLog.record(on: tx, actor: nil, action: .create, entityType: "user",
                                      entityID: try admin.requireID().uuidString, before: nil, after: UserDTO.snapshot(admin))
        }
        return password
    }

    static func announce(password: String, console: any Console) {
        console.output("""
        ============================================================
         已创建管理员账号（仅显示这一次，请立即登录并修改密码）
           登录名：\(adminLogin)
           一次性密码：\(password)
        ============================================================
        """)
    }
}
