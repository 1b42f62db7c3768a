import Foundation

// MARK: - Policy

/// Configurable monthly dispatch (逐月调度) settings.
public struct ReportingPolicy: Codable, Sendable, Equatable {
    /// The report for month M is due on the N-th working day of month M+1.
    public var dueWorkingDay: Int
    /// Report reminders go out this many working days before the due date.
    public var reminderLeadWorkingDays: Int
    /// Deadline reminders go out this many working days before a task's deadline.
    public var deadlineReminderLeadWorkingDays: Int

    public init(dueWorkingDay: Int = 5, reminderLeadWorkingDays: Int = 2, deadlineReminderLeadWorkingDays: Int = 5) {
        self.dueWorkingDay = dueWorkingDay
        self.reminderLeadWorkingDays = reminderLeadWorkingDays
        self.deadlineReminderLeadWorkingDays = deadlineReminderLeadWorkingDays
    }

    public static let `default` = ReportingPolicy()

    private enum CodingKeys: String, CodingKey {
        case dueWorkingDay, reminderLeadWorkingDays, deadlineReminderLeadWorkingDays
    }

    /// Missing keys take their defaults, so stored settings survive new fields.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ReportingPolicy()
        dueWorkingDay = try c.decodeIfPresent(Int.self, forKey: .dueWorkingDay) ?? d.dueWorkingDay
        reminderLeadWorkingDays = try c.decodeIfPresent(Int.self, forKey: .reminderLeadWorkingDays)
            ?? d.reminderLeadWorkingDays
        deadlineReminderLeadWorkingDays = try c.decodeIfPresent(Int.self, forKey: .deadlineReminderLeadWorkingDays)
            ?? d.deadlineReminderLeadWorkingDays
    }

    /// Problems with an admin-entered policy, as Chinese messages; empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        if !(1...15).contains(dueWorkingDay) {
            problems.append("报送截止日应为次月第 1 至第 15 个工作日，当前为第 \(dueWorkingDay) 个")
        }
        if !(0...20).contains(reminderLeadWorkingDays) {
            problems.append("报送提醒提前天数应在 0 至 20 个工作日之间，当前为 \(reminderLeadWorkingDays)")
        }
        if !(0...60).contains(deadlineReminderLeadWorkingDays) {
            problems.append("到期提醒提前天数应在 0 至 60 个工作日之间，当前为 \(deadlineReminderLeadWorkingDays)")
        }
        return problems
    }
}

// MARK: - Period

/// A reporting month. Encoded as "2023-07"; usable as a JSON object key.
public struct ReportPeriod: Codable, Sendable, Hashable, Comparable, CustomStringConvertible, CodingKeyRepresentable {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public init(containing date: CivilDate) {
        self.year = date.year
        self.month = date.month
    }

    /// Parses "2023-07".
    public init?(key: String) {
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    /// "2023-07", used in idempotency keys.
    public var key: String { start.iso.prefix(7).description }

    /// "2023年7月"
    public var label: String { "\(year)年\(month)月" }

    public var description: String { key }

    public var start: CivilDate { CivilDate(year: year, month: month, day: 1)! }
    public var end: CivilDate { start.endOfMonth }

    public var next: ReportPeriod { ReportPeriod(containing: end.adding(days: 1)) }
    public var previous: ReportPeriod { ReportPeriod(containing: start.adding(days: -1)) }

    /// Every month touched by `from...through`, in order; empty when `from > through`.
    public static func periods(from: CivilDate, through: CivilDate) -> [ReportPeriod] {
        guard from <= through else { return [] }
        var result: [ReportPeriod] = []
        var p = ReportPeriod(containing: from)
        let last = ReportPeriod(containing: through)
        while p <= last {
            result.append(p)
            p = p.next
        }
        return result
    }

    public static func < (lhs: ReportPeriod, rhs: ReportPeriod) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let p = ReportPeriod(key: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "报送期次无效：“\(s)”，应为 YYYY-MM 格式")
        }
        self = p
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(key)
    }

    public var codingKey: CodingKey { PeriodCodingKey(stringValue: key) }

    public init?<T: CodingKey>(codingKey: T) {
        self.init(key: codingKey.stringValue)
    }

    private struct PeriodCodingKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

// MARK: - Report states

/// Review state of a monthly progress report.
public enum ReportState: String, Codable, Sendable, CaseIterable {
    case draft, submitted, returned, accepted

    public var label: String {
        switch self {
        case .draft: return "草稿"
        case .submitted: return "已报送"
        case .returned: return "已退回"
        case .accepted: return "已通过"
        }
    }
}

/// Progress claimed in a report.
public enum ProgressStatus: String, Codable, Sendable, CaseIterable {
    case onTrack = "on_track"
    case behind
    case done

