import Foundation
import Testing
@testable import YingshangCore

@Suite struct EvaluationEngineTests {
    /// Two first-level areas; 政务服务 has a formula indicator (网办率 = 网办件 / 总件 × 100) and a lower-is-better time.
    static let system = IndicatorSystem(year: 2024, indicators: [
        IndicatorDefinition(code: "ZW", name: "政务服务", aggregation: .weightedMean),
        IndicatorDefinition(code: "ZW01", name: "网办率", unit: "%", best: 100, worst: 60, weight: 3, parentCode: "ZW",
                            formula: "#{ZW01A} / #{ZW01B} * 100"),
        IndicatorDefinition(code: "ZW01A", name: "网办件数", unit: "件", parentCode: "ZW01X", isDataElement: true),
        IndicatorDefinition(code: "ZW01B", name: "办件总数", unit: "件", parentCode: "ZW01X", isDataElement: true),
        IndicatorDefinition(code: "ZW01X", name: "网办数据项", parentCode: "ZW", isDataElement: true),
        IndicatorDefinition(code: "ZW02", name: "办理时间", unit: "天", direction: .lowerIsBetter, weight: 1, parentCode: "ZW"),
        IndicatorDefinition(code: "KB", name: "开办企业"),
        IndicatorDefinition(code: "KB01", name: "开办时间", unit: "天", direction: .lowerIsBetter, best: 0.5, worst: 10, parentCode: "KB"),
    ])

    static func grid(_ rows: [[String: Double]], periods: [EvaluationPeriod] = [.quarter(2024, 1)]) -> EvaluationGrid {
        var grid = EvaluationGrid(periods: periods, placeCount: rows.count / periods.count, indicatorCount: system.indicators.count)
        for (k, row) in rows.enumerated() {
            let t = k / grid.placeCount, p = k % grid.placeCount
            for (code, value) in row { grid[t, p, system.indicators.firstIndex { $0.code == code }!] = value }
        }
        return grid
    }

    func index(_ code: String) -> Int { Self.system.indicators.firstIndex { $0.code == code }! }

    @Test func formulasFixedBoundsFrontierAndWeightedParents() throws {
        let engine = try EvaluationEngine(system: Self.system)
        let result = engine.run(Self.grid([
            ["ZW01A": 90, "ZW01B": 100, "ZW02": 2, "KB01": 1],
            ["ZW01A": 70, "ZW01B": 100, "ZW02": 6, "KB01": 10],
            ["ZW01A": 50, "ZW01B": 0, "ZW02": 4],
        ]))
        // 网办率 90% → 100 × (60 − 90) / (60 − 100) = 75; 70% → 25; a zero denominator gives no value.
        #expect(result.value(period: 0, place: 0, indicator: index("ZW01")) == 90)
        #expect(result.score(period: 0, place: 0, indicator: index("ZW01")) == 75)
        #expect(result.score(period: 0, place: 1, indicator: index("ZW01")) == 25)
        #expect(result.value(period: 0, place: 2, indicator: index("ZW01")) == nil)
        // 办理时间 has no fixed bounds: the best place (2 天) scores 100, the worst (6 天) 0, 4 天 50.
        #expect(result.score(period: 0, place: 0, indicator: index("ZW02")) == 100)
        #expect(result.score(period: 0, place: 2, indicator: index("ZW02")) == 50)
        #expect(result.bounds(period: 0, indicator: index("ZW02"))! == (2, 6, true))
        // 政务服务 = (75 × 3 + 100 × 1) / 4; place 2 has only 办理时间.
        #expect(result.score(period: 0, place: 0, indicator: index("ZW")) == 81.25)
        #expect(result.score(period: 0, place: 2, indicator: index("ZW")) == 50)
        // Data elements are not scored.
        #expect(result.score(period: 0, place: 0, indicator: index("ZW01A")) == nil)
        // 开办时间 1 天 of 0.5–10 → 94.74; overall = mean of the two areas.
        let kb = try #require(result.score(period: 0, place: 0, indicator: index("KB")))
        #expect(abs(kb - 100 * 9 / 9.5) < 1e-9)
        #expect(abs(result.total(period: 0, place: 0)! - (81.25 + kb) / 2) < 1e-9)
        #expect(result.total(period: 0, place: 2) == 50)
        #expect(result.totalRank(period: 0, place: 0) == 1)
        #expect(result.calculation(period: 0, place: 0, indicator: index("ZW01")).first == "数值 = #{ZW01A} / #{ZW01B} * 100 = 90 / 100 * 100 = 90")
        #expect(result.calculation(period: 0, place: 0, indicator: index("ZW02")).contains { $0.contains("前沿距离法") })
    }

