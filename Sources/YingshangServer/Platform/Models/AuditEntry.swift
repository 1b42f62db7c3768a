import Fluent
import Foundation
import YingshangCore

/// A row of the append-only audit log (操作日志); see ``AuditChain`` for the hash chain.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    init(record: AuditRecord, actorID: UUID?) {
        sequence = record.sequence
        occurredAt = record.occurredAt
        self.actorID = actorID
        actor = record.actor
        action = record.action
        entityType = record.entityType
        entityID = record.entityID
        before = record.before
        after = record.after
        previousHash = record.previousHash
        hash = record.hash
    }

    var record: AuditRecord {
        AuditRecord(sequence: sequence, occurredAt: occurredAt, actor: actor, action: action,
                    entityType: entityType, entityID: entityID, before: before, after: after,
                    previousHash: previousHash, hash: hash)
    }
}
