import Fluent
import SQLKit
import Vapor
import YingshangCore

/// Hot topics (categories and terms rising month on month) need the titles of two months of appeals. Over all
/// appeals that is too much to read for every dashboard, so the report is kept per month and recomputed when it is
/// older than its maximum age (the current month 15 minutes, a past month a day); the scheduled job (every 10 minutes
/// by default) recomputes the current month, so dashboard views find it fresh.
enum AppealHotTopicsCache {
    static let table = "appeal_hot_topics"
    static let currentMonthMaxAge: TimeInterval = 15 * 60
    static let pastMonthMaxAge: TimeInterval = 24 * 60 * 60

    /// The report of `month` over every appeal, from the cache while it is younger than `maxAge` (by default the
    /// month's maximum age; 0 recomputes).
    static func report(month: ReportPeriod, categoryNames: [String: String], on db: any Database,
                       now: Date = Date(), maxAge: TimeInterval? = nil) async throws -> AppealHotTopicReport {
        guard let sql = db as? any SQLDatabase else { return try await compute(month: month, query: Appeal.query(on: db), categoryNames: categoryNames) }
        let maxAge = maxAge ?? (month == ReportPeriod(containing: Today.civil(now)) ? currentMonthMaxAge : pastMonthMaxAge)
        if let row = try await sql.raw("SELECT computed_at, report FROM appeal_hot_topics WHERE month = \(bind: month.key)").first(),
           try row.decode(column: "computed_at", as: Date.self) > now.addingTimeInterval(-maxAge),
           let cached = try? JSONDecoder().decode(AppealHotTopicReport.self, from: Data(try row.decode(column: "report", as: String.self).utf8)) {
            return cached
        }
        let report = try await compute(month: month, query: Appeal.query(on: db), categoryNames: categoryNames)
        let json = try AuditLog.snapshot(report)
        try await Transactions.run(on: db) { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await sql.raw("DELETE FROM appeal_hot_topics WHERE month = \(bind: month.key)").run()
            try await sql.raw("INSERT INTO appeal_hot_topics (month, computed_at, report) VALUES (\(bind: month.key), \(bind: now), \(bind: json))").run()
        }
        return report
    }

    /// The report of `month` over the appeals `query` selects (all of them, or a department's own).
    static func compute(month: ReportPeriod, query: QueryBuilder<Appeal>, categoryNames: [String: String]) async throws -> AppealHotTopicReport {
        let appeals = try await query.filter(\.$receivedOn >= month.previous.start.iso).filter(\.$receivedOn <= month.end.iso)
            .field(\.$id).field(\.$receivedOn).field(\.$category.$id).field(\.$title).all()
        let records = appeals.compactMap { appeal in
            CivilDate(iso: appeal.receivedOn).map {
                AppealTopicRecord(receivedOn: $0, category: appeal.$category.id?.uuidString ?? "", title: appeal.title)
            }
        }
        return AppealHotTopics.report(records, month: month, categoryNames: categoryNames.merging(["": "其他"]) { a, _ in a })
    }
}
