import Foundation

/// The scores of a grid: every indicator's value (formulas resolved), score, rank and bounds per period and place,
/// the overall score and rank, and the calculation behind each number.
public struct EvaluationResult: Sendable {
    public let engine: EvaluationEngine
    public let periods: [EvaluationPeriod]
    public let placeCount: Int
    var values: [Double]
    var scores: [Double]
    var ranks: [Int32]
    /// Places ranked per (period, indicator).
    var counts: [Int32]
    /// The bounds each leaf was scored against, per (period, indicator).
    var best: [Double]
    var worst: [Double]
    var totals: [Double]
    var totalRanks: [Int32]

    var indicatorCount: Int { engine.system.indicators.count }

    init(engine: EvaluationEngine, grid: EvaluationGrid) {
        self.engine = engine
        self.periods = grid.periods
        self.placeCount = grid.placeCount
        let cells = grid.values.count, perPeriod = grid.periods.count * grid.indicatorCount
        values = grid.values
        scores = Array(repeating: .nan, count: cells)
        ranks = Array(repeating: 0, count: cells)
        counts = Array(repeating: 0, count: perPeriod)
        best = Array(repeating: .nan, count: perPeriod)
        worst = Array(repeating: .nan, count: perPeriod)
        totals = Array(repeating: .nan, count: grid.periods.count * grid.placeCount)
        totalRanks = Array(repeating: 0, count: grid.periods.count * grid.placeCount)
    }

    mutating func withBuffers(_ body: (EvaluationEngine.Buffers) -> Void) {
        let places = placeCount, indicators = indicatorCount
        values.withUnsafeMutableBufferPointer { values in
            scores.withUnsafeMutableBufferPointer { scores in
                ranks.withUnsafeMutableBufferPointer { ranks in
                    counts.withUnsafeMutableBufferPointer { counts in
                        best.withUnsafeMutableBufferPointer { best in
                            worst.withUnsafeMutableBufferPointer { worst in
                                totals.withUnsafeMutableBufferPointer { totals in
                                    totalRanks.withUnsafeMutableBufferPointer { totalRanks in
                                        body(EvaluationEngine.Buffers(places: places, indicators: indicators, values: values,
                                                                      scores: scores, ranks: ranks, counts: counts, best: best,
                                                                      worst: worst, totals: totals, totalRanks: totalRanks))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func cell(_ t: Int, _ p: Int, _ i: Int) -> Int { (t * placeCount + p) * indicatorCount + i }
    private static func optional(_ v: Double) -> Double? { v.isNaN ? nil : v }

    public func value(period t: Int, place p: Int, indicator i: Int) -> Double? { Self.optional(values[cell(t, p, i)]) }
    public func score(period t: Int, place p: Int, indicator i: Int) -> Double? { Self.optional(scores[cell(t, p, i)]) }

    /// 1 = best; nil when the place has no score.
    public func rank(period t: Int, place p: Int, indicator i: Int) -> Int? {
        let r = ranks[cell(t, p, i)]
        return r == 0 ? nil : Int(r)
    }

    /// How many places have a score for the indicator in the period.
    public func rankedCount(period t: Int, indicator i: Int) -> Int { Int(counts[t * indicatorCount + i]) }

    public func total(period t: Int, place p: Int) -> Double? { Self.optional(totals[t * placeCount + p]) }

    public func totalRank(period t: Int, place p: Int) -> Int? {
        let r = totalRanks[t * placeCount + p]
        return r == 0 ? nil : Int(r)
    }

    public func totalRankedCount(period t: Int) -> Int { (0..<placeCount).count { totalRanks[t * placeCount + $0] != 0 } }

    /// The share of ranked places this place is ahead of, 0–100 (the best place is 100).
    public static func percentile(rank: Int, of count: Int) -> Double {
        count > 1 ? 100 * Double(count - rank) / Double(count - 1) : 100
    }

    /// 改善幅度: the score change against the previous period in the grid (nil for the first period or a gap).
    public func improvement(period t: Int, place p: Int, indicator i: Int) -> Double? {
        guard t > 0, let now = score(period: t, place: p, indicator: i),
              let before = score(period: t - 1, place: p, indicator: i) else { return nil }
        return now - before
    }

    public func totalImprovement(period t: Int, place p: Int) -> Double? {
        guard t > 0, let now = total(period: t, place: p), let before = total(period: t - 1, place: p) else { return nil }
        return now - before
    }

    /// The bounds a leaf indicator was scored against in a period, and whether they came from the data (frontier).
    public func bounds(period t: Int, indicator i: Int) -> (best: Double, worst: Double, fromData: Bool)? {
        let b = best[t * indicatorCount + i], w = worst[t * indicatorCount + i]
        guard !b.isNaN, !w.isNaN else { return nil }
        return (b, w, engine.system.indicators[i].fixedBounds == nil)
    }

    /// The arithmetic behind one score, in Chinese, step by step.
    public func calculation(period t: Int, place p: Int, indicator i: Int) -> [String] {
        let system = engine.system
        let indicator = system.indicators[i]
        var lines: [String] = []
        let value = self.value(period: t, place: p, indicator: i)
        if let text = indicator.formula, !text.isEmpty, let formula = try? IndicatorFormula(text) {
            let explained = formula.explain { code in
                engine.index(of: code).flatMap { self.value(period: t, place: p, indicator: $0) }
            }
            lines.append("数值 = \(text) = \(explained) = \(value.map(FactValue.format) ?? "（缺数据，无法计算）")")
        } else if let value {
            lines.append("数值 = \(FactValue.format(value))\(indicator.unit)（\(indicator.dataSource.isEmpty ? "报送" : indicator.dataSource)）")
        }
        let children = engine.children[i].filter { engine.isScored[$0] }
        if children.isEmpty {
            guard engine.isScored[i] else { return lines + ["数据项，只用于公式，不单独计分"] }
            guard let value, let bounds = bounds(period: t, indicator: i) else { return lines + ["无数值，不计分"] }
            let source = bounds.fromData ? "当期最好地区为最优值、最差地区为最差值（前沿距离法）" : "固定的最优值、最差值"
            lines.append("计分边界：最优 \(FactValue.format(bounds.best))，最差 \(FactValue.format(bounds.worst))（\(source)）")
            let calculation = ScoringBounds(best: bounds.best, worst: bounds.worst, exponent: indicator.exponent).score(value)
            lines.append("得分 = \(calculation.formula) = \(Self.format(calculation.score))")
        } else {
            let parts = children.map { child -> String in
                let s = score(period: t, place: p, indicator: child).map(Self.format) ?? "缺"
                let weight = indicator.aggregation == .weightedMean ? "×\(FactValue.format(system.indicators[child].weight))" : ""
                return "\(system.indicators[child].name) \(s)\(weight)"
            }
            lines.append("得分 = \(indicator.aggregation.label)（\(parts.joined(separator: "，"))）= \(score(period: t, place: p, indicator: i).map(Self.format) ?? "缺")")
        }
        if let rank = rank(period: t, place: p, indicator: i) {
            let count = rankedCount(period: t, indicator: i)
            lines.append("排名 第\(rank)名 / \(count)，百分位 \(Self.format(Self.percentile(rank: rank, of: count)))")
        }
        if let change = improvement(period: t, place: p, indicator: i) {
            lines.append("改善幅度（较上期）\(change >= 0 ? "+" : "")\(Self.format(change)) 分")
        }
        return lines
    }

    /// Scores are shown with two decimals.
    public static func format(_ score: Double) -> String { String(format: "%.2f", score) }
}
