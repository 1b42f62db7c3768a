import Fluent
import Foundation

/// A task of a work plan (工作任务), with its deadline and status.
final class PlanTask: Model, @unchecked Sendable {
    static let schema = "plan_tasks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "plan_id") var plan: WorkPlan
    /// Order within the plan.
    @Field(key: "position") var position: Int
    @Field(key: "number") var number: String
    @Field(key: "path") var path: [String]
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    /// Unit names as the document wrote them, in order; resolved links are in ``TaskUnit``.
    @Field(key: "lead_unit_names") var leadUnitNames: [String]
    @Field(key: "co_unit_names") var coUnitNames: [String]
    /// date / ongoing / none
    @Field(key: "deadline_kind") var deadlineKind: String
    @OptionalField(key: "deadline_date") var deadlineDate: String?
    @OptionalField(key: "deadline_text") var deadlineText: String?
    @Field(key: "status") var status: String
    @OptionalField(key: "completed_on") var completedOn: String?
    /// The quantitative targets found in the text, as JSON.
    @Field(key: "targets_json") var targetsJSON: String
    @Field(key: "archived") var archived: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Children(for: \.$task) var units: [TaskUnit]

    init() {}
}

/// A unit's part in a task: lead (牵头) or co-unit (配合).
final class TaskUnit: Model, @unchecked Sendable {
    static let schema = "task_units"

    @ID(key: .id) var id: UUID?
    @Parent(key: "task_id") var task: PlanTask
    @Parent(key: "org_unit_id") var orgUnit: OrgUnit
    /// lead or co
    @Field(key: "role") var role: String

    init() {}

    init(taskID: UUID, orgUnitID: UUID, role: String) {
        self.$task.id = taskID
        self.$orgUnit.id = orgUnitID
        self.role = role
    }
}
