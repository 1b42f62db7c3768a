import Fluent

/// 002: work plans, tasks and their units, progress reports, attachments, supervision orders,
/// bulletins, and the bookkeeping of scheduled jobs.
struct M002_CreateLedger: AsyncMigration {
    var name: String { "002_create_ledger" }

    func prepare(on db: any Database) async throws {
        try await db.schema(WorkPlan.schema)
            .id()
            .field("title", .string, .required)
            .field("year", .int)
            .field("issuer", .string)
            .field("state", .string, .required)
            .field("source_text", .string, .required)
            .field("source_name", .string)
            .field("document_index", .int, .required)
            .field("published_at", .datetime)
            .field("revision_of", .uuid, .references(WorkPlan.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()

        try await db.schema(PlanTask.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(WorkPlan.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("number", .string, .required)
            .field("path", .array(of: .string), .required)
            .field("title", .string, .required)
            .field("text", .string, .required)
            .field("lead_unit_names", .array(of: .string), .required)
            .field("co_unit_names", .array(of: .string), .required)
            .field("deadline_kind", .string, .required)
            .field("deadline_date", .string)
            .field("deadline_text", .string)
            .field("status", .string, .required)
            .field("completed_on", .string)
            .field("targets_json", .string, .required)
            .field("archived", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()

        try await db.schema(TaskUnit.schema)
            .id()
            .field("task_id", .uuid, .required, .references(PlanTask.schema, .id, onDelete: .cascade))
            .field("org_unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .restrict))
            .field("role", .string, .required)
            .unique(on: "task_id", "org_unit_id", "role")
            .create()

        try await db.schema(ProgressReport.schema)
            .id()
            .field("task_id", .uuid, .required, .references(PlanTask.schema, .id, onDelete: .cascade))
            .field("period_year", .int, .required)
            .field("period_month", .int, .required)
            .field("state", .string, .required)
            .field("progress_status", .string, .required)
            .field("summary", .string, .required)
            .field("percent", .int, .required)
            .field("submitted_by", .uuid)
            .field("first_submitted_on", .string)
            .field("submitted_at", .datetime)
            .field("review_comment", .string)
            .field("reviewed_by", .uuid)
            .field("reviewed_at", .datetime)
            .field("returned_count", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "task_id", "period_year", "period_month")
            .create()

        try await db.schema(ReportContribution.schema)
            .id()
            .field("report_id", .uuid, .required, .references(ProgressReport.schema, .id, onDelete: .cascade))
            .field("org_unit_id", .uuid, .required, .references(OrgUnit.schema, .id, onDelete: .restrict))
            .field("text", .string, .required)
            .field("author_id", .uuid, .required)
            .field("created_at", .datetime)
            .create()

        try await db.schema(Attachment.schema)
            .id()
            .field("owner_type", .string, .required)
            .field("owner_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("stored_path", .string, .required)
            .field("uploaded_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()

        try await db.schema(SupervisionOrder.schema)
            .id()
            .field("source_type", .string, .required)
            .field("source_id", .uuid, .required)
            .field("source_title", .string, .required)
            .field("trigger", .string, .required)
            .field("level", .string, .required)
            .field("reason", .string, .required)
            .field("rectify_by", .string, .required)
            .field("unit_ids", .array(of: .uuid), .required)
            .field("state", .string, .required)
            .field("response", .string)
            .field("responded_at", .datetime)
            .field("closing_note", .string)
            .field("closed_at", .datetime)
            .field("opened_by", .uuid)
            .field("rule_key", .string)
            .field("opened_on", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "rule_key")
            .create()

        try await db.schema(Bulletin.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(WorkPlan.schema, .id, onDelete: .cascade))
            .field("period_kind", .string, .required)
            .field("period_year", .int, .required)
            .field("period_number", .int, .required)
            .field("state", .string, .required)
            .field("good_notes", .string, .required)
            .field("bad_notes", .string, .required)
            .field("snapshot_json", .string)
            .field("published_at", .datetime)
            .field("published_by", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "plan_id", "period_kind", "period_year", "period_number")
            .create()

        try await db.schema(JobRun.schema)
            .id()
            .field("job", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("outcome", .string, .required)
            .field("message", .string, .required)
            .field("host", .string, .required)
            .create()

        try await db.schema(JobLease.schema)
            .field("job", .string, .identifier(auto: false))
            .field("holder", .string, .required)
            .field("expires_at", .datetime, .required)
            .create()

        try await db.schema(SentReminder.schema)
            .field("key", .string, .identifier(auto: false))
            .field("sent_at", .datetime, .required)
            .create()

        try await MigrationIndexes.create([
            .init("idx_plan_tasks_plan", on: PlanTask.schema, "plan_id", "position"),
            .init("idx_plan_tasks_status", on: PlanTask.schema, "status", "deadline_date"),
            .init("idx_task_units_unit", on: TaskUnit.schema, "org_unit_id", "role"),
            .init("idx_reports_period", on: ProgressReport.schema, "period_year", "period_month", "state"),
            .init("idx_attachments_owner", on: Attachment.schema, "owner_type", "owner_id"),
            .init("idx_supervision_source", on: SupervisionOrder.schema, "source_type", "source_id"),
            .init("idx_supervision_state", on: SupervisionOrder.schema, "state", "opened_on"),
            .init("idx_job_runs_job", on: JobRun.schema, "job", "started_at"),
        ], on: db)
    }

    func revert(on db: any Database) async throws {
        for schema in [SentReminder.schema, JobLease.schema, JobRun.schema, Bulletin.schema, SupervisionOrder.schema,
                       Attachment.schema, ReportContribution.schema, ProgressReport.schema, TaskUnit.schema,
                       PlanTask.schema, WorkPlan.schema] {
            try await db.schema(schema).delete()
        }
    }
}