    public var label: String {
        switch self {
        case .onTrack: return "按计划推进"
        case .behind: return "滞后"
        case .done: return "已完成"
        }
    }
}

/// An action on a report.
public enum ReportAction: String, Codable, Sendable, CaseIterable {
    /// The lead unit files (or re-files after a return).
    case submit
    /// The office accepts.
    case accept
    /// The office returns it with comments.
    case `return`
    /// The lead unit starts revising a returned report (back to draft).
    case revise

    public var label: String {
        switch self {
        case .submit: return "报送"
        case .accept: return "审核通过"
        case .return: return "退回"
        case .revise: return "修改"
        }
    }
}

public enum ReportReviewRules {
    /// The state after `action`, or a Chinese reason why it is not possible.
    /// Returning requires a non-blank comment.
    public static func apply(_ action: ReportAction, to state: ReportState, comment: String? = nil)
        -> Result<ReportState, ReportActionRefusal>
    {
        switch (state, action) {
        case (.draft, .submit), (.returned, .submit):
            return .success(.submitted)
        case (.submitted, .accept):
            return .success(.accepted)
        case (.submitted, .return):
            let text = comment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !text.isEmpty else { return .failure(ReportActionRefusal(reason: "退回报告时必须填写审核意见")) }
            return .success(.returned)
        case (.returned, .revise):
            return .success(.draft)
        case (.accepted, _):
            return .failure(ReportActionRefusal(reason: "报告已审核通过，不能再\(action.label)"))
        default:
            return .failure(ReportActionRefusal(reason: "“\(state.label)”状态的报告不能\(action.label)"))
        }
    }

    /// Problems with a report's content before it is submitted (Chinese); empty when valid.
    public static func validate(progress: ProgressStatus, workDone: String, percentComplete: Int) -> [String] {
        var problems: [String] = []
        if workDone.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append("请填写本月工作进展")
        }
        if !(0...100).contains(percentComplete) {
            problems.append("完成比例应在 0% 至 100% 之间")
        } else if progress == .done && percentComplete != 100 {
            problems.append("进展为“已完成”时，完成比例应为 100%")
        } else if progress != .done && percentComplete == 100 {
            problems.append("完成比例为 100% 时，进展应选择“已完成”")
        }
        return problems
    }
}

public struct ReportActionRefusal: Error, Sendable, Equatable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

// MARK: - Reporting rules

public enum ReportingRules {
    /// The report for `period` is due on the `policy.dueWorkingDay`-th working day of the following month
    /// (holidays skipped, make-up working days counted).
    public static func dueDate(for period: ReportPeriod, policy: ReportingPolicy, calendar: WorkingCalendar) -> CivilDate {
        let n = period.next
        return calendar.nthWorkingDay(max(policy.dueWorkingDay, 1), ofMonth: n.year, n.month)
    }

    /// The periods a task must report for as of `today`, in order.
    ///
    /// A period P is required when all hold:
    /// - P is not before the month of `createdOn` (a task created mid-month reports for that month);
    /// - P's due date is today or earlier;
    /// - the task was open at the start of P (or was created during P): not completed before P's first day.
    ///   A task completed during P still reports for P (its final report).
    ///
    /// A completed/closed task without a completion date requires nothing (the server always sets it).
    public static func requiredPeriods(task: TaskFacts, today: CivilDate, policy: ReportingPolicy,
                                       calendar: WorkingCalendar) -> [ReportPeriod] {
        if task.status.isDone && task.completedOn == nil { return [] }
        var result: [ReportPeriod] = []
        var p = ReportPeriod(containing: task.createdOn)
        while dueDate(for: p, policy: policy, calendar: calendar) <= today {
            if let done = task.effectiveCompletedOn, done < p.start { break }
            result.append(p)
            p = p.next
        }
        return result
    }

    /// Late: submitted after the due date, or not submitted and the due date has passed.
    public static func isLate(submittedOn: CivilDate?, period: ReportPeriod, policy: ReportingPolicy,
                              calendar: WorkingCalendar, today: CivilDate) -> Bool {
        let due = dueDate(for: period, policy: policy, calendar: calendar)
        if let s = submittedOn { return s > due }
        return today > due
    }

    /// Missed = required period with no report submitted by its due date
    /// (not submitted once the due date has passed, or submitted late).
    public static func missedPeriods(task: TaskFacts, submissions: [ReportPeriod: CivilDate], today: CivilDate,
                                     policy: ReportingPolicy, calendar: WorkingCalendar) -> [ReportPeriod] {
        requiredPeriods(task: task, today: today, policy: policy, calendar: calendar).filter {
            isLate(submittedOn: submissions[$0], period: $0, policy: policy, calendar: calendar, today: today)
        }
    }
}
