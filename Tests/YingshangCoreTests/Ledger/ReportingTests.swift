import Foundation
import Testing
@testable import YingshangCore

private func d(_ s: String) -> CivilDate {
    guard let date = CivilDate(iso: s) else { fatalError("bad test date \(s)") }
    return date
}

private func p(_ y: Int, _ m: Int) -> ReportPeriod { ReportPeriod(year: y, month: m)! }

private let cal = WorkingCalendar.china
private let policy = ReportingPolicy()

private func task(_ id: String = "T1", deadline: TaskDeadline = .ongoing, status: TaskStatus = .inProgress,
                  completedOn: String? = nil, created: String) -> TaskFacts {
    TaskFacts(taskID: id, deadline: deadline, status: status, completedOn: completedOn.map(d), createdOn: d(created),
              leadUnitIDs: ["U1"], coUnitIDs: ["U2"])
}

@Suite("Ledger reporting")
struct ReportingTests {
    @Test func policyDefaultsAndDecoding() throws {
        #expect(policy.dueWorkingDay == 5 && policy.reminderLeadWorkingDays == 2 && policy.deadlineReminderLeadWorkingDays == 5)
        let decoded = try JSONDecoder().decode(ReportingPolicy.self, from: Data(#"{"dueWorkingDay":8}"#.utf8))
        #expect(decoded == ReportingPolicy(dueWorkingDay: 8))
        #expect(policy.validate().isEmpty)
        #expect(ReportingPolicy(dueWorkingDay: 0).validate().count == 1)
    }

    @Test func periods() throws {
        #expect(p(2023, 7).label == "2023年7月")
        #expect(p(2023, 7).key == "2023-07")
        #expect(p(2023, 12).next == p(2024, 1))
        #expect(p(2024, 1).previous == p(2023, 12))
        #expect(ReportPeriod(containing: d("2024-02-29")) == p(2024, 2))
        #expect(p(2024, 2).end == d("2024-02-29"))
        #expect(ReportPeriod(year: 2023, month: 13) == nil)
        #expect(ReportPeriod(key: "2023-7") == nil)
        #expect(ReportPeriod.periods(from: d("2023-11-15"), through: d("2024-02-01")) == [p(2023, 11), p(2023, 12), p(2024, 1), p(2024, 2)])
        #expect(ReportPeriod.periods(from: d("2023-11-15"), through: d("2023-11-20")) == [p(2023, 11)])
        #expect(ReportPeriod.periods(from: d("2023-11-15"), through: d("2023-10-20")).isEmpty)
        #expect(p(2023, 12) < p(2024, 1))
        // Usable as a JSON object key.
        let json = try JSONEncoder().encode([p(2023, 7): d("2023-08-03")])
        #expect(String(decoding: json, as: UTF8.self) == #"{"2023-07":"2023-08-03"}"#)
        #expect(try JSONDecoder().decode([ReportPeriod: CivilDate].self, from: json) == [p(2023, 7): d("2023-08-03")])
    }

    @Test func dueDatesSkipHolidays() {
        // August 2023: no holidays; 1st = Tue → 5th working day is Mon 08-07.
        #expect(ReportingRules.dueDate(for: p(2023, 7), policy: policy, calendar: cal) == d("2023-08-07"))
        // National Day 2023: 10-01…10-06 off, 10-07/10-08 make-up days → 7, 8, 9, 10, 11.
        #expect(ReportingRules.dueDate(for: p(2023, 9), policy: policy, calendar: cal) == d("2023-10-11"))
        #expect(ReportingRules.dueDate(for: p(2023, 9), policy: ReportingPolicy(dueWorkingDay: 1), calendar: cal) == d("2023-10-07"))
        // February 2024: 1, 2, 4 (Sun make-up), 5, 6 → 02-06.
        #expect(ReportingRules.dueDate(for: p(2024, 1), policy: policy, calendar: cal) == d("2024-02-06"))
        // …7, 8, 9 then Spring Festival 02-10…02-17 off, 02-18 (Sun) make-up → 9th working day.
        #expect(ReportingRules.dueDate(for: p(2024, 1), policy: ReportingPolicy(dueWorkingDay: 9), calendar: cal) == d("2024-02-18"))
        #expect(ReportingRules.dueDate(for: p(2024, 1), policy: ReportingPolicy(dueWorkingDay: 10), calendar: cal) == d("2024-02-19"))
        // Year boundary: December report is due in January.
        #expect(ReportingRules.dueDate(for: p(2023, 12), policy: policy, calendar: cal) == d("2024-01-08"))
    }

    @Test func requiredPeriodsForTaskCreatedMidMonth() {
        let t = task(created: "2023-07-20")
        // July's report is due 08-07: not yet required before that day, required on it.
        #expect(ReportingRules.requiredPeriods(task: t, today: d("2023-08-04"), policy: policy, calendar: cal).isEmpty)
        #expect(ReportingRules.requiredPeriods(task: t, today: d("2023-08-07"), policy: policy, calendar: cal) == [p(2023, 7)])
        #expect(ReportingRules.requiredPeriods(task: t, today: d("2023-09-06"), policy: policy, calendar: cal) == [p(2023, 7)])
        #expect(ReportingRules.requiredPeriods(task: t, today: d("2023-09-07"), policy: policy, calendar: cal) == [p(2023, 7), p(2023, 8)])
        // Across National Day: September's report becomes required on 10-11, not on 10-09.
        #expect(ReportingRules.requiredPeriods(task: t, today: d("2023-10-10"), policy: policy, calendar: cal).last == p(2023, 8))
        #expect(ReportingRules.requiredPeriods(task: t, today: d("2023-10-11"), policy: policy, calendar: cal).last == p(2023, 9))
    }

    @Test func requiredPeriodsStopAfterCompletion() {
        // Completed 2023-09-15: still reports for September (open at its start), nothing after.
        let t = task(status: .completed, completedOn: "2023-09-15", created: "2023-07-03")
        #expect(ReportingRules.requiredPeriods(task: t, today: d("2024-03-01"), policy: policy, calendar: cal)
            == [p(2023, 7), p(2023, 8), p(2023, 9)])
        // Completed on the first day of October: October is not required.
        let t2 = task(status: .closed, completedOn: "2023-10-01", created: "2023-07-03")
        #expect(ReportingRules.requiredPeriods(task: t2, today: d("2024-03-01"), policy: policy, calendar: cal).last == p(2023, 10))
        let t3 = task(status: .closed, completedOn: "2023-09-30", created: "2023-07-03")
        #expect(ReportingRules.requiredPeriods(task: t3, today: d("2024-03-01"), policy: policy, calendar: cal).last == p(2023, 9))
        // Reopened: the stale completion date is ignored.
        let reopened = task(status: .inProgress, completedOn: "2023-07-10", created: "2023-07-03")
        #expect(ReportingRules.requiredPeriods(task: reopened, today: d("2023-10-11"), policy: policy, calendar: cal).count == 3)
    }

    @Test func lateness() {
        let due = d("2023-10-11")
        #expect(!ReportingRules.isLate(submittedOn: due, period: p(2023, 9), policy: policy, calendar: cal, today: d("2023-12-01")))
        #expect(ReportingRules.isLate(submittedOn: due.adding(days: 1), period: p(2023, 9), policy: policy, calendar: cal, today: d("2023-12-01")))
        #expect(!ReportingRules.isLate(submittedOn: nil, period: p(2023, 9), policy: policy, calendar: cal, today: due))
        #expect(ReportingRules.isLate(submittedOn: nil, period: p(2023, 9), policy: policy, calendar: cal, today: d("2023-10-12")))
    }

    @Test func missedPeriods() {
        let t = task(created: "2023-06-15")
        // June due 07-07, July due 08-07, August due 09-07.
        let subs: [ReportPeriod: CivilDate] = [p(2023, 6): d("2023-07-07"), p(2023, 7): d("2023-08-08")]
        #expect(ReportingRules.missedPeriods(task: t, submissions: subs, today: d("2023-09-07"), policy: policy, calendar: cal)
            == [p(2023, 7)])
        #expect(ReportingRules.missedPeriods(task: t, submissions: subs, today: d("2023-09-08"), policy: policy, calendar: cal)
            == [p(2023, 7), p(2023, 8)])
        #expect(ReportingRules.missedPeriods(task: t, submissions: [:], today: d("2023-08-07"), policy: policy, calendar: cal)
            == [p(2023, 6)])
    }

    @Test func reportReview() {
        #expect(ReportReviewRules.apply(.submit, to: .draft) == .success(.submitted))
        #expect(ReportReviewRules.apply(.accept, to: .submitted) == .success(.accepted))
        #expect(ReportReviewRules.apply(.return, to: .submitted, comment: "请补充数据") == .success(.returned))
        #expect(ReportReviewRules.apply(.return, to: .submitted, comment: "  ")
            == .failure(ReportActionRefusal(reason: "退回报告时必须填写审核意见")))
        #expect(ReportReviewRules.apply(.revise, to: .returned) == .success(.draft))
        #expect(ReportReviewRules.apply(.submit, to: .returned) == .success(.submitted))
        #expect(ReportReviewRules.apply(.return, to: .accepted, comment: "x")
            == .failure(ReportActionRefusal(reason: "报告已审核通过，不能再退回")))
        #expect(ReportReviewRules.apply(.accept, to: .draft)
            == .failure(ReportActionRefusal(reason: "“草稿”状态的报告不能审核通过")))
        #expect(ReportState.allCases.map(\.label) == ["草稿", "已报送", "已退回", "已通过"])
        #expect(ProgressStatus.allCases.map(\.label) == ["按计划推进", "滞后", "已完成"])
        #expect(ReportReviewRules.validate(progress: .onTrack, workDone: "完成调研", percentComplete: 40).isEmpty)
        #expect(ReportReviewRules.validate(progress: .done, workDone: "完成", percentComplete: 90)
            == ["进展为“已完成”时，完成比例应为 100%"])
        #expect(ReportReviewRules.validate(progress: .behind, workDone: " ", percentComplete: 120).count == 2)
    }
}
