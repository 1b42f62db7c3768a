import Fluent
import Vapor
import YingshangCore

/// 以评促改: the rectification tasks opened from results, with whether the next period shows them working.
struct RectificationPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let rectifications = routes.grouped("evaluation", "rectifications")
        rectifications.get(use: index)
        rectifications.post(use: open)
        rectifications.post("run", use: run)
    }

    struct Row: Encodable {
        let taskID: UUID
        let indicator, place, period, reason, openedBy, task, taskStatus, before, after, outcome, outcomeClass: String
    }
    struct IndexView: Encodable {
        let rows: [Row]
        let periods: [FormOption]
        let isOffice: Bool
        let rule: String
    }

    func index(req: Request) async throws -> View {
        let principal = try req.require(.readEvaluation)
        let records = try await RectificationRecord.query(on: req.db).with(\.$place).with(\.$task).sort(\.$createdAt, .descending).range(..<300).all()
        let board = req.application.evaluationBoard
        var rows: [Row] = []
        for record in records {
            guard let period = EvaluationPeriod(code: record.period) else { continue }
            let now = try await board.scores(year: period.year, on: req.db)
            let later = period.next.year == period.year ? now : try await board.scores(year: period.next.year, on: req.db)
            let indicator = now.system.indicator(record.indicatorCode)
            func value(_ scores: YearScores, _ period: EvaluationPeriod) -> (Double?, IndicatorTarget?) {
                guard let t = scores.periodIndex(period), let p = scores.placeIndex(record.$place.id),
                      let i = scores.indicatorIndex(record.indicatorCode) else { return (nil, nil) }
                return (scores.result?.value(period: t, place: p, indicator: i), scores.target(code: record.indicatorCode, place: p))
            }
            let (before, _) = value(now, period)
            let (after, target) = value(later, period.next)
            let unit = indicator?.unit ?? ""
            let outcome = RectificationOutcome(before: before, after: after, target: target,
                                               direction: indicator?.direction ?? .higherIsBetter)
            rows.append(Row(taskID: record.$task.id, indicator: indicator?.name ?? record.indicatorCode,
                            place: record.place.shortName ?? record.place.name, period: period.label, reason: record.reason,
                            openedBy: record.openedBy ?? "规则自动", task: record.task.title, taskStatus: record.task.taskStatus.label,
                            before: EvaluationFormat.value(before, unit: unit), after: EvaluationFormat.value(after, unit: unit),
                            outcome: outcome.label(next: period.next), outcomeClass: outcome.status.map { "status-\($0.rawValue)" } ?? ""))
        }
        let settings = try await EvaluationSettings.load(on: req.db)
        let today = Today.civil()
        let first = EvaluationPeriod(kind: settings.periodKind, year: today.year - 1)!
        let rule = [settings.rectification.onMissedTarget ? "未达到目标值" : nil,
                    settings.rectification.bottomRanks > 0 ? "排名后 \(settings.rectification.bottomRanks) 位" : nil].compactMap { $0 }
        return try await req.page("evaluation/rectifications", title: "以评促改", IndexView(
            rows: rows, periods: FormOption.periods(Array(first.through(first.offset(by: 8)).filter { $0.lastDay < today }.reversed()), selected: nil),
            isOffice: principal.role.may(.runEvaluation),
            rule: (rule.isEmpty ? "未启用自动规则" : rule.joined(separator: "或") + "时开具整改任务")
                + (settings.openRectificationsAutomatically ? "（审核通过数据时自动开具）" : "（由营商办手工开具）")))
    }

    struct OpenForm: Content { var code: String; var place: UUID; var period: String; var reason: String? }

    /// The office opens a rectification task by hand from a scorecard line.
    func open(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        let form = try req.content.decode(OpenForm.self)
        guard let period = EvaluationPeriod(code: form.period) else { throw APIError.badRequest("期间无法识别") }
        let scores = try await req.application.evaluationBoard.scores(year: period.year, on: req.db)
        do {
            if let record = try await RectificationService(db: req.db, actor: actor).open(code: form.code, placeID: form.place, period: period,
                                                                                         reason: form.reason ?? "", scores: scores) {
                req.flash("已开具整改任务。")
                return req.redirect(to: "/ledger/tasks/\(record.$task.id)")
            }
            req.flash("该指标本期已有整改任务。")
        } catch let error as APIError where error.isCorrectable {
            req.flash(error.fields.values.first ?? error.message)
        }
        return req.redirect(to: "/evaluation/places/\(form.place)?period=\(period.code)")
    }

    struct RunForm: Content { var period: String }

    /// Runs the rule over a period now (e.g. after changing the rule or the targets).
    func run(req: Request) async throws -> Response {
        try req.require(.runEvaluation)
        guard let period = EvaluationPeriod(code: try req.content.decode(RunForm.self).period) else { throw APIError.badRequest("期间无法识别") }
        let settings = try await EvaluationSettings.load(on: req.db)
        let scores = try await req.application.evaluationBoard.scores(year: period.year, on: req.db)
        let opened = try await RectificationService(db: req.db, actor: nil).applyRule(period: period, scores: scores, settings: settings)
        req.flash("按规则检查了\(period.label)的结果，开具了 \(opened) 项整改任务。")
        return req.redirect(to: "/evaluation/rectifications")
    }
}
