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
            jobs: runs.map { JobRow(label: labels[$0.job] ?? $0.job, startedAt: DisplayDate.second($0.startedAt),
                                    outcome: Self.outcomeLabels[$0.outcome] ?? $0.outcome, message: $0.message, host: $0.host) },
            problems: problems)
    }

    func page(req: Request) async throws -> View {
        _ = try LedgerAccess(request: req).office()
        return try await req.page("ledger/settings", title: "台账设置与定时任务", try await view(req, settings: try await LedgerSettings.load(on: req.db)))
    }

    /// Every field arrives as text; empty or non-numeric values are reported, not guessed.
    struct Form: Content {
        var dueWorkingDay, reminderLead, deadlineReminderLead, missedThreshold, returnedThreshold, rectificationDays: String?
        var overdueLevel, missedLevel, returnedLevel: String?
        var reportsOnTime, tasksOnTime, supervisionPenalty, returnPenalty: String?
        enum CodingKeys: String, CodingKey {
            case dueWorkingDay = "due_working_day", reminderLead = "reminder_lead", deadlineReminderLead = "deadline_reminder_lead"
            case missedThreshold = "missed_threshold", returnedThreshold = "returned_threshold", rectificationDays = "rectification_days"
            case overdueLevel = "overdue_level", missedLevel = "missed_level", returnedLevel = "returned_level"
            case reportsOnTime = "reports_on_time", tasksOnTime = "tasks_on_time", supervisionPenalty = "supervision_penalty"
            case returnPenalty = "return_penalty"
        }
    }

    func save(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let form = try req.content.decode(Form.self)
        let before = try await LedgerSettings.load(on: req.db)
        var problems: [String] = []
        func int(_ text: String?, _ label: String) -> Int {
            guard let value = text.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else { problems.append("“\(label)”应为整数"); return 0 }
            return value
        }
        func number(_ text: String?, _ label: String) -> Double {
            guard let value = text.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) else { problems.append("“\(label)”应为数字"); return 0 }
            return value
        }
        var settings = before
        settings.reporting.dueWorkingDay = int(form.dueWorkingDay, "报送截止日")
        settings.reporting.reminderLeadWorkingDays = int(form.reminderLead, "报送提醒提前天数")
        settings.reporting.deadlineReminderLeadWorkingDays = int(form.deadlineReminderLead, "到期提醒提前天数")
        settings.supervision.overdue = form.overdueLevel.flatMap(SupervisionLevel.init(rawValue:))
        settings.supervision.missedReportsThreshold = int(form.missedThreshold, "未报送月数")
        settings.supervision.missedReportsLevel = form.missedLevel.flatMap(SupervisionLevel.init(rawValue:))
        settings.supervision.returnedReportsThreshold = int(form.returnedThreshold, "退回次数")
        settings.supervision.returnedReportsLevel = form.returnedLevel.flatMap(SupervisionLevel.init(rawValue:))
        settings.supervision.rectificationWorkingDays = int(form.rectificationDays, "整改期限")
        settings.assessment.reportsOnTime = number(form.reportsOnTime, "按时报送权重")
        settings.assessment.tasksOnTime = number(form.tasksOnTime, "按时完成权重")
        settings.assessment.supervisionPenaltyPerOrder = number(form.supervisionPenalty, "督办扣分")
        settings.assessment.returnPenaltyPerReport = number(form.returnPenalty, "退回扣分")
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
