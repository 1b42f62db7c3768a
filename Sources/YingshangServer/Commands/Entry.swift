import Fluent
import Vapor

/// The `yingshang` executable: Vapor's commands plus ours.
///
/// `serve` migrates the database, creates the first administrator on an empty database and, with
/// `--demo`, loads the demo data before it starts listening.
public enum Yingshang {
    public static func main() async throws {
        var env = try Environment.detect()
        var arguments = env.arguments
        let command = arguments.dropFirst().first ?? "serve"
        let demo = arguments.contains("--demo")
        arguments.removeAll { $0 == "--demo" }
        env.arguments = arguments

        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            try await configure(app, settings: Settings.fromEnvironment(demo: demo))
            app.asyncCommands.use(TokensCommand(), as: "tokens")
            app.asyncCommands.use(AuditCommand(), as: "audit")
            app.asyncCommands.use(UsersCommand(), as: "users")
            app.asyncCommands.use(MigrateCommand(), as: "migrate")
            app.asyncCommands.use(WorkPointsCommand(), as: "workpoints")
            app.asyncCommands.use(JobsCommand(), as: "jobs")
            app.asyncCommands.use(PoliciesCommand(), as: "policies")
            app.asyncCommands.use(SearchCommand(), as: "search")
            app.asyncCommands.use(PortraitCommand(), as: "portrait")
            app.asyncCommands.use(EligibilityCommand(), as: "eligibility")
            if !Self.commandsWithoutDatabase.contains(command) && !command.hasPrefix("-") {
                try await DatabaseSetup.prepareStorage(app)
            }
            if command == "serve" {
                try await prepareToServe(app)
            }
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Runs ``main()`` and turns a failure into a Chinese message on stderr and exit code 1
    /// (never a crash with a backtrace).
    public static func run() async -> Int32 {
        do {
            try await main()
            return 0
        } catch {
            let failure = error as? CommandFailure
            let message = failure?.description ?? String(describing: error)
            FileHandle.standardError.write(Data("错误：\(message)\n".utf8))
            return failure?.exitCode ?? 1
        }
    }

    /// Commands that must not open (or create) the database (`workpoints import` opens it itself).
    static let commandsWithoutDatabase: Set<String> = ["workpoints", "routes", "portrait"]

    /// Migrations, the first administrator and (with `--demo`) the demo data, before listening.
    static func prepareToServe(_ app: Application) async throws {
        try await app.autoMigrate()
        if let password = try await FirstStart.ensureAdministrator(on: app) {
            FirstStart.announce(password: password, console: app.console)
        }
        app.lifecycle.use(JobScheduler(interval: Environment.get("YINGSHANG_JOB_INTERVAL").flatMap(Int.init) ?? 600))
        if app.settings.loadsDemoData {
            try await DemoData.load(on: app)
            try await DemoData.announce(on: app)
        }
        app.lifecycle.use(SearchIndexRefresher(interval: Environment.get("YINGSHANG_SEARCH_REFRESH").flatMap(Int.init) ?? 60))
        // The search index builds while the server starts listening; the first searches wait for it.
        let logger = app.logger
        Task { [app] in
            do { _ = try await app.policySearch.current(on: app.db) { logger.notice("\($0)") } } catch {
                logger.error("检索索引建立失败：\(error)")
            }
        }
    }
}
