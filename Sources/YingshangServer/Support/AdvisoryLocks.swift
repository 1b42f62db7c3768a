import Fluent
import SQLKit

/// Named PostgreSQL advisory locks held until the transaction ends, one per name and schema (installations sharing a
/// server in different schemas do not block each other). SQLite allows one writer at a time anyway, so there both
/// calls return at once.
enum AdvisoryLocks {
    /// Waits for the lock.
    static func lock(_ name: String, on db: any Database) async throws {
        guard let sql = postgres(db) else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: key(name)), hashtext(current_schema()))").run()
    }

    /// Takes the lock if nobody holds it; false when someone does.
    static func tryLock(_ name: String, on db: any Database) async throws -> Bool {
        guard let sql = postgres(db) else { return true }
        let row = try await sql.raw(
            "SELECT pg_try_advisory_xact_lock(\(bind: key(name)), hashtext(current_schema())) AS locked").first()
        return try row?.decode(column: "locked", as: Bool.self) ?? false
    }

    private static func postgres(_ db: any Database) -> (any SQLDatabase)? {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return nil }
        return sql
    }

    /// FNV-1a of the name folded to 32 bits: stable across processes and releases.
    private static func key(_ name: String) -> Int32 {
        Int32(truncatingIfNeeded: name.utf8.reduce(UInt32(2166136261)) { ($0 ^ UInt32($1)) &* 16777619 })
    }
}
