import Fluent
import Vapor
import YingshangCore

/// Monthly progress reports: the lead unit files and revises, co-units contribute, the office reviews.
struct ReportService {
    let db: any Database
    let actor: Principal
    let app: Application

    struct Filing: Content {
        var progressStatus: String?
        var summary: String?
        var percent: Int?
        var files: [File]?

        enum CodingKeys: String, CodingKey {
            case summary, percent, files
            case progressStatus = "progress_status"
        }
    }

    /// Files (or re-files after a return) the report of `period`; attachments are checked before anything is written.
    func submit(task: PlanTask, period: ReportPeriod, filing: Filing, today: CivilDate) async throws -> ProgressReport {
        var errors: [String: String] = [:]
        guard let progress = filing.progressStatus.flatMap(ProgressStatus.init(rawValue:)) else {
            throw APIError.validation(["progress_status": "请选择进展状态：按计划推进 / 滞后 / 已完成"])
        }
        let summary = filing.summary ?? ""
        let percent = filing.percent ?? -1
        let problems = ReportReviewRules.validate(progress: progress, workDone: summary, percentComplete: percent)
        if !problems.isEmpty { errors["summary"] = problems.joined(separator: "；") }
        let files = (filing.files ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
        if let problem = files.lazy.compactMap(AttachmentStore.problem).first { errors["files"] = problem }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let taskID = try task.requireID()
        let existing = try await ProgressReport.query(on: db).filter(\.$task.$id == taskID)
            .filter(\.$periodYear == period.year).filter(\.$periodMonth == period.month).first()
        let state = existing.flatMap { ReportState(rawValue: $0.state) } ?? .draft
        if case .failure(let refusal) = ReportReviewRules.apply(.submit, to: state) {
            throw APIError.conflict(refusal.reason)
        }
        let store = AttachmentStore(app: app)
        let actor = actor
        let reportID = existing?.id ?? UUID()
        var stored: [Attachment] = []
        for file in files { stored.append(try await store.store(file, ownerType: "report", ownerID: reportID, uploader: actor.userID)) }
        let attachments = stored
        do {
            return try await Transactions.run(on: db) { tx in
                let report = try await ProgressReport.find(reportID, on: tx) ?? ProgressReport()
                let isNew = report.id == nil
                report.id = reportID
                report.$task.id = taskID
                report.periodYear = period.year
                report.periodMonth = period.month
                report.state = ReportState.submitted.rawValue
                report.progressStatus = progress.rawValue
                report.summary = summary.trimmingCharacters(in: .whitespacesAndNewlines)
                report.percent = percent
                report.submittedBy = actor.userID
                report.submittedAt = Date()
                report.firstSubmittedOn = report.firstSubmittedOn ?? today.iso
                if isNew { report.returnedCount = 0; try await report.create(on: tx) } else { try await report.save(on: tx) }
                for attachment in attachments { try await attachment.create(on: tx) }
                // The task moves with its reports: started on the first, done when the unit reports it done
                // (the office can still reopen it).
                if let task = try await PlanTask.find(taskID, on: tx), !task.taskStatus.isDone || progress == .done {
                    let before = task.status
                    if progress == .done {
                        task.status = TaskStatus.completed.rawValue
                        task.completedOn = task.completedOn ?? today.iso
                    } else if task.taskStatus == .notStarted {
                        task.status = TaskStatus.inProgress.rawValue
                    }
                    if task.status != before { try await task.save(on: tx) }
                }
                try await AuditLog.record(on: tx, actor: actor, action: .submit, entityType: "progress_report",
                                          entityID: reportID.uuidString, before: nil,
                                          after: ["period": period.key, "status": progress.label, "percent": String(percent),
                                                  "summary": report.summary, "attachments": attachments.map(\.fileName).joined(separator: "、")])
                return report
            }
        } catch {
            for attachment in attachments { store.remove(attachment) }
            throw error
        }
    }

    /// The office accepts a submitted report or returns it with a comment; the lead unit is notified.
    func review(_ report: ProgressReport, accept: Bool, comment: String?) async throws {
        let state = ReportState(rawValue: report.state) ?? .draft
        switch ReportReviewRules.apply(accept ? .accept : .return, to: state, comment: comment) {
        case .failure(let refusal): throw APIError.validation(["comment": refusal.reason], message: refusal.reason)
        case .success(let next):
            let id = try report.requireID()
            let actor = actor
            let taskID = report.$task.id
            try await Transactions.run(on: db) { tx in
                guard let fresh = try await ProgressReport.find(id, on: tx) else { throw APIError.notFound }
                fresh.state = next.rawValue
                fresh.reviewComment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
                fresh.reviewedBy = actor.userID
                fresh.reviewedAt = Date()
                if next == .returned { fresh.returnedCount += 1 }
                try await fresh.save(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: accept ? .accept : .return, entityType: "progress_report",
                                          entityID: id.uuidString, before: ["state": state.rawValue],
                                          after: ["state": next.rawValue, "comment": fresh.reviewComment ?? ""])
                let task = try await PlanTask.find(taskID, on: tx)
                let period = "\(fresh.periodYear)年\(fresh.periodMonth)月"
                for link in try await TaskUnit.query(on: tx).filter(\.$task.$id == taskID).filter(\.$role == TaskUnitRole.lead.rawValue).all() {
                    try await Notifier(db: tx).notify(
                        orgUnitID: link.$orgUnit.id,
                        title: accept ? "进展报告已通过" : "进展报告被退回，请修改后重新报送",
                        body: "任务 \(task.map { "\($0.number) \($0.title)" } ?? "") 的 \(period) 报告\(accept ? "已审核通过" : "被退回：\(fresh.reviewComment ?? "")")",
                        link: "/ledger/tasks/\(taskID)")
                }
            }
        }
    }

    func contribute(to report: ProgressReport, unitID: UUID, text: String) async throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw APIError.validation(["text": "请填写配合工作情况"]) }
        guard report.state != ReportState.accepted.rawValue else { throw APIError.conflict("报告已审核通过，不能再补充") }
        let actor = actor
        let reportID = try report.requireID()
        try await Transactions.run(on: db) { tx in
            let contribution = ReportContribution()
            contribution.$report.id = reportID
            contribution.$orgUnit.id = unitID
            contribution.text = text
            contribution.authorID = actor.userID
            try await contribution.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "report_contribution",
                                      entityID: try contribution.requireID().uuidString, before: nil, after: ["text": text])
        }
    }
}

extension ReportingRules {
    /// The period a unit is reporting for today: last month's until its due date has passed, then this month's.
    static func currentPeriod(today: CivilDate, policy: ReportingPolicy, calendar: WorkingCalendar) -> ReportPeriod {
        let thisMonth = ReportPeriod(containing: today)
        let previous = thisMonth.previous
        return today <= dueDate(for: previous, policy: policy, calendar: calendar) ? previous : thisMonth
    }
}
