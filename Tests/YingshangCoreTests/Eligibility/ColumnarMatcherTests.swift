import Testing
@testable import YingshangCore

@Suite("The columnar matcher equals the one-by-one evaluator")
struct ColumnarMatcherTests {
    static let date = CivilDate(year: 2024, month: 6, day: 30)!

    /// Every built-in rule in force on the date, plus variations of their thresholds and some hand-written shapes
    /// (≠, =, dates, regions, negated lists) the built-ins do not use.
    static func rules() throws -> [RuleExpression] {
        var rules = try BuiltInPolicies.all.compactMap { try $0.rule(on: date) }
        for policy in BuiltInPolicies.all {
            for year in [2019, 2022, 2023] {
                if let rule = try policy.rule(on: CivilDate(year: year, month: 6, day: 1)!) { rules.append(rule) }
            }
        }
        let extra = [
            "从业人数 = 300 或 营业收入 ≠ 2000万元",
            "成立日期 >= 2015-01-01 且 地区 属于 [4501, 450202]",
            "行业 不属于 [C, 52, 7010] 且 纳税信用等级 ≠ D",
            "非 (企业规模 = 微型) 且 成立年限 >= 3",
            "研发费用占比 > 3% 或 不具有 高新技术企业",
            "资产总额 < 300万元 或 注册资本 >= 500万元 或 科技人员占比 <= 10%",
            "月销售额 <= 10万元 且 高新技术产品收入占比 < 60%",
        ]
        rules += try extra.map { try RuleParser.parse($0) }
        return rules
    }

    @Test("differential: 100,000 random enterprises × every built-in rule, three values compared")
    func differential() throws {
        var generator = SyntheticEnterprises(seed: 20231231, missingRate: 0.06, boundaryRate: 0.1)
        let enterprises = generator.make(100_000).map(\.facts)
        let columns = EnterpriseColumns(enterprises)
        let rules = try Self.rules()
        let compiled = CompiledRules(rules, asOf: Self.date)
        let full = ColumnarMatcher.matchAll(compiled, over: columns, threads: 2)
        var disagreements: [String] = []
        for (index, rule) in rules.enumerated() {
            let (eligible, unknown) = ColumnarMatcher.match(rule: index, of: compiled, over: columns)
            #expect(eligible == full.eligible(rule: index))
            #expect(unknown.cardinality == full.unknownCounts[index])
            var counts = [Truth.yes: 0, .no: 0, .unknown: 0]
            for (row, facts) in enterprises.enumerated() {
                let expected = RuleEvaluator.result(rule, facts: facts, asOf: Self.date)
                counts[expected, default: 0] += 1
                let actual: Truth = eligible[row] ? .yes : unknown[row] ? .unknown : .no
                if actual != expected && disagreements.count < 5 {
                    disagreements.append("rule \(index) row \(row): \(actual) vs \(expected) \(facts)")
                }
            }
            #expect(counts[.yes] == eligible.cardinality)
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }

    @Test("single-enterprise rematch after an edit equals a fresh evaluation")
    func rematch() throws {
        var generator = SyntheticEnterprises(seed: 5)
        var enterprises = generator.make(3_000).map(\.facts)
        var columns = EnterpriseColumns(enterprises)
        let rules = try Self.rules()
        let compiled = CompiledRules(rules, asOf: Self.date)
        var full = ColumnarMatcher.matchAll(compiled, over: columns)
        let row = 1_234
        let before = ColumnarMatcher.truths(row: row, of: compiled, over: columns)
        enterprises[row][.assets] = nil
        enterprises[row][.employees] = .number(42)
        columns.set(row: row, enterprises[row])
        let after = ColumnarMatcher.truths(row: row, of: compiled, over: columns)
        full.update(row: row, truths: after, previous: before)
        let fresh = ColumnarMatcher.matchAll(compiled, over: columns)
        for index in rules.indices {
            #expect(after[index] == RuleEvaluator.evaluate(rules[index], facts: enterprises[row], asOf: Self.date).result)
            #expect(full.eligible(rule: index) == fresh.eligible(rule: index))
            #expect(full.unknownCounts[index] == fresh.unknownCounts[index])
        }
    }

    @Test("shared conditions are computed once")
    func sharing() throws {
        let a = try RuleParser.parse("从业人数 <= 300 且 资产总额 <= 5000万元")
        let b = try RuleParser.parse("从业人数 <= 300 或 具有 高新技术企业")
        #expect(CompiledRules([a, b], asOf: Self.date).distinctConditionCount == 3)
    }
}
