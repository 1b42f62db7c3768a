import Fluent
import Vapor
import YingshangCore

/// The task list (filter, export), a task's page with its timeline, and the office's status changes.
struct TaskPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let ledger = routes.grouped("ledger")
        ledger.get("tasks", use: index)
        ledger.get("tasks", "export.xlsx", use: exportXLSX)
        ledger.get("tasks", "export.csv", use: exportCSV)
        ledger.get("tasks", ":id", use: show)
        ledger.post("tasks", ":id", "status", use: changeStatus)
        ledger.get("attachments", ":id", use: download)
    }

    struct Row: Encodable {
        let id: String, number: String, title: String, leadUnits: String, coUnits: String, deadline: String
        let status: String, statusLabel: String, progress: String
    }

    struct IndexView: Encodable {
        let rows: [Row]
        let plans: [FormOption]
        let statuses: [FormOption]
        let units: [FormOption]
        let q: String, overdue: Bool, deadlineFrom: String, deadlineTo: String
        let pager: Pager
        let exportQuery: String
    }

    func rows(_ tasks: [PlanTask], req: Request) async throws -> [Row] {
        let reports = try await TaskQueries(request: req).latestReports(for: tasks)
        return tasks.map { task in
            let report = task.id.flatMap { reports[$0] }
            return Row(id: task.id?.uuidString ?? "", number: task.number, title: task.title,
                       leadUnits: task.leadUnitNames.joined(separator: "、"), coUnits: task.coUnitNames.joined(separator: "、"),
                       deadline: task.deadlineLabel, status: task.status, statusLabel: task.taskStatus.label,
                       progress: report.map { "\($0.periodYear)年\($0.periodMonth)月：\($0.summary)（\($0.percent)%）" } ?? "")
        }
    }

    func index(req: Request) async throws -> View {
        let filter = try TaskQueries.Filter(from: req)
        let page = try PageRequest(from: req)
        let (tasks, total) = try await TaskQueries(request: req).query(filter).page(page)
        let plans = try await WorkPlan.query(on: req.db).filter(\.$state == PlanState.published.rawValue).sort(\.$title).all()
        return try await req.page("ledger/tasks", title: "任务列表", IndexView(
            rows: try await rows(tasks, req: req),
            plans: [FormOption(value: "", label: "全部计划", selected: filter.planID == nil)]
                + plans.map { FormOption(value: $0.id?.uuidString ?? "", label: $0.title, selected: $0.id == filter.planID) },
            statuses: [FormOption(value: "", label: "全部状态", selected: filter.status == nil)]
                + TaskStatus.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == filter.status) },
            units: [FormOption(value: "", label: "全部单位", selected: filter.unitID == nil)]
                + (try await OrgUnitQueries(request: req).options(selected: filter.unitID)),
            q: filter.text ?? "", overdue: filter.overdueOnly, deadlineFrom: filter.deadlineFrom?.iso ?? "",
            deadlineTo: filter.deadlineTo?.iso ?? "", pager: Pager(page: page, total: total, query: filter.queryString),
            exportQuery: filter.queryString))
    }

    static let exportHeader = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况", "状态"]

    func exportRows(_ req: Request) async throws -> [Row] {
        let tasks = try await TaskQueries(request: req).query(try TaskQueries.Filter(from: req)).limit(50_000).all()
        return try await rows(tasks, req: req)
    }

    func exportXLSX(req: Request) async throws -> Response {
        var workbook = XLSXWorkbook()
        let rows = try await exportRows(req)
        workbook.addSheet(name: "工作台账", rows: [Self.exportHeader.map(XLSXCell.text)] + rows.map { row in
            [.text(row.number), .text("\(row.title)"), .text(row.leadUnits), .text(row.coUnits), .text(row.deadline),
             .text(row.progress), .text(row.statusLabel)]
        }, columnWidths: [8, 40, 30, 30, 14, 50, 10])
        return try .xlsx(workbook, filename: "工作台账.xlsx")
    }

    func exportCSV(req: Request) async throws -> Response {
        let rows = try await exportRows(req)
        return .csv([Self.exportHeader] + rows.map { [$0.number, $0.title, $0.leadUnits, $0.coUnits, $0.deadline, $0.progress, $0.statusLabel] },
                    filename: "工作台账.csv")
    }

    // MARK: One task

    struct Event: Encodable {
        let at: String, kind: String, title: String, body: String
        let attachments: [FileLink]
        let sortKey: String
    }
    struct FileLink: Encodable { let id: String, name: String, size: String }
    struct ShowView: Encodable {
        let id: String, planID: String, planTitle: String, number: String, path: String, title: String, text: String
        let leadUnits: [String], coUnits: [String], deadline: String, status: String, statusLabel: String
        let targets: [String]
        let events: [Event]
        let isOffice: Bool
        let canReport: Bool
        let canContribute: Bool
        let period: String, periodLabel: String
        let currentReport: ReportSummary?
        let statusOptions: [FormOption]
        let levels: [FormOption]
        let rectifyBy: String
        /// For a rectification task (整改任务): the evaluation result it was opened for.
        let evaluation: EvaluationOrigin?
    }
    struct EvaluationOrigin: Encodable { let title, reason, href: String }
    struct ReportSummary: Encodable { let id: String, state: String, stateLabel: String, comment: String? }

    func show(req: Request) async throws -> View {
        let access = LedgerAccess(request: req)
        let principal = try access.reader()
        let task = try await access.task(req.parameters.get("id", as: UUID.self))
        let taskID = try task.requireID()
        guard let plan = try await WorkPlan.find(task.$plan.id, on: req.db) else { throw APIError.notFound }
        let settings = try await LedgerSettings.load(on: req.db)
        let calendar = try await CalendarService(db: req.db).calendar()
        let today = Today.civil()
        let period = ReportingRules.currentPeriod(today: today, policy: settings.reporting, calendar: calendar)
        let reports = try await ProgressReport.query(on: req.db).filter(\.$task.$id == taskID).all()
        let reportIDs = reports.compactMap(\.id)
        let files = reportIDs.isEmpty ? [] : try await Attachment.query(on: req.db).filter(\.$ownerID ~~ reportIDs).all()
        let contributions = reportIDs.isEmpty ? [] : try await ReportContribution.query(on: req.db).filter(\.$report.$id ~~ reportIDs).with(\.$orgUnit).all()
        let orders = try await SupervisionOrder.query(on: req.db).filter(\.$sourceType == "task").filter(\.$sourceID == taskID).all()
        let changes = try await AuditEntry.query(on: req.db).filter(\.$entityType == "plan_task").filter(\.$entityID == taskID.uuidString).all()
        // Reviews are kept in the audit log, so every return and its comment stays in the timeline.
        let reviews = reportIDs.isEmpty ? [] : try await AuditEntry.query(on: req.db).filter(\.$entityType == "progress_report")
            .filter(\.$entityID ~~ reportIDs.map(\.uuidString)).filter(\.$action ~~ ["return", "accept"]).all()
        var events: [Event] = []
        for report in reports {
            let state = ReportState(rawValue: report.state) ?? .draft
            let attachments = files.filter { $0.ownerID == report.id }.map {
                FileLink(id: $0.id?.uuidString ?? "", name: $0.fileName, size: ByteCountFormatter.string(fromByteCount: Int64($0.size), countStyle: .file))
            }
            let progress = ProgressStatus(rawValue: report.progressStatus)?.label ?? ""
            events.append(Event(at: report.submittedAt.map(DisplayDate.minute) ?? "", kind: "report",
                                title: "\(report.periodYear)年\(report.periodMonth)月进展报告（\(state.label)）· \(progress) · 完成 \(report.percent)%",
                                body: report.summary, attachments: attachments, sortKey: report.submittedAt.map(DisplayDate.second) ?? ""))
            for contribution in contributions where contribution.$report.id == report.id {
                let at = contribution.createdAt ?? Date()
                events.append(Event(at: DisplayDate.minute(at), kind: "contribution", title: "配合单位补充：\(contribution.orgUnit.name)",
                                    body: contribution.text, attachments: [], sortKey: DisplayDate.second(at)))
            }
        }
        for order in orders {
            let at = order.createdAt ?? Date()
            events.append(Event(at: DisplayDate.minute(at), kind: "supervision",
                                title: "\(SupervisionLevel(rawValue: order.level)?.label ?? order.level)（\(SupervisionState(rawValue: order.state)?.label ?? order.state)）",
                                body: order.reason + (order.response.map { "\n答复：\($0)" } ?? ""), attachments: [], sortKey: DisplayDate.second(at)))
        }
        for review in reviews {
            let after = (try? JSONDecoder().decode([String: String].self, from: Data((review.after ?? "{}").utf8))) ?? [:]
            events.append(Event(at: DisplayDate.minute(review.occurredAt), kind: "review",
                                title: "审核\(review.action == "accept" ? "通过" : "退回")（\(review.actor)）",
                                body: after["comment"] ?? "", attachments: [], sortKey: DisplayDate.second(review.occurredAt)))
        }
        for change in changes {
            events.append(Event(at: DisplayDate.minute(change.occurredAt), kind: "change",
                                title: "\(AuditAction(rawValue: change.action)?.label ?? change.action)（\(change.actor)）",
                                body: change.after ?? "", attachments: [], sortKey: DisplayDate.second(change.occurredAt)))
        }
        events.sort { $0.sortKey > $1.sortKey }
        let current = reports.first { $0.periodYear == period.year && $0.periodMonth == period.month }
        let isOffice = principal.role.may(.runLedger)
        let targets = (try? JSONDecoder().decode([WorkPointTarget].self, from: Data(task.targetsJSON.utf8)))?.map(\.text) ?? []
        return try await req.page("ledger/task", title: "\(task.number) \(task.title)", ShowView(
            id: taskID.uuidString, planID: plan.id?.uuidString ?? "", planTitle: plan.title, number: task.number,
            path: task.path.joined(separator: " › "), title: task.title, text: task.text,
            leadUnits: task.leadUnitNames, coUnits: task.coUnitNames, deadline: task.deadlineLabel,
            status: task.status, statusLabel: task.taskStatus.label, targets: targets, events: events, isOffice: isOffice,
            canReport: !(try await access.ownUnits(of: task, role: .lead)).isEmpty && !task.taskStatus.isDone,
            canContribute: !(try await access.ownUnits(of: task, role: .co)).isEmpty && current != nil,
            period: period.key, periodLabel: period.label,
            currentReport: current.map { ReportSummary(id: $0.id?.uuidString ?? "", state: $0.state,
                                                       stateLabel: ReportState(rawValue: $0.state)?.label ?? $0.state,
                                                       comment: $0.reviewComment) },
            statusOptions: TaskStatus.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == task.taskStatus) },
            levels: SupervisionLevel.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == .supervision) },
            rectifyBy: calendar.addingWorkingDays(settings.supervision.rectificationWorkingDays, to: today).iso,
            evaluation: try await RectificationService.origin(ofTask: taskID, on: req.db).map {
                EvaluationOrigin(title: $0.title, reason: $0.reason, href: $0.href)
            }))
    }

    struct StatusForm: Content { var status: String }

    /// The office completes, closes (销号) or reopens a task by hand.
    func changeStatus(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let task = try await LedgerAccess(request: req).task(req.parameters.get("id", as: UUID.self))
        guard let next = TaskStatus(rawValue: try req.content.decode(StatusForm.self).status) else {
            throw APIError.validation(["status": "未知状态"])
        }
        let current = task.taskStatus
        if let refusal = TaskStatusRules.refusal(from: current, to: next, by: .office) {
            throw APIError.validation(["status": refusal], message: refusal)
        }
        let id = try task.requireID()
        try await Transactions.run(on: req.db) { tx in
            guard let fresh = try await PlanTask.find(id, on: tx) else { throw APIError.notFound }
            fresh.status = next.rawValue
            fresh.completedOn = next == .completed ? (fresh.completedOn ?? Today.civil().iso) : (next.isDone ? fresh.completedOn : nil)
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "plan_task", entityID: id.uuidString,
                                      before: ["status": current.rawValue], after: ["status": next.rawValue])
        }
        req.flash("任务状态已改为“\(next.label)”")
        return req.redirect(to: "/ledger/tasks/\(id)")
    }

    /// An attachment, only for users who may see its task.
    func download(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self), let attachment = try await Attachment.find(id, on: req.db) else {
            throw APIError.notFound
        }
        let taskID: UUID?
        switch attachment.ownerType {
        case "report": taskID = try await ProgressReport.find(attachment.ownerID, on: req.db)?.$task.id
        default: taskID = attachment.ownerID
        }
        _ = try await LedgerAccess(request: req).task(taskID)
        return try await AttachmentStore(app: req.application).response(for: attachment, request: req)
    }
}
