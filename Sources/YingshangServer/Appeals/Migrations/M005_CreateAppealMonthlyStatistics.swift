import Fluent
import SQLKit

/// 005: the kept statistics summed per month, so a year's dashboard reads twelve months' rows instead of 365 days'
/// (on PostgreSQL the daily rows of a year no longer fit the default sort memory). Every existing month starts marked.
struct M005_CreateAppealMonthlyStatistics: AsyncMigration {
    var name: String { "005_create_appeal_monthly_statistics" }

    func prepare(on db: any Database) async throws {
        var schema = db.schema(AppealStatisticsStore.monthlyTable)
            .field("month", .string, .required)
            .field("dimension", .string, .required)
            .field("key", .string, .required)
        for count in AppealStatisticsStore.counts { schema = schema.field(.string(count), .int, .required) }
        try await schema.unique(on: "month", "dimension", "key").create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("INSERT INTO appeal_stats_dirty (day) SELECT DISTINCT substr(day, 1, 7) FROM appeal_stats WHERE true ON CONFLICT (day) DO NOTHING").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema(AppealStatisticsStore.monthlyTable).delete()
    }
}
