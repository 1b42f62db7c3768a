import Fluent
import SQLKit
import Vapor
import YingshangCore

/// The appeals statistics the dashboards read: per receipt day and dimension (type, category, channel, lead unit),
/// the counts the volumes and rates are made of, and the same summed per month. Every change to an appeal marks its
/// receipt day; a marked day is recomputed from the appeals themselves before the next dashboard is drawn (and by the
/// scheduled job), then its month from the days, so the figures are never stale and never drift, and a year's
/// dashboard reads about two thousand rows instead of every appeal.
enum AppealStatisticsStore {
    static let table = "appeal_stats"
    static let monthlyTable = "appeal_stats_monthly"
    /// Marks: a day ("2026-03-05") or a month ("2026-03") to recompute.
    static let dirtyTable = "appeal_stats_dirty"

    /// Marks receipt days for recomputation, inside the transaction that changed their appeals.
    static func markDirty(_ days: Set<String>, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, !days.isEmpty else { return }
        for day in days.sorted() {
            try await sql.raw("INSERT INTO appeal_stats_dirty (day) VALUES (\(bind: day)) ON CONFLICT (day) DO NOTHING").run()
        }
    }

    /// Recomputes every marked day, then every marked month; returns how many days were recomputed. Concurrent callers
    /// share the work: each mark is claimed by deleting it in the transaction that rewrites its rows, and a month is
    /// summed from days already committed (a day committed later marks its month again).
    @discardableResult
    static func refresh(on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        var refreshed = 0
        while true {
            let marks = try await sql.raw("SELECT day FROM appeal_stats_dirty ORDER BY length(day) DESC, day LIMIT 200").all()
                .map { try $0.decode(column: "day", as: String.self) }
            if marks.isEmpty { return refreshed }
            for mark in marks {
                let isDay = mark.count == 10
                let claimed = try await Transactions.run(on: db) { tx in
                    isDay ? try await recompute(day: mark, on: tx) : try await recompute(month: mark, on: tx)
                }
                if claimed && isDay { refreshed += 1 }
            }
        }
    }

    /// Deletes a mark; false when another server or request took it first.
    private static func claim(_ mark: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("DELETE FROM appeal_stats_dirty WHERE day = \(bind: mark) RETURNING day").first() != nil
    }

    private static func recompute(month: String, on tx: any Database) async throws -> Bool {
        guard let sql = tx as? any SQLDatabase, try await claim(month, on: sql) else { return false }
        try await sql.raw("DELETE FROM appeal_stats_monthly WHERE month = \(bind: month)").run()
        try await sql.raw("""
            INSERT INTO appeal_stats_monthly (month, dimension, key, \(unsafeRaw: counts.joined(separator: ", ")))
            SELECT \(bind: month), dimension, key, \(unsafeRaw: countColumns)
            FROM appeal_stats WHERE day >= \(bind: month + "-01") AND day <= \(bind: month + "-31") GROUP BY dimension, key
            """).run()
        return true
    }

    private static func recompute(day: String, on tx: any Database) async throws -> Bool {
        guard let sql = tx as? any SQLDatabase, try await claim(day, on: sql) else { return false }
        try await markDirty([String(day.prefix(7))], on: tx)
        let facts = try await sql.raw("""
            SELECT received_on, type, category_id, channel, lead_unit_id, dispatched_on, signed_on, sign_by, outcome, satisfaction
            FROM appeals WHERE received_on = \(bind: day)
            """).all().compactMap(fact(from:))
        try await sql.raw("DELETE FROM appeal_stats WHERE day = \(bind: day)").run()
        let rows = AppealStatistics.rows(of: facts)
        guard !rows.isEmpty else { return true }
        var insert = sql.insert(into: table).columns(["day", "dimension", "key"] + counts)
        for row in rows {
            let c = row.counts
            insert = insert.values(SQLBind(row.period), SQLBind(row.dimension.rawValue), SQLBind(row.key), SQLBind(c.received),
                                   SQLBind(c.dispatched), SQLBind(c.signedOnTime), SQLBind(c.closed), SQLBind(c.resolved),
                                   SQLBind(c.rated), SQLBind(c.satisfied))
        }
        try await insert.run()
        return true
    }

