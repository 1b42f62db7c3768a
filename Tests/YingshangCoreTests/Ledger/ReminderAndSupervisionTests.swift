import Foundation
import Testing
@testable import YingshangCore

private func d(_ s: String) -> CivilDate {
    guard let date = CivilDate(iso: s) else { fatalError("bad test date \(s)") }
    return date
}

private func p(_ y: Int, _ m: Int) -> ReportPeriod { ReportPeriod(year: y, month: m)! }

private let cal = WorkingCalendar.china

private func task(_ id: String = "T1", deadline: TaskDeadline = .ongoing, status: TaskStatus = .inProgress,
                  completedOn: String? = nil, created: String = "2023-06-15") -> TaskFacts {
    TaskFacts(taskID: id, deadline: deadline, status: status, completedOn: completedOn.map(d), createdOn: d(created),
              leadUnitIDs: ["U1", "U3"], coUnitIDs: ["U2", "U1"])
}

private let titles = ["T1": "（一）市场准入退出", "T2": "（二）招标投标"]

@Suite("Ledger reminders")
struct ReminderTests {
    private func run(_ tasks: [TaskFacts], today: String, policy: ReportingPolicy = ReportingPolicy(),
                     submissions: [String: [ReportPeriod: CivilDate]] = [:]) -> [Reminder] {
        ReminderPlanner.reminders(tasks: tasks, titles: titles, submissions: submissions, today: d(today),
                                  policy: policy, calendar: cal)
    }

    @Test func reportReminderWindowAndMessage() {
        // July report due 2023-08-07 (Mon); 2 working days before = 08-03 (Thu).
        #expect(run([task()], today: "2023-08-02").isEmpty)
        let r = run([task()], today: "2023-08-03")
        #expect(r == [Reminder(key: "report:T1:2023-07", kind: .reportDue, taskID: "T1", dueOn: d("2023-08-07"),
                               unitIDs: ["U1", "U3"],
                               message: "任务（一）市场准入退出 的 2023年7月 进展报告将于 2023-08-07 截止，请按时报送")])
        // Weekend and due day still inside the window; same key (idempotent).
        #expect(run([task()], today: "2023-08-05") == r)
        #expect(run([task()], today: "2023-08-07") == r)
        #expect(run([task()], today: "2023-08-08").isEmpty)
        // Submitted: nothing to remind.
        #expect(run([task()], today: "2023-08-03", submissions: ["T1": [p(2023, 7): d("2023-08-01")]]).isEmpty)
        // Done tasks get nothing.
        #expect(run([task(status: .completed, completedOn: "2023-07-30")], today: "2023-08-03").isEmpty)
    }

    @Test func reportReminderAcrossNationalDay() {
        // September 2023 report due 10-11; 5 working days before: 10-10, 10-09, 10-08, 10-07, 09-28.
        let policy = ReportingPolicy(reminderLeadWorkingDays: 5)
        #expect(run([task()], today: "2023-09-27", policy: policy).isEmpty)
        let first = run([task()], today: "2023-09-28", policy: policy)
        #expect(first.map(\.key) == ["report:T1:2023-09"])
        #expect(first.first?.dueOn == d("2023-10-11"))
        #expect(run([task()], today: "2023-10-03", policy: policy) == first)
        #expect(run([task()], today: "2023-10-12", policy: policy).isEmpty)
    }

    @Test func reportReminderAcrossSpringFestival2024() {
        // January 2024 report due on the 9th working day of February: 02-18 (make-up Sunday after the holiday).
        let policy = ReportingPolicy(dueWorkingDay: 9, reminderLeadWorkingDays: 2)
        let t = task(created: "2023-12-01")
        #expect(run([t], today: "2024-02-07", policy: policy).isEmpty)
        #expect(run([t], today: "2024-02-08", policy: policy).map(\.key) == ["report:T1:2024-01"])
        #expect(run([t], today: "2024-02-14", policy: policy).map(\.dueOn) == [d("2024-02-18")])
        #expect(run([t], today: "2024-02-19", policy: policy).isEmpty)
    }

    @Test func deadlineReminderAcrossHoliday() {
        // Deadline 2023-10-09; 5 working days before: 10-08, 10-07, 09-28, 09-27, 09-26.
        let t = task(deadline: .date(d("2023-10-09")), created: "2023-09-20")
        #expect(run([t], today: "2023-09-25").isEmpty)
        let r = run([t], today: "2023-09-26")
        #expect(r == [Reminder(key: "deadline:T1:2023-10-09", kind: .deadlineApproaching, taskID: "T1",
                               dueOn: d("2023-10-09"), unitIDs: ["U1", "U3", "U2"],
                               message: "任务（一）市场准入退出 将于 2023-10-09 到期，请抓紧推进，确保按期完成")])
        #expect(run([t], today: "2023-10-09").map(\.key).contains("deadline:T1:2023-10-09"))
        #expect(!run([t], today: "2023-10-10").map(\.key).contains("deadline:T1:2023-10-09"))
        #expect(run([task(deadline: .date(d("2023-10-09")), status: .completed, completedOn: "2023-09-20")],
                    today: "2023-09-26").isEmpty)
    }

    @Test func sortedAndForNotYetCreatedPeriodsNothing() {
        // T2 created in August: no reminder for July's report.
        let t2 = TaskFacts(taskID: "T2", deadline: .date(d("2023-08-04")), status: .notStarted,
                           createdOn: d("2023-08-01"), leadUnitIDs: ["U9"])
        let r = run([task(), t2], today: "2023-08-03")
        #expect(r.map(\.key) == ["deadline:T2:2023-08-04", "report:T1:2023-07"])
        #expect(ReminderKind.allCases.map(\.label) == ["报送提醒", "到期提醒"])
    }
}

