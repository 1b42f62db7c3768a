import Fluent
import Vapor
import YingshangCore

/// The evaluation's rules for the office: survey cap, 接近 tolerance, rectification rule, deadlines and reminders.
struct EvaluationSettingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("evaluation", "settings", use: page)
        routes.post("evaluation", "settings", use: save)
    }

    struct PageView: Encodable {
        let cap, bottomRanks, submissionDays, reminderDays: Int
        let nearPercent: String
        let onMissedTarget, automatic: Bool
        let kinds: [FormOption]
        let regions: [FormOption]
        let problems: [String]
    }

    private func view(_ settings: EvaluationSettings, problems: [String], on db: any Database) async throws -> PageView {
        let regions = try await OrgUnit.query(on: db).filter(\.$kind == OrgUnitKind.region.rawValue).sort(\.$code).all()
        return PageView(cap: settings.surveyCapPerQuarter, bottomRanks: settings.rectification.bottomRanks,
                 submissionDays: settings.submissionWorkingDays, reminderDays: settings.reminderLeadWorkingDays,
                 nearPercent: FactValue.format(settings.nearShare * 100), onMissedTarget: settings.rectification.onMissedTarget,
                 automatic: settings.openRectificationsAutomatically,
                 kinds: EvaluationPeriod.Kind.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == settings.periodKind) },
                 regions: [FormOption(value: "", label: "最上级地区（默认）", selected: settings.placesUnder == nil)]
                     + regions.map { FormOption(value: $0.code, label: $0.name, selected: $0.code == settings.placesUnder) },
                 problems: problems)
    }

    func page(req: Request) async throws -> View {
        try req.require(.runEvaluation)
        return try await req.page("evaluation/settings", title: "评价规则设置", try await view(try await EvaluationSettings.load(on: req.db), problems: [], on: req.db))
    }

    func save(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        let before = try await EvaluationSettings.load(on: req.db)
        var settings = before
        var form = FormNumbers(req)
        settings.surveyCapPerQuarter = form.int("cap", "每季度问卷上限")
        settings.nearShare = form.decimal("near", "接近目标的范围") / 100
        settings.rectification.bottomRanks = form.int("bottom", "排名靠后位数")
        settings.submissionWorkingDays = form.int("submission_days", "报送截止")
        settings.reminderLeadWorkingDays = form.int("reminder_days", "提前提醒")
        let flag = { (key: String) in ((try? req.content.get(String.self, at: key)) ?? "") == "1" }
        settings.rectification.onMissedTarget = flag("on_missed")
        settings.openRectificationsAutomatically = flag("automatic")
        settings.periodKind = (try? req.content.get(String.self, at: "kind")).flatMap(EvaluationPeriod.Kind.init(rawValue:)) ?? settings.periodKind
        let under = ((try? req.content.get(String.self, at: "places_under")) ?? "").trimmingCharacters(in: .whitespaces)
        settings.placesUnder = under.isEmpty ? nil : under
        var problems = form.problems + settings.problems()
        if let under = settings.placesUnder,
           try await OrgUnit.query(on: req.db).filter(\.$code == under).filter(\.$kind == OrgUnitKind.region.rawValue).first() == nil {
            problems.append("比较范围应为一个地区")
        }
        guard problems.isEmpty else {
            return try await req.page("evaluation/settings", title: "评价规则设置", try await view(settings, problems: problems, on: req.db))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let saved = settings
        try await Transactions.run(on: req.db) { tx in
            try await saved.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "evaluation_settings", entityID: EvaluationSettings.key,
                                      before: before, after: saved)
            try await EvaluationRevision.bump(on: tx)
        }
        req.flash("评价规则已保存")
        return req.redirect(to: "/evaluation/settings")
    }
}