    @Test func tiesShareARankAndMissingPlacesAreUnranked() throws {
        let engine = try EvaluationEngine(system: Self.system)
        let result = engine.run(Self.grid([["KB01": 2], ["KB01": 1], ["KB01": 2], [:]]))
        let kb01 = index("KB01")
        #expect((0..<4).map { result.rank(period: 0, place: $0, indicator: kb01) } == [2, 1, 2, nil])
        #expect(result.rankedCount(period: 0, indicator: kb01) == 3)
        #expect(EvaluationResult.percentile(rank: 1, of: 3) == 100)
        #expect(EvaluationResult.percentile(rank: 3, of: 3) == 0)
    }

    @Test func improvementBetweenPeriodsAndParallelRunsAgree() throws {
        let engine = try EvaluationEngine(system: Self.system)
        let periods = EvaluationPeriod.quarter(2023, 1).through(.quarter(2024, 4))
        var grid = EvaluationGrid(periods: periods, placeCount: 40, indicatorCount: Self.system.indicators.count)
        var random = SplitMix64(seed: 7)
        for t in periods.indices {
            for p in 0..<40 {
                grid[t, p, index("KB01")] = Double.random(in: 0.5...12, using: &random)
                grid[t, p, index("ZW02")] = Double.random(in: 1...9, using: &random)
                grid[t, p, index("ZW01A")] = Double.random(in: 50...100, using: &random)
                grid[t, p, index("ZW01B")] = 100
            }
        }
        let whole = engine.run(grid)
        for t in [0, 5] {
            var single = EvaluationGrid(periods: [periods[t]], placeCount: 40, indicatorCount: Self.system.indicators.count)
            for p in 0..<40 { for i in Self.system.indicators.indices { single[0, p, i] = grid[t, p, i] } }
            let alone = engine.run(single)
            for p in 0..<40 {
                #expect(alone.total(period: 0, place: p) == whole.total(period: t, place: p))
                #expect(alone.totalRank(period: 0, place: p) == whole.totalRank(period: t, place: p))
            }
        }
        let change = try #require(whole.improvement(period: 3, place: 5, indicator: index("KB01")))
        #expect(change == whole.score(period: 3, place: 5, indicator: index("KB01"))! - whole.score(period: 2, place: 5, indicator: index("KB01"))!)
        #expect(whole.improvement(period: 0, place: 5, indicator: index("KB01")) == nil)
    }

    @Test func sumOfIndexesParent() throws {
        let system = IndicatorSystem(year: 2020, indicators: [
            IndicatorDefinition(code: "HD", name: "获得信贷", aggregation: .sumOfIndexes),
            IndicatorDefinition(code: "HD1", name: "合法权利力度指数", best: 12, worst: 0, parentCode: "HD"),
            IndicatorDefinition(code: "HD2", name: "信贷信息深度指数", best: 8, worst: 0, parentCode: "HD"),
        ])
        var grid = EvaluationGrid(periods: [.quarter(2020, 1)], placeCount: 1, indicatorCount: 3)
        grid[0, 0, 1] = 4
        grid[0, 0, 2] = 8
        // China 2020: (4 + 8) / 20 × 100 = 60.
        #expect(try EvaluationEngine(system: system).run(grid).score(period: 0, place: 0, indicator: 0) == 60)
    }

    @Test func invalidSystemsAreRefusedWithReasons() {
        let broken = IndicatorSystem(year: 2024, indicators: [
            IndicatorDefinition(code: "A", name: "甲", formula: "#{B} * 2"),
            IndicatorDefinition(code: "B", name: "乙", formula: "#{A} + 1"),
            IndicatorDefinition(code: "C", name: "丙", best: 0, worst: 100, parentCode: "X"),
            IndicatorDefinition(code: "A", name: "重复", formula: "#{Q} /"),
        ])
        let problems = broken.problems()
        #expect(problems.contains("指标编码“A”重复"))
        #expect(problems.contains("指标“丙”的上级指标“X”不存在"))
        #expect(problems.contains("指标“丙”为越高越好，最优值应大于最差值"))
        #expect(problems.contains { $0.contains("公式循环引用") })
        #expect(problems.contains { $0.hasPrefix("指标“重复”的公式有误：第") })
        #expect(throws: EvaluationEngine.InvalidSystem.self) { try EvaluationEngine(system: broken) }
        #expect(IndicatorSystem.nationalFirstLevel(year: 2024).indicators.count == 18)
        #expect(IndicatorSystem.nationalFirstLevel(year: 2024).problems().isEmpty)
    }
}

