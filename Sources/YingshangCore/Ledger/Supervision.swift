import Foundation

/// Level of a supervision order (督办单), in increasing severity.
public enum SupervisionLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case reminder
    case supervision
    case listed

    public var label: String {
        switch self {
        case .reminder: return "提醒"
        case .supervision: return "督办"
        case .listed: return "挂牌督办"
        }
    }

    private var rank: Int {
        switch self {
        case .reminder: return 0
        case .supervision: return 1
        case .listed: return 2
        }
    }

    public static func < (lhs: SupervisionLevel, rhs: SupervisionLevel) -> Bool { lhs.rank < rhs.rank }
}

public enum SupervisionTrigger: String, Codable, Sendable, CaseIterable {
    case overdue = "task_overdue"
    case missedReports = "missed_reports"
    case returnedReports = "returned_reports"
    /// An appeal not signed or not answered within its time limit (诉求超期).
    case appealOverdue = "appeal_overdue"
    case manual

    public var label: String {
        switch self {
        case .overdue: return "任务逾期"
        case .missedReports: return "未按时报送进展"
        case .returnedReports: return "进展报告多次退回"
        case .appealOverdue: return "诉求超期"
        case .manual: return "人工发起"
        }
    }
}

/// Configurable rules that open supervision orders automatically. A nil level disables the rule.
public struct SupervisionRuleSet: Codable, Sendable, Equatable {
    public var overdue: SupervisionLevel?
    public var missedReportsThreshold: Int
    public var missedReportsLevel: SupervisionLevel?
    public var returnedReportsThreshold: Int
    public var returnedReportsLevel: SupervisionLevel?
    /// Rectification deadline (限期整改), in working days after the order is opened.
    public var rectificationWorkingDays: Int

    public init(overdue: SupervisionLevel? = .supervision,
                missedReportsThreshold: Int = 2, missedReportsLevel: SupervisionLevel? = .supervision,
                returnedReportsThreshold: Int = 2, returnedReportsLevel: SupervisionLevel? = .reminder,
                rectificationWorkingDays: Int = 10) {
        self.overdue = overdue
        self.missedReportsThreshold = missedReportsThreshold
        self.missedReportsLevel = missedReportsLevel
        self.returnedReportsThreshold = returnedReportsThreshold
        self.returnedReportsLevel = returnedReportsLevel
        self.rectificationWorkingDays = rectificationWorkingDays
    }

    public static let `default` = SupervisionRuleSet()

    /// Problems with admin-entered rules (Chinese); empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        if missedReportsThreshold < 1 { problems.append("未按时报送次数阈值应不少于 1 次") }
        if returnedReportsThreshold < 1 { problems.append("报告退回次数阈值应不少于 1 次") }
        if !(1...120).contains(rectificationWorkingDays) {
            problems.append("整改期限应在 1 至 120 个工作日之间，当前为 \(rectificationWorkingDays)")
        }
        return problems
    }
}

/// A supervision order the rules say should be opened.
public struct SupervisionProposal: Codable, Sendable, Hashable {
    /// Idempotency key; the server skips keys it already opened:
    /// "task_overdue:<taskID>:<deadline>", "missed_reports:<taskID>:<period>", "returned_reports:<taskID>:<count>".
    public var key: String
    public var taskID: String
    public var trigger: SupervisionTrigger
    public var level: SupervisionLevel
    /// Chinese reason with specifics.
    public var reason: String
    /// Rectification deadline (限期整改).
    public var rectifyBy: CivilDate
    /// The task's lead units.
    public var unitIDs: [String]

    public init(key: String, taskID: String, trigger: SupervisionTrigger, level: SupervisionLevel, reason: String,
                rectifyBy: CivilDate, unitIDs: [String]) {
        self.key = key
        self.taskID = taskID
        self.trigger = trigger
        self.level = level
        self.reason = reason
        self.rectifyBy = rectifyBy
        self.unitIDs = unitIDs
    }
}

public enum SupervisionRules {
    /// Orders the rules call for today. Completed/closed tasks get none.
    ///
    /// - Overdue: the task is past its dated deadline (per `TaskStatusRules`). One order per deadline:
    ///   if the deadline is moved and missed again, a new key results.
    /// - Missed reports: fires when the number of missed periods reaches the threshold, and again at every
    ///   further multiple (2, 4, 6 … missed); the key names the period that reached it. Only the latest is proposed.
    /// - Returned reports: `returnedCount` is the total number of returns of this task's reports; fires at
    ///   every multiple of the threshold, only the latest proposed.
    ///
    /// `rectifyBy` is `rectificationWorkingDays` working days after `today` (the day the server opens it).
    public static func proposals(task: TaskFacts, title: String, missedPeriods: [ReportPeriod], returnedCount: Int,
                                 today: CivilDate, rules: SupervisionRuleSet,
                                 calendar: WorkingCalendar) -> [SupervisionProposal] {
        guard !task.status.isDone else { return [] }
        let rectifyBy = calendar.addingWorkingDays(max(rules.rectificationWorkingDays, 1), to: today)
        var result: [SupervisionProposal] = []
        func add(_ key: String, _ trigger: SupervisionTrigger, _ level: SupervisionLevel, _ reason: String) {
            result.append(SupervisionProposal(key: key, taskID: task.taskID, trigger: trigger, level: level,
                                              reason: reason, rectifyBy: rectifyBy, unitIDs: task.leadUnitIDs))
        }

        if let level = rules.overdue, let deadline = task.deadline.date, today > deadline {
            let days = calendar.workingDays(between: deadline, and: today)
            add("\(SupervisionTrigger.overdue.rawValue):\(task.taskID):\(deadline.iso)", .overdue, level,
                "任务\(title) 已于 \(deadline.iso) 到期，至今未完成（已逾期 \(days) 个工作日）")
        }

        if let level = rules.missedReportsLevel {
            let threshold = max(rules.missedReportsThreshold, 1)
            let missed = missedPeriods.sorted()
            let groups = missed.count / threshold
            if groups > 0 {
                let reaching = missed[groups * threshold - 1]
                let recent = missed[(groups - 1) * threshold..<(groups * threshold)].map(\.label)
                    .joined(separator: "、")
                let reason = groups > 1
                    ? "任务\(title) 累计已有 \(groups * threshold) 个月未按时报送进展报告（最近为 \(recent)）"
                    : "任务\(title) 已有 \(threshold) 个月未按时报送进展报告（\(recent)）"
                add("\(SupervisionTrigger.missedReports.rawValue):\(task.taskID):\(reaching.key)", .missedReports, level,
                    reason)
            }
        }

        if let level = rules.returnedReportsLevel {
            let threshold = max(rules.returnedReportsThreshold, 1)
            let groups = returnedCount / threshold
            if groups > 0 {
                let count = groups * threshold
                add("\(SupervisionTrigger.returnedReports.rawValue):\(task.taskID):\(count)", .returnedReports, level,
                    "任务\(title) 的进展报告已累计被退回 \(count) 次，请按审核意见认真整改")
            }
        }
        return result
    }
}
