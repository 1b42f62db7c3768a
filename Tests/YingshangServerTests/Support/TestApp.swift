import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

/// The databases every server test runs on: SQLite always, PostgreSQL when
/// `YINGSHANG_TEST_POSTGRES_URL` is set (as `.ci/run` does).
enum TestDatabase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["YINGSHANG_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The databases available in this run.
    static var available: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A counting semaphore for async code.
actor AsyncSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Each PostgreSQL test app may open 8 connections (4 per event loop); a server allows 100 by default. Swift Testing
/// runs tests in parallel without a bound, so at most this many PostgreSQL test apps run at once.
private let postgresSlots = AsyncSlots(8)

/// Runs `body` with a fresh, migrated application on `database`: a new SQLite file, or a new
/// PostgreSQL schema dropped afterwards.
func withTestApp(_ database: TestDatabase, demo: Bool = false,
                 _ body: (Application) async throws -> Void) async throws {
    guard database == .postgres else { return try await runTestApp(database, demo: demo, body) }
    await postgresSlots.acquire()
    do {
        try await runTestApp(database, demo: demo, body)
    } catch {
        await postgresSlots.release()
        throw error
    }
    await postgresSlots.release()
}

private func runTestApp(_ database: TestDatabase, demo: Bool, _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    app.bcryptCost = 4
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yingshang-test-\(UUID().uuidString)")
    let schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
    var settings = Settings(database: .sqlite(path: folder.appendingPathComponent("test.sqlite").path),
                            dataDirectory: folder.path, maxBodySize: "1mb", secureCookies: false, trustProxy: true,
                            postgresSchema: nil, loadsDemoData: demo)
    if database == .postgres, let url = TestDatabase.postgresURL {
        settings.database = .postgres(url: url)
        settings.postgresSchema = schema
    }
    do {
        try await configure(app, settings: settings)
        try await DatabaseSetup.prepareStorage(app)
        if database == .postgres, let sql = app.db as? any SQLDatabase {
            try await sql.raw("CREATE SCHEMA \(ident: schema)").run()
        }
        try await app.autoMigrate()
        try await body(app)
    } catch {
        try? await cleanUp(app, database: database, schema: schema, folder: folder)
        throw error
    }
    try await cleanUp(app, database: database, schema: schema, folder: folder)
}

private func cleanUp(_ app: Application, database: TestDatabase, schema: String, folder: URL) async throws {
    if database == .postgres, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
    }
    try await app.asyncShutdown()
    try? FileManager.default.removeItem(at: folder)
}

/// Creates an org unit directly (test setup, not through the API).
@discardableResult
func makeUnit(_ app: Application, code: String, name: String, kind: OrgUnitKind = .department,
              parent: OrgUnit? = nil) async throws -> OrgUnit {
    let unit = OrgUnit(draft: OrgUnitDraft(code: code, name: name, shortName: nil, parentCode: parent?.code, kind: kind,
                                           aliases: []), parentID: parent?.id)
    try await unit.create(on: app.db)
    return unit
}

/// Creates an active user with a known password.
@discardableResult
func makeUser(_ app: Application, login: String, role: Role, unit: OrgUnit? = nil,
              password: String = "Correct-Horse-9", mustChange: Bool = false) async throws -> User {
    let user = User(login: login, displayName: "测试\(login)", role: role, orgUnitID: unit?.id,
                    passwordHash: try await Passwords.hash(password, on: app), mustChangePassword: mustChange)
    user.phone = "13812345678"
    try await user.create(on: app.db)
    return user
}

/// A plain API token for `user`.
func makeToken(_ app: Application, for user: User) async throws -> String {
    try await TokenService(db: app.db, actor: nil).create(for: user, name: "测试").1
}
