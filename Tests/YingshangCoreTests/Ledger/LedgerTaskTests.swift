import Foundation
import Testing
@testable import YingshangCore

private func d(_ s: String) -> CivilDate {
    guard let date = CivilDate(iso: s) else { fatalError("bad test date \(s)") }
    return date
}

private func task(_ id: String = "T1", deadline: TaskDeadline, status: TaskStatus = .inProgress,
                  completedOn: String? = nil, created: String = "2023-01-10") -> TaskFacts {
    TaskFacts(taskID: id, deadline: deadline, status: status, completedOn: completedOn.map(d), createdOn: d(created),
              leadUnitIDs: ["U1"], coUnitIDs: ["U2"])
}

@Suite("Ledger task status")
struct LedgerTaskStatusTests {
    @Test func labels() {
        #expect(TaskStatus.allCases.map(\.label) == ["未启动", "推进中", "已完成", "已逾期", "已销号"])
        #expect(TaskStatus.notStarted.rawValue == "not_started")
        #expect(TaskDeadline.date(d("2023-07-31")).label == "2023-07-31")
        #expect(TaskDeadline.ongoing.label == "长期")
        #expect(TaskDeadline.none.label == "—")
    }

    @Test func overdueExactlyOnTheDayAfterTheDeadline() {
        let t = task(deadline: .date(d("2023-07-31")))
        #expect(TaskStatusRules.status(for: t, hasReports: true, today: d("2023-07-30")) == .inProgress)
        #expect(TaskStatusRules.status(for: t, hasReports: true, today: d("2023-07-31")) == .inProgress)
        #expect(TaskStatusRules.status(for: t, hasReports: true, today: d("2023-08-01")) == .overdue)
        let notStarted = task(deadline: .date(d("2023-07-31")), status: .notStarted)
        #expect(TaskStatusRules.status(for: notStarted, hasReports: false, today: d("2023-08-01")) == .overdue)
    }

    @Test func deadlineBeforeNationalDayCheckedOnMakeUpWorkingDay() {
        // 2023-09-28 (Thu) deadline; 09-29…10-06 holiday; 10-07 (Sat) and 10-08 (Sun) are make-up working days.
        let t = task(deadline: .date(d("2023-09-28")))
        let cal = WorkingCalendar.china
        #expect(TaskStatusRules.status(for: t, hasReports: true, today: d("2023-09-28")) == .inProgress)
        #expect(TaskStatusRules.status(for: t, hasReports: true, today: d("2023-10-08")) == .overdue)
        #expect(TaskStatusRules.workingDaysOverdue(t, today: d("2023-10-08"), calendar: cal) == 2)
        #expect(TaskStatusRules.workingDaysOverdue(t, today: d("2023-10-06"), calendar: cal) == 0)
        #expect(TaskStatusRules.workingDaysOverdue(t, today: d("2023-10-09"), calendar: cal) == 3)
        #expect(TaskStatusRules.workingDaysOverdue(t, today: d("2023-09-28"), calendar: cal) == 0)
        let done = task(deadline: .date(d("2023-09-28")), status: .completed, completedOn: "2023-10-07")
        #expect(TaskStatusRules.workingDaysOverdue(done, today: d("2023-10-08"), calendar: cal) == nil)
        #expect(TaskStatusRules.workingDaysOverdue(task(deadline: .ongoing), today: d("2030-01-01"), calendar: cal) == nil)
    }

