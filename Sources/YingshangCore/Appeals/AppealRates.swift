import Foundation

/// One dispatch of an appeal to one unit (lead or assisting); a re-dispatch or reopen is a new dispatch.
public struct AppealDispatchFact: Codable, Sendable, Equatable {
    public var unitID: String
    public var dispatchedOn: CivilDate
    /// Nil when the unit never signed (e.g. it returned the appeal).
    public var signedOn: CivilDate?

    public init(unitID: String, dispatchedOn: CivilDate, signedOn: CivilDate? = nil) {
        self.unitID = unitID
        self.dispatchedOn = dispatchedOn
        self.signedOn = signedOn
    }
}

/// Plain facts of one appeal for the unit rates.
public struct AppealRecordFacts: Codable, Sendable, Equatable {
    public var number: String
    /// 主办单位 of the final round; closure, outcome and rating count for this unit. Nil for direct answers.
    public var leadUnitID: String?
    public var dispatches: [AppealDispatchFact]
    /// Set once closed (办结).
    public var outcome: AppealOutcome?
    /// The appellant's latest rating, if any.
    public var satisfaction: AppealSatisfaction?

    public init(number: String, leadUnitID: String?, dispatches: [AppealDispatchFact] = [],
                outcome: AppealOutcome? = nil, satisfaction: AppealSatisfaction? = nil) {
        self.number = number
        self.leadUnitID = leadUnitID
        self.dispatches = dispatches
        self.outcome = outcome
        self.satisfaction = satisfaction
    }
}

/// Counts per unit behind the rates.
public struct AppealUnitFacts: Codable, Sendable, Equatable {
    public var unitID: String
    /// Dispatches to this unit (as lead or assisting; returned ones included).
    public var dispatched: Int
    /// Of those, signed no later than `AppealDeadlines.signBy`.
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

    /// Counts per unit, sorted by unit ID.
    public static func tally(_ records: [AppealRecordFacts], limits: AppealTimeLimits,
                             calendar: WorkingCalendar) -> [AppealUnitFacts] {
        var byUnit: [String: AppealUnitFacts] = [:]
        func update(_ id: String, _ change: (inout AppealUnitFacts) -> Void) {
            var f = byUnit[id] ?? AppealUnitFacts(unitID: id)
            change(&f)
            byUnit[id] = f
        }
        for r in records {
            for d in r.dispatches {
                let due = AppealDeadlines.signBy(dispatchedOn: d.dispatchedOn, limits: limits, calendar: calendar)
                update(d.unitID) { f in
                    f.dispatched += 1
                    if let s = d.signedOn, s <= due { f.signedOnTime += 1 }
                }
            }
            guard let lead = r.leadUnitID else { continue }
            if let outcome = r.outcome {
                update(lead) { f in
                    f.closed += 1
                    if outcome == .resolved { f.resolved += 1 }
                }
            }
            if let s = r.satisfaction {
                update(lead) { f in
                    f.rated += 1
                    if s.isSatisfied { f.satisfied += 1 }
                }
            }
        }
        return byUnit.values.sorted { $0.unitID < $1.unitID }
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

    /// Rates per unit (sorted by unit ID).
    public static func compute(_ records: [AppealRecordFacts], limits: AppealTimeLimits,
                               calendar: WorkingCalendar) -> [AppealRates] {
        AppealUnitFacts.tally(records, limits: limits, calendar: calendar).map(AppealRates.init(facts:))
    }
}
