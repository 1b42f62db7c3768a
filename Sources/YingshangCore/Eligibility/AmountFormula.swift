/// A benefit amount formula (金额公式) in 万元: arithmetic over facts, parameters and numbers with units, plus
/// 最小(a, b) / 最大(a, b) for caps: `最小(研发费用 × 10%, 50万元)`.
public indirect enum AmountFormula: Sendable, Hashable {
    case number(Double)
    case field(FactField)
    case parameter(String)
    case add(AmountFormula, AmountFormula)
    case subtract(AmountFormula, AmountFormula)
    case multiply(AmountFormula, AmountFormula)
    case divide(AmountFormula, AmountFormula)
    case minimum(AmountFormula, AmountFormula)
    case maximum(AmountFormula, AmountFormula)

    /// The result of a formula for one enterprise: an amount, or the facts it still needs.
    public enum Outcome: Sendable, Equatable {
        case amount(Double)
        case missing([FactField])
        case undefined(String)
    }

    public static func parse(_ text: String, parameters: [String: ValueUnit]) throws(RuleSyntaxError) -> AmountFormula {
        var parser = FormulaParser(tokens: try RuleLexer.tokens(text), parameters: parameters)
        let formula = try parser.sum()
        guard parser.current.token == .end else {
            throw RuleSyntaxError(position: parser.current.position, message: "“\(parser.current.text)”多余")
        }
        return formula
    }

    public func evaluate(_ facts: EnterpriseFacts, asOf date: CivilDate, parameter: (String) -> Double?) -> Outcome {
        func value(_ formula: AmountFormula) -> Result<Double, Failure> {
            switch formula {
            case .number(let n): return .success(n)
            case .field(let field):
                guard let n = facts.value(field, asOf: date)?.number else { return .failure(.missing([field])) }
                return .success(n)
            case .parameter(let name):
                guard let n = parameter(name) else { return .failure(.undefined("参数“\(name)”在该日期没有取值")) }
                return .success(n)
            case .add(let a, let b): return combine(a, b, +)
            case .subtract(let a, let b): return combine(a, b, -)
            case .multiply(let a, let b): return combine(a, b, *)
            case .divide(let a, let b):
                if case .success(let divisor) = value(b), divisor == 0 { return .failure(.undefined("公式中除数为 0")) }
                return combine(a, b, /)
            case .minimum(let a, let b): return combine(a, b, min)
            case .maximum(let a, let b): return combine(a, b, max)
            }
        }
        func combine(_ a: AmountFormula, _ b: AmountFormula, _ f: (Double, Double) -> Double) -> Result<Double, Failure> {
            switch (value(a), value(b)) {
            case (.success(let x), .success(let y)): return .success(f(x, y))
            case (.failure(.missing(let x)), .failure(.missing(let y))): return .failure(.missing(x + y.filter { !x.contains($0) }))
            case (.failure(let failure), _), (_, .failure(let failure)): return .failure(failure)
            }
        }
        switch value(self) {
        case .success(let n): return .amount(n)
        case .failure(.missing(let fields)): return .missing(fields)
        case .failure(.undefined(let why)): return .undefined(why)
        }
    }

    private enum Failure: Error {
        case missing([FactField])
        case undefined(String)
    }
}

private struct FormulaParser {
    var tokens: [LexedToken]
    let parameters: [String: ValueUnit]
    var index = 0

    init(tokens: [LexedToken], parameters: [String: ValueUnit]) {
        self.tokens = tokens
        self.parameters = parameters
    }

    var current: LexedToken { tokens[index] }

    mutating func sum() throws(RuleSyntaxError) -> AmountFormula {
        var result = try product()
        while current.token == .plus || current.token == .minus {
            let op = tokens[index].token
            index += 1
            let rhs = try product()
            result = op == .plus ? .add(result, rhs) : .subtract(result, rhs)
        }
        return result
    }

    mutating func product() throws(RuleSyntaxError) -> AmountFormula {
        var result = try factor()
        while current.token == .times || current.token == .divide {
            let op = tokens[index].token
            index += 1
            let rhs = try factor()
            result = op == .times ? .multiply(result, rhs) : .divide(result, rhs)
        }
        return result
    }

    mutating func factor() throws(RuleSyntaxError) -> AmountFormula {
        let token = current
        index += 1
        switch token.token {
        case .number(let value, let written):
            let (unit, factor) = ValueUnit.of(written)
            switch unit {
            case .amount, .plain: return .number(value * factor)
            case .percent: return .number(value / 100)
            default: throw RuleSyntaxError(position: token.position, message: "金额公式中不能使用单位“\(written)”")
            }
        case .field(let field):
            guard field.kind.isNumeric else {
                throw RuleSyntaxError(position: token.position, message: "\(field.label)不是数值，不能参与金额计算")
            }
            return .field(field)
        case .parameter(let name):
            guard parameters[name] != nil else { throw RuleSyntaxError(position: token.position, message: "未定义的参数“\(name)”") }
            return .parameter(name)
        case .open:
            let inner = try sum()
            guard current.token == .close else { throw RuleSyntaxError(position: current.position, message: "缺少右括号") }
            index += 1
            return inner
        case .word(let word) where ["最小", "较小值", "最大", "较大值"].contains(word):
            guard current.token == .open else { throw RuleSyntaxError(position: current.position, message: "\(word)后应为括号，如 \(word)(a, b)") }
            index += 1
            let a = try sum()
            guard current.token == .separator else { throw RuleSyntaxError(position: current.position, message: "\(word)需要两个值，用逗号分开") }
            index += 1
            let b = try sum()
            guard current.token == .close else { throw RuleSyntaxError(position: current.position, message: "缺少右括号") }
            index += 1
            return word.hasPrefix("最小") || word == "较小值" ? .minimum(a, b) : .maximum(a, b)
        default:
            throw RuleSyntaxError(position: token.position, message: "“\(token.text.isEmpty ? "结尾" : token.text)”处应为数字、字段或 {参数}")
        }
    }
}
