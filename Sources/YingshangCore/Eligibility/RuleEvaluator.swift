/// How one condition came out for one enterprise, for the explanation (说明) shown beside a result.
public struct ConditionOutcome: Sendable, Equatable {
    public let condition: RuleCondition
    public let truth: Truth
    /// The enterprise's value as a clerk reads it, or 缺少.
    public let actual: String
    /// What would make the condition hold: `从业人数需不超过300人（现为 320人）`.
    public let requirement: String
}

/// The result of a rule for one enterprise, explained condition by condition.
public struct RuleEvaluation: Sendable, Equatable {
    public let result: Truth
    public let outcomes: [ConditionOutcome]
    /// The facts to fill in before the rule can be decided (names of stored facts, or 资质标签).
    public let missing: [String]
    /// For a near miss (差一点: fails, but one condition holding would make it pass): what that condition needs.
    public let nearMisses: [String]

    public var isNearMiss: Bool { result == .no && !nearMisses.isEmpty }
}

/// Evaluates bound rules (parameters already replaced) on one enterprise's facts: the reference the columnar matcher
/// is tested against.
public enum RuleEvaluator {
    public static func evaluate(_ rule: RuleExpression, facts: EnterpriseFacts, asOf date: CivilDate) -> RuleEvaluation {
        let conditions = rule.conditions
        let truths = conditions.map { truth(of: $0.test, facts: facts, asOf: date) }
        let result = combine(rule, truths: truths)
        let outcomes = zip(conditions, truths).map { condition, truth in
            ConditionOutcome(condition: condition, truth: truth, actual: actual(condition.test, facts: facts, asOf: date),
                             requirement: requirement(condition.test, facts: facts, asOf: date))
        }
        var missing: [String] = []
        for (condition, truth) in zip(conditions, truths) where truth == .unknown {
            for name in missingFacts(condition.test, facts: facts) where !missing.contains(name) { missing.append(name) }
        }
        var nearMisses: [String] = []
        if result == .no {
            for index in truths.indices where truths[index] == .no {
                var flipped = truths
                flipped[index] = .yes
                if combine(rule, truths: flipped) == .yes { nearMisses.append(outcomes[index].requirement) }
            }
        }
        return RuleEvaluation(result: result, outcomes: outcomes, missing: result == .unknown ? missing : [], nearMisses: nearMisses)
    }

    /// The rule's result alone, without explanations: what the differential test and bulk checks compare.
    public static func result(_ rule: RuleExpression, facts: EnterpriseFacts, asOf date: CivilDate) -> Truth {
        combine(rule, truths: rule.conditions.map { truth(of: $0.test, facts: facts, asOf: date) })
    }

    /// The rule's truth given each condition's truth, in the order of ``RuleExpression/conditions``.
    public static func combine(_ rule: RuleExpression, truths: [Truth]) -> Truth {
        var next = 0
        func walk(_ expression: RuleExpression) -> Truth {
            switch expression {
            case .all(let parts): return parts.reduce(Truth.yes) { $0 && walk($1) }
            case .any(let parts): return parts.reduce(Truth.no) { $0 || walk($1) }
            case .not(let inner): return !walk(inner)
            case .condition:
                defer { next += 1 }
                return truths[next]
            }
        }
        return walk(rule)
    }

    public static func truth(of test: ConditionTest, facts: EnterpriseFacts, asOf date: CivilDate) -> Truth {
        switch test {
        case .compare(let field, let op, .number(let threshold)):
            guard let value = facts.value(field, asOf: date)?.number else { return .unknown }
            return Truth(op.holds(value, threshold))
        case .compare(let field, let op, .date(let threshold)):
            guard case .date(let value)? = facts.value(field, asOf: date) else { return .unknown }
            return Truth(op.holds(Double(EnterpriseFacts.packed(value)), Double(EnterpriseFacts.packed(threshold))))
        case .compare(_, _, .parameter):
            preconditionFailure("rules are bound to a date before they are evaluated")
        case .member(let field, let values, let negated):
            guard let value = facts.value(field, asOf: date) else { return .unknown }
            let found = values.reduce(Truth.no) { $0 || membership(value, $1) }
            return negated ? !found : found
        case .tag(let name, let negated):
            guard let tags = facts.tags else { return .unknown }
            return Truth(tags.contains(name) != negated)
        }
    }

    static func membership(_ value: FactValue, _ member: MemberValue) -> Truth {
        switch (value, member) {
        case (.industry(let code), .industry(let listed)): code.lies(in: listed)
        case (.text(let region), .region(let prefix)): Truth(region.hasPrefix(prefix))
        case (.text(let label), .label(let listed)): Truth(label == listed)
        default: .no
        }
    }

    static func actual(_ test: ConditionTest, facts: EnterpriseFacts, asOf date: CivilDate) -> String {
        switch test {
        case .tag(let name, _):
            guard let tags = facts.tags else { return "未登记资质" }
            return tags.contains(name) ? "具有" : "不具有"
        case .compare(let field, _, _), .member(let field, _, _):
            return facts.value(field, asOf: date)?.display(for: field) ?? "缺少"
        }
    }

    static func requirement(_ test: ConditionTest, facts: EnterpriseFacts, asOf date: CivilDate) -> String {
        let now = "（现为 \(actual(test, facts: facts, asOf: date))）"
        switch test {
        case .tag(let name, let negated):
            return (negated ? "需不具有“\(name)”" : "需具有“\(name)”资质") + now
        case .compare(let field, let op, let operand):
            let threshold: String
            switch operand {
            case .number(let n): threshold = FactValue.number(n).display(for: field)
            case .date(let d): threshold = d.iso
            case .parameter(let name): threshold = "{\(name)}"
            }
            return "\(field.label)需\(word(op))\(threshold)\(now)"
        case .member(let field, let values, let negated):
            return "\(field.label)需\(negated ? "不" : "")属于 \(values.map(\.display).joined(separator: "、"))\(now)"
        }
    }

    static func word(_ op: ComparisonOperator) -> String {
        switch op {
        case .lessOrEqual: "不超过"
        case .less: "低于"
        case .greaterOrEqual: "不低于"
        case .greater: "高于"
        case .equal: "等于"
        case .notEqual: "不等于"
        }
    }

    /// The stored facts (or 资质标签) a condition cannot be decided without.
    static func missingFacts(_ test: ConditionTest, facts: EnterpriseFacts) -> [String] {
        guard let field = test.field else { return ["资质标签"] }
        switch field {
        case .rdIntensity:
            let absent = [FactField.rdExpense, .revenue].filter { facts[$0] == nil }.map(\.label)
            return absent.isEmpty ? ["营业收入（为 0 时无法计算研发费用占比）"] : absent
        case .ageYears: return [FactField.registeredOn.label]
        case .sizeClass: return SizeStandard.standard.classify(facts).missing.map(\.label)
        default: return facts[field] == nil ? [field.label] : ["\(field.label)（需细化）"]
        }
    }
}
