import Fluent

/// 001: org units, users, API tokens, the audit log, inboxes, login attempts, holidays, settings.
struct M001_CreatePlatform: AsyncMigration {
    var name: String { "001_create_platform" }

    func prepare(on db: any Database) async throws {
        try await db.schema(OrgUnit.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("short_name", .string)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references(OrgUnit.schema, .id, onDelete: .restrict))
            .field("aliases", .array(of: .string), .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()

        try await db.schema(User.schema)
            .id()
            .field("login", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("org_unit_id", .uuid, .references(OrgUnit.schema, .id, onDelete: .restrict))
            .field("phone", .string)
            .field("email", .string)
            .field("password_hash", .string, .required)
            .field("must_change_password", .bool, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "login")
            .create()

        try await db.schema(APIToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()

        try await db.schema(AuditEntry.schema)
            .id()
            .field("sequence", .int64, .required)
            .field("occurred_at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence")
            .create()

        try await db.schema(InboxMessage.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string)
            .field("created_at", .datetime)
            .field("read_at", .datetime)
            .create()

        try await db.schema(LoginAttempt.schema)
            .id()
            .field("login", .string, .required)
            .field("address", .string, .required)
            .field("succeeded", .bool, .required)
            .field("attempted_at", .datetime, .required)
            .create()

        try await db.schema(HolidayYearRecord.schema)
            .id()
            .field("year", .int, .required)
            .field("notice", .string)
            .field("off_days", .array(of: .string), .required)
            .field("work_days", .array(of: .string), .required)
            .field("updated_at", .datetime)
            .unique(on: "year")
            .create()

        try await db.schema(PlatformSetting.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()

        try await MigrationIndexes.create([
            .init("idx_org_units_parent", on: OrgUnit.schema, "parent_id"),
            .init("idx_users_org_unit", on: User.schema, "org_unit_id"),
            .init("idx_audit_entity", on: AuditEntry.schema, "entity_type", "entity_id"),
            .init("idx_audit_actor", on: AuditEntry.schema, "actor_id", "occurred_at"),
            .init("idx_audit_occurred", on: AuditEntry.schema, "occurred_at"),
            .init("idx_inbox_user", on: InboxMessage.schema, "user_id", "read_at"),
            .init("idx_login_attempts_login", on: LoginAttempt.schema, "login", "attempted_at"),
            .init("idx_login_attempts_address", on: LoginAttempt.schema, "address", "attempted_at"),
        ], on: db)
    }

    func revert(on db: any Database) async throws {
        for schema in [PlatformSetting.schema, HolidayYearRecord.schema, LoginAttempt.schema, InboxMessage.schema,
                       AuditEntry.schema, APIToken.schema, User.schema, OrgUnit.schema] {
            try await db.schema(schema).delete()
        }
    }
}
