import Fluent
import Vapor
import YingshangCore

/// The office's ledger settings (报送截止日、提醒、自动督办规则、考评权重) and the scheduled jobs' last runs.
struct LedgerSettingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("ledger", "settings", use: page)
        routes.post("ledger", "settings", use: save)
        routes.post("ledger", "jobs", "run", use: runJobs)
    }

    struct JobRow: Encodable { let label: String, startedAt: String, outcome: String, message: String, host: String }
    struct SettingsView: Encodable {
        let dueWorkingDay: Int, reminderLead: Int, deadlineReminderLead: Int
        let overdueLevel: [FormOption], missedLevel: [FormOption], returnedLevel: [FormOption]
        let missedThreshold: Int, returnedThreshold: Int, rectificationDays: Int
        let reportsOnTime: Double, tasksOnTime: Double, supervisionPenalty: Double, returnPenalty: Double
        let appealResponse: Double, appealResolution: Double, appealSatisfaction: Double
        let jobs: [JobRow]
        let problems: [String]
    }

    static let outcomeLabels = ["succeeded": "完成", "failed": "失败", "skipped": "跳过", "running": "运行中"]

    func levels(_ selected: SupervisionLevel?) -> [FormOption] {
        [FormOption(value: "", label: "不自动督办", selected: selected == nil)]
            + SupervisionLevel.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == selected) }
    }

    func view(_ req: Request, settings: LedgerSettings, problems: [String] = []) async throws -> SettingsView {
        let runs = try await JobRun.query(on: req.db).sort(\.$startedAt, .descending).limit(30).all()
        let labels = Dictionary(Jobs.all.map { ($0.name, $0.label) }, uniquingKeysWith: { a, _ in a })
        return SettingsView(
            dueWorkingDay: settings.reporting.dueWorkingDay, reminderLead: settings.reporting.reminderLeadWorkingDays,
            deadlineReminderLead: settings.reporting.deadlineReminderLeadWorkingDays,
            overdueLevel: levels(settings.supervision.overdue), missedLevel: levels(settings.supervision.missedReportsLevel),
            returnedLevel: levels(settings.supervision.returnedReportsLevel),
            missedThreshold: settings.supervision.missedReportsThreshold, returnedThreshold: settings.supervision.returnedReportsThreshold,
            rectificationDays: settings.supervision.rectificationWorkingDays,
            reportsOnTime: settings.assessment.reportsOnTime, tasksOnTime: settings.assessment.tasksOnTime,
            supervisionPenalty: settings.assessment.supervisionPenaltyPerOrder, returnPenalty: settings.assessment.returnPenaltyPerReport,
            appealResponse: settings.assessment.appealResponse, appealResolution: settings.assessment.appealResolution,
            appealSatisfaction: settings.assessment.appealSatisfaction,
            jobs: runs.map { JobRow(label: labels[$0.job] ?? $0.job, startedAt: DisplayDate.second($0.startedAt),
                                    outcome: Self.outcomeLabels[$0.outcome] ?? $0.outcome, message: $0.message, host: $0.host) },
            problems: problems)
    }

    func page(req: Request) async throws -> View {
        _ = try LedgerAccess(request: req).office()
        return try await req.page("ledger/settings", title: "台账设置与定时任务", try await view(req, settings: try await LedgerSettings.load(on: req.db)))
    }

    func save(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let before = try await LedgerSettings.load(on: req.db)
        var form = FormNumbers(req)
        var settings = before
        settings.reporting.dueWorkingDay = form.int("due_working_day", "报送截止日")
        settings.reporting.reminderLeadWorkingDays = form.int("reminder_lead", "报送提醒提前天数")
        settings.reporting.deadlineReminderLeadWorkingDays = form.int("deadline_reminder_lead", "到期提醒提前天数")
        settings.supervision.overdue = form.level("overdue_level")
        settings.supervision.missedReportsThreshold = form.int("missed_threshold", "未报送月数")
        settings.supervision.missedReportsLevel = form.level("missed_level")
        settings.supervision.returnedReportsThreshold = form.int("returned_threshold", "退回次数")
        settings.supervision.returnedReportsLevel = form.level("returned_level")
        settings.supervision.rectificationWorkingDays = form.int("rectification_days", "整改期限")
        settings.assessment.reportsOnTime = form.decimal("reports_on_time", "按时报送权重")
        settings.assessment.tasksOnTime = form.decimal("tasks_on_time", "按时完成权重")
        settings.assessment.supervisionPenaltyPerOrder = form.decimal("supervision_penalty", "督办扣分")
        settings.assessment.returnPenaltyPerReport = form.decimal("return_penalty", "退回扣分")
        settings.assessment.appealResponse = form.decimal("appeal_response", "诉求响应率分值")
        settings.assessment.appealResolution = form.decimal("appeal_resolution", "诉求解决率分值")
        settings.assessment.appealSatisfaction = form.decimal("appeal_satisfaction", "诉求满意率分值")
        var problems = form.problems
        if problems.isEmpty {
            problems = settings.reporting.validate() + settings.supervision.validate() + settings.assessment.validate()
        }
        guard problems.isEmpty else {
            return try await req.page("ledger/settings", title: "台账设置与定时任务", try await view(req, settings: settings, problems: problems))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let saved = settings
        try await Transactions.run(on: req.db) { tx in
            try await saved.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "ledger_settings", entityID: LedgerSettings.key,
                                      before: before, after: saved)
        }
        req.flash("台账设置已保存")
        return req.redirect(to: "/ledger/settings")
    }

    func runJobs(req: Request) async throws -> Response {
        _ = try LedgerAccess(request: req).office()
        let outcomes = await Jobs.runAll(on: req.application)
        req.flash(outcomes.map { "\($0.label)：\(Self.outcomeLabels[$0.outcome] ?? $0.outcome)，\($0.message)" }.joined(separator: "；"))
        return req.redirect(to: "/ledger/settings#jobs")
    }
}
