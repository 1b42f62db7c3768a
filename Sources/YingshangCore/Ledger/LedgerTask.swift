import Foundation

// MARK: - Task status

/// Status of a work task (工作任务) in the ledger.
public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case completed
    case overdue
    case closed

    public var label: String {
        switch self {
        case .notStarted: return "未启动"
        case .inProgress: return "推进中"
        case .completed: return "已完成"
        case .overdue: return "已逾期"
        case .closed: return "已销号"
        }
    }

    /// Completed or closed (已完成 / 已销号): no more reports, reminders or supervision.
    public var isDone: Bool { self == .completed || self == .closed }
}

// MARK: - Deadline

/// A task's deadline (完成时限): a date, ongoing (长期/持续) or none given.
///
/// Encoded as a single string: "2023-07-31", "ongoing" or "none".
public enum TaskDeadline: Codable, Sendable, Hashable {
    case date(CivilDate)
    case ongoing
    case none

    public var label: String {
        switch self {
        case .date(let d): return d.iso
        case .ongoing: return "长期"
        case .none: return "—"
        }
    }

    /// The deadline date, if it is a dated deadline.
    public var date: CivilDate? {
        if case .date(let d) = self { return d }
        return nil
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        switch string {
        case "ongoing": self = .ongoing
        case "none", "": self = .none
        default:
            guard let d = CivilDate(iso: string) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "完成时限无效：“\(string)”，应为 YYYY-MM-DD、ongoing 或 none")
            }
            self = .date(d)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .date(let d): try container.encode(d.iso)
        case .ongoing: try container.encode("ongoing")
        case .none: try container.encode("none")
        }
    }
}

// MARK: - Facts

/// What the rules need to know about one task.
public struct TaskFacts: Sendable, Equatable {
    public var taskID: String
    public var deadline: TaskDeadline
    /// The status as stored (may be stale; see `TaskStatusRules.status(for:hasReports:today:)`).
    public var status: TaskStatus
    /// Day the task was completed; only meaningful while `status` is completed or closed.
    public var completedOn: CivilDate?
    /// Day the task entered the ledger (the server passes the later of creation and plan publication).
    public var createdOn: CivilDate
    public var leadUnitIDs: [String]
    public var coUnitIDs: [String]

    public init(taskID: String, deadline: TaskDeadline, status: TaskStatus, completedOn: CivilDate? = nil,
                createdOn: CivilDate, leadUnitIDs: [String], coUnitIDs: [String] = []) {
        self.taskID = taskID
        self.deadline = deadline
        self.status = status
        self.completedOn = completedOn
        self.createdOn = createdOn
        self.leadUnitIDs = leadUnitIDs
        self.coUnitIDs = coUnitIDs
    }

    /// The completion date when the task is completed or closed, else nil.
    public var effectiveCompletedOn: CivilDate? { status.isDone ? completedOn : nil }

    /// Whether the task had been completed on or before `day`.
    func isCompleted(by day: CivilDate) -> Bool {
        guard let c = effectiveCompletedOn else { return false }
        return c <= day
    }
}

// MARK: - Status rules

/// Who asks for a manual status change.
public enum TransitionActor: String, Codable, Sendable, CaseIterable {
    /// The business-environment office (营商办).
    case office
    /// A lead unit (牵头单位).
    case leadUnit = "lead_unit"

    public var label: String {
        switch self {
        case .office: return "营商办"
        case .leadUnit: return "牵头单位"
        }
    }
}

public enum TaskStatusRules {
    /// The status a task should have today.
    ///
    /// - completed and closed stay as they are;
    /// - a dated deadline strictly before `today` (the deadline day itself is not overdue) makes the task overdue;
    /// - an overdue task whose deadline moved later (or became ongoing/none) goes back to in_progress,
    ///   or not_started if it never had a report;
    /// - not_started / in_progress stay otherwise.
    ///
    /// Deadlines are calendar dates: a deadline falling on a holiday is not extended.
    public static func status(for task: TaskFacts, hasReports: Bool, today: CivilDate) -> TaskStatus {
        if task.status.isDone { return task.status }
        if let d = task.deadline.date, today > d { return .overdue }
        if task.status == .overdue { return hasReports ? .inProgress : .notStarted }
        return task.status
    }

    /// Whether the task was completed on or before its dated deadline; nil if not completed
    /// (or no completion date is known) or when the deadline is not a date.
    public static func isCompletedOnTime(_ task: TaskFacts) -> Bool? {
        guard let done = task.effectiveCompletedOn, let d = task.deadline.date else { return nil }
        return done <= d
    }

    /// Working days the task is past its deadline as of `today` (0 on or before the deadline);
    /// nil when the deadline is not a date or the task was completed by `today`.
    public static func workingDaysOverdue(_ task: TaskFacts, today: CivilDate, calendar: WorkingCalendar) -> Int? {
        guard let d = task.deadline.date, !task.isCompleted(by: today),
              !(task.status.isDone && task.completedOn == nil) else { return nil }
        guard today > d else { return 0 }
        return calendar.workingDays(between: d, and: today)
    }

    /// Whether a manual transition is allowed at all (by the office, which may do everything a unit may).
    public static func canTransition(from: TaskStatus, to: TaskStatus) -> Bool {
        refusal(from: from, to: to, by: .office) == nil
    }

    /// Whether `actor` may change the status manually.
    public static func canTransition(from: TaskStatus, to: TaskStatus, by actor: TransitionActor) -> Bool {
        refusal(from: from, to: to, by: actor) == nil
    }

    /// Why a manual transition is refused (Chinese, for display), or nil when it is allowed.
    ///
    /// Allowed: not_started → in_progress / completed; in_progress → completed; overdue → completed
    /// (by the unit or the office); completed → closed (销号), completed → in_progress (reopen),
    /// closed → completed (undo 销号) by the office only. 已逾期 is never set or cleared by hand.
    public static func refusal(from: TaskStatus, to: TaskStatus, by actor: TransitionActor) -> String? {
        if from == to { return "任务已处于“\(to.label)”状态" }
        if to == .overdue { return "“已逾期”由系统根据完成时限自动判定，不能手动设置" }
        switch (from, to) {
        case (.notStarted, .inProgress), (.notStarted, .completed), (.inProgress, .completed), (.overdue, .completed):
            return nil
        case (.completed, .closed), (.completed, .inProgress), (.closed, .completed):
            if actor == .office { return nil }
            switch to {
            case .closed: return "只有营商办可以对任务销号"
            case .completed: return "只有营商办可以撤销销号"
            default: return "只有营商办可以重新打开已完成的任务"
            }
        case (.overdue, _):
            return "已逾期任务只能标记为已完成；如需解除逾期，请调整完成时限"
        case (.closed, _):
            return "已销号任务不能直接改为“\(to.label)”，请先撤销销号"
        case (_, .closed):
            return "只有已完成的任务才能销号"
        case (_, .notStarted):
            return "任务已开始推进，不能退回“未启动”"
        default:
            return "不能将任务从“\(from.label)”改为“\(to.label)”"
        }
    }
}