    private static func fact(from row: any SQLRow) throws -> AppealStatFact? {
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        return AppealStatFact(
            receivedOn: try text("received_on") ?? "", type: try text("type") ?? "",
            categoryID: try row.decode(column: "category_id", as: UUID?.self)?.uuidString, channel: try text("channel") ?? "",
            leadUnitID: try row.decode(column: "lead_unit_id", as: UUID?.self)?.uuidString, dispatchedOn: try text("dispatched_on"),
            signedOn: try text("signed_on"), signBy: try text("sign_by"), outcome: try text("outcome"),
            satisfaction: try text("satisfaction"))
    }

    /// The same facts for appeals already loaded (the figures of a unit's own appeals, computed directly).
    static func facts(of appeals: [Appeal]) -> [AppealStatFact] {
        appeals.compactMap { appeal in
            AppealStatFact(receivedOn: appeal.receivedOn, type: appeal.type, categoryID: appeal.$category.id?.uuidString,
                           channel: appeal.channel, leadUnitID: appeal.leadUnitID?.uuidString, dispatchedOn: appeal.dispatchedOn,
                           signedOn: appeal.signedOn, signBy: appeal.signBy, outcome: appeal.outcome,
                           satisfaction: appeal.satisfaction)
        }
    }

    static let counts = ["received", "dispatched", "signed_on_time", "closed", "resolved", "rated", "satisfied"]
    /// Sums as BIGINT: PostgreSQL sums a BIGINT column to NUMERIC.
    static let countColumns = counts.map { "CAST(SUM(\($0)) AS BIGINT) AS \($0)" }.joined(separator: ", ")

    /// The kept rows between two receipt days, per month, dimension and key: whole months from the monthly rows,
    /// the days of a month cut by either end summed from the daily rows.
    static func monthlyRows(from: CivilDate, to: CivilDate, on db: any Database) async throws -> [AppealStatRow] {
        try await refresh(on: db)
        guard let sql = db as? any SQLDatabase else { return [] }
        let (months, days) = AppealStatistics.split(from: from, to: to)
        var rows: [AppealStatRow] = []
        if let first = months.first, let last = months.last {
            rows += try await sql.raw("""
                SELECT month, dimension, key, \(unsafeRaw: counts.joined(separator: ", ")) FROM appeal_stats_monthly
                WHERE month >= \(bind: first.key) AND month <= \(bind: last.key)
                """).all().compactMap(row(from:))
        }
        for range in days {
            rows += try await sql.raw("""
                SELECT substr(day, 1, 7) AS month, dimension, key, \(unsafeRaw: countColumns) FROM appeal_stats
                WHERE day >= \(bind: range.lowerBound.iso) AND day <= \(bind: range.upperBound.iso)
                GROUP BY substr(day, 1, 7), dimension, key
                """).all().compactMap(row(from:))
        }
        return rows
    }

    private static func row(from row: any SQLRow) throws -> AppealStatRow? {
        guard let dimension = AppealStatDimension(rawValue: try row.decode(column: "dimension", as: String.self)) else { return nil }
        func count(_ column: String) throws -> Int { try row.decode(column: column, as: Int.self) }
        return AppealStatRow(period: try row.decode(column: "month", as: String.self), dimension: dimension,
                             key: try row.decode(column: "key", as: String.self),
                             counts: AppealStatCounts(received: try count("received"), dispatched: try count("dispatched"),
                                                      signedOnTime: try count("signed_on_time"), closed: try count("closed"),
                                                      resolved: try count("resolved"), rated: try count("rated"),
                                                      satisfied: try count("satisfied")))
    }
}
