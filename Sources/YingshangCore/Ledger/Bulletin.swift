import Foundation

/// The period a bulletin (通报) covers: a month or a quarter.
public struct BulletinPeriod: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case month, quarter
        public var label: String { self == .month ? "月度" : "季度" }
    }

    public var kind: Kind
    public var year: Int
    /// Month 1...12 or quarter 1...4.
    public var number: Int
    /// "2023年7月" / "2023年第三季度"
    public var label: String
    public var start: CivilDate
    public var end: CivilDate

    public static func month(year: Int, month: Int) -> BulletinPeriod? {
        guard let start = CivilDate(year: year, month: month, day: 1) else { return nil }
        return BulletinPeriod(kind: .month, year: year, number: month, label: "\(year)年\(month)月",
                              start: start, end: start.endOfMonth)
    }

    public static func quarter(year: Int, quarter: Int) -> BulletinPeriod? {
        guard (1...4).contains(quarter), let start = CivilDate(year: year, month: quarter * 3 - 2, day: 1) else {
            return nil
        }
        let names = ["一", "二", "三", "四"]
        return BulletinPeriod(kind: .quarter, year: year, number: quarter, label: "\(year)年第\(names[quarter - 1])季度",
                              start: start, end: start.endOfQuarter)
    }

    /// The monthly report periods inside this bulletin period.
    public var reportPeriods: [ReportPeriod] { ReportPeriod.periods(from: start, through: end) }
}

/// One row per lead unit, or the totals row (unitID "", unitName "合计").
public struct BulletinUnitRow: Codable, Sendable, Equatable {
    public var unitID: String
    public var unitName: String
    /// Tasks led (existing by the period end).
    public var tasks: Int
    /// Completed by the period end.
    public var completed: Int
    /// Tasks with a dated deadline on or before the period end (应完成).
    public var tasksDue: Int
    /// Of `tasksDue`, completed on or before their deadline.
    public var completedOnTime: Int
    /// Past their deadline and not completed as of the period end.
    public var overdue: Int
    /// completed / tasks; nil when no tasks.
    public var completionRate: Double?
    /// completedOnTime / tasksDue; nil when nothing was due.
    public var onTimeRate: Double?
    /// Monthly reports whose due date fell within the period.
    public var reportsDue: Int
    /// Of those, submitted by the due date.
    public var reportsOnTime: Int
    public var supervisionOpened: Int
    public var supervisionClosed: Int

    public init(unitID: String, unitName: String, tasks: Int = 0, completed: Int = 0, tasksDue: Int = 0,
                completedOnTime: Int = 0, overdue: Int = 0, completionRate: Double? = nil, onTimeRate: Double? = nil,
                reportsDue: Int = 0, reportsOnTime: Int = 0, supervisionOpened: Int = 0, supervisionClosed: Int = 0) {
        self.unitID = unitID
        self.unitName = unitName
        self.tasks = tasks
        self.completed = completed
        self.tasksDue = tasksDue
        self.completedOnTime = completedOnTime
        self.overdue = overdue
        self.completionRate = completionRate
        self.onTimeRate = onTimeRate
        self.reportsDue = reportsDue
        self.reportsOnTime = reportsOnTime
        self.supervisionOpened = supervisionOpened
        self.supervisionClosed = supervisionClosed
    }

    fileprivate mutating func finishRates() {
        completionRate = tasks > 0 ? Double(completed) / Double(tasks) : nil
        onTimeRate = tasksDue > 0 ? Double(completedOnTime) / Double(tasksDue) : nil
    }
}

public struct BulletinOverdueTask: Codable, Sendable, Equatable {
    public var taskID: String
    public var title: String
    public var deadline: CivilDate
    /// Working days past the deadline as of the period end.
    public var workingDaysOverdue: Int
    public var leadUnitIDs: [String]
    public var leadUnitNames: [String]
}

public struct BulletinFacts: Codable, Sendable, Equatable {
    public var period: BulletinPeriod
    /// Per lead unit, ordered by unit name then ID.
    public var rows: [BulletinUnitRow]
    /// Ordered by deadline, then title.
    public var overdueTasks: [BulletinOverdueTask]
    /// Each task, report and order counted once (unitID "", unitName "合计").
    public var totals: BulletinUnitRow
    public var supervisionOpened: Int
    public var supervisionClosed: Int
}

