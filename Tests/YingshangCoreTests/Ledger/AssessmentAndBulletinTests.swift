import Foundation
import Testing
@testable import YingshangCore

private func d(_ s: String) -> CivilDate {
    guard let date = CivilDate(iso: s) else { fatalError("bad test date \(s)") }
    return date
}

private func p(_ y: Int, _ m: Int) -> ReportPeriod { ReportPeriod(year: y, month: m)! }

private let cal = WorkingCalendar.china

@Suite("Ledger assessment")
struct AssessmentTests {
    private let facts = [
        UnitPeriodFacts(unitID: "A", unitName: "发改委", reportsDue: 10, reportsOnTime: 9, tasksDue: 4,
                        tasksCompletedOnTime: 3, supervisionOrders: [.supervision], reportsReturned: 1),
        UnitPeriodFacts(unitID: "B", unitName: "市场监管局", reportsDue: 10, reportsOnTime: 10, tasksDue: 0,
                        tasksCompletedOnTime: 0),
        UnitPeriodFacts(unitID: "C", unitName: "财政局", reportsDue: 10, reportsOnTime: 9, tasksDue: 4,
                        tasksCompletedOnTime: 4, supervisionOrders: [.listed, .reminder], reportsReturned: 1),
        UnitPeriodFacts(unitID: "D", unitName: "税务局", reportsDue: 0, reportsOnTime: 0, tasksDue: 3,
                        tasksCompletedOnTime: 0, supervisionOrders: [.listed, .supervision, .listed, .supervision],
                        reportsReturned: 10),
    ]

    @Test func rankingWithTies() {
        let result = Assessment.score(facts, weights: .default)
        #expect(result.map(\.unitID) == ["B", "A", "C", "D"])   // 发 (U+53D1) sorts before 财 (U+8D22)
        #expect(result.map(\.total) == [100, 79, 79, 10])   // each with 20 appeal points: no appeals this period
        #expect(result.map(\.rank) == [1, 2, 2, 4])
        for unit in result {
            let sum = unit.lines.reduce(0) { $0 + $1.points }
            #expect(abs(sum - unit.total) < 1e-9, "lines add up for \(unit.unitName)")
        }
    }

