/// The unit a number was written with, converted to the canonical unit of its kind.
public enum ValueUnit: String, Sendable, Hashable {
    case amount, headcount, percent, years, date, plain

    /// The unit of a number token and the factor to the canonical unit (万元 for money).
    static func of(_ written: String) -> (ValueUnit, Double) {
        switch written {
        case "亿元", "亿": (.amount, 10_000)
        case "万元", "万": (.amount, 1)
        case "元": (.amount, 0.0001)
        case "人": (.headcount, 1)
        case "%", "％": (.percent, 1)
        case "年": (.years, 1)
        default: (.plain, 1)
        }
    }

    /// Whether a value in this unit may be compared with a fact of `kind`.
    func fits(_ kind: FactKind) -> Bool {
        switch (self, kind) {
        case (.plain, _) where kind.isNumeric: true
        case (.amount, .amount), (.headcount, .headcount), (.percent, .percent), (.years, .years), (.date, .date): true
        default: false
        }
    }
}

/// Parses the rule language: `行业 属于 [C] 且 从业人数 <= 300 且 资产总额 <= 5000万元 且 应纳税所得额 <= {上限}`.
/// `且` binds tighter than `或`; `非` negates; brackets group. Errors say where and what was expected, in Chinese.
public struct RuleParser {
    /// The units of the parameters the rule may refer to.
    let parameters: [String: ValueUnit]
    let source: [Character]
    var tokens: [LexedToken]
    var index = 0

    public static func parse(_ text: String, parameters: [String: ValueUnit] = [:]) throws(RuleSyntaxError) -> RuleExpression {
        var parser = RuleParser(parameters: parameters, source: Array(text), tokens: try RuleLexer.tokens(text))
        guard parser.tokens.count > 1 else { throw RuleSyntaxError(position: 1, message: "规则为空") }
        let expression = try parser.disjunction()
        guard parser.current.token == .end else {
            throw RuleSyntaxError(position: parser.current.position, message: "“\(parser.current.text)”多余：条件之间请用“且”或“或”连接")
        }
        return expression
    }

    var current: LexedToken { tokens[index] }

    mutating func advance() -> LexedToken {
        defer { index += 1 }
        return tokens[index]
    }

    mutating func disjunction() throws(RuleSyntaxError) -> RuleExpression {
        var parts = [try conjunction()]
        while current.token == .or {
            index += 1
            parts.append(try conjunction())
        }
        return parts.count == 1 ? parts[0] : .any(parts)
    }

