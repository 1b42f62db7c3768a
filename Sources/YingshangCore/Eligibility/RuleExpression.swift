/// The right-hand side of a comparison: a value, or a parameter resolved for the date a question is asked.
public enum Operand: Sendable, Hashable {
    /// In the field's canonical unit (万元, 人, %, 年).
    case number(Double)
    case date(CivilDate)
    case parameter(String)
}

/// One value of a membership test: an industry code, a region code prefix, or a category label.
public enum MemberValue: Sendable, Hashable {
    case industry(IndustryCode)
    /// A GB/T 2260 code or its leading digits (`45` a province, `4501` a city).
    case region(String)
    case label(String)

    public var display: String {
        switch self {
        case .industry(let code): code.description
        case .region(let prefix): prefix
        case .label(let label): label
        }
    }
}

/// What one condition (条件) of a rule tests.
public enum ConditionTest: Sendable, Hashable {
    case compare(FactField, ComparisonOperator, Operand)
    case member(FactField, [MemberValue], negated: Bool)
    case tag(String, negated: Bool)

    /// The facts the condition reads (derived ones included), for "missing" messages.
    public var field: FactField? {
        switch self {
        case .compare(let field, _, _), .member(let field, _, _): field
        case .tag: nil
        }
    }
}

/// One condition, with the text it was written as.
public struct RuleCondition: Sendable, Hashable {
    public let test: ConditionTest
    public let text: String

    public init(test: ConditionTest, text: String) {
        self.test = test
        self.text = text
    }
}

/// A parsed eligibility rule: conditions joined by 且 / 或 / 非.
public indirect enum RuleExpression: Sendable, Hashable {
    case all([RuleExpression])
    case any([RuleExpression])
    case not(RuleExpression)
    case condition(RuleCondition)

    /// The conditions in the order they are written; explanations and near misses refer to them by this index.
    public var conditions: [RuleCondition] {
        switch self {
        case .all(let parts), .any(let parts): parts.flatMap(\.conditions)
        case .not(let inner): inner.conditions
        case .condition(let condition): [condition]
        }
    }

    /// The parameter names the rule refers to.
    public var parameterNames: Set<String> {
        Set(conditions.compactMap { condition in
            if case .compare(_, _, .parameter(let name)) = condition.test { name } else { nil }
        })
    }

    /// The rule with every parameter replaced by its value; `lookup` returns nil for a parameter without a value,
    /// which is reported by name.
    public func binding(_ lookup: (String) -> Operand?) throws(ParameterError) -> RuleExpression {
        switch self {
        case .all(let parts): return .all(try parts.map { part throws(ParameterError) in try part.binding(lookup) })
        case .any(let parts): return .any(try parts.map { part throws(ParameterError) in try part.binding(lookup) })
        case .not(let inner): return .not(try inner.binding(lookup))
        case .condition(let condition):
            guard case .compare(let field, let op, .parameter(let name)) = condition.test else { return self }
            guard let value = lookup(name) else { throw ParameterError(name: name) }
            // The explanation shows the value in force, not the parameter's name.
            let written = switch value {
            case .number(let n): FactValue.number(n).display(for: field)
            case .date(let d): d.iso
            case .parameter(let other): "{\(other)}"
            }
            return .condition(RuleCondition(test: .compare(field, op, value), text: condition.text.replacingOccurrences(of: "{\(name)}", with: written)))
        }
    }
}

/// A parameter a rule needs has no value for the date asked.
public struct ParameterError: Error, Equatable, Sendable {
    public let name: String
    public var message: String { "参数“\(name)”在所问日期没有生效的取值" }
}