    @Test func itemByItemLines() {
        let result = Assessment.score(facts, weights: .default)
        let a = result.first { $0.unitID == "A" }!
        #expect(a.lines == [
            AssessmentLine(item: "按时报送", detail: "按时报送 9/10 = 90.0% × 40 分 = 36.0 分", points: 36),
            AssessmentLine(item: "按期完成", detail: "按期完成 3/4 = 75.0% × 40 分 = 30.0 分", points: 30),
            AssessmentLine(item: "督办扣分", detail: "督办 1 件，共计 1 件 × 5 分，扣 5.0 分", points: -5),
            AssessmentLine(item: "退回扣分", detail: "进展报告被退回 1 次 × 2 分，扣 2.0 分", points: -2),
            AssessmentLine(item: "诉求响应", detail: "本期无派单诉求，按满分计 5 分", points: 5),
            AssessmentLine(item: "诉求解决", detail: "本期无办结诉求，按满分计 5 分", points: 5),
            AssessmentLine(item: "诉求满意", detail: "本期无诉求评价，按满分计 10 分", points: 10),
        ])
        let b = result.first { $0.unitID == "B" }!
        #expect(b.lines[1] == AssessmentLine(item: "按期完成", detail: "本期无到期任务，按满分计 40 分", points: 40))
        #expect(b.lines[2] == AssessmentLine(item: "督办扣分", detail: "本期未被督办，不扣分", points: 0))
        #expect(b.lines[3] == AssessmentLine(item: "退回扣分", detail: "本期无报告被退回，不扣分", points: 0))
        let c = result.first { $0.unitID == "C" }!
        #expect(c.lines[2] == AssessmentLine(item: "督办扣分",
                                             detail: "提醒 1 件、挂牌督办 1 件（每件按 2 件计），共计 3 件 × 5 分，扣 15.0 分",
                                             points: -15))
        let dd = result.first { $0.unitID == "D" }!
        #expect(dd.lines.first == AssessmentLine(item: "按时报送", detail: "本期无应报送的进展报告，按满分计 40 分", points: 40))
        #expect(dd.lines[1].points == 0)
        #expect(dd.lines[2].points == -30)   // (2 + 1 + 2 + 1) × 5
        #expect(dd.lines[3].points == -20)
        #expect(dd.lines.suffix(3).map(\.detail) == ["本期无派单诉求，按满分计 5 分", "本期无办结诉求，按满分计 5 分",
                                                       "本期无诉求评价，按满分计 10 分"])
        #expect(dd.total == 10)
        // Without appeal points the deductions exceed the points earned: the total is floored at 0, with a line saying so.
        let floored = Assessment.score([facts[3]], weights: AssessmentWeights(appealResponse: 0, appealResolution: 0,
                                                                              appealSatisfaction: 0))[0]
        #expect(floored.lines.last == AssessmentLine(item: "保底调整", detail: "扣分后低于 0 分，按 0 分计", points: 10))
        #expect(floored.total == 0)
    }

    @Test func appealRatesFeedTheAssessment() {
        let appeals = AppealUnitFacts(unitID: "A", dispatched: 4, signedOnTime: 3, closed: 2, resolved: 1, rated: 2, satisfied: 2)
        let a = Assessment.score([UnitPeriodFacts(unitID: "A", unitName: "发改委", appeals: appeals)], weights: .default)[0]
        #expect(Array(a.lines.suffix(3)) == [
            AssessmentLine(item: "诉求响应", detail: "按时签收 3/4 = 75.0% × 5 分 = 3.8 分", points: 3.8),
            AssessmentLine(item: "诉求解决", detail: "办结已解决 1/2 = 50.0% × 5 分 = 2.5 分", points: 2.5),
            AssessmentLine(item: "诉求满意", detail: "满意及基本满意 2/2 = 100.0% × 10 分 = 10.0 分", points: 10),
        ])
        #expect(a.total == 96.3)
    }

    @Test func weightsSavedBeforeTheAppealItemsReadTheirDefaults() throws {
        let old = #"{"reportsOnTime":30,"tasksOnTime":50,"supervisionPenaltyPerOrder":5,"returnPenaltyPerReport":2}"#
        let weights = try JSONDecoder().decode(AssessmentWeights.self, from: Data(old.utf8))
        #expect(weights == AssessmentWeights(reportsOnTime: 30, tasksOnTime: 50))
        #expect(try JSONDecoder().decode(AssessmentWeights.self, from: JSONEncoder().encode(AssessmentWeights.default)) == .default)
    }

    @Test func roundingAndCustomWeights() {
        let w = AssessmentWeights(reportsOnTime: 50, tasksOnTime: 37.5, supervisionPenaltyPerOrder: 2.5, returnPenaltyPerReport: 0)
        let r = Assessment.score([UnitPeriodFacts(unitID: "X", unitName: "某局", reportsDue: 3, reportsOnTime: 2,
                                                  tasksDue: 3, tasksCompletedOnTime: 1, supervisionOrders: [.listed],
                                                  reportsReturned: 4)], weights: w)
        let x = r[0]
        #expect(x.lines[0].detail == "按时报送 2/3 = 66.7% × 50 分 = 33.3 分")
        #expect(x.lines[0].points == 33.3)
        #expect(x.lines[1].detail == "按期完成 1/3 = 33.3% × 37.5 分 = 12.5 分")
        #expect(x.lines[2].points == -5)
        #expect(x.lines[3].points == 0)
        #expect(x.total == 60.8)
        #expect(x.rank == 1)
        #expect(AssessmentWeights.default == AssessmentWeights(reportsOnTime: 40, tasksOnTime: 40,
                                                               supervisionPenaltyPerOrder: 5, returnPenaltyPerReport: 2))
        #expect(AssessmentWeights(reportsOnTime: -1).validate() == ["按时报送分值应为不小于 0 的数值"])
        #expect(Assessment.score([], weights: .default).isEmpty)
    }

    @Test func threeWayTie() {
        let same = ["乙", "甲", "丙"].map { UnitPeriodFacts(unitID: $0, unitName: $0, reportsDue: 1, reportsOnTime: 1) }
        let r = Assessment.score(same + [UnitPeriodFacts(unitID: "z", unitName: "丁", reportsDue: 1)], weights: .default)
        #expect(r.map(\.rank) == [1, 1, 1, 4])
        #expect(r.map(\.unitName) == ["丙", "乙", "甲", "丁"])  // by code point: 丙 4E19 < 乙 4E59 < 甲 7532
    }
}

