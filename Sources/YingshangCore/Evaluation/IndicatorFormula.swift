import Foundation

/// A formula over other indicators, DHIS2-style: `#{ZWFW01} / #{ZWFW02} * 100`. Numbers, `+ - * /` (also `× ÷`),
/// brackets and references `#{CODE}`. It is evaluated live from stored values, so editing a formula changes what
/// every page shows and never the stored data. A missing referenced value, or a division by zero, gives no value.
public struct IndicatorFormula: Sendable, Equatable, CustomStringConvertible {
    /// Postfix program.
    public enum Step: Sendable, Equatable {
        case number(Double)
        case reference(String)
        case add, subtract, multiply, divide, negate
    }

    public let text: String
    public let steps: [Step]

    /// The codes the formula reads, in order of first use.
    public var references: [String] {
        var seen: Set<String> = [], result: [String] = []
        for case .reference(let code) in steps where seen.insert(code).inserted { result.append(code) }
        return result
    }

    public var description: String { text }

    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// 1-based character position.
        public let column: Int
        public let message: String
        public var description: String { "第\(column)个字符：\(message)" }
    }

    public init(_ text: String) throws(Problem) {
        var parser = Parser(characters: Array(text))
        self.text = text.trimmingCharacters(in: .whitespaces)
        self.steps = try parser.parse()
    }

    /// The value, given each referenced indicator's value (nil = missing).
    public func evaluate(_ value: (String) -> Double?) -> Double? {
        var stack: [Double] = []
        stack.reserveCapacity(8)
        for step in steps {
            switch step {
            case .number(let n): stack.append(n)
            case .reference(let code):
                guard let v = value(code), v.isFinite else { return nil }
                stack.append(v)
            case .negate: stack[stack.count - 1] = -stack[stack.count - 1]
            case .add, .subtract, .multiply, .divide:
                let b = stack.removeLast(), a = stack.removeLast()
                switch step {
                case .add: stack.append(a + b)
                case .subtract: stack.append(a - b)
                case .multiply: stack.append(a * b)
                default:
                    guard b != 0 else { return nil }
                    stack.append(a / b)
                }
            }
        }
        return stack.last.flatMap { $0.isFinite ? $0 : nil }
    }

    /// The formula with each reference replaced by its value, for the page that shows a calculation.
    public func explain(_ value: (String) -> Double?) -> String {
        var out = text
        for code in references {
            out = out.replacingOccurrences(of: "#{\(code)}", with: value(code).map(FactValue.format) ?? "（缺）")
        }
        return out
    }

    private struct Parser {
        let characters: [Character]
        var position = 0
        var steps: [Step] = []

        mutating func parse() throws(Problem) -> [Step] {
            skipSpaces()
            guard position < characters.count else { throw Problem(column: 1, message: "公式为空") }
            try sum()
            skipSpaces()
            if position < characters.count {
                let c = characters[position]
                throw problem(c.isNumber || c == "#" || c == "(" || c == "（" || c == ")" || c == "）"
                              ? "多余的“\(c)”，是否缺少运算符或左括号？" : "无法识别的“\(c)”；可用数字、+ - * /、括号和 #{指标编码}")
            }
            return steps
        }

        mutating func sum() throws(Problem) {
            try product()
            while let op = peekOperator(["+", "-", "－", "＋"]) {
                position += 1
                try product()
                steps.append(op == "+" || op == "＋" ? .add : .subtract)
            }
        }

        mutating func product() throws(Problem) {
            try unary()
            while let op = peekOperator(["*", "/", "×", "÷"]) {
                position += 1
                try unary()
                steps.append(op == "*" || op == "×" ? .multiply : .divide)
            }
        }

        mutating func unary() throws(Problem) {
            if peekOperator(["-", "－"]) != nil {
                position += 1
                try unary()
                steps.append(.negate)
            } else {
                try primary()
            }
        }

        mutating func primary() throws(Problem) {
            skipSpaces()
            guard position < characters.count else { throw problem("公式不完整，缺少数值或指标") }
            let c = characters[position]
            if c == "(" || c == "（" {
                position += 1
                try sum()
                skipSpaces()
                guard position < characters.count, characters[position] == ")" || characters[position] == "）" else {
                    throw problem("缺少右括号")
                }
                position += 1
            } else if c == "#" {
                let start = position
                guard position + 1 < characters.count, characters[position + 1] == "{" else { throw problem("指标引用应写作 #{编码}") }
                position += 2
                var code = ""
                while position < characters.count, characters[position] != "}" { code.append(characters[position]); position += 1 }
                guard position < characters.count else { throw Problem(column: start + 1, message: "指标引用缺少“}”") }
                position += 1
                let trimmed = code.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { throw Problem(column: start + 1, message: "指标引用中没有编码") }
                steps.append(.reference(trimmed))
            } else if c.isNumber || c == "." {
                var digits = ""
                while position < characters.count, characters[position].isASCII, characters[position].isNumber || characters[position] == "." {
                    digits.append(characters[position]); position += 1
                }
                guard let n = Double(digits) else { throw problem("无法识别的数字“\(digits)”") }
                steps.append(.number(n))
            } else {
                throw problem("无法识别的“\(c)”；可用数字、+ - * /、括号和 #{指标编码}")
            }
        }

        mutating func peekOperator(_ options: Set<Character>) -> Character? {
            skipSpaces()
            guard position < characters.count, options.contains(characters[position]) else { return nil }
            return characters[position]
        }

        mutating func skipSpaces() {
            while position < characters.count, characters[position].isWhitespace { position += 1 }
        }

        func problem(_ message: String) -> Problem { Problem(column: position + 1, message: message) }
    }
}
