import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import NIOSSL
import SQLKit
import Vapor
import YingshangCore

/// Sets up an application: database, migrations, sessions, views, middleware and routes.
public func configure(_ app: Application) async throws {
    try await configure(app, settings: Settings.fromEnvironment())
}

func configure(_ app: Application, settings: Settings) async throws {
    app.settings = settings
    Metrics.bootstrap()

    try await DatabaseSetup.use(settings, on: app)
    for migration in AllMigrations.list { app.migrations.add(migration) }
    app.policySearch = PolicySearchIndex()
    app.benefitMatcher = BenefitMatcher()
    app.evaluationBoard = EvaluationBoard()

    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes]
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)

    app.routes.defaultMaxBodySize = settings.maxBodySize
    app.http.server.configuration.hostname = Environment.get("YINGSHANG_HOST") ?? "127.0.0.1"
    app.http.server.configuration.port = Environment.get("YINGSHANG_PORT").flatMap(Int.init) ?? 8080

    app.sessions.use(.fluent)
    app.sessions.configuration.cookieName = "ys_session"
    app.sessions.configuration.cookieFactory = { sessionID in
        HTTPCookies.Value(string: sessionID.string, expires: Date().addingTimeInterval(60 * 60 * 12), maxAge: nil,
                          path: "/", isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    app.views.use(.leaf)
    app.leaf.configuration.rootDirectory = app.directory.resourcesDirectory + "Views/"
    app.leaf.cache.isEnabled = app.environment.isRelease

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorPagesMiddleware())
    app.middleware.use(RequestDeadlineMiddleware(seconds: Environment.get("YINGSHANG_API_DEADLINE").flatMap(Double.init) ?? 15))
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(AuthenticationMiddleware())
    app.middleware.use(CSRFMiddleware(secureCookies: settings.secureCookies))
    app.middleware.use(PasswordChangeGateMiddleware())
    app.middleware.use(ShellMiddleware())

    app.appealIntakeQueue = AppealIntakeQueue(maxBatch: Environment.get("YINGSHANG_INTAKE_BATCH").flatMap(Int.init) ?? 128,
                                              database: { [unowned app] in app.db })
    try routes(app)
}

enum DatabaseSetup {
    /// Registers the database `DATABASE_URL` names (nothing is opened yet).
    static func use(_ settings: Settings, on app: Application) async throws {
        switch settings.database {
        case .sqlite(let path):
            app.databases.use(.sqlite(.file(path)), as: .sqlite)
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema = settings.postgresSchema { configuration.searchPath = [schema] }
            app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4,
                                        connectionPoolTimeout: .seconds(5)), as: .psql)
        }
    }

    /// Opens the database for the first time in this process: SQLite gets its folder created and switches to WAL (a property of the
    /// file that persists; synchronous=FULL is SQLite's default here). Commands that never touch the
    /// database (`workpoints parse`) do not call this.
    static func prepareStorage(_ app: Application) async throws {
        guard case .sqlite(let path) = app.settings.database else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if let sql = app.db as? any SQLDatabase {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
    }
}
