import Fluent
import Foundation

/// A work plan (工作计划): one work-point document turned into tasks.
final class WorkPlan: Model, @unchecked Sendable {
    static let schema = "work_plans"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @OptionalField(key: "year") var year: Int?
    @OptionalField(key: "issuer") var issuer: String?
    /// draft (being reviewed after import) or published (tasks are live).
    @Field(key: "state") var state: String
    /// The text the tasks were read from, shown beside them during review.
    @Field(key: "source_text") var sourceText: String
    @OptionalField(key: "source_name") var sourceName: String?
    /// Which document of the source file this plan is (a compilation holds several).
    @Field(key: "document_index") var documentIndex: Int
    @OptionalField(key: "published_at") var publishedAt: Date?
    /// For a re-imported document awaiting confirmation: the published plan it would update.
    @OptionalParent(key: "revision_of") var revisionOf: WorkPlan?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Children(for: \.$plan) var tasks: [PlanTask]

    init() {}

    var isPublished: Bool { state == PlanState.published.rawValue }
}

/// The life of a plan: reviewed as a draft after import, then published (tasks go live).
enum PlanState: String, Codable, Sendable {
    case draft, published

    var label: String { self == .draft ? "待审核" : "已发布" }
}
