import Fluent
import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteNIO
import Testing
import Vapor
@testable import YingshangServer

/// Another connection to the same SQLite file writing at the wrong moment (under intake load: the batch writer and a
/// token's last-use stamp) must cost a retry, never a failed request.
@Suite("SQLite write contention")
struct SQLiteContentionTests {
    /// A second connection to the test app's SQLite file, outside Fluent's pool.
    private func otherConnection(_ app: Application) async throws -> SQLiteConnection {
        guard case .sqlite(let path) = app.settings.database else { throw Abort(.internalServerError) }
        return try await SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: Logger(label: "test"),
                                               on: MultiThreadedEventLoopGroup.singleton.any()).get()
    }

    @Test("A write refused because another connection committed after this transaction read (busy snapshot) is retried")
    func busySnapshotIsRetryable() async throws {
        try await withTestApp(.sqlite) { app in
            let reader = try await otherConnection(app)
            let writer = try await otherConnection(app)
            _ = try await reader.query("CREATE TABLE contention (n INTEGER)")
            _ = try await reader.query("BEGIN")
            _ = try await reader.query("SELECT COUNT(*) FROM contention")
            _ = try await writer.query("INSERT INTO contention VALUES (1)")
            let refused = await #expect(throws: SQLiteError.self) {
                _ = try await reader.query("INSERT INTO contention VALUES (2)")
            }
            _ = try? await reader.query("ROLLBACK")
            if let refused { #expect(DatabaseErrors.isRetryableConflict(refused), "\(refused)") }
            // The retry (a fresh transaction) succeeds.
            _ = try await Transactions.run(on: app.db) { tx in
                guard let sql = tx as? any SQLDatabase else { throw Abort(.internalServerError) }
                try await sql.raw("INSERT INTO contention VALUES (3)").run()
            }
            #expect(try await writer.query("SELECT COUNT(*) AS n FROM contention").first?.column("n")?.integer == 2)
            try await reader.close().get()
            try await writer.close().get()
        }
    }

    @Test("A token whose last-use stamp cannot be written still signs the request in; the stamp is written later")
    func tokenWorksWhenItsStampFails() async throws {
        try await withTestApp(.sqlite) { app in
            let user = try await makeUser(app, login: "jiekou", role: .admin)
            let token = try await makeToken(app, for: user)
            let sql = try #require(app.db as? any SQLDatabase)
            // Stands in for the write lost under load (SQLite's busy snapshot): every stamp is refused.
            try await sql.raw("""
                CREATE TRIGGER refuse_stamp BEFORE UPDATE OF last_used_at ON api_tokens
                BEGIN SELECT RAISE(ABORT, 'database is locked'); END
                """).run()
            #expect(try await APITokens.user(forToken: token, on: app.db)?.id == user.id)
            let api = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"])
            #expect(api.status == .ok)
            #expect(try await APIToken.query(on: app.db).filter(\.$user.$id == user.requireID()).first()?.lastUsedAt == nil)
            try await sql.raw("DROP TRIGGER refuse_stamp").run()
            _ = try await APITokens.user(forToken: token, on: app.db)
            #expect(try await APIToken.query(on: app.db).filter(\.$user.$id == user.requireID()).first()?.lastUsedAt != nil)
        }
    }
}
