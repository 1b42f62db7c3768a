/// An enterprise's portrait (企业画像) on a date: attributes derived from its facts, recomputed whenever they change.
public struct Portrait: Sendable {
    public let asOf: CivilDate
    /// 企业规模 by 中小企业划型标准规定, with how it was reached or what is missing.
    public let size: SizeStandard.Classification
    /// 小型微利企业 (three-valued, explained) by the built-in rule in force on the date.
    public let smallLowProfit: PolicyEvaluation
    /// 成立不满1年 / 1–3年 / 3–5年 / 5–10年 / 10年以上.
    public let ageBand: String?
    /// The GB/T 4754 section (门类) name.
    public let sector: String?
    /// Tags held on the date; nil when never recorded.
    public let tags: [String]?

    public init(facts: EnterpriseFacts, asOf date: CivilDate) {
        asOf = date
        size = SizeStandard.standard.classify(facts)
        smallLowProfit = BuiltInPolicies.smallLowProfit.evaluate(facts, asOf: date)
        if case .number(let years)? = facts.value(.ageYears, asOf: date) {
            ageBand = switch years {
            case ..<1: "成立不满1年"
            case ..<3: "成立1–3年"
            case ..<5: "成立3–5年"
            case ..<10: "成立5–10年"
            default: "成立10年以上"
            }
        } else {
            ageBand = nil
        }
        if case .industry(let code)? = facts[.industry] {
            sector = IndustryClassification.standard.section(ofClass: code.low)?.name
        } else {
            sector = nil
        }
        tags = facts.tags?.sorted()
    }
}
