import Foundation

/// 以评促改: when an indicator of a place misses its target, or the place falls into the bottom N of the ranking,
/// a rectification task (整改任务) is due for the indicator's responsible unit.
public struct RectificationRule: Codable, Sendable, Equatable {
    /// Open for a missed target (未达标; 接近 does not).
    public var onMissedTarget: Bool
    /// Open for the bottom N places of an indicator's ranking (0 = off).
    public var bottomRanks: Int

    public init(onMissedTarget: Bool = true, bottomRanks: Int = 0) {
        self.onMissedTarget = onMissedTarget
        self.bottomRanks = bottomRanks
    }

    public enum Reason: Sendable, Equatable {
        case missedTarget(value: Double, target: IndicatorTarget)
        case bottomRank(rank: Int, of: Int)
    }

    public struct Finding: Sendable, Equatable {
        public let place: Int
        public let indicator: Int
        public let reasons: [Reason]
    }

    /// Every (place, indicator) of the period that needs rectification. `target` gives the target of an indicator in
    /// a place, if any. Only leaf indicators are checked: a task goes to the unit that owns the number.
    public func findings(in result: EvaluationResult, period t: Int,
                         target: (_ place: Int, _ indicator: Int) -> IndicatorTarget?) -> [Finding] {
        let engine = result.engine
        var findings: [Finding] = []
        for i in engine.system.indicators.indices where engine.children[i].isEmpty {
            let count = result.rankedCount(period: t, indicator: i)
            for p in 0..<result.placeCount {
                guard let value = result.value(period: t, place: p, indicator: i) else { continue }
                var reasons: [Reason] = []
                if onMissedTarget, let target = target(p, i), target.status(of: value) == .missed {
                    reasons.append(.missedTarget(value: value, target: target))
                }
                if bottomRanks > 0, count > bottomRanks, let rank = result.rank(period: t, place: p, indicator: i),
                   rank > count - bottomRanks {
                    reasons.append(.bottomRank(rank: rank, of: count))
                }
                if !reasons.isEmpty { findings.append(Finding(place: p, indicator: i, reasons: reasons)) }
            }
        }
        return findings
    }
}

extension RectificationRule.Reason {
    /// "未达到目标值（≥ 97%，实际 95.2%）" / "排名倒数（第13名 / 14）".
    public func label(unit: String) -> String {
        switch self {
        case .missedTarget(let value, let target):
            "未达到目标值（\(target.label(unit: unit))，实际 \(FactValue.format((value * 100).rounded() / 100))\(unit)）"
        case .bottomRank(let rank, let count):
            "排名靠后（第\(rank)名 / 共\(count)个）"
        }
    }
}

/// Whether a rectification worked, judged by the next period's value: against the target when there is one,
/// otherwise against the value that opened it.
public enum RectificationOutcome: Sendable, Equatable {
    case awaitingData
    case target(IndicatorTarget.Status)
    case improved, notImproved

    public init(before: Double?, after: Double?, target: IndicatorTarget?, direction: IndicatorDirection) {
        guard let after else { self = .awaitingData; return }
        if let target {
            self = .target(target.status(of: after))
        } else if let before {
            self = direction.prefers(after, over: before) ? .improved : .notImproved
        } else {
            self = .awaitingData
        }
    }

    /// "已达标" / "仍未达标" / "有改善" …; `next` names the period still awaited.
    public func label(next: EvaluationPeriod) -> String {
        switch self {
        case .awaitingData: "待\(next.label)数据"
        case .target(.met): "已达标"
        case .target(let status): "仍\(status.label)"
        case .improved: "有改善"
        case .notImproved: "未改善"
        }
    }

    /// The target status it amounts to (an improvement counts as met), nil while awaiting data.
    public var status: IndicatorTarget.Status? {
        switch self {
        case .awaitingData: nil
        case .target(let status): status
        case .improved: .met
        case .notImproved: .missed
        }
    }
}
