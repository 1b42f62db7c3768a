/// An error in a rule, a parameter or a formula, pointing at the character (1-based) where it was found.
public struct RuleSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based character position in the text that was parsed.
    public let position: Int
    public let message: String

    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "第 \(position) 个字符处：\(message)" }
}

/// A comparison in a condition.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case lessOrEqual = "≤", less = "<", greaterOrEqual = "≥", greater = ">", equal = "=", notEqual = "≠"

    public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .lessOrEqual: lhs <= rhs
        case .less: lhs < rhs
        case .greaterOrEqual: lhs >= rhs
        case .greater: lhs > rhs
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        }
    }

    /// Words and symbols a clerk may write for each comparison.
    static let spellings: [(String, ComparisonOperator)] = [
        ("<=", .lessOrEqual), ("≤", .lessOrEqual), ("不超过", .lessOrEqual), ("不高于", .lessOrEqual), ("不大于", .lessOrEqual),
        (">=", .greaterOrEqual), ("≥", .greaterOrEqual), ("不低于", .greaterOrEqual), ("不少于", .greaterOrEqual), ("不小于", .greaterOrEqual),
        ("!=", .notEqual), ("≠", .notEqual), ("不等于", .notEqual),
        ("==", .equal), ("=", .equal), ("等于", .equal),
        ("<", .less), ("低于", .less), ("少于", .less), ("小于", .less),
        (">", .greater), ("超过", .greater), ("高于", .greater), ("大于", .greater),
    ]
}

/// A token of the rule language.
enum RuleToken: Equatable {
    case field(FactField)
    /// A number with the unit written after it (`300万元` → 300, "万元").
    case number(Double, unit: String)
    case date(CivilDate)
    /// `{参数名}`.
    case parameter(String)
    case compare(ComparisonOperator)
    case and, or, not, memberOf, notMemberOf, has, hasNot
    case open, close, openList, closeList, separator
    case plus, minus, times, divide
    /// Anything else: an industry code, a tag, a category label.
    case word(String)
    case end
}

struct LexedToken: Equatable {
    let token: RuleToken
    /// 1-based position of the first character.
    let position: Int
    let text: String
}

/// Splits rule text into tokens. Chinese needs no spaces: field names and keywords are matched longest first at each
/// position, so `从业人数<=300且资产总额<=5000万元` reads as it would with spaces.
enum RuleLexer {
    static let keywords: [(String, RuleToken)] = ([
        ("并且", .and), ("且", .and), ("或者", .or), ("或", .or), ("不属于", .notMemberOf),
        ("属于", .memberOf), ("不具有", .hasNot), ("不持有", .hasNot), ("具有", .has), ("持有", .has),
        ("非", .not),
    ] + ComparisonOperator.spellings.map { ($0.0, RuleToken.compare($0.1)) })
        .sorted { $0.0.count > $1.0.count }

    static let units = ["亿元", "万元", "元", "亿", "万", "人", "%", "％", "年"]
    static let symbols: [Character: RuleToken] = [
        "(": .open, ")": .close, "（": .open, "）": .close, "[": .openList, "]": .closeList, "【": .openList, "】": .closeList,
        ",": .separator, "，": .separator, "、": .separator, "+": .plus, "-": .minus, "*": .times, "×": .times,
        "/": .divide, "÷": .divide,
    ]
    /// Characters that end a word.
    static let wordBreakers: Set<Character> = Set(symbols.keys).union(["<", ">", "=", "!", "≤", "≥", "≠", "{", "}", "“", "”"])

    static func tokens(_ text: String) throws(RuleSyntaxError) -> [LexedToken] {
        let chars = Array(text)
        var result: [LexedToken] = []
        var i = 0
        func starts(with word: String, at index: Int) -> Bool {
            var j = index
            for c in word {
                guard j < chars.count, chars[j] == c else { return false }
                j += 1
            }
            return true
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            func emit(_ token: RuleToken, length: Int) {
                result.append(LexedToken(token: token, position: start + 1, text: String(chars[start..<start + length])))
                i = start + length
            }
            // Dates (2023-01-01) before numbers and the minus sign.
            if i + 10 <= chars.count, let date = CivilDate(iso: String(chars[i..<i + 10])) {
                emit(.date(date), length: 10)
                continue
            }
            if c.isASCII && c.isNumber {
                var j = i
                while j < chars.count, (chars[j].isASCII && chars[j].isNumber) || chars[j] == "." { j += 1 }
                // A code such as 7010 is a number to the lexer; `C3911` starts with a letter and is a word.
                guard let value = Double(String(chars[i..<j])) else {
                    throw RuleSyntaxError(position: start + 1, message: "“\(String(chars[i..<j]))”不是数字")
                }
                let unit = units.first { starts(with: $0, at: j) } ?? ""
                result.append(LexedToken(token: .number(value, unit: unit), position: start + 1,
                                         text: String(chars[i..<j + unit.count])))
                i = j + unit.count
                continue
            }
            if c == "{" || c == "｛" {
                guard let close = chars[i...].firstIndex(where: { $0 == "}" || $0 == "｝" }) else {
                    throw RuleSyntaxError(position: start + 1, message: "参数引用缺少右花括号“}”")
                }
                let name = String(chars[i + 1..<close]).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw RuleSyntaxError(position: start + 1, message: "花括号中应写参数名") }
                emit(.parameter(name), length: close - i + 1)
                continue
            }
            if c == "“" || c == "\"" {
                let closing: Character = c == "“" ? "”" : "\""
                guard let close = chars[(i + 1)...].firstIndex(of: closing) else {
                    throw RuleSyntaxError(position: start + 1, message: "引号没有配对")
                }
                emit(.word(String(chars[i + 1..<close])), length: close - i + 1)
                continue
            }
            if let keyword = keywords.first(where: { starts(with: $0.0, at: i) }) {
                emit(keyword.1, length: keyword.0.count)
                continue
            }
            if let symbol = symbols[c] {
                emit(symbol, length: 1)
                continue
            }
            if let field = FactField.namesLongestFirst.first(where: { starts(with: $0.0, at: i) }) {
                emit(.field(field.1), length: field.0.count)
                continue
            }
            var j = i
            while j < chars.count, !chars[j].isWhitespace, !wordBreakers.contains(chars[j]),
                  !(j > i && (starts(with: "且", at: j) || starts(with: "或", at: j))) {
                j += 1
            }
            guard j > i else { throw RuleSyntaxError(position: start + 1, message: "无法识别的符号“\(c)”") }
            emit(.word(String(chars[i..<j])), length: j - i)
        }
        result.append(LexedToken(token: .end, position: chars.count + 1, text: ""))
        return result
    }
}
