import Fluent
import SQLKit

/// One counter row per year hands out appeal numbers: concurrent intakes wait on the row's lock rather than
/// racing for `max(sequence) + 1` (which, under load, ends in unique-constraint failures).
enum AppealNumbering {
    static let schema = "appeal_counters"

    /// Reserves `count` consecutive sequence numbers of `year` inside the caller's transaction; returns the first.
    static func reserve(_ count: Int, year: Int, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw APIError.conflict("数据库不支持编号") }
        if let row = try await sql.raw("UPDATE appeal_counters SET last_sequence = last_sequence + \(bind: count) WHERE year = \(bind: year) RETURNING last_sequence").first() {
            return try row.decode(column: "last_sequence", as: Int.self) - count + 1
        }
        // The year's first appeal: a concurrent first insert fails on the key and the transaction is retried.
        try await sql.raw("INSERT INTO appeal_counters (year, last_sequence) VALUES (\(bind: year), \(bind: count))").run()
        return 1
    }

    /// Makes the counters continue after appeals written directly (demo data, imports).
    static func catchUp(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let rows = try await sql.raw("SELECT year, MAX(sequence) AS last FROM appeals GROUP BY year").all()
        for row in rows {
            let year = try row.decode(column: "year", as: Int.self)
            let last = try row.decode(column: "last", as: Int.self)
            try await sql.raw("DELETE FROM appeal_counters WHERE year = \(bind: year)").run()
            try await sql.raw("INSERT INTO appeal_counters (year, last_sequence) VALUES (\(bind: year), \(bind: last))").run()
        }
    }
}
