import Fluent
import Vapor

/// `yingshang tokens create --user LOGIN --name NAME`: prints a new API token for scripts.
struct TokensCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create")
        var action: String
        @Option(name: "user", help: "令牌所属用户的登录名")
        var user: String?
        @Option(name: "name", help: "令牌名称（用途）")
        var name: String?
    }

    var help: String { "接口令牌：tokens create --user 登录名 --name 名称" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "create" else { throw CommandFailure("未知操作“\(signature.action)”，可用：create") }
        guard let login = signature.user?.lowercased(), let name = signature.name else {
            throw CommandFailure("请提供 --user 和 --name")
        }
        let app = context.application
        try await app.autoMigrate()
        guard let user = try await User.query(on: app.db).filter(\.$login == login).first(), user.isActive else {
            throw CommandFailure("用户“\(login)”不存在或已停用")
        }
        let (_, secret) = try await TokenService(db: app.db, actor: nil).create(for: user, name: name)
        context.console.output(secret.consoleText())
    }
}

/// `yingshang audit verify`: checks the audit log's hash chain; exit code 1 on the first broken entry.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify")
        var action: String
    }

    var help: String { "操作日志：audit verify 校验日志是否被修改、删除或调换" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else { throw CommandFailure("未知操作“\(signature.action)”，可用：verify") }
        let app = context.application
        try await app.migrator.setupIfNeeded().get()
        guard try await app.migrator.previewPrepareBatch().get().isEmpty else {
            throw CommandFailure("数据库尚未初始化或未迁移到最新：请先运行 yingshang migrate")
        }
        let (problem, checked) = try await AuditLog.verify(on: app.db) { count in
            if count % 10_000 == 0 { context.console.output("已校验 \(count) 条……".consoleText()) }
        }
        if let problem {
            context.console.error("校验失败：\(problem)（之前的 \(checked) 条完好）")
            throw CommandFailure("操作日志已被篡改")
        }
        context.console.output("操作日志完好：共 \(checked) 条，哈希链完整。".consoleText())
    }
}

/// `yingshang users reset-password --login LOGIN`: a new one-time password, for a locked-out administrator.
struct UsersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "reset-password")
        var action: String
        @Option(name: "login", help: "登录名")
        var login: String?
    }

    var help: String { "用户：users reset-password --login 登录名（打印新的一次性密码）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "reset-password" else { throw CommandFailure("未知操作“\(signature.action)”，可用：reset-password") }
        guard let login = signature.login?.lowercased() else { throw CommandFailure("请提供 --login") }
        let app = context.application
        guard let user = try await User.query(on: app.db).filter(\.$login == login).first() else {
            throw CommandFailure("用户“\(login)”不存在")
        }
        let password = try await UserService(db: app.db, app: app, actor: nil).resetPassword(user)
        context.console.output("“\(login)”的一次性密码：\(password)（首次登录须修改）".consoleText())
    }
}

/// A command error whose message is shown as is; the process exits non-zero.
struct CommandFailure: Error, CustomStringConvertible, LocalizedError {
    let description: String
    /// The process exit code: 1 for a failed operation, 2 for unusable input.
    let exitCode: Int32
    init(_ message: String, exitCode: Int32 = 1) {
        description = message
        self.exitCode = exitCode
    }
    var errorDescription: String? { description }
}

/// `yingshang migrate`: applies pending migrations (serve does this at start too) and says which.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "执行尚未执行的数据库迁移（serve 启动时也会自动执行）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrator.setupIfNeeded().get()
        let pending = try await app.migrator.previewPrepareBatch().get()
        if pending.isEmpty {
            context.console.output("数据库已是最新，无需迁移。".consoleText())
            return
        }
        for (migration, _) in pending { context.console.output("执行迁移：\(migration.name)".consoleText()) }
        try await app.autoMigrate()
        context.console.output("完成：执行了 \(pending.count) 个迁移。".consoleText())
    }
}