public typealias BulletinReport = (taskID: String, period: ReportPeriod, submittedOn: CivilDate?)
public typealias BulletinSupervision = (taskID: String, unitIDs: [String], openedOn: CivilDate, closedOn: CivilDate?)

public enum BulletinBuilder {
    /// Bulletin numbers as of the period end. A task counts for each of its lead units; tasks created after
    /// the period end are ignored. Reports count when their due date falls within the period and the task
    /// had to report for it (`ReportingRules.requiredPeriods`); several entries for one task and month use
    /// the earliest submission. Supervision orders count for their units when opened/closed within the period.
    public static func build(period: BulletinPeriod, tasks: [TaskFacts], titles: [String: String],
                             unitNames: [String: String], reports: [BulletinReport],
                             supervision: [BulletinSupervision], policy: ReportingPolicy,
                             calendar: WorkingCalendar) -> BulletinFacts {
        let asOf = period.end
        var rows: [String: BulletinUnitRow] = [:]
        var totals = BulletinUnitRow(unitID: "", unitName: "合计")
        func update(_ unitIDs: [String], _ change: (inout BulletinUnitRow) -> Void) {
            for id in ledgerUniqued(unitIDs) {
                change(&rows[id, default: BulletinUnitRow(unitID: id, unitName: unitNames[id] ?? id)])
            }
            change(&totals)
        }

        var firstSubmission: [String: [ReportPeriod: CivilDate]] = [:]
        for r in reports {
            guard let s = r.submittedOn else { continue }
            if let existing = firstSubmission[r.taskID]?[r.period], existing <= s { continue }
            firstSubmission[r.taskID, default: [:]][r.period] = s
        }

        var overdueTasks: [BulletinOverdueTask] = []
        for task in tasks where task.createdOn <= asOf {
            let completed = task.isCompleted(by: asOf)
            let deadline = task.deadline.date
            let isDue = deadline.map { $0 <= asOf } ?? false
            let onTime = isDue && completed && (TaskStatusRules.isCompletedOnTime(task) ?? false)
            // Closed/completed without a known date counts as done, never overdue.
            let knownDone = completed || (task.status.isDone && task.completedOn == nil)
            let isOverdue = (deadline.map { $0 < asOf } ?? false) && !knownDone
            update(task.leadUnitIDs) { row in
                row.tasks += 1
                if knownDone { row.completed += 1 }
                if isDue { row.tasksDue += 1 }
                if onTime { row.completedOnTime += 1 }
                if isOverdue { row.overdue += 1 }
            }
            if isOverdue, let deadline {
                overdueTasks.append(BulletinOverdueTask(
                    taskID: task.taskID, title: titles[task.taskID] ?? task.taskID, deadline: deadline,
                    workingDaysOverdue: calendar.workingDays(between: deadline, and: asOf),
                    leadUnitIDs: task.leadUnitIDs, leadUnitNames: task.leadUnitIDs.map { unitNames[$0] ?? $0 }))
            }

            let subs = firstSubmission[task.taskID] ?? [:]
            for p in ReportingRules.requiredPeriods(task: task, today: asOf, policy: policy, calendar: calendar) {
                let due = ReportingRules.dueDate(for: p, policy: policy, calendar: calendar)
                guard due >= period.start else { continue }
                let onTime = subs[p].map { $0 <= due } ?? false
                update(task.leadUnitIDs) { row in
                    row.reportsDue += 1
                    if onTime { row.reportsOnTime += 1 }
                }
            }
        }

        var opened = 0, closed = 0
        for order in supervision {
            if (period.start...asOf).contains(order.openedOn) {
                opened += 1
                update(order.unitIDs) { $0.supervisionOpened += 1 }
            }
            if let c = order.closedOn, (period.start...asOf).contains(c) {
                closed += 1
                update(order.unitIDs) { $0.supervisionClosed += 1 }
            }
        }

        var ordered = rows.values.sorted { ($0.unitName, $0.unitID) < ($1.unitName, $1.unitID) }
        for i in ordered.indices { ordered[i].finishRates() }
        totals.finishRates()
        overdueTasks.sort { ($0.deadline, $0.title, $0.taskID) < ($1.deadline, $1.title, $1.taskID) }
        return BulletinFacts(period: period, rows: ordered, overdueTasks: overdueTasks, totals: totals,
                             supervisionOpened: opened, supervisionClosed: closed)
    }
}
