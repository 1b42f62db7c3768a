import Fluent
import SQLKit
import Vapor

/// Intake's batch inserts as plain SQL: Fluent's per-model reflection (property lists, timestamps) was the largest
/// CPU cost of group-committed intake. The values are bound exactly as Fluent binds them (same SQLKit encoders), so
/// the rows read back as ordinary models.
enum AppealIntakeRows {
    static func insert(appeals: [Appeal], events: [AppealEventRecord], audit: [AuditEntry], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw APIError.conflict("数据库不支持受理") }
        let now = Date()
        if !appeals.isEmpty {
            var insert = sql.insert(into: Appeal.schema).columns(
                "id", "number", "year", "sequence", "type", "category_id", "title", "content", "channel", "state",
                "enterprise_code", "enterprise_name", "contact_name", "contact_phone", "anonymous", "reported_unit_ids",
                "submitted_by", "received_on", "reply_by", "extension_days", "assisting_unit_ids", "idempotency_key",
                "client_address", "query_code", "case_json", "created_at", "updated_at")
            for a in appeals {
                a.createdAt = now
                a.updatedAt = now
                a.$id.exists = true   // saved from here on: a later `save` updates the row
                insert = insert.values(
                    SQLBind(a.id), SQLBind(a.number), SQLBind(a.year), SQLBind(a.sequence), SQLBind(a.type), SQLBind(a.$category.id),
                    SQLBind(a.title), SQLBind(a.content), SQLBind(a.channel), SQLBind(a.state), SQLBind(a.enterpriseCode),
                    SQLBind(a.enterpriseName), SQLBind(a.contactName), SQLBind(a.contactPhone), SQLBind(a.anonymous),
                    SQLBind(a.reportedUnitIDs), SQLBind(a.submittedBy), SQLBind(a.receivedOn), SQLBind(a.replyBy),
                    SQLBind(a.extensionDays), SQLBind(a.assistingUnitIDs), SQLBind(a.idempotencyKey), SQLBind(a.clientAddress),
                    SQLBind(a.queryCode), SQLBind(a.caseJSON), SQLBind(now), SQLBind(now))
            }
            try await insert.run()
        }
        if !events.isEmpty {
            var insert = sql.insert(into: AppealEventRecord.schema)
                .columns("id", "appeal_id", "kind", "actor", "unit_id", "text", "public", "created_at")
            for e in events {
                e.id = e.id ?? UUID()
                e.createdAt = now
                insert = insert.values(SQLBind(e.id), SQLBind(e.$appeal.id), SQLBind(e.kind), SQLBind(e.actor), SQLBind(e.unitID),
                                       SQLBind(e.text), SQLBind(e.isPublic), SQLBind(now))
            }
            try await insert.run()
        }
        if !audit.isEmpty {
            var insert = sql.insert(into: AuditEntry.schema).columns(
                "id", "sequence", "occurred_at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after",
                "previous_hash", "hash")
            for entry in audit {
                entry.id = entry.id ?? UUID()
                insert = insert.values(SQLBind(entry.id), SQLBind(entry.sequence), SQLBind(entry.occurredAt), SQLBind(entry.actorID),
                                       SQLBind(entry.actor), SQLBind(entry.action), SQLBind(entry.entityType), SQLBind(entry.entityID),
                                       SQLBind(entry.before), SQLBind(entry.after), SQLBind(entry.previousHash), SQLBind(entry.hash))
            }
            try await insert.run()
        }
    }
}
