import Fluent
import Foundation
import YingshangCore

/// 003: appeals, their categories (the dispatch catalogue) and their events.
struct M003_CreateAppeals: AsyncMigration {
    var name: String { "003_create_appeals" }

    func prepare(on db: any Database) async throws {
        try await db.schema(AppealCategory.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("unit_ids", .array(of: .uuid), .required)
            .field("position", .int, .required)
            .field("active", .bool, .required)
            .unique(on: "code")
            .create()

        try await db.schema(Appeal.schema)
            .id()
            .field("number", .string, .required)
            .field("year", .int, .required)
            .field("sequence", .int, .required)
            .field("type", .string, .required)
            .field("category_id", .uuid, .references(AppealCategory.schema, .id, onDelete: .restrict))
            .field("title", .string, .required)
            .field("content", .string, .required)
            .field("channel", .string, .required)
            .field("state", .string, .required)
            .field("enterprise_code", .string)
            .field("enterprise_name", .string)
            .field("contact_name", .string)
            .field("contact_phone", .string)
            .field("anonymous", .bool, .required)
            .field("reported_unit_ids", .array(of: .uuid), .required)
            .field("submitted_by", .uuid)
            .field("received_on", .string, .required)
            .field("dispatched_on", .string)
            .field("sign_by", .string)
            .field("reply_by", .string)
            .field("extension_days", .int, .required)
            .field("lead_unit_id", .uuid)
            .field("assisting_unit_ids", .array(of: .uuid), .required)
            .field("signed_on", .string)
            .field("reply_text", .string)
            .field("answered_at", .datetime)
            .field("satisfaction", .string)
            .field("rating_comment", .string)
            .field("outcome", .string)
            .field("closed_at", .datetime)
            .field("merged_into", .string)
            .field("idempotency_key", .string)
            .field("query_code", .string, .required)
            .field("case_json", .string, .required)
            .field("client_address", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "number")
            .unique(on: "year", "sequence")
            .unique(on: "idempotency_key")
            .create()

        try await db.schema(AppealNumbering.schema)
            .field("year", .int, .identifier(auto: false))
            .field("last_sequence", .int, .required)
            .create()

        try await db.schema(AppealUnit.schema)
            .id()
            .field("appeal_id", .uuid, .required, .references(Appeal.schema, .id, onDelete: .cascade))
            .field("org_unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .restrict))
            .field("role", .string, .required)
            .create()

        try await db.schema(AppealEventRecord.schema)
            .id()
            .field("appeal_id", .uuid, .required, .references(Appeal.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("actor", .string, .required)
            .field("unit_id", .uuid)
            .field("text", .string, .required)
            .field("public", .bool, .required)
            .field("created_at", .datetime)
            .create()

        try await MigrationIndexes.create([
            .init("idx_appeals_state", on: Appeal.schema, "state", "reply_by"),
            .init("idx_appeals_lead_unit", on: Appeal.schema, "lead_unit_id", "state"),
            .init("idx_appeals_received", on: Appeal.schema, "received_on"),
            .init("idx_appeals_enterprise", on: Appeal.schema, "enterprise_code"),
            .init("idx_appeals_category", on: Appeal.schema, "category_id", "received_on"),
            .init("idx_appeals_client", on: Appeal.schema, "client_address", "created_at"),
            .init("idx_appeal_events_appeal", on: AppealEventRecord.schema, "appeal_id", "created_at"),
            .init("idx_appeal_units_unit", on: AppealUnit.schema, "org_unit_id", "appeal_id"),
        ], on: db)
        try await seedCategories(on: db)
    }

    /// The default catalogue: the 18 national first-level indicator areas and 其他; units are assigned by the office.
    func seedCategories(on db: any Database) async throws {
        for (position, name) in (BusinessEnvironmentIndicators.firstLevel + ["其他"]).enumerated() {
            let category = AppealCategory()
            category.code = String(format: "C%02d", position + 1)
            category.name = name
            category.unitIDs = []
            category.position = position
            category.active = true
            try await category.create(on: db)
        }
    }

    func revert(on db: any Database) async throws {
        for schema in [AppealEventRecord.schema, AppealUnit.schema, Appeal.schema, AppealCategory.schema, AppealNumbering.schema] {
            try await db.schema(schema).delete()
        }
    }
}
