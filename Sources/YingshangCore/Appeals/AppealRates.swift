import Foundation

/// Counts per unit behind the rates.
public struct AppealUnitFacts: Codable, Sendable, Equatable {
    public var unitID: String
    /// Appeals this unit was dispatched as lead unit.
    public var dispatched: Int
    /// Of those, signed no later than the signing deadline set at dispatch (`AppealDeadlines.signBy`).
    public var signedOnTime: Int
    /// Appeals led by this unit that were closed.
    public var closed: Int
    /// Of those, closed with outcome 已解决.
    public var resolved: Int
    /// Appeals led by this unit that the appellant rated.
    public var rated: Int
    /// Of those, 满意 or 基本满意.
    public var satisfied: Int

    public init(unitID: String, dispatched: Int = 0, signedOnTime: Int = 0, closed: Int = 0, resolved: Int = 0,
                rated: Int = 0, satisfied: Int = 0) {
        self.unitID = unitID
        self.dispatched = dispatched
        self.signedOnTime = signedOnTime
        self.closed = closed
        self.resolved = resolved
        self.rated = rated
        self.satisfied = satisfied
    }
}

/// One rate with its numerator and denominator; `value` is nil when the denominator is 0.
public struct AppealRate: Codable, Sendable, Equatable {
    public var numerator: Int
    public var denominator: Int
    /// 0…1.
    public var value: Double?
    /// e.g. "85.7%", or "—" when not computable.
    public var percentText: String
    /// Chinese explanation, e.g. "响应率 85.7%：按时签收 6 件 / 派单 7 件".
    public var explanation: String

    public init(name: String, numerator: Int, denominator: Int, numeratorLabel: String, denominatorLabel: String,
                emptyText: String) {
        self.numerator = numerator
        self.denominator = denominator
        if denominator > 0 {
            let v = Double(numerator) / Double(denominator)
            value = v
            percentText = AppealRate.percent(v)
            explanation = "\(name) \(percentText)：\(numeratorLabel) \(numerator) 件 / \(denominatorLabel) \(denominator) 件"
        } else {
            value = nil
            percentText = "—"
            explanation = "\(name)：\(emptyText)，暂无法计算"
        }
    }

    /// One decimal place, e.g. 0.8571 → "85.7%".
    public static func percent(_ v: Double) -> String {
        let tenths = Int((v * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

/// 响应率 / 解决率 / 满意率 of one unit.
public struct AppealRates: Codable, Sendable, Equatable {
    public var unitID: String
    /// 响应率 = signed within the signing limit / dispatched (returns count as not signed).
    public var response: AppealRate
    /// 解决率 = closed with outcome 已解决 / closed.
    public var resolution: AppealRate
    /// 满意率 = (满意 + 基本满意) / rated.
    public var satisfaction: AppealRate

    public init(facts f: AppealUnitFacts) {
        unitID = f.unitID
        response = AppealRate(name: "响应率", numerator: f.signedOnTime, denominator: f.dispatched,
                              numeratorLabel: "按时签收", denominatorLabel: "派单", emptyText: "本期无派单")
        resolution = AppealRate(name: "解决率", numerator: f.resolved, denominator: f.closed,
                                numeratorLabel: "已解决", denominatorLabel: "办结", emptyText: "本期无办结诉求")
        satisfaction = AppealRate(name: "满意率", numerator: f.satisfied, denominator: f.rated,
                                  numeratorLabel: "满意及基本满意", denominatorLabel: "参评",
                                  emptyText: "本期无诉求人评价")
    }
}