@Suite struct IndicatorFormulaTests {
    @Test func parsesAndEvaluates() throws {
        let formula = try IndicatorFormula("（#{A} + #{B}） ÷ #{C} × 100 - -2")
        #expect(formula.references == ["A", "B", "C"])
        #expect(formula.evaluate { ["A": 1, "B": 3, "C": 8][$0] } == 52)
        #expect(formula.evaluate { ["A": 1, "B": 3][$0] } == nil)
        #expect(formula.evaluate { ["A": 1, "B": 3, "C": 0][$0] } == nil)
        #expect(formula.explain { ["A": 1, "B": 3][$0] } == "（1 + 3） ÷ （缺） × 100 - -2")
    }

    @Test func errorsSayWhereAndWhat() {
        #expect(throws: IndicatorFormula.Problem(column: 7, message: "缺少右括号")) { try IndicatorFormula("(#{A} ") }
        #expect(throws: IndicatorFormula.Problem(column: 1, message: "指标引用应写作 #{编码}")) { try IndicatorFormula("#A") }
        #expect(throws: IndicatorFormula.Problem(column: 1, message: "公式为空")) { try IndicatorFormula("  ") }
        #expect(throws: IndicatorFormula.Problem(column: 3, message: "无法识别的“%”；可用数字、+ - * /、括号和 #{指标编码}")) { try IndicatorFormula("1 % 2") }
    }
}

@Suite struct EvaluationPeriodTests {
    @Test func codesLabelsAndArithmetic() throws {
        #expect(EvaluationPeriod(code: "2024Q1") == .quarter(2024, 1))
        #expect(EvaluationPeriod(code: "2024年第三季度") == .quarter(2024, 3))
        #expect(EvaluationPeriod(code: "2024-03")?.label == "2024年3月")
        #expect(EvaluationPeriod(code: "2024")?.kind == .year)
        #expect(EvaluationPeriod(code: "2024Q5") == nil)
        #expect(EvaluationPeriod(code: "二〇二四") == nil)
        #expect(EvaluationPeriod.quarter(2024, 1).previous == .quarter(2023, 4))
        #expect(EvaluationPeriod.quarter(2024, 4).next.code == "2025Q1")
        #expect(EvaluationPeriod.quarter(2024, 2).yearEarlier == .quarter(2023, 2))
        #expect(EvaluationPeriod.quarter(2024, 2).label == "2024年第二季度")
        #expect(EvaluationPeriod.quarter(2024, 2).lastDay.iso == "2024-06-30")
        #expect(EvaluationPeriod.quarter(2023, 3).through(.quarter(2024, 2)).map(\.shortLabel) == ["23Q3", "23Q4", "24Q1", "24Q2"])
        #expect(EvaluationPeriod(.quarter, containing: CivilDate(iso: "2024-11-28")!) == .quarter(2024, 4))
        #expect(EvaluationPeriod(.month, containing: CivilDate(iso: "2024-11-28")!).code == "202411")
        #expect(EvaluationPeriod(.year, containing: CivilDate(iso: "2024-11-28")!).code == "2024")
        #expect(EvaluationPeriod.all(.quarter, in: 2024).map(\.code) == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"])
        #expect(EvaluationPeriod.all(.month, in: 2024).count == 12)
    }
}

