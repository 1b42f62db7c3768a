import Foundation

/// How a raw value becomes a 0–100 score: the World Bank Doing Business "ease of doing business" score,
/// 100 × (worst − value) / (worst − best) clipped to [0, 100], optionally through a power transform (as Doing Business
/// used for the total tax and contribution rate). Works for "lower is better" (best < worst) and "higher is better"
/// (best > worst) alike.
public struct ScoringBounds: Sendable, Equatable {
    public let best: Double
    public let worst: Double
    /// 1 for the plain linear score; 0.8 for the total tax rate in DB2020.
    public let exponent: Double

    public init(best: Double, worst: Double, exponent: Double = 1) {
        self.best = best
        self.worst = worst
        self.exponent = exponent
    }

    /// The score of `value`, with how it was calculated, for the page that shows every score's calculation.
    public func score(_ value: Double) -> ScoreCalculation {
        let share = min(1, max(0, (worst - value) / (worst - best)))
        let score = 100 * (exponent == 1 ? share : Foundation.pow(share, exponent))
        let power = exponent == 1 ? "" : " ^ \(FactValue.format(exponent))"
        let formula = "100 × (\(FactValue.format(worst)) − \(FactValue.format(value))) / (\(FactValue.format(worst)) − \(FactValue.format(best)))\(power)"
            + (share == 0 || share == 1 ? "（截至 0–100）" : "")
        return ScoreCalculation(value: value, score: score, formula: formula)
    }
}

/// One score and the arithmetic behind it.
public struct ScoreCalculation: Sendable, Equatable {
    public let value: Double
    public let score: Double
    public let formula: String
}

/// How component scores make a topic's (or the overall) score.
public enum ScoreAggregation: Sendable, Equatable {
    /// The mean of the component scores (most Doing Business topics, and the overall score of the ten topics).
    case mean
    /// Weighted by the given weights, in component order.
    case weightedMean([Double])
    /// The raw indexes added up over their combined range, × 100 (getting credit: (legal rights + credit
    /// information) / 20 × 100, which weighs the two indexes 12:8 rather than averaging their scores).
    case sumOfIndexes

    /// The aggregate of components, each a raw value with its bounds.
    public func aggregate(_ components: [(value: Double, bounds: ScoringBounds)]) -> Double {
        guard !components.isEmpty else { return 0 }
        switch self {
        case .mean:
            return components.reduce(0) { $0 + $1.bounds.score($1.value).score } / Double(components.count)
        case .weightedMean(let weights):
            let pairs = zip(components, weights)
            let total = pairs.reduce(0) { $0 + $1.1 }
            guard total > 0 else { return 0 }
            return pairs.reduce(0) { $0 + $1.0.bounds.score($1.0.value).score * $1.1 } / total
        case .sumOfIndexes:
            let reached = components.reduce(0) { $0 + abs($1.value - $1.bounds.worst) }
            let range = components.reduce(0) { $0 + abs($1.bounds.best - $1.bounds.worst) }
            return range > 0 ? min(100, 100 * reached / range) : 0
        }
    }

    /// The mean (or weighted mean) of scores already computed, as the overall score of topics is.
    public func combine(_ scores: [Double]) -> Double {
        guard !scores.isEmpty else { return 0 }
        switch self {
        case .weightedMean(let weights):
            let total = zip(scores, weights).reduce(0) { $0 + $1.1 }
            return total > 0 ? zip(scores, weights).reduce(0) { $0 + $1.0 * $1.1 } / total : 0
        case .mean, .sumOfIndexes:
            return scores.reduce(0, +) / Double(scores.count)
        }
    }
}