    mutating func conjunction() throws(RuleSyntaxError) -> RuleExpression {
        var parts = [try unary()]
        while current.token == .and {
            index += 1
            parts.append(try unary())
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    mutating func unary() throws(RuleSyntaxError) -> RuleExpression {
        switch current.token {
        case .not:
            index += 1
            return .not(try unary())
        case .open:
            let open = advance()
            let inner = try disjunction()
            guard current.token == .close else {
                throw RuleSyntaxError(position: current.position, message: "第 \(open.position) 个字符处的左括号没有对应的右括号")
            }
            index += 1
            return inner
        default:
            return try condition()
        }
    }

    mutating func condition() throws(RuleSyntaxError) -> RuleExpression {
        let first = current
        let test: ConditionTest
        switch first.token {
        case .has, .hasNot:
            index += 1
            let tag = advance()
            guard case .word(let name) = tag.token else {
                throw RuleSyntaxError(position: tag.position, message: "“具有”后应写资质标签，如 具有 高新技术企业")
            }
            if let problem = EnterpriseTag.problem(with: name) { throw RuleSyntaxError(position: tag.position, message: problem) }
            test = .tag(name, negated: first.token == .hasNot)
        case .field(let field):
            index += 1
            test = try fieldTest(field)
        case .end:
            throw RuleSyntaxError(position: first.position, message: "规则不完整：此处应有条件")
        case .word(let word):
            throw RuleSyntaxError(position: first.position,
                                  message: "未知的字段“\(word)”。可用字段：\(FactField.allCases.map(\.label).joined(separator: "、"))")
        default:
            throw RuleSyntaxError(position: first.position, message: "“\(first.text)”处应为条件，如 从业人数 <= 300")
        }
        let last = tokens[index - 1]
        let text = String(source[(first.position - 1)..<(last.position - 1 + last.text.count)])
        return .condition(RuleCondition(test: test, text: text))
    }

    mutating func fieldTest(_ field: FactField) throws(RuleSyntaxError) -> ConditionTest {
        let op = advance()
        switch op.token {
        case .memberOf, .notMemberOf:
            return .member(field, try memberList(for: field), negated: op.token == .notMemberOf)
        case .compare(let comparison):
            if field.kind.isNumeric || field.kind == .date {
                return .compare(field, comparison, try operand(for: field))
            }
            guard comparison == .equal || comparison == .notEqual else {
                throw RuleSyntaxError(position: op.position, message: "\(field.label)只能用“=”“≠”或“属于”比较")
            }
            let value = try member(for: field, advance())
            return .member(field, [value], negated: comparison == .notEqual)
        default:
            throw RuleSyntaxError(position: op.position, message: "\(field.label)后应为比较符号（<=、<、>=、>、=、≠）或“属于”")
        }
    }

    mutating func operand(for field: FactField) throws(RuleSyntaxError) -> Operand {
        let token = advance()
        switch token.token {
        case .number(let value, let written):
            let (unit, factor) = ValueUnit.of(written)
            guard unit.fits(field.kind) else {
                throw RuleSyntaxError(position: token.position, message: "\(field.label)的单位是“\(field.kind.unit)”，不能与“\(written)”比较")
            }
            return .number(value * factor)
        case .date(let date):
            guard field.kind == .date else {
                throw RuleSyntaxError(position: token.position, message: "\(field.label)不是日期，不能与日期比较")
            }
            return .date(date)
        case .parameter(let name):
            guard let unit = parameters[name] else {
                let known = parameters.keys.sorted().joined(separator: "、")
                throw RuleSyntaxError(position: token.position, message: "未定义的参数“\(name)”" + (known.isEmpty ? "" : "（已定义：\(known)）"))
            }
            guard unit.fits(field.kind) else {
                throw RuleSyntaxError(position: token.position, message: "参数“\(name)”的单位与\(field.label)不一致")
            }
            return .parameter(name)
        default:
            let expected = field.kind == .date ? "日期（如 2020-01-01）" : "数字（如 300 或 5000万元）"
            throw RuleSyntaxError(position: token.position, message: "\(field.label)后应为\(expected)或 {参数名}")
        }
    }

    mutating func memberList(for field: FactField) throws(RuleSyntaxError) -> [MemberValue] {
        guard current.token == .openList else { return [try member(for: field, advance())] }
        let open = advance()
        var values: [MemberValue] = []
        while current.token != .closeList {
            guard current.token != .end else {
                throw RuleSyntaxError(position: open.position, message: "左方括号“[”没有对应的“]”")
            }
            values.append(try member(for: field, advance()))
            if current.token == .separator { index += 1 }
        }
        index += 1
        guard !values.isEmpty else { throw RuleSyntaxError(position: open.position, message: "方括号中至少写一项") }
        return values
    }

    func member(for field: FactField, _ token: LexedToken) throws(RuleSyntaxError) -> MemberValue {
        let text: String
        switch token.token {
        case .word(let word): text = word
        case .number: text = token.text
        default: throw RuleSyntaxError(position: token.position, message: "此处应为\(field.label)的取值")
        }
        switch field.kind {
        case .industry:
            switch IndustryCode.parse(text) {
            case .success(let code): return .industry(code)
            case .failure(let problem): throw RuleSyntaxError(position: token.position, message: problem.message)
            }
        case .region:
            guard [2, 4, 6].contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }),
                  RegionCode.problem(with: text.padding(toLength: 6, withPad: "0", startingAt: 0)) == nil else {
                throw RuleSyntaxError(position: token.position, message: "“\(text)”不是行政区划代码（2 位省、4 位市或 6 位县区）")
            }
            return .region(text)
        case .category(let options):
            guard options.contains(text.uppercased()) else {
                throw RuleSyntaxError(position: token.position, message: "\(field.label)应为 \(options.joined(separator: " / ")) 之一")
            }
            return .label(text.uppercased())
        default:
            throw RuleSyntaxError(position: token.position, message: "\(field.label)是数值，请用比较符号，如 \(field.label) <= 300")
        }
    }
}