@Suite struct TargetsAndRectificationTests {
    @Test func targetStatusAndTrend() {
        let target = IndicatorTarget(adopting: WorkPointTarget(text: "97%以上", value: 97, unit: "%", comparator: .ge))
        #expect(target.status(of: 97.5) == .met)
        #expect(target.status(of: 93) == .near)
        #expect(target.status(of: 90) == .missed)
        #expect(target.label(unit: "%") == "≥ 97%")
        let time = IndicatorTarget(adopting: WorkPointTarget(text: "不超过3个工作日", value: 3, unit: "个工作日", comparator: .le))
        #expect(time.status(of: 2) == .met && time.status(of: 3.1) == .near && time.status(of: 4) == .missed)
        #expect(IndicatorTarget.subject(of: WorkPointTarget(text: "97%以上", value: 97, unit: "%", comparator: .ge), in: "推进企业开办标准化，电子营业执照同步制发率97%以上。", fallback: "任务") == "电子营业执照同步制发率")
        #expect(IndicatorTarget.subject(of: WorkPointTarget(text: "不少于60亿元", value: 60, unit: "亿元", comparator: .ge),
                                        in: "确保招商引资实际到位资金不少于60亿元", fallback: "任务") == "招商引资实际到位资金")
        #expect(IndicatorTarget.subject(of: WorkPointTarget(text: "100%", value: 100, unit: "%", comparator: .ge),
                                        in: "达到100%", fallback: "关区审批网办率") == "关区审批网办率")
        #expect(IndicatorTrend(values: [90, 92, nil, 95], direction: .higherIsBetter) == .improving)
        #expect(IndicatorTrend(values: [90, 92, nil, 95], direction: .lowerIsBetter) == .worsening)
        #expect(IndicatorTrend(values: [90, 90.1, 90], direction: .higherIsBetter) == .steady)
        #expect(IndicatorTrend(values: [nil, 90], direction: .higherIsBetter) == .unknown)
    }

    @Test func missedTargetsAndBottomRanksOpenFindings() throws {
        let system = IndicatorSystem(year: 2024, indicators: [
            IndicatorDefinition(code: "A", name: "电子营业执照同步制发率", unit: "%", best: 100, worst: 80),
        ])
        var grid = EvaluationGrid(periods: [.quarter(2024, 1)], placeCount: 4, indicatorCount: 1)
        for (p, v) in [98.0, 96.0, 90.0, 99.0].enumerated() { grid[0, p, 0] = v }
        let result = try EvaluationEngine(system: system).run(grid)
        let target = IndicatorTarget(value: 97, direction: .higherIsBetter)
        let onlyTargets = RectificationRule(onMissedTarget: true, bottomRanks: 0).findings(in: result, period: 0) { _, _ in target }
        #expect(onlyTargets.map(\.place) == [2])
        #expect(onlyTargets[0].reasons.first?.label(unit: "%") == "未达到目标值（≥ 97%，实际 90%）")
        let withRanks = RectificationRule(onMissedTarget: true, bottomRanks: 2).findings(in: result, period: 0) { _, _ in target }
        #expect(withRanks.map(\.place) == [1, 2])
        #expect(withRanks[1].reasons.count == 2)
        #expect(withRanks[0].reasons == [.bottomRank(rank: 3, of: 4)])
    }

    @Test func rectificationOutcomeIsJudgedByTheNextValue() {
        let target = IndicatorTarget(value: 97, direction: .higherIsBetter)
        let next = EvaluationPeriod.quarter(2026, 4)
        #expect(RectificationOutcome(before: 92, after: 97.6, target: target, direction: .higherIsBetter).label(next: next) == "已达标")
        #expect(RectificationOutcome(before: 92, after: 90, target: target, direction: .higherIsBetter).label(next: next) == "仍未达标")
        #expect(RectificationOutcome(before: 92, after: 94, target: target, direction: .higherIsBetter).status == .near)
        #expect(RectificationOutcome(before: 68, after: 57, target: nil, direction: .lowerIsBetter) == .improved)
        #expect(RectificationOutcome(before: 57, after: 68, target: nil, direction: .lowerIsBetter).status == .missed)
        let waiting = RectificationOutcome(before: 92, after: nil, target: target, direction: .higherIsBetter)
        #expect(waiting.label(next: next) == "待2026年第四季度数据" && waiting.status == nil)
    }

    @Test func valueChecks() {
        let indicator = IndicatorDefinition(code: "A", name: "网办率", unit: "%", minimum: 0, maximum: 100, outlierChange: 0.3)
        #expect(ValueCheck.number("97.5%") == .some(97.5))
        #expect(ValueCheck.number("１，２３４") == .some(1234))
        #expect(ValueCheck.number(" ") == .some(nil))
        #expect(ValueCheck.number("九十") == nil)
        #expect(ValueCheck.problems(120, for: indicator, previous: nil, reason: nil).map(\.message) == ["“网办率”不能大于 100%（填写为 120）"])
        #expect(ValueCheck.problems(nil, for: indicator, previous: nil, reason: nil).map(\.message) == ["“网办率”为必填项"])
        let jump = ValueCheck.problems(40, for: indicator, previous: 80, reason: nil)
        #expect(jump.map(\.needsReason) == [true])
        #expect(jump[0].message == "“网办率”较上期（80%）变化 -50.0%，超过 30%，请填写变化原因")
        #expect(ValueCheck.problems(40, for: indicator, previous: 80, reason: "系统切换，部分办件线下办理").isEmpty)
    }

    @Test func submissionLifecycle() {
        #expect(SubmissionStatus.draft.after(.submit) == .success(.submitted))
        #expect(SubmissionStatus.submitted.after(.approve) == .success(.approved))
        #expect(SubmissionStatus.submitted.after(.returnForChanges) == .success(.returned))
        #expect(SubmissionStatus.returned.after(.submit) == .success(.submitted))
        #expect(SubmissionStatus.approved.after(.submit) == .failure(SubmissionRefusal(message: "已审核锁定的数据不能再报送；如需修改请提交更正申请")))
        #expect(SubmissionStatus.draft.after(.approve) == .failure(SubmissionRefusal(message: "尚未报送的数据不能审核")))
        #expect(!SubmissionStatus.approved.isEditable && SubmissionStatus.returned.isEditable)
    }

    @Test func deadlinesAndReminderWindows() {
        // No holidays: 10 working days after 2026-09-30 (a Wednesday) is 2026-10-14; reminders from 3 working days before.
        let calendar = WorkingCalendar(years: [HolidayYear(year: 2026)])
        let schedule = SubmissionSchedule(workingDaysAfterEnd: 10, reminderLeadWorkingDays: 3)
        #expect(schedule.deadline(of: .quarter(2026, 3), calendar: calendar).iso == "2026-10-14")
        #expect(schedule.periodsToRemind(today: CivilDate(iso: "2026-10-08")!, kind: .quarter, calendar: calendar).isEmpty)
        #expect(schedule.periodsToRemind(today: CivilDate(iso: "2026-10-09")!, kind: .quarter, calendar: calendar) == [.quarter(2026, 3)])
        #expect(schedule.periodsToRemind(today: CivilDate(iso: "2026-10-14")!, kind: .quarter, calendar: calendar) == [.quarter(2026, 3)])
        #expect(schedule.periodsToRemind(today: CivilDate(iso: "2026-10-15")!, kind: .quarter, calendar: calendar).isEmpty)
        // With the National Day holiday (10-01…10-08 off, 09-27 and 10-10 worked) the deadline moves.
        let holidays = WorkingCalendar(years: [HolidayYear(year: 2026, off: (1...8).map { CivilDate(year: 2026, month: 10, day: $0)! },
                                                          work: [CivilDate(iso: "2026-10-10")!])])
        #expect(schedule.deadline(of: .quarter(2026, 3), calendar: holidays).iso == "2026-10-21")
    }

    @Test func surveysScoreAndCapTheBurden() throws {
        let questions = try SurveyQuestion.parse("办事效率是否满意？\n窗口服务态度（1-10）\n文字：还有哪些建议？").get()
        #expect(questions.map(\.kind) == [.scale, .scale, .text])
        #expect(questions[1].scaleMax == 10 && questions[1].text == "窗口服务态度")
        #expect(throws: SubmissionRefusal.self) { try SurveyQuestion.parse("文字：建议").get() }
        #expect(SurveyScoring.satisfactionIndex([(5, 5), (3, 5), (10, 10), (7, 5)]) == 250.0 / 3)
        #expect(SurveyScoring.satisfactionIndex([]) == nil)
        let pairs = SurveyScoring.scaleAnswers(questions, ["4", "10", "再快一些"])
        #expect(pairs.map(\.answer) == [4, 10] && pairs.map(\.scaleMax) == [5, 10])
        #expect(SurveyScoring.satisfactionIndex(pairs) == 87.5)
        let split = SurveyScoring.recipients(["a", "b", "c"], sentThisQuarter: ["a": 4, "b": 3], cap: 4)
        #expect(split.send == ["b", "c"] && split.skipped == ["a"])
    }
}
