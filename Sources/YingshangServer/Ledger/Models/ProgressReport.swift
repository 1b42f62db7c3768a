import Fluent
import Foundation

/// A monthly progress report (进展报告) of a task, filed by its lead unit and reviewed by the office.
final class ProgressReport: Model, @unchecked Sendable {
    static let schema = "progress_reports"

    @ID(key: .id) var id: UUID?
    @Parent(key: "task_id") var task: PlanTask
    @Field(key: "period_year") var periodYear: Int
    @Field(key: "period_month") var periodMonth: Int
    /// draft / submitted / returned / accepted
    @Field(key: "state") var state: String
    /// on_track / behind / done
    @Field(key: "progress_status") var progressStatus: String
    @Field(key: "summary") var summary: String
    @Field(key: "percent") var percent: Int
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    /// The civil date of the first submission (what lateness is judged on).
    @OptionalField(key: "first_submitted_on") var firstSubmittedOn: String?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "review_comment") var reviewComment: String?
    @OptionalField(key: "reviewed_by") var reviewedBy: UUID?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @Field(key: "returned_count") var returnedCount: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A co-unit's contribution to a lead unit's report (配合单位补充).
final class ReportContribution: Model, @unchecked Sendable {
    static let schema = "report_contributions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "report_id") var report: ProgressReport
    @Parent(key: "org_unit_id") var orgUnit: OrgUnit
    @Field(key: "text") var text: String
    @Field(key: "author_id") var authorID: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A file attached to a task or a report (evidence), stored under the data directory.
final class Attachment: Model, @unchecked Sendable {
    static let schema = "attachments"

    @ID(key: .id) var id: UUID?
    /// task / report
    @Field(key: "owner_type") var ownerType: String
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    /// Relative to the data directory.
    @Field(key: "stored_path") var storedPath: String
    @Field(key: "uploaded_by") var uploadedBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
