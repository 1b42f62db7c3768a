import Testing
@testable import YingshangCore

@Suite("The eligibility rule language")
struct RuleLanguageTests {
    @Test("the issue's example parses without spaces too, with units converted")
    func parsesExample() throws {
        let spaced = try RuleParser.parse("行业 属于 [C] 且 从业人数 <= 300 且 资产总额 <= 5000万元 且 应纳税所得额 <= 300万元")
        let tight = try RuleParser.parse("行业属于[C]且从业人数<=300且资产总额<=0.5亿元且应纳税所得额≤3000000元")
        #expect(spaced.conditions.map(\.test) == tight.conditions.map(\.test))
        #expect(spaced.conditions.count == 4)
        #expect(spaced.conditions[2].text == "资产总额 <= 5000万元")
    }

    @Test("且 binds tighter than 或; 非 and brackets")
    func precedence() throws {
        let rule = try RuleParser.parse("具有 小规模纳税人 或 从业人数 <= 300 且 非 (资产总额 > 5000万元)")
        guard case .any(let parts) = rule, parts.count == 2, case .all(let right) = parts[1], case .not = right[1] else {
            Issue.record("unexpected shape \(rule)")
            return
        }
    }

    @Test("errors name the position and what was expected, in Chinese",
          arguments: [
              ("从业人数 <= 300万元", 9, "单位"),
              ("员工数量 <= 300", 1, "未知的字段"),
              ("从业人数 <= 300 且", 14, "不完整"),
              ("(从业人数 <= 300", 13, "右括号"),
              ("行业 属于 [C, 99]", 11, "99"),
              ("从业人数 300", 6, "比较符号"),
              ("应纳税所得额 <= {上限}", 11, "未定义的参数"),
              ("具有 金牌企业", 4, "未知的资质标签"),
              ("从业人数 <= 300 资产总额 <= 5", 13, "多余"),
          ])
    func errors(text: String, position: Int, fragment: String) {
        do {
            _ = try RuleParser.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.position == position, "\(text): \(error)")
            #expect(error.message.contains(fragment), "\(text): \(error)")
        }
    }

    @Test("a policy text reports errors at their line and column, continuation lines included")
    func sourceErrors() {
        let text = """
        编号：T
        名称：测试
        条件：从业人数 <= 300
            且 资产总额 <= 5000人
        用例（坏）：从业人数=abc => 符合
        """
        guard case .failure(let failure) = BenefitPolicySource.parse(text) else {
            Issue.record("parsed")
            return
        }
        #expect(failure.errors.count == 2)
        #expect(failure.errors[0].line == 4 && failure.errors[0].column == 15)
        #expect(failure.errors[1].line == 5)
    }

    @Test("dated parameters: the value in force on the date, with its legal reference")
    func parameters() throws {
        let policy = try #require(BuiltInPolicies.policy("XWWL"))
        let low = try #require(policy.parameters["100万元以内实际税负"])
        #expect(low.value(on: CivilDate(year: 2021, month: 6, day: 1)!)?.written == "2.5%")
        #expect(low.value(on: CivilDate(year: 2023, month: 6, day: 1)!)?.reference.contains("2023年第6号") == true)
        #expect(low.value(on: CivilDate(year: 2018, month: 6, day: 1)!) == nil)
    }

    @Test("rule versions by date: 2022 needs 科技型中小企业, 2023 excludes listed industries")
    func versions() throws {
        let policy = try #require(BuiltInPolicies.policy("YFJJ"))
        let rule2022 = try #require(try policy.rule(on: CivilDate(year: 2022, month: 6, day: 1)!))
        let rule2023 = try #require(try policy.rule(on: CivilDate(year: 2023, month: 6, day: 1)!))
        #expect(rule2022.conditions.contains { if case .tag = $0.test { true } else { false } })
        #expect(!rule2023.conditions.contains { if case .tag = $0.test { true } else { false } })
    }
}