    @Test func ongoingAndUndatedTasksAreNeverOverdue() {
        for deadline in [TaskDeadline.ongoing, .none] {
            for today in ["2023-01-01", "2030-12-31", "2099-06-30"] {
                #expect(TaskStatusRules.status(for: task(deadline: deadline), hasReports: true, today: d(today)) == .inProgress)
                #expect(TaskStatusRules.status(for: task(deadline: deadline, status: .notStarted), hasReports: false,
                                               today: d(today)) == .notStarted)
            }
        }
    }

    @Test func completedAndClosedStay() {
        let done = task(deadline: .date(d("2023-07-31")), status: .completed, completedOn: "2023-08-10")
        #expect(TaskStatusRules.status(for: done, hasReports: true, today: d("2023-09-01")) == .completed)
        let closed = task(deadline: .date(d("2023-07-31")), status: .closed, completedOn: "2023-07-01")
        #expect(TaskStatusRules.status(for: closed, hasReports: true, today: d("2023-09-01")) == .closed)
    }

    @Test func overdueTaskWithMovedDeadlineGoesBack() {
        let moved = task(deadline: .date(d("2023-12-31")), status: .overdue)
        #expect(TaskStatusRules.status(for: moved, hasReports: true, today: d("2023-09-01")) == .inProgress)
        #expect(TaskStatusRules.status(for: moved, hasReports: false, today: d("2023-09-01")) == .notStarted)
        let ongoing = task(deadline: .ongoing, status: .overdue)
        #expect(TaskStatusRules.status(for: ongoing, hasReports: true, today: d("2023-09-01")) == .inProgress)
        // Still past the moved deadline: stays overdue.
        #expect(TaskStatusRules.status(for: moved, hasReports: true, today: d("2024-01-01")) == .overdue)
    }

    @Test func completedOnTime() {
        let deadline = TaskDeadline.date(d("2023-07-31"))
        #expect(TaskStatusRules.isCompletedOnTime(task(deadline: deadline, status: .completed, completedOn: "2023-07-31")) == true)
        #expect(TaskStatusRules.isCompletedOnTime(task(deadline: deadline, status: .completed, completedOn: "2023-08-01")) == false)
        #expect(TaskStatusRules.isCompletedOnTime(task(deadline: deadline, status: .closed, completedOn: "2023-07-01")) == true)
        #expect(TaskStatusRules.isCompletedOnTime(task(deadline: deadline)) == nil)
        // Reopened: a stale completion date no longer counts.
        #expect(TaskStatusRules.isCompletedOnTime(task(deadline: deadline, status: .inProgress, completedOn: "2023-07-01")) == nil)
        #expect(TaskStatusRules.isCompletedOnTime(task(deadline: .ongoing, status: .completed, completedOn: "2023-07-01")) == nil)
        #expect(TaskStatusRules.isCompletedOnTime(task(deadline: .none, status: .completed, completedOn: "2023-07-01")) == nil)
    }

    @Test func manualTransitions() {
        let allowed: Set<String> = [
            "not_started>in_progress", "not_started>completed", "in_progress>completed", "overdue>completed",
            "completed>closed", "completed>in_progress", "closed>completed",
        ]
        for from in TaskStatus.allCases {
            for to in TaskStatus.allCases {
                let key = "\(from.rawValue)>\(to.rawValue)"
                #expect(TaskStatusRules.canTransition(from: from, to: to) == allowed.contains(key), "\(key)")
                if !allowed.contains(key) {
                    let reason = TaskStatusRules.refusal(from: from, to: to, by: .office)
                    #expect(reason?.isEmpty == false)
                }
            }
        }
        // Office-only transitions.
        #expect(!TaskStatusRules.canTransition(from: .completed, to: .closed, by: .leadUnit))
        #expect(TaskStatusRules.refusal(from: .completed, to: .closed, by: .leadUnit) == "只有营商办可以对任务销号")
        #expect(!TaskStatusRules.canTransition(from: .completed, to: .inProgress, by: .leadUnit))
        #expect(TaskStatusRules.canTransition(from: .inProgress, to: .completed, by: .leadUnit))
        #expect(TaskStatusRules.refusal(from: .inProgress, to: .overdue, by: .office)
            == "“已逾期”由系统根据完成时限自动判定，不能手动设置")
        #expect(TaskStatusRules.refusal(from: .inProgress, to: .closed, by: .office) == "只有已完成的任务才能销号")
    }

    @Test func deadlineCodable() throws {
        let values: [TaskDeadline] = [.date(d("2023-07-31")), .ongoing, .none]
        let data = try JSONEncoder().encode(values)
        #expect(String(decoding: data, as: UTF8.self) == #"["2023-07-31","ongoing","none"]"#)
        #expect(try JSONDecoder().decode([TaskDeadline].self, from: data) == values)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TaskDeadline].self, from: Data(#"["2023-02-30"]"#.utf8)) }
    }
}