@Suite("Ledger supervision")
struct SupervisionTests {
    private let rules = SupervisionRuleSet.default

    private func proposals(_ t: TaskFacts, missed: [ReportPeriod] = [], returned: Int = 0, today: String,
                           rules: SupervisionRuleSet = .default) -> [SupervisionProposal] {
        SupervisionRules.proposals(task: t, title: "（一）市场准入退出", missedPeriods: missed, returnedCount: returned,
                                   today: d(today), rules: rules, calendar: cal)
    }

    @Test func levelsAndLabels() {
        #expect(SupervisionLevel.reminder < .supervision && SupervisionLevel.supervision < .listed)
        #expect(SupervisionLevel.allCases.map(\.label) == ["提醒", "督办", "挂牌督办"])
        #expect(SupervisionLevel.allCases.max() == .listed)
        #expect(SupervisionTrigger.overdue.rawValue == "task_overdue")
        #expect(rules.missedReportsThreshold == 2 && rules.returnedReportsThreshold == 2 && rules.rectificationWorkingDays == 10)
    }

    @Test func overdueRule() {
        let t = task(deadline: .date(d("2023-07-31")))
        #expect(proposals(t, today: "2023-07-31").isEmpty)
        let r = proposals(t, today: "2023-08-01")
        // 10 working days after 08-01: 02, 03, 04, 07, 08, 09, 10, 11, 14, 15.
        #expect(r == [SupervisionProposal(key: "task_overdue:T1:2023-07-31", taskID: "T1", trigger: .overdue,
                                          level: .supervision,
                                          reason: "任务（一）市场准入退出 已于 2023-07-31 到期，至今未完成（已逾期 1 个工作日）",
                                          rectifyBy: d("2023-08-15"), unitIDs: ["U1", "U3"])])
        // Rectification across National Day: opened 09-28 → 10-07, 08, 09, 10, 11, 12, 13(Fri), 16, 17, 18.
        #expect(proposals(t, today: "2023-09-28").first?.rectifyBy == d("2023-10-18"))
        // Disabled rule, ongoing and completed tasks: nothing.
        var off = rules
        off.overdue = nil
        #expect(proposals(t, today: "2023-08-01", rules: off).isEmpty)
        #expect(proposals(task(deadline: .ongoing), today: "2030-01-01").isEmpty)
        #expect(proposals(task(deadline: .date(d("2023-07-31")), status: .completed, completedOn: "2023-08-05"),
                          missed: [p(2023, 6), p(2023, 7)], returned: 5, today: "2023-09-01").isEmpty)
    }

    @Test func missedReportsFireAtExactlyTwo() {
        let t = task()
        #expect(proposals(t, missed: [p(2023, 6)], today: "2023-08-08").isEmpty)
        let two = proposals(t, missed: [p(2023, 7), p(2023, 6)], today: "2023-08-08")
        #expect(two.count == 1)
        #expect(two.first?.key == "missed_reports:T1:2023-07")
        #expect(two.first?.trigger == .missedReports)
        #expect(two.first?.reason == "任务（一）市场准入退出 已有 2 个月未按时报送进展报告（2023年6月、2023年7月）")
        // A third missed month does not produce a new order; the fourth does.
        #expect(proposals(t, missed: [p(2023, 6), p(2023, 7), p(2023, 8)], today: "2023-09-08").map(\.key)
            == ["missed_reports:T1:2023-07"])
        #expect(proposals(t, missed: [p(2023, 6), p(2023, 7), p(2023, 8), p(2023, 9)], today: "2023-10-12").map(\.key)
            == ["missed_reports:T1:2023-09"])
        #expect(proposals(t, missed: [p(2023, 6), p(2023, 7), p(2023, 8), p(2023, 9)], today: "2023-10-12").first?.reason
            == "任务（一）市场准入退出 累计已有 4 个月未按时报送进展报告（最近为 2023年8月、2023年9月）")
        var three = SupervisionRuleSet.default
        three.missedReportsThreshold = 3
        #expect(proposals(t, missed: [p(2023, 6), p(2023, 7)], today: "2023-09-08", rules: three).isEmpty)
    }

    @Test func missedReportsEndToEnd() {
        // Created 2023-06-15, nothing filed: June due 07-07, July due 08-07.
        let t = task()
        let policy = ReportingPolicy()
        func at(_ today: String) -> [SupervisionProposal] {
            let missed = ReportingRules.missedPeriods(task: t, submissions: [:], today: d(today), policy: policy, calendar: cal)
            return proposals(t, missed: missed, today: today)
        }
        #expect(at("2023-08-07").isEmpty)
        #expect(at("2023-08-08").map(\.key) == ["missed_reports:T1:2023-07"])
    }

    @Test func returnedTwice() {
        let t = task()
        #expect(proposals(t, returned: 0, today: "2023-08-08").isEmpty)
        #expect(proposals(t, returned: 1, today: "2023-08-08").isEmpty)
        let r = proposals(t, returned: 2, today: "2023-08-08")
        #expect(r.map(\.key) == ["returned_reports:T1:2"])
        #expect(r.first?.level == .reminder)
        #expect(r.first?.reason == "任务（一）市场准入退出 的进展报告已累计被退回 2 次，请按审核意见认真整改")
        #expect(proposals(t, returned: 3, today: "2023-08-09").map(\.key) == ["returned_reports:T1:2"])
        #expect(proposals(t, returned: 4, today: "2023-08-09").map(\.key) == ["returned_reports:T1:4"])
    }

    @Test func keysStableAcrossCalls() {
        let t = task(deadline: .date(d("2023-07-31")))
        let missed = [p(2023, 6), p(2023, 7)]
        let a = proposals(t, missed: missed, returned: 2, today: "2023-08-08")
        let b = proposals(t, missed: missed, returned: 2, today: "2023-08-08")
        let later = proposals(t, missed: missed, returned: 2, today: "2023-08-20")
        #expect(a == b)
        #expect(a.map(\.key) == ["task_overdue:T1:2023-07-31", "missed_reports:T1:2023-07", "returned_reports:T1:2"])
        #expect(later.map(\.key) == a.map(\.key))
        #expect(Set(a.map(\.key)).count == 3)
        // A moved and again missed deadline is a new order.
        let moved = task(deadline: .date(d("2023-09-30")))
        #expect(proposals(moved, today: "2023-10-09").map(\.key) == ["task_overdue:T1:2023-09-30"])
    }
}
