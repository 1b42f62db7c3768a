import Foundation

public enum ReminderKind: String, Codable, Sendable, CaseIterable {
    case reportDue = "report_due"
    case deadlineApproaching = "deadline_approaching"

    public var label: String {
        switch self {
        case .reportDue: return "报送提醒"
        case .deadlineApproaching: return "到期提醒"
        }
    }
}

public struct Reminder: Codable, Sendable, Hashable {
    /// Stable idempotency key: "report:<taskID>:2023-07" or "deadline:<taskID>:2023-07-31".
    public var key: String
    public var kind: ReminderKind
    public var taskID: String
    public var dueOn: CivilDate
    public var unitIDs: [String]
    /// Chinese message for the units.
    public var message: String

    public init(key: String, kind: ReminderKind, taskID: String, dueOn: CivilDate, unitIDs: [String], message: String) {
        self.key = key
        self.kind = kind
        self.taskID = taskID
        self.dueOn = dueOn
        self.unitIDs = unitIDs
        self.message = message
    }
}

public enum ReminderPlanner {
    /// Reminders that should have gone out by `today`: those whose reminder day (N working days before the
    /// due date) is today or earlier while the due date is today or later. The message and key do not depend
    /// on `today`, so the server dedups by `key` and running twice sends nothing new.
    ///
    /// - Report reminders (to lead units) for a period the task must report for and has no submission yet.
    /// - Deadline reminders (to lead and co units) for dated deadlines of tasks not completed/closed.
    ///
    /// Sorted by due date, then key.
    public static func reminders(tasks: [TaskFacts], titles: [String: String],
                                 submissions: [String: [ReportPeriod: CivilDate]], today: CivilDate,
                                 policy: ReportingPolicy, calendar: WorkingCalendar) -> [Reminder] {
        var result: [Reminder] = []
        for task in tasks where !task.status.isDone {
            let title = titles[task.taskID] ?? task.taskID
            let subs = submissions[task.taskID] ?? [:]
            let firstPeriod = ReportPeriod(containing: task.createdOn)
            // Only last month's and this month's reports can still be due today or later.
            let current = ReportPeriod(containing: today)
            for period in [current.previous, current] where period >= firstPeriod && subs[period] == nil {
                let due = ReportingRules.dueDate(for: period, policy: policy, calendar: calendar)
                let remindOn = calendar.addingWorkingDays(-max(policy.reminderLeadWorkingDays, 0), to: due)
                guard remindOn <= today, today <= due else { continue }
                result.append(Reminder(
                    key: "report:\(task.taskID):\(period.key)", kind: .reportDue, taskID: task.taskID, dueOn: due,
                    unitIDs: task.leadUnitIDs,
                    message: "任务\(title) 的 \(period.label) 进展报告将于 \(due.iso) 截止，请按时报送"))
            }
            if let deadline = task.deadline.date {
                let remindOn = calendar.addingWorkingDays(-max(policy.deadlineReminderLeadWorkingDays, 0), to: deadline)
                if remindOn <= today, today <= deadline {
                    result.append(Reminder(
                        key: "deadline:\(task.taskID):\(deadline.iso)", kind: .deadlineApproaching,
                        taskID: task.taskID, dueOn: deadline,
                        unitIDs: ledgerUniqued(task.leadUnitIDs + task.coUnitIDs),
                        message: "任务\(title) 将于 \(deadline.iso) 到期，请抓紧推进，确保按期完成"))
                }
            }
        }
        return result.sorted { ($0.dueOn, $0.key) < ($1.dueOn, $1.key) }
    }
}

/// Removes duplicates, keeping the first occurrence.
func ledgerUniqued(_ ids: [String]) -> [String] {
    var seen = Set<String>()
    return ids.filter { seen.insert($0).inserted }
}
