import Fluent
import Vapor
import YingshangCore

/// What every evaluation page starts from: the year's live scores and the period asked for (`?period=2026Q3`),
/// by default the latest period with approved data.
struct EvaluationContext {
    let scores: YearScores
    let period: EvaluationPeriod
    /// The period's index in the scores' result.
    let t: Int

    static func load(_ req: Request) async throws -> EvaluationContext {
        let asked = (try? req.query.get(String.self, at: "period")).flatMap { EvaluationPeriod(code: $0) }
        let board = req.application.evaluationBoard
        if let asked {
            let scores = try await board.scores(year: asked.year, on: req.db)
            if let index = scores.periodIndex(asked) { return EvaluationContext(scores: scores, period: asked, t: index) }
            throw APIError.badRequest("期间“\(asked.code)”不是本平台的监测周期（\(scores.periods[1].kind.label)）")
        }
        let year = Today.civil().year
        var scores = try await board.scores(year: year, on: req.db)
        if !scores.hasAnyData {
            let last = try await board.scores(year: year - 1, on: req.db)
            if last.hasAnyData { scores = last }
        }
        let period = scores.latestPeriod
        return EvaluationContext(scores: scores, period: period, t: scores.periodIndex(period)!)
    }

    var result: EvaluationResult? { scores.result }

    /// This year's periods, and the year before and after, for the period picker.
    var periodOptions: [FormOption] {
        let perYear = scores.shownPeriods.count
        let shown = scores.periods[1].offset(by: -perYear).through(scores.periods.last!.offset(by: perYear))
        return FormOption.periods(shown, selected: period)
    }

    /// The target status of a place's indicator in this period, if it has a target and a value.
    func status(place p: Int, indicator i: Int) -> IndicatorTarget.Status? {
        let code = scores.system.indicators[i].code
        guard let target = scores.target(code: code, place: p), let value = result?.value(period: t, place: p, indicator: i) else { return nil }
        return target.status(of: value)
    }

    /// The values of a place's indicator over the year's shown periods (for trends).
    func series(place p: Int, indicator i: Int) -> [Double?] {
        scores.periods.indices.dropFirst().map { result?.value(period: $0, place: p, indicator: i) }
    }

    func trend(place p: Int, indicator i: Int) -> IndicatorTrend {
        IndicatorTrend(values: Array(series(place: p, indicator: i).prefix(t)), direction: scores.system.indicators[i].direction)
    }
}

extension FormOption {
    /// A period picker's options.
    static func periods(_ periods: [EvaluationPeriod], selected: EvaluationPeriod?) -> [FormOption] {
        periods.map { FormOption(value: $0.code, label: $0.label, selected: $0 == selected) }
    }
}

/// How numbers appear on the evaluation pages.
enum EvaluationFormat {
    static func score(_ v: Double?) -> String { v.map(EvaluationResult.format) ?? "—" }
    static func value(_ v: Double?, unit: String = "") -> String { v.map { FactValue.format(($0 * 100).rounded() / 100) + unit } ?? "—" }
    static func change(_ v: Double?) -> String { v.map { ($0 >= 0 ? "+" : "") + String(format: "%.2f", $0) } ?? "—" }
    static func rank(_ r: Int?, of count: Int) -> String { r.map { "\($0)/\(count)" } ?? "—" }
}
