import Testing
@testable import YingshangCore

@Suite("Built-in benefit policies: every text parses and every readable case passes")
struct BuiltInPolicyTests {
    @Test("every built-in policy text parses", arguments: BuiltInPolicies.sources.map(\.file))
    func parses(file: String) throws {
        let text = try #require(BuiltInPolicies.sources.first { $0.file == file }?.text)
        switch BenefitPolicySource.parse(text) {
        case .success(let policy):
            #expect(!policy.cases.isEmpty, "\(file) has no 用例")
            #expect(!policy.basis.isEmpty, "\(file) has no 依据")
        case .failure(let failure):
            Issue.record("\(file): \(failure.errors.map(\.description).joined(separator: "; "))")
        }
    }

    @Test("a dozen policies, the four real rules of the issue among them")
    func catalogue() {
        #expect(BuiltInPolicies.all.count == BuiltInPolicies.sources.count)
        #expect(BuiltInPolicies.all.count >= 12)
        for code in ["XWWL", "XGM-VAT", "GXJS", "ZXQY"] { #expect(BuiltInPolicies.policy(code) != nil, "\(code)") }
    }

    @Test("every case of every built-in policy passes", arguments: BuiltInPolicies.all.map(\.code))
    func cases(code: String) throws {
        let policy = try #require(BuiltInPolicies.policy(code))
        for run in policy.runCases() {
            #expect(run.passed, "\(code) · \(run.name): \(run.message)")
        }
    }

    @Test("a failing case says what was expected and what came out")
    func failingCase() throws {
        var policy = try #require(BuiltInPolicies.policy("XWWL"))
        policy.cases = [try PolicyTestCase.parse(name: "错", "从业人数=100，资产总额=3000万元，应纳税所得额=200万元 => 不符合").get()]
        let run = try #require(policy.runCases().first)
        #expect(!run.passed)
        #expect(run.message == "期望 不符合，实际 符合")
    }
}

@Suite("Three-valued evaluation, explanations and near misses")
struct EvaluationTests {
    static let date = CivilDate(year: 2023, month: 12, day: 31)!
    static let factory = try! IndustryCode.parse("C3911").get()

    @Test("missing asset total: 待补充信息 naming 资产总额; filled in: 符合 or 不符合 with reasons")
    func smallLowProfitMissingAssets() throws {
        let policy = BuiltInPolicies.smallLowProfit
        var facts = EnterpriseFacts(values: [.industry: .industry(Self.factory), .employees: .number(120), .taxableIncome: .number(180)])
        let unknown = policy.evaluate(facts, asOf: Self.date)
        #expect(unknown.result == .unknown)
        #expect(unknown.rule?.missing == ["资产总额"])
        #expect(unknown.rule?.outcomes.first { $0.truth == .unknown }?.actual == "缺少")

        facts[.assets] = .number(4000)
        let yes = policy.evaluate(facts, asOf: Self.date)
        #expect(yes.result == .yes)
        #expect(yes.rule?.outcomes.allSatisfy { $0.truth == .yes } == true)
        #expect(yes.amount == .amount(36))

        facts[.assets] = .number(6000)
        let no = policy.evaluate(facts, asOf: Self.date)
        #expect(no.result == .no)
        let failed = try #require(no.rule?.outcomes.first { $0.truth == .no })
        #expect(failed.actual == "6000万元")
        #expect(failed.requirement == "资产总额需不超过5000万元（现为 6000万元）")
    }

    @Test("a near miss says what one change would make the enterprise eligible; two failures are no near miss")
    func nearMiss() {
        let policy = BuiltInPolicies.smallLowProfit
        let close = EnterpriseFacts(values: [.employees: .number(320), .assets: .number(3000), .taxableIncome: .number(100)])
        let result = policy.evaluate(close, asOf: Self.date)
        #expect(result.isNearMiss)
        #expect(result.standing == .nearMiss)
        #expect(result.standing.label == "差一点")
        #expect(result.rule?.nearMisses == ["从业人数需不超过300人（现为 320人）"])
        let far = EnterpriseFacts(values: [.employees: .number(320), .assets: .number(9000), .taxableIncome: .number(100)])
        #expect(!policy.evaluate(far, asOf: Self.date).isNearMiss)
    }

    @Test("an unrecorded tag list is unknown, never false")
    func unknownTags() throws {
        let policy = try #require(BuiltInPolicies.policy("XGM-VAT"))
        let facts = EnterpriseFacts(values: [.monthlySales: .number(5)])
        let result = policy.evaluate(facts, asOf: Self.date)
        #expect(result.result == .unknown)
        #expect(result.rule?.missing == ["资质标签"])
    }

    @Test("a division-level code asked about one class is unknown and asks for a finer code")
    func coarseIndustry() throws {
        let rule = try RuleParser.parse("行业 属于 [3911]")
        let facts = EnterpriseFacts(values: [.industry: .industry(try IndustryCode.parse("39").get())])
        let result = RuleEvaluator.evaluate(rule, facts: facts, asOf: Self.date)
        #expect(result.result == .unknown)
        #expect(result.missing == ["行业（需细化）"])
    }

    @Test("the portrait derives size, 小型微利企业, age band and sector")
    func portrait() {
        let facts = EnterpriseFacts(values: [.industry: .industry(Self.factory), .employees: .number(120), .revenue: .number(3000),
                                             .assets: .number(2000), .taxableIncome: .number(50),
                                             .registeredOn: .date(CivilDate(year: 2019, month: 5, day: 1)!)], tags: ["高新技术企业"])
        let portrait = Portrait(facts: facts, asOf: Self.date)
        #expect(portrait.size.sizeClass == .small)
        #expect(portrait.smallLowProfit.result == .yes)
        #expect(portrait.ageBand == "成立3–5年")
        #expect(portrait.sector == "制造业")
        #expect(portrait.tags == ["高新技术企业"])
    }
}
