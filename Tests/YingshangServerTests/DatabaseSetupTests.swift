import Fluent
import SQLKit
import Testing
import Vapor
@testable import YingshangServer

@Suite("Databases")
struct DatabaseSetupTests {
    @Test("With YINGSHANG_TEST_POSTGRES_URL set, the PostgreSQL server answers and the tests run on it")
    func reportsPostgres() async throws {
        guard TestDatabase.postgresURL != nil else {
            print("PostgreSQL tests: skipped (set YINGSHANG_TEST_POSTGRES_URL to run them)")
            return
        }
        #expect(TestDatabase.available == [.sqlite, .postgres])
        try await withTestApp(.postgres) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let version = try await sql.raw("SHOW server_version").first()?.decode(column: "server_version", as: String.self)
            #expect(version?.isEmpty == false)
            print("PostgreSQL tests: enabled (server \(version ?? "?"))")
        }
    }

    @Test("SQLite runs in WAL mode with foreign keys on and durable commits")
    func sqlitePragmas() async throws {
        try await withTestApp(.sqlite) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            #expect(mode == "wal")
            let keys = try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
            #expect(keys == 1)
            let sync = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            #expect((sync ?? 0) >= 2, "synchronous must be FULL (2) or EXTRA (3)")
        }
    }

    @Test("Migrations run on every database and create the platform tables", arguments: TestDatabase.available)
    func migrations(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            #expect(try await OrgUnit.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).count() == 0)
            // Running the migrations again changes nothing.
            try await app.autoMigrate()
        }
    }

    @Test("The data folder of a new SQLite file is created on first start")
    func createsFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ys-\(UUID().uuidString)/nested")
        let app = try await Application.make(.testing)
        let settings = Settings(database: .sqlite(path: folder.appendingPathComponent("y.sqlite").path),
                                dataDirectory: folder.path, maxBodySize: "1mb", secureCookies: false, trustProxy: false,
                                postgresSchema: nil, loadsDemoData: false)
        try await configure(app, settings: settings)
        try await DatabaseSetup.prepareStorage(app)
        try await app.autoMigrate()
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("y.sqlite").path))
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
    }
}
