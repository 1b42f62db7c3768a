import Fluent
import Foundation

/// A supervision order (督办单): opened by the office or by a rule, answered by the unit, closed by the office.
/// Other capabilities (appeals, evaluation) open orders through the same service with their own source.
final class SupervisionOrder: Model, @unchecked Sendable {
    static let schema = "supervision_orders"

    @ID(key: .id) var id: UUID?
    /// What the order is about: "task" for ledger tasks; later "appeal", "indicator".
    @Field(key: "source_type") var sourceType: String
    @Field(key: "source_id") var sourceID: UUID
    @Field(key: "source_title") var sourceTitle: String
    /// task_overdue / missed_reports / returned_reports / manual
    @Field(key: "trigger") var trigger: String
    /// reminder / supervision / listed
    @Field(key: "level") var level: String
    @Field(key: "reason") var reason: String
    @Field(key: "rectify_by") var rectifyBy: String
    @Field(key: "unit_ids") var unitIDs: [UUID]
    /// open / responded / closed
    @Field(key: "state") var state: String
    @OptionalField(key: "response") var response: String?
    @OptionalField(key: "responded_at") var respondedAt: Date?
    @OptionalField(key: "closing_note") var closingNote: String?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "opened_by") var openedBy: UUID?
    /// For automatic orders: the rule's idempotency key, so a rule never opens the same order twice.
    @OptionalField(key: "rule_key") var ruleKey: String?
    @Field(key: "opened_on") var openedOn: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
