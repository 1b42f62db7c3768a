import Fluent
import Foundation

/// A bulletin (通报) for a plan and a month or quarter; published bulletins are frozen snapshots.
final class Bulletin: Model, @unchecked Sendable {
    static let schema = "bulletins"

    @ID(key: .id) var id: UUID?
    @Parent(key: "plan_id") var plan: WorkPlan
    /// month / quarter
    @Field(key: "period_kind") var periodKind: String
    @Field(key: "period_year") var periodYear: Int
    @Field(key: "period_number") var periodNumber: Int
    /// draft / published
    @Field(key: "state") var state: String
    @Field(key: "good_notes") var goodNotes: String
    @Field(key: "bad_notes") var badNotes: String
    /// The figures, frozen at publication (JSON of the core's BulletinFacts).
    @OptionalField(key: "snapshot_json") var snapshotJSON: String?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "published_by") var publishedBy: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
