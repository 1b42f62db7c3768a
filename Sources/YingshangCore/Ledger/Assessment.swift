import Foundation

/// Configurable weights for unit assessment (绩效考评).
public struct AssessmentWeights: Codable, Sendable, Equatable {
    /// Points for reporting on time (rate × weight).
    public var reportsOnTime: Double
    /// Points for completing tasks on time (rate × weight).
    public var tasksOnTime: Double
    /// Deduction per supervision order received; 挂牌督办 counts double.
    public var supervisionPenaltyPerOrder: Double
    /// Deduction per returned report.
    public var returnPenaltyPerReport: Double
    /// Points for the appeals line (诉求办理), each rate × weight: 响应率, 解决率, 满意率 of appeals the unit handled.
    public var appealResponse: Double
    public var appealResolution: Double
    public var appealSatisfaction: Double

    public init(reportsOnTime: Double = 40, tasksOnTime: Double = 40, supervisionPenaltyPerOrder: Double = 5,
                returnPenaltyPerReport: Double = 2, appealResponse: Double = 5, appealResolution: Double = 5,
                appealSatisfaction: Double = 10) {
        self.reportsOnTime = reportsOnTime
        self.tasksOnTime = tasksOnTime
        self.supervisionPenaltyPerOrder = supervisionPenaltyPerOrder
        self.returnPenaltyPerReport = returnPenaltyPerReport
        self.appealResponse = appealResponse
        self.appealResolution = appealResolution
        self.appealSatisfaction = appealSatisfaction
    }

    /// Settings saved before a weight existed read that weight's default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AssessmentWeights()
        func value(_ key: CodingKeys, _ fallback: Double) throws -> Double {
            try container.decodeIfPresent(Double.self, forKey: key) ?? fallback
        }
        self.init(reportsOnTime: try value(.reportsOnTime, defaults.reportsOnTime),
                  tasksOnTime: try value(.tasksOnTime, defaults.tasksOnTime),
                  supervisionPenaltyPerOrder: try value(.supervisionPenaltyPerOrder, defaults.supervisionPenaltyPerOrder),
                  returnPenaltyPerReport: try value(.returnPenaltyPerReport, defaults.returnPenaltyPerReport),
                  appealResponse: try value(.appealResponse, defaults.appealResponse),
                  appealResolution: try value(.appealResolution, defaults.appealResolution),
                  appealSatisfaction: try value(.appealSatisfaction, defaults.appealSatisfaction))
    }

    public static let `default` = AssessmentWeights()

    /// Problems with admin-entered weights (Chinese); empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        let all: [(String, Double)] = [("按时报送分值", reportsOnTime), ("按期完成分值", tasksOnTime),
                                       ("每件督办扣分", supervisionPenaltyPerOrder), ("每次退回扣分", returnPenaltyPerReport),
                                       ("诉求响应率分值", appealResponse), ("诉求解决率分值", appealResolution),
                                       ("诉求满意率分值", appealSatisfaction)]
        for (name, value) in all where !(value.isFinite && value >= 0) {
            problems.append("\(name)应为不小于 0 的数值")
        }
        return problems
    }
}

/// One unit's facts for an assessment period.
public struct UnitPeriodFacts: Sendable, Equatable {
    public var unitID: String
    public var unitName: String
    public var reportsDue: Int
    public var reportsOnTime: Int
    /// Tasks led by the unit with a dated deadline within or before the period end.
    public var tasksDue: Int
    public var tasksCompletedOnTime: Int
    /// Levels of the supervision orders received in the period.
    public var supervisionOrders: [SupervisionLevel]
    public var reportsReturned: Int
    /// The unit's appeals of the period (dispatched, signed in time, closed, resolved, rated, satisfied).
    public var appeals: AppealUnitFacts

    public init(unitID: String, unitName: String, reportsDue: Int = 0, reportsOnTime: Int = 0, tasksDue: Int = 0,
                tasksCompletedOnTime: Int = 0, supervisionOrders: [SupervisionLevel] = [], reportsReturned: Int = 0,
                appeals: AppealUnitFacts? = nil) {
        self.unitID = unitID
        self.unitName = unitName
        self.reportsDue = reportsDue
        self.reportsOnTime = reportsOnTime
        self.tasksDue = tasksDue
        self.tasksCompletedOnTime = tasksCompletedOnTime
        self.supervisionOrders = supervisionOrders
        self.reportsReturned = reportsReturned
        self.appeals = appeals ?? AppealUnitFacts(unitID: unitID)
    }
}

extension UnitPeriodFacts {
    /// Facts from a bulletin row for the same period (reports and tasks on time), plus what the bulletin
    /// does not carry: the levels of the orders the unit received and how many of its reports were returned.
    public init(row: BulletinUnitRow, supervisionOrders: [SupervisionLevel], reportsReturned: Int,
                appeals: AppealUnitFacts? = nil) {
        self.init(unitID: row.unitID, unitName: row.unitName, reportsDue: row.reportsDue,
                  reportsOnTime: row.reportsOnTime, tasksDue: row.tasksDue, tasksCompletedOnTime: row.completedOnTime,
                  supervisionOrders: supervisionOrders, reportsReturned: reportsReturned, appeals: appeals)
    }
}

/// One item of the calculation, shown to users.
public struct AssessmentLine: Codable, Sendable, Equatable {
    /// Chinese item label, e.g. "按时报送".
    public var item: String
    /// Chinese explanation, e.g. "按时报送 9/10 = 90.0% × 40 分 = 36.0 分".
    public var detail: String
    /// Points (negative for deductions), rounded to 0.1.
    public var points: Double

