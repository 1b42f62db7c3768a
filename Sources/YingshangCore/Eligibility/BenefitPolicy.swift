/// How a benefit reaches the enterprise: paid from a confirmed roster without application (免申即享), or applied
/// for and reviewed (申请兑现).
public enum RedemptionMode: String, Sendable, Codable, CaseIterable {
    case automatic = "免申即享"
    case application = "申请兑现"
}

/// A benefit policy as code (惠企政策规则): who is eligible, with dated parameters and their legal references,
/// rule versions by date, an optional amount formula, and readable test cases. Written and read as text
/// (``BenefitPolicySource``), so the office edits exactly what is evaluated.
public struct BenefitPolicy: Sendable {
    /// A rule or formula in force from a date (nil: from the start of the policy).
    public struct Dated<Value: Sendable>: Sendable {
        public let from: CivilDate?
        public let value: Value
    }

    public var code: String
    public var name: String
    public var mode: RedemptionMode
    /// 办理单位.
    public var unit: String
    public var contact: String
    /// 依据: the documents the policy rests on.
    public var basis: String
    /// 关联文件: the 文号 of the document in the policy library.
    public var documentNumber: String?
    public var validFrom: CivilDate?
    public var validUntil: CivilDate?
    /// 说明: notes, including any uncertainty about the sources.
    public var note: String
    public var parameters: [String: ParameterSchedule]
    public var rules: [Dated<RuleExpression>]
    public var amounts: [Dated<AmountFormula>]
    public var cases: [PolicyTestCase]
    /// The text the policy was parsed from.
    public var source: String

    /// Whether the policy is in force on `date`, or why not.
    public func notInForce(on date: CivilDate) -> String? {
        let span = "\(validFrom?.iso ?? "不限") 至 \(validUntil?.iso ?? "不限")"
        if let from = validFrom, date < from { return "本政策自 \(from.iso) 起施行（有效期 \(span)），\(date.iso) 尚未施行" }
        if let until = validUntil, date > until { return "本政策有效期 \(span)，\(date.iso) 已过期" }
        if version(of: rules, on: date) == nil { return "\(date.iso) 没有生效的条件" }
        return nil
    }

    /// The rule in force on `date` with its parameters' values on that date, or nil when the policy is not in force.
    public func rule(on date: CivilDate) throws(ParameterError) -> RuleExpression? {
        guard notInForce(on: date) == nil, let rule = version(of: rules, on: date) else { return nil }
        return try rule.binding { name in parameters[name]?.value(on: date)?.operand }
    }

    /// The parameter values a rule used on `date`, with their legal references, for the explanation.
    public func parameterValues(on date: CivilDate) -> [(name: String, value: ParameterValue)] {
        parameters.keys.sorted().compactMap { name in parameters[name]?.value(on: date).map { (name, $0) } }
    }

    public func evaluate(_ facts: EnterpriseFacts, asOf date: CivilDate) -> PolicyEvaluation {
        if let reason = notInForce(on: date) {
            return PolicyEvaluation(code: code, asOf: date, result: .no, rule: nil, amount: nil, notInForce: reason)
        }
        let rule: RuleExpression
        do {
            guard let bound = try self.rule(on: date) else { preconditionFailure("checked by notInForce") }
            rule = bound
        } catch {
            return PolicyEvaluation(code: code, asOf: date, result: .no, rule: nil, amount: nil, notInForce: error.message)
        }
        let evaluation = RuleEvaluator.evaluate(rule, facts: facts, asOf: date)
        var amount: AmountFormula.Outcome?
        if evaluation.result != .no, let formula = version(of: amounts, on: date) {
            amount = formula.evaluate(facts, asOf: date) { name in
                // A percentage parameter enters a formula as a fraction: {实际税负} 5% multiplies by 0.05.
                guard let value = parameters[name]?.value(on: date), case .number(let n) = value.operand else { return nil }
                return value.unit == .percent ? n / 100 : n
            }
        }
        return PolicyEvaluation(code: code, asOf: date, result: evaluation.result, rule: evaluation, amount: amount, notInForce: nil)
    }

    /// Runs every test case (用例); the policy may be published only when all pass.
    public func runCases() -> [PolicyTestCase.Run] { cases.map { $0.run(on: self) } }

    func version<Value>(of list: [Dated<Value>], on date: CivilDate) -> Value? {
        list.last { ($0.from ?? .distantPast) <= date }?.value
    }
}

/// A policy's answer for one enterprise on one date.
public struct PolicyEvaluation: Sendable, Equatable {
    public let code: String
    public let asOf: CivilDate
    public let result: Truth
    /// Nil when the policy was not in force.
    public let rule: RuleEvaluation?
    public let amount: AmountFormula.Outcome?
    public let notInForce: String?

    /// 差一点: not eligible, but one condition away.
    public var isNearMiss: Bool { rule?.isNearMiss ?? false }

    /// Where the policy leaves the enterprise, as its pages group policies.
    public var standing: Standing {
        if isNearMiss { return .nearMiss }
        switch result {
        case .yes: return .eligible
        case .unknown: return .undecided
        case .no: return .ineligible
        }
    }

    /// 符合 / 差一点 / 待补充信息 / 不符合, in the order pages list them.
    public enum Standing: CaseIterable, Sendable {
        case eligible, nearMiss, undecided, ineligible

        public var label: String {
            switch self {
            case .eligible: "符合"
            case .nearMiss: "差一点"
            case .undecided: "待补充信息"
            case .ineligible: "不符合"
            }
        }
    }
}

extension CivilDate {
    /// Before any date a policy names.
    static let distantPast = CivilDate(year: 1, month: 1, day: 1)!
}
