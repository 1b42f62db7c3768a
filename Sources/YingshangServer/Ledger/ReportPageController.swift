import Fluent
import Vapor
import YingshangCore

/// Filing, reviewing and contributing to monthly progress reports, and a department's "this month".
struct ReportPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let ledger = routes.grouped("ledger")
        ledger.get("tasks", ":id", "report", use: form)
        ledger.on(.POST, "tasks", ":id", "report", body: .collect(maxSize: "45mb"), use: submit)
        ledger.post("reports", ":id", "review", use: review)
        ledger.post("reports", ":id", "contributions", use: contribute)
        ledger.get("my", use: myTasks)
    }

    struct FormView: Encodable {
        let taskID: String, taskTitle: String, period: String, periodLabel: String, dueDate: String
        let statuses: [FormOption]
        let summary: String, percent: Int
        let comment: String?
        let errors: [String: String]
    }

    func period(_ req: Request, settings: LedgerSettings) async throws -> ReportPeriod {
        let raw = req.query[String.self, at: "period"] ?? (try? req.content.get(String.self, at: "period"))
        if let raw, !raw.isEmpty {
            guard let period = ReportPeriod(key: raw) else { throw APIError.validation(["period": "报告期格式应为 YYYY-MM"]) }
            return period
        }
        return ReportingRules.currentPeriod(today: Today.civil(), policy: settings.reporting,
                                            calendar: try await CalendarService(db: req.db).calendar())
    }

    /// The task, which the signed-in user's unit must lead.
    func ledTask(_ req: Request) async throws -> PlanTask {
        let access = LedgerAccess(request: req)
        let task = try await access.task(req.parameters.get("id", as: UUID.self))
        guard !(try await access.ownUnits(of: task, role: .lead)).isEmpty else {
            throw APIError(status: .forbidden, code: "forbidden", message: "只有牵头单位可以报送进展；配合单位请在报告下补充配合情况")
        }
        return task
    }

    func formView(_ req: Request, task: PlanTask, period: ReportPeriod, filing: ReportService.Filing? = nil,
                  errors: [String: String] = [:]) async throws -> FormView {
        let settings = try await LedgerSettings.load(on: req.db)
        let calendar = try await CalendarService(db: req.db).calendar()
        let existing = try await ProgressReport.query(on: req.db).filter(\.$task.$id == task.requireID())
            .filter(\.$periodYear == period.year).filter(\.$periodMonth == period.month).first()
        let status = filing?.progressStatus ?? existing?.progressStatus ?? ProgressStatus.onTrack.rawValue
        return FormView(
            taskID: task.id?.uuidString ?? "", taskTitle: "\(task.number) \(task.title)", period: period.key, periodLabel: period.label,
            dueDate: ReportingRules.dueDate(for: period, policy: settings.reporting, calendar: calendar).iso,
            statuses: ProgressStatus.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == status) },
            summary: filing?.summary ?? existing?.summary ?? "", percent: filing?.percent ?? existing?.percent ?? 0,
            comment: existing?.state == ReportState.returned.rawValue ? existing?.reviewComment : nil, errors: errors)
    }

    func form(req: Request) async throws -> View {
        let task = try await ledTask(req)
        let period = try await period(req, settings: try await LedgerSettings.load(on: req.db))
        return try await req.page("ledger/report", title: "报送进展", try await formView(req, task: task, period: period))
    }

    func submit(req: Request) async throws -> Response {
        let task = try await ledTask(req)
        let actor = try req.requirePrincipal()
        let filing = try req.content.decode(ReportService.Filing.self)
        let period = try await period(req, settings: try await LedgerSettings.load(on: req.db))
        do {
            _ = try await ReportService(db: req.db, actor: actor, app: req.application)
                .submit(task: task, period: period, filing: filing, today: Today.civil())
            req.flash("\(period.label)进展报告已报送，等待营商办审核")
            return req.redirect(to: "/ledger/tasks/\(try task.requireID())")
        } catch let error as APIError where error.code == "validation_failed" || error.code == "conflict" {
            var errors = error.fields
            if errors.isEmpty { errors["summary"] = error.message }
            return try await req.page("ledger/report", title: "报送进展", try await formView(req, task: task, period: period, filing: filing, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    struct ReviewForm: Content {
        var decision: String
        var comment: String?
    }

    func review(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        guard let id = req.parameters.get("id", as: UUID.self), let report = try await ProgressReport.find(id, on: req.db) else {
            throw APIError.notFound
        }
        let form = try req.content.decode(ReviewForm.self)
        do {
            try await ReportService(db: req.db, actor: actor, app: req.application)
                .review(report, accept: form.decision == "accept", comment: form.comment)
            req.flash(form.decision == "accept" ? "报告已通过" : "报告已退回，牵头单位会收到通知")
        } catch let error as APIError where error.code == "validation_failed" {
            req.flash(error.message)
        }
        return req.redirect(to: "/ledger/tasks/\(report.$task.id)")
    }

    struct ContributionForm: Content { var text: String? }

    func contribute(req: Request) async throws -> Response {
        let access = LedgerAccess(request: req)
        let actor = try access.reader()
        guard let id = req.parameters.get("id", as: UUID.self), let report = try await ProgressReport.find(id, on: req.db) else {
            throw APIError.notFound
        }
        let task = try await access.task(report.$task.id)
        guard let unit = try await access.ownUnits(of: task, role: .co).first else {
            throw APIError(status: .forbidden, code: "forbidden", message: "只有该任务的配合单位可以补充配合情况")
        }
        do {
            try await ReportService(db: req.db, actor: actor, app: req.application)
                .contribute(to: report, unitID: unit, text: try req.content.decode(ContributionForm.self).text ?? "")
            req.flash("配合情况已补充到本期报告")
        } catch let error as APIError where error.code == "validation_failed" || error.code == "conflict" {
            req.flash(error.fields.values.first ?? error.message)
        }
        return req.redirect(to: "/ledger/tasks/\(report.$task.id)")
    }

    // MARK: My tasks this month

    struct MyRow: Encodable {
        let id: String, title: String, role: String, deadline: String, status: String, statusLabel: String
        let reportState: String, reportLabel: String, comment: String?
    }
    struct MyView: Encodable {
        let periodLabel: String, dueDate: String
        let due: [MyRow], returned: [MyRow], done: [MyRow], supporting: [MyRow]
        let isUnitStaff: Bool
    }

    func myTasks(req: Request) async throws -> View {
        let access = LedgerAccess(request: req)
        let principal = try access.reader()
        let settings = try await LedgerSettings.load(on: req.db)
        let calendar = try await CalendarService(db: req.db).calendar()
        let period = ReportingRules.currentPeriod(today: Today.civil(), policy: settings.reporting, calendar: calendar)
        var due: [MyRow] = [], returned: [MyRow] = [], done: [MyRow] = [], supporting: [MyRow] = []
        if principal.role == .unitStaff {
            let tasks = try await TaskQueries(request: req).query(try .init(from: req)).all()
            let reports = try await ProgressReport.query(on: req.db).filter(\.$task.$id ~~ tasks.compactMap(\.id))
                .filter(\.$periodYear == period.year).filter(\.$periodMonth == period.month).all()
            for task in tasks where !task.taskStatus.isDone || reports.contains(where: { $0.$task.id == task.id }) {
                let lead = !(try await access.ownUnits(of: task, role: .lead)).isEmpty
                let report = reports.first { $0.$task.id == task.id }
                let state = report.flatMap { ReportState(rawValue: $0.state) }
                let row = MyRow(id: task.id?.uuidString ?? "", title: "\(task.number) \(task.title)", role: lead ? "牵头" : "配合",
                                deadline: task.deadlineLabel, status: task.status, statusLabel: task.taskStatus.label,
                                reportState: state?.rawValue ?? "", reportLabel: state?.label ?? "未报送", comment: report?.reviewComment)
                if !lead { supporting.append(row) } else if state == .returned { returned.append(row) }
                else if state == .submitted || state == .accepted { done.append(row) } else { due.append(row) }
            }
        }
        return try await req.page("ledger/my", title: "本月待办", MyView(
            periodLabel: period.label, dueDate: ReportingRules.dueDate(for: period, policy: settings.reporting, calendar: calendar).iso,
            due: due, returned: returned, done: done, supporting: supporting, isUnitStaff: principal.role == .unitStaff))
    }
}
