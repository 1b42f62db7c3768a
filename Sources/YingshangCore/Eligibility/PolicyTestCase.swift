import Foundation

/// A readable test case (用例) of a policy: facts, the date asked, the expected result and optionally the amount:
/// `用例（典型小型微利企业）：行业=C3911，从业人数=100，资产总额=3000万元，应纳税所得额=200万元 => 符合，金额=40万元`.
/// Cases run in `swift test` for the built-in policies and in the UI before a policy is published.
public struct PolicyTestCase: Sendable {
    public let name: String
    public let facts: EnterpriseFacts
    /// 日期; nil: the policy's first day in force.
    public let asOf: CivilDate?
    public let expected: Truth
    public let expectedAmount: Double?

    public struct Run: Sendable {
        public let name: String
        public let passed: Bool
        /// What happened, in Chinese: `通过：符合，金额 40万元` or `期望 符合，实际 待补充信息（缺少：资产总额）`.
        public let message: String
    }

    public func run(on policy: BenefitPolicy) -> Run {
        let date = asOf ?? policy.validFrom ?? policy.rules.compactMap(\.from).first ?? CivilDate(year: 2024, month: 1, day: 1)!
        let evaluation = policy.evaluate(facts, asOf: date)
        var actual = evaluation.result.label
        if let missing = evaluation.rule?.missing, !missing.isEmpty { actual += "（缺少：\(missing.joined(separator: "、"))）" }
        if let reason = evaluation.notInForce { actual += "（\(reason)）" }
        guard evaluation.result == expected else {
            return Run(name: name, passed: false, message: "期望 \(expected.label)，实际 \(actual)")
        }
        guard let expectedAmount else { return Run(name: name, passed: true, message: "通过：\(actual)") }
        switch evaluation.amount {
        case .amount(let amount)? where abs(amount - expectedAmount) < 0.000_001:
            return Run(name: name, passed: true, message: "通过：\(actual)，金额 \(FactValue.format(amount))万元")
        case .amount(let amount)?:
            return Run(name: name, passed: false, message: "金额期望 \(FactValue.format(expectedAmount))万元，实际 \(FactValue.format(amount))万元")
        case .missing(let fields)?:
            return Run(name: name, passed: false, message: "金额无法计算，缺少：\(fields.map(\.label).joined(separator: "、"))")
        case .undefined(let why)?:
            return Run(name: name, passed: false, message: "金额无法计算：\(why)")
        case nil:
            return Run(name: name, passed: false, message: "期望金额 \(FactValue.format(expectedAmount))万元，但政策没有金额公式")
        }
    }

    /// Parses the part after the colon: `字段=值，… => 结果[，金额=值]`. 标签 lists tags (`、` or `|`, 无 for none);
    /// 日期 is the date asked.
    static func parse(name: String, _ text: String) -> Result<PolicyTestCase, StatementProblem> {
        let arrow = ["=>", "⇒", "→"].compactMap { text.range(of: $0) }.first
        guard let arrow else { return .failure(StatementProblem("用例应写成“字段=值，… => 符合/不符合/待补充信息”")) }
        var facts = EnterpriseFacts()
        var asOf: CivilDate?
        for item in text[..<arrow.lowerBound].split(whereSeparator: { $0 == "，" || $0 == "," }) {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { return .failure(StatementProblem("“\(item.trimmingCharacters(in: .whitespaces))”应写成 字段=值")) }
            switch parts[0] {
            case "标签":
                let tags = parts[1] == "无" ? [] : parts[1].split(whereSeparator: { $0 == "、" || $0 == "|" }).map(String.init)
                if let problem = tags.lazy.compactMap(EnterpriseTag.problem).first { return .failure(StatementProblem(problem)) }
                facts.tags = Set(tags)
            case "日期":
                guard let date = CivilDate(iso: parts[1]) else { return .failure(StatementProblem("日期“\(parts[1])”应写成 2023-12-31")) }
                asOf = date
            default:
                guard let field = FactField.named(parts[0]), !field.isDerived else { return .failure(StatementProblem("未知的字段“\(parts[0])”")) }
                switch field.parse(parts[1]) {
                case .success(let value): facts[field] = value
                case .failure(let problem): return .failure(StatementProblem(problem.message))
                }
            }
        }
        let outcome = text[arrow.upperBound...].split(whereSeparator: { $0 == "，" || $0 == "," })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = outcome.first, let expected = Truth(label: first) else {
            return .failure(StatementProblem("“=>”后应为 符合、不符合 或 待补充信息"))
        }
        var amount: Double?
        for extra in outcome.dropFirst() {
            guard extra.hasPrefix("金额="), case .success(.number(let n)) = FactField.revenue.parse(String(extra.dropFirst(3))) else {
                return .failure(StatementProblem("结果后只能写“金额=数值”，如 金额=40万元"))
            }
            amount = n
        }
        return .success(PolicyTestCase(name: name, facts: facts, asOf: asOf, expected: expected, expectedAmount: amount))
    }
}
