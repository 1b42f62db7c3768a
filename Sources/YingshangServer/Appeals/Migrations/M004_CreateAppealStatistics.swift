import Fluent
import SQLKit

/// 004: the kept appeals statistics and the marks of days to recompute (every existing day starts marked).
struct M004_CreateAppealStatistics: AsyncMigration {
    var name: String { "004_create_appeal_statistics" }

    func prepare(on db: any Database) async throws {
        try await db.schema(AppealStatisticsStore.table)
            .field("day", .string, .required)
            .field("dimension", .string, .required)
            .field("key", .string, .required)
            .field("received", .int, .required)
            .field("dispatched", .int, .required)
            .field("signed_on_time", .int, .required)
            .field("closed", .int, .required)
            .field("resolved", .int, .required)
            .field("rated", .int, .required)
            .field("satisfied", .int, .required)
            .unique(on: "day", "dimension", "key")
            .create()
        try await db.schema(AppealStatisticsStore.dirtyTable)
            .field("day", .string, .required)
            .unique(on: "day")
            .create()
        try await db.schema(AppealHotTopicsCache.table)
            .field("month", .string, .required)
            .field("computed_at", .datetime, .required)
            .field("report", .string, .required)
            .unique(on: "month")
            .create()
        try await MigrationIndexes.create([
            // The handling list, newest first: unfiltered, by state, by type.
            .init("idx_appeals_newest", on: Appeal.schema, "received_on", "sequence"),
            .init("idx_appeals_state_newest", on: Appeal.schema, "state", "received_on", "sequence"),
            .init("idx_appeals_type_newest", on: Appeal.schema, "type", "received_on", "sequence"),
        ], on: db)
        if let sql = db as? any SQLDatabase {
            try await sql.raw("INSERT INTO appeal_stats_dirty (day) SELECT DISTINCT received_on FROM appeals").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema(AppealHotTopicsCache.table).delete()
        try await db.schema(AppealStatisticsStore.dirtyTable).delete()
        try await db.schema(AppealStatisticsStore.table).delete()
    }
}
