import Fluent

/// 007: enterprise files (一企一档) with dated facts and tags, benefit policies as code, redemptions, and the link
/// from an enterprise user to the enterprise it speaks for.
struct M007_CreateEnterprises: AsyncMigration {
    var name: String { "007_create_enterprises" }

    func prepare(on db: any Database) async throws {
        try await db.schema(EnterpriseRecord.schema)
            .id()
            .field("credit_code", .string, .required)
            .field("name", .string, .required)
            .field("tags_recorded", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "credit_code")
            .create()
        try await db.schema(EnterpriseFactRecord.schema)
            .id()
            .field("enterprise_id", .uuid, .required, .references(EnterpriseRecord.schema, .id, onDelete: .cascade))
            .field("field", .string, .required)
            .field("value", .string, .required)
            .field("effective_on", .string, .required)
            .field("source", .string, .required)
            .field("recorded_by", .uuid)
            .field("recorded_at", .datetime)
            .create()
        try await db.schema(EnterpriseTagRecord.schema)
            .id()
            .field("enterprise_id", .uuid, .required, .references(EnterpriseRecord.schema, .id, onDelete: .cascade))
            .field("tag", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("recorded_at", .datetime)
            .create()
        try await db.schema(BenefitPolicyRecord.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("mode", .string, .required)
            .field("status", .string, .required)
            .field("source", .string, .required)
            .field("version", .int, .required)
            .field("published_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await db.schema(RedemptionRecord.schema)
            .id()
            .field("policy_id", .uuid, .required, .references(BenefitPolicyRecord.schema, .id, onDelete: .restrict))
            .field("enterprise_id", .uuid, .required, .references(EnterpriseRecord.schema, .id, onDelete: .restrict))
            .field("status", .string, .required)
            .field("amount_wan", .double)
            .field("reason", .string, .required)
            .field("applied_at", .datetime)
            .field("decided_at", .datetime)
            .field("paid_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "policy_id", "enterprise_id")
            .create()
        try await db.schema(User.schema)
            .field("enterprise_id", .uuid, .references(EnterpriseRecord.schema, .id, onDelete: .setNull))
            .update()
        try await MigrationIndexes.create([
            .init("enterprise_facts_enterprise", on: EnterpriseFactRecord.schema, "enterprise_id", "field"),
            .init("enterprise_tags_enterprise", on: EnterpriseTagRecord.schema, "enterprise_id"),
            .init("enterprises_name", on: EnterpriseRecord.schema, "name"),
            .init("redemptions_status", on: RedemptionRecord.schema, "status"),
        ], on: db)
    }

    func revert(on db: any Database) async throws {
        try await db.schema(User.schema).deleteField("enterprise_id").update()
        for schema in [RedemptionRecord.schema, BenefitPolicyRecord.schema, EnterpriseTagRecord.schema, EnterpriseFactRecord.schema,
                       EnterpriseRecord.schema] {
            try await db.schema(schema).delete()
        }
    }
}
