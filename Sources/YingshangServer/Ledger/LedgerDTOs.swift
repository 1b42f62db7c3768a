import Vapor
import YingshangCore

/// A work plan as the JSON API shows it.
struct PlanDTO: Content {
    var id: UUID
    var title: String
    var year: Int?
    var issuer: String?
    var state: String
    var revisionOf: UUID?
    var publishedAt: Date?
    enum CodingKeys: String, CodingKey {
        case id, title, year, issuer, state
        case revisionOf = "revision_of", publishedAt = "published_at"
    }
    init(_ plan: WorkPlan) throws {
        id = try plan.requireID(); title = plan.title; year = plan.year; issuer = plan.issuer; state = plan.state
        revisionOf = plan.$revisionOf.id; publishedAt = plan.publishedAt
    }
}

/// A task as the JSON API shows it.
struct TaskDTO: Content {
    var id: UUID
    var planID: UUID
    var number: String
    var path: [String]
    var title: String
    var text: String
    var leadUnits: [String]
    var coUnits: [String]
    var deadline: TaskDeadline
    var deadlineText: String?
    var status: TaskStatus
    var completedOn: String?
    var archived: Bool
    enum CodingKeys: String, CodingKey {
        case id, number, path, title, text, deadline, status, archived
        case planID = "plan_id", leadUnits = "lead_units", coUnits = "co_units", deadlineText = "deadline_text", completedOn = "completed_on"
    }
    init(_ task: PlanTask) throws {
        id = try task.requireID(); planID = task.$plan.id; number = task.number; path = task.path; title = task.title; text = task.text
        leadUnits = task.leadUnitNames; coUnits = task.coUnitNames; deadline = task.deadline; deadlineText = task.deadlineText
        status = task.taskStatus; completedOn = task.completedOn; archived = task.archived
    }
}

/// A progress report as the JSON API shows it.
struct ReportDTO: Content {
    var id: UUID
    var taskID: UUID
    var period: String
    var state: String
    var progressStatus: String
    var summary: String
    var percent: Int
    var firstSubmittedOn: String?
    var reviewComment: String?
    var returnedCount: Int
    enum CodingKeys: String, CodingKey {
        case id, period, state, summary, percent
        case taskID = "task_id", progressStatus = "progress_status", firstSubmittedOn = "first_submitted_on"
        case reviewComment = "review_comment", returnedCount = "returned_count"
    }
    init(_ report: ProgressReport) throws {
        id = try report.requireID(); taskID = report.$task.id
        period = String(format: "%04d-%02d", report.periodYear, report.periodMonth); state = report.state
        progressStatus = report.progressStatus; summary = report.summary; percent = report.percent
        firstSubmittedOn = report.firstSubmittedOn; reviewComment = report.reviewComment; returnedCount = report.returnedCount
    }
}

/// A supervision order as the JSON API shows it.
struct SupervisionOrderDTO: Content {
    var id: UUID
    var sourceType: String
    var sourceID: UUID
    var sourceTitle: String
    var trigger: String
    var level: String
    var reason: String
    var rectifyBy: String
    var unitIDs: [UUID]
    var state: String
    var response: String?
    var openedOn: String
    enum CodingKeys: String, CodingKey {
        case id, trigger, level, reason, state, response
        case sourceType = "source_type", sourceID = "source_id", sourceTitle = "source_title", rectifyBy = "rectify_by"
        case unitIDs = "unit_ids", openedOn = "opened_on"
    }
    init(_ order: SupervisionOrder) throws {
        id = try order.requireID(); sourceType = order.sourceType; sourceID = order.sourceID; sourceTitle = order.sourceTitle
        trigger = order.trigger; level = order.level; reason = order.reason; rectifyBy = order.rectifyBy; unitIDs = order.unitIDs
        state = order.state; response = order.response; openedOn = order.openedOn
    }
}

extension UnitAssessment: Content {}