    public init(item: String, detail: String, points: Double) {
        self.item = item
        self.detail = detail
        self.points = points
    }
}

public struct UnitAssessment: Codable, Sendable, Equatable {
    public var unitID: String
    public var unitName: String
    /// The lines add up to `total`.
    public var lines: [AssessmentLine]
    public var total: Double
    public var rank: Int
}

public enum Assessment {
    /// Scores every unit: on-time rates × weights (a unit with nothing due gets full marks for that item,
    /// explained), minus supervision and return deductions, plus the appeals line's three rates × weights, floored at 0 (an explicit line when it applies);
    /// each line rounded to 0.1. Ranked by total descending, ties share a rank (1, 2, 2, 4) and are
    /// ordered by unit name, then ID.
    public static func score(_ facts: [UnitPeriodFacts], weights: AssessmentWeights) -> [UnitAssessment] {
        let unranked = facts.map { f -> UnitAssessment in
            var lines: [AssessmentLine] = []
            lines.append(rateLine(item: "按时报送", verb: "按时报送", done: f.reportsOnTime, due: f.reportsDue,
                                  weight: weights.reportsOnTime, nothingDue: "本期无应报送的进展报告"))
            lines.append(rateLine(item: "按期完成", verb: "按期完成", done: f.tasksCompletedOnTime, due: f.tasksDue,
                                  weight: weights.tasksOnTime, nothingDue: "本期无到期任务"))

            let orders = f.supervisionOrders
            if orders.isEmpty {
                lines.append(AssessmentLine(item: "督办扣分", detail: "本期未被督办，不扣分", points: 0))
            } else {
                let counted = orders.reduce(0) { $0 + ($1 == .listed ? 2 : 1) }
                let parts = SupervisionLevel.allCases.compactMap { level -> String? in
                    let n = orders.filter { $0 == level }.count
                    guard n > 0 else { return nil }
                    return level == .listed ? "\(level.label) \(n) 件（每件按 2 件计）" : "\(level.label) \(n) 件"
                }
                let deduction = round1(Double(counted) * weights.supervisionPenaltyPerOrder)
                lines.append(AssessmentLine(
                    item: "督办扣分",
                    detail: "\(parts.joined(separator: "、"))，共计 \(counted) 件 × \(ledgerPoints(weights.supervisionPenaltyPerOrder)) 分，扣 \(fixed1(deduction)) 分",
                    points: negate(deduction)))
            }

            if f.reportsReturned == 0 {
                lines.append(AssessmentLine(item: "退回扣分", detail: "本期无报告被退回，不扣分", points: 0))
            } else {
                let deduction = round1(Double(f.reportsReturned) * weights.returnPenaltyPerReport)
                lines.append(AssessmentLine(
                    item: "退回扣分",
                    detail: "进展报告被退回 \(f.reportsReturned) 次 × \(ledgerPoints(weights.returnPenaltyPerReport)) 分，扣 \(fixed1(deduction)) 分",
                    points: negate(deduction)))
            }

            let a = f.appeals
            lines.append(rateLine(item: "诉求响应", verb: "按时签收", done: a.signedOnTime, due: a.dispatched,
                                  weight: weights.appealResponse, nothingDue: "本期无派单诉求"))
            lines.append(rateLine(item: "诉求解决", verb: "办结已解决", done: a.resolved, due: a.closed,
                                  weight: weights.appealResolution, nothingDue: "本期无办结诉求"))
            lines.append(rateLine(item: "诉求满意", verb: "满意及基本满意", done: a.satisfied, due: a.rated,
                                  weight: weights.appealSatisfaction, nothingDue: "本期无诉求评价"))

            var total = round1(lines.reduce(0) { $0 + $1.points })
            if total < 0 {
                lines.append(AssessmentLine(item: "保底调整", detail: "扣分后低于 0 分，按 0 分计",
                                            points: round1(-total)))
                total = 0
            }
            return UnitAssessment(unitID: f.unitID, unitName: f.unitName, lines: lines, total: total, rank: 0)
        }

        var sorted = unranked.sorted {
            if $0.total != $1.total { return $0.total > $1.total }
            if $0.unitName != $1.unitName { return $0.unitName < $1.unitName }
            return $0.unitID < $1.unitID
        }
        for i in sorted.indices {
            sorted[i].rank = (i > 0 && sorted[i].total == sorted[i - 1].total) ? sorted[i - 1].rank : i + 1
        }
        return sorted
    }

    private static func rateLine(item: String, verb: String, done: Int, due: Int, weight: Double,
                                 nothingDue: String) -> AssessmentLine {
        guard due > 0 else {
            return AssessmentLine(item: item, detail: "\(nothingDue)，按满分计 \(ledgerPoints(weight)) 分", points: round1(weight))
        }
        let clamped = min(max(done, 0), due)
        let rate = Double(clamped) / Double(due)
        let points = round1(rate * weight)
        return AssessmentLine(
            item: item,
            detail: "\(verb) \(clamped)/\(due) = \(fixed1(rate * 100))% × \(ledgerPoints(weight)) 分 = \(fixed1(points)) 分",
            points: points)
    }
}

// MARK: - Number helpers

/// Rounds half away from zero to one decimal.
func round1(_ x: Double) -> Double {
    let r = (x * 10).rounded(.toNearestOrAwayFromZero) / 10
    return r == 0 ? 0 : r  // no negative zero
}

func negate(_ x: Double) -> Double { x == 0 ? 0 : -x }

/// "90.0"
func fixed1(_ x: Double) -> String { String(format: "%.1f", round1(x)) }

/// "40" for whole numbers, else "37.5".
func ledgerPoints(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return String(format: "%g", x)
}