@Suite("Ledger bulletin")
struct BulletinTests {
    private func t(_ id: String, _ lead: [String], _ deadline: TaskDeadline, _ status: TaskStatus,
                   completed: String? = nil, created: String = "2023-05-10") -> TaskFacts {
        TaskFacts(taskID: id, deadline: deadline, status: status, completedOn: completed.map(d), createdOn: d(created),
                  leadUnitIDs: lead)
    }

    @Test func periods() {
        let m = BulletinPeriod.month(year: 2023, month: 7)!
        #expect(m.label == "2023年7月" && m.start == d("2023-07-01") && m.end == d("2023-07-31") && m.kind == .month)
        let q = BulletinPeriod.quarter(year: 2023, quarter: 3)!
        #expect(q.label == "2023年第三季度" && q.start == d("2023-07-01") && q.end == d("2023-09-30"))
        #expect(q.reportPeriods == [p(2023, 7), p(2023, 8), p(2023, 9)])
        #expect(BulletinPeriod.quarter(year: 2024, quarter: 1)?.end == d("2024-03-31"))
        #expect(BulletinPeriod.quarter(year: 2024, quarter: 5) == nil)
        #expect(BulletinPeriod.month(year: 2024, month: 0) == nil)
    }

    /// Hand-worked example, July 2023 (June report due 07-07).
    @Test func handWorkedMonth() {
        let tasks = [
            t("T1", ["U1"], .date(d("2023-07-20")), .completed, completed: "2023-07-18"),        // on time
            t("T2", ["U1", "U2"], .date(d("2023-07-25")), .inProgress),                          // overdue
            t("T3", ["U2"], .date(d("2023-06-30")), .completed, completed: "2023-07-05"),        // late
            t("T4", ["U2"], .ongoing, .inProgress),
            t("T5", ["U1"], .date(d("2023-12-31")), .inProgress, created: "2023-08-02"),         // not yet existing
            t("T6", ["U1"], .date(d("2023-09-30")), .completed, completed: "2023-07-10", created: "2023-06-01"),  // early
        ]
        let reports: [BulletinReport] = [
            (taskID: "T1", period: p(2023, 6), submittedOn: d("2023-07-06")),
            (taskID: "T1", period: p(2023, 5), submittedOn: d("2023-06-01")),   // due in June: not counted
            (taskID: "T2", period: p(2023, 6), submittedOn: d("2023-07-10")),   // late
            (taskID: "T2", period: p(2023, 6), submittedOn: nil),
            (taskID: "T3", period: p(2023, 6), submittedOn: nil),               // draft only
            (taskID: "T4", period: p(2023, 6), submittedOn: d("2023-07-07")),   // due day
            (taskID: "T6", period: p(2023, 6), submittedOn: d("2023-07-12")),
            (taskID: "T6", period: p(2023, 6), submittedOn: d("2023-07-03")),   // earliest counts
        ]
        let supervision: [BulletinSupervision] = [
            (taskID: "T2", unitIDs: ["U1", "U2"], openedOn: d("2023-07-26"), closedOn: nil),
            (taskID: "T3", unitIDs: ["U2"], openedOn: d("2023-06-20"), closedOn: d("2023-07-12")),
            (taskID: "T1", unitIDs: ["U1"], openedOn: d("2023-07-31"), closedOn: d("2023-08-02")),
            (taskID: "T2", unitIDs: ["U1"], openedOn: d("2023-08-01"), closedOn: nil),
        ]
        let titles = ["T2": "（二）招标投标"]
        let facts = BulletinBuilder.build(period: .month(year: 2023, month: 7)!, tasks: tasks, titles: titles,
                                          unitNames: ["U1": "甲局", "U2": "乙局"], reports: reports,
                                          supervision: supervision, policy: ReportingPolicy(), calendar: cal)
        #expect(facts.rows.map(\.unitID) == ["U2", "U1"])   // 乙 (U+4E59) before 甲 (U+7532)
        let u1 = facts.rows.first { $0.unitID == "U1" }!
        #expect(u1 == BulletinUnitRow(unitID: "U1", unitName: "甲局", tasks: 3, completed: 2, tasksDue: 2,
                                      completedOnTime: 1, overdue: 1, completionRate: 2.0 / 3.0, onTimeRate: 0.5,
                                      reportsDue: 3, reportsOnTime: 2, supervisionOpened: 2, supervisionClosed: 0))
        let u2 = facts.rows.first { $0.unitID == "U2" }!
        #expect(u2 == BulletinUnitRow(unitID: "U2", unitName: "乙局", tasks: 3, completed: 1, tasksDue: 2,
                                      completedOnTime: 0, overdue: 1, completionRate: 1.0 / 3.0, onTimeRate: 0,
                                      reportsDue: 3, reportsOnTime: 1, supervisionOpened: 1, supervisionClosed: 1))
        #expect(facts.totals == BulletinUnitRow(unitID: "", unitName: "合计", tasks: 5, completed: 3, tasksDue: 3,
                                                completedOnTime: 1, overdue: 1, completionRate: 0.6, onTimeRate: 1.0 / 3.0,
                                                reportsDue: 5, reportsOnTime: 3, supervisionOpened: 2, supervisionClosed: 1))
        #expect(facts.supervisionOpened == 2 && facts.supervisionClosed == 1)
        // The same rows feed the assessment.
        let scored = Assessment.score([UnitPeriodFacts(row: u1, supervisionOrders: [.supervision, .reminder], reportsReturned: 0)],
                                      weights: .default)
        #expect(scored[0].lines.map(\.detail).prefix(2) == ["按时报送 2/3 = 66.7% × 40 分 = 26.7 分",
                                                              "按期完成 1/2 = 50.0% × 40 分 = 20.0 分"])
        #expect(scored[0].total == 56.7)
        // T2: working days in (07-25, 07-31] = 26, 27, 28, 31.
        #expect(facts.overdueTasks == [BulletinOverdueTask(taskID: "T2", title: "（二）招标投标", deadline: d("2023-07-25"),
                                                           workingDaysOverdue: 4, leadUnitIDs: ["U1", "U2"],
                                                           leadUnitNames: ["甲局", "乙局"])])
    }

    /// Third quarter 2023: reports due 07-07 (June), 08-07 (July), 09-07 (August); September's is due 10-11.
    @Test func quarterAcrossNationalDay() {
        let task = t("T1", ["U1"], .date(d("2023-09-28")), .inProgress, created: "2023-06-05")
        let reports: [BulletinReport] = [
            (taskID: "T1", period: p(2023, 6), submittedOn: d("2023-07-07")),
            (taskID: "T1", period: p(2023, 7), submittedOn: d("2023-08-08")),
            (taskID: "T1", period: p(2023, 8), submittedOn: d("2023-09-01")),
            (taskID: "T1", period: p(2023, 9), submittedOn: d("2023-09-30")),
        ]
        let facts = BulletinBuilder.build(period: .quarter(year: 2023, quarter: 3)!, tasks: [task], titles: [:],
                                          unitNames: [:], reports: reports, supervision: [], policy: ReportingPolicy(),
                                          calendar: cal)
        let row = facts.rows[0]
        #expect(row.unitName == "U1")
        #expect(row.reportsDue == 3 && row.reportsOnTime == 2)
        #expect(row.tasksDue == 1 && row.overdue == 1 && row.completionRate == 0 && row.onTimeRate == 0)
        // 09-29 and 09-30 are holidays: as of 09-30 the task is overdue by 0 working days.
        #expect(facts.overdueTasks.map(\.workingDaysOverdue) == [0])
        #expect(facts.overdueTasks.map(\.title) == ["T1"])
    }

    @Test func emptyPlan() {
        let facts = BulletinBuilder.build(period: .month(year: 2023, month: 7)!, tasks: [], titles: [:], unitNames: ["U1": "甲局"],
                                          reports: [], supervision: [], policy: ReportingPolicy(), calendar: cal)
        #expect(facts.rows.isEmpty && facts.overdueTasks.isEmpty)
        #expect(facts.totals.completionRate == nil && facts.totals.onTimeRate == nil)
    }
}
