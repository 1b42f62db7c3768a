import Foundation

/// A mistake in a policy's text, with the line and column (both 1-based) it was found at.
public struct PolicySourceError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "第 \(line) 行第 \(column) 列：\(message)" }
}

/// Every mistake found in a policy's text, in line order.
public struct PolicySourceErrors: Error, Equatable, Sendable {
    public let errors: [PolicySourceError]
}

/// A mistake in one statement, before it is placed at a line and column.
struct StatementProblem: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The text form of a ``BenefitPolicy``, one statement per line (`关键词（修饰）：内容`; an indented line continues the
/// previous one; `#` starts a comment):
///
/// ```
/// 编号：XWWL-2023
/// 名称：小型微利企业所得税优惠
/// 方式：免申即享
/// 有效期：2023-01-01 至 2027-12-31
/// 参数：应纳税所得额上限 = 300万元 自 2022-01-01 依据 财政部 税务总局公告2022年第13号
/// 条件：应纳税所得额 <= {应纳税所得额上限} 且 从业人数 <= 300 且 资产总额 <= 5000万元
/// 金额：应纳税所得额 × 20%
/// 用例（典型）：应纳税所得额=200万元，从业人数=100，资产总额=3000万元 => 符合，金额=40万元
/// ```
public enum BenefitPolicySource {
    /// One logical statement, with where each piece of it came from.
    struct Statement {
        let keyword: String
        let modifier: String?
        var content: String
        let line: Int
        /// Column (1-based) of the content's first character on `line`.
        let column: Int
        /// Continuation lines: (offset in `content`, line, column of that piece).
        var pieces: [(offset: Int, line: Int, column: Int)] = []

        /// Line and column of the 1-based `position` in `content`.
        func locate(_ position: Int) -> (Int, Int) {
            let offset = position - 1
            if let piece = pieces.last(where: { $0.offset <= offset }) {
                return (piece.line, piece.column + offset - piece.offset)
            }
            return (line, column + offset)
        }
    }

    public static func parse(_ text: String) -> Result<BenefitPolicy, PolicySourceErrors> {
        var errors: [PolicySourceError] = []
        let statements = self.statements(text, errors: &errors)
        var policy = BenefitPolicy(code: "", name: "", mode: .application, unit: "", contact: "", basis: "", documentNumber: nil,
                                   validFrom: nil, validUntil: nil, note: "", parameters: [:], rules: [], amounts: [], cases: [],
                                   source: text)
        func fail(_ statement: Statement, _ position: Int = 1, _ message: String) {
            let (line, column) = statement.locate(position)
            errors.append(PolicySourceError(line: line, column: column, message: message))
        }
        // Parameters first: rules check the units of the parameters they use.
        for statement in statements where statement.keyword == "参数" {
            switch parameter(statement.content) {
            case .success(let (name, value)):
                if let existing = policy.parameters[name], existing.unit != value.unit {
                    fail(statement, 1, "参数“\(name)”各取值的单位应一致")
                }
                policy.parameters[name, default: ParameterSchedule(name: name, values: [])].add(value)
            case .failure(let problem): fail(statement, 1, problem.message)
            }
        }
        let units = policy.parameters.mapValues(\.unit)
        for statement in statements {
            let content = statement.content
            switch statement.keyword {
            case "参数": break
            case "编号": policy.code = content
            case "名称": policy.name = content
            case "办理单位": policy.unit = content
            case "联系方式": policy.contact = content
            case "依据": policy.basis = content
            case "关联文件": policy.documentNumber = content
            case "说明": policy.note = policy.note.isEmpty ? content : policy.note + "\n" + content
            case "方式":
                guard let mode = RedemptionMode(rawValue: content) else { fail(statement, 1, "方式应为“免申即享”或“申请兑现”"); break }
                policy.mode = mode
            case "有效期":
                let dates = content.components(separatedBy: "至").map { $0.replacingOccurrences(of: "自", with: "").trimmingCharacters(in: .whitespaces) }
                let from = dates.first.flatMap { $0.isEmpty ? nil : CivilDate(iso: $0) }
                let until = dates.count > 1 ? CivilDate(iso: dates[1]) : nil
                if (dates.first.map { !$0.isEmpty && from == nil } ?? false) || (dates.count > 1 && until == nil) {
                    fail(statement, 1, "有效期应写成“2023-01-01 至 2027-12-31”（无截止日可只写起始日）")
                }
                policy.validFrom = from
                policy.validUntil = until
            case "条件", "金额":
                var from: CivilDate?
                if let modifier = statement.modifier {
                    guard let date = CivilDate(iso: modifier.replacingOccurrences(of: "自", with: "").trimmingCharacters(in: .whitespaces)) else {
                        fail(statement, 1, "“\(statement.keyword)（…）”括号中应为生效日期，如 \(statement.keyword)（自 2023-01-01）")
                        break
                    }
                    from = date
                }
                do throws(RuleSyntaxError) {
                    if statement.keyword == "条件" {
                        policy.rules.append(.init(from: from, value: try RuleParser.parse(content, parameters: units)))
                    } else {
                        policy.amounts.append(.init(from: from, value: try AmountFormula.parse(content, parameters: units)))
                    }
                } catch {
                    fail(statement, error.position, error.message)
                }
            case "用例":
                switch PolicyTestCase.parse(name: statement.modifier ?? "用例 \(policy.cases.count + 1)", content) {
                case .success(let testCase): policy.cases.append(testCase)
                case .failure(let problem): fail(statement, 1, problem.message)
                }
            default:
                fail(statement, 1, "未知的关键词“\(statement.keyword)”。可用：编号、名称、方式、办理单位、联系方式、依据、关联文件、有效期、说明、参数、条件、金额、用例")
            }
        }
        policy.rules.sort { ($0.from ?? .distantPast) < ($1.from ?? .distantPast) }
        policy.amounts.sort { ($0.from ?? .distantPast) < ($1.from ?? .distantPast) }
        let first = statements.first?.line ?? 1
        if policy.code.isEmpty { errors.append(PolicySourceError(line: first, column: 1, message: "缺少“编号：”")) }
        if policy.name.isEmpty { errors.append(PolicySourceError(line: first, column: 1, message: "缺少“名称：”")) }
        if !statements.contains(where: { $0.keyword == "条件" }) {
            errors.append(PolicySourceError(line: first, column: 1, message: "缺少“条件：”（资格规则）"))
        }
        return errors.isEmpty ? .success(policy) : .failure(PolicySourceErrors(errors: errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }))
    }

    static func statements(_ text: String, errors: inout [PolicySourceError]) -> [Statement] {
        var result: [Statement] = []
        for (index, rawLine) in text.components(separatedBy: .newlines).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.replacingOccurrences(of: "\t", with: "    ")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.first?.isWhitespace == true, !result.isEmpty {
                let indent = line.prefix { $0.isWhitespace }.count
                var last = result.removeLast()
                last.content += " "
                last.pieces.append((offset: last.content.count, line: lineNumber, column: indent + 1))
                last.content += trimmed
                result.append(last)
                continue
            }
            // A case's name in brackets may itself hold a colon: when the line opens a bracket before any colon, the
            // statement's colon is the first after the closing bracket.
            let isColon: (Character) -> Bool = { $0 == "：" || $0 == ":" }
            var searchFrom = line.startIndex
            if let open = line.firstIndex(where: { $0 == "（" || $0 == "(" }), !line[..<open].contains(where: isColon),
               let close = line[open...].firstIndex(where: { $0 == "）" || $0 == ")" }) {
                searchFrom = close
            }
            guard let colon = line[searchFrom...].firstIndex(where: isColon) else {
                errors.append(PolicySourceError(line: lineNumber, column: 1, message: "每行应写成“关键词：内容”，如 条件：从业人数 <= 300"))
                continue
            }
            var head = line[..<colon].trimmingCharacters(in: .whitespaces)
            var modifier: String?
            if let open = head.firstIndex(where: { $0 == "（" || $0 == "(" }), head.last == "）" || head.last == ")" {
                modifier = String(head[head.index(after: open)..<head.index(before: head.endIndex)]).trimmingCharacters(in: .whitespaces)
                head = String(head[..<open]).trimmingCharacters(in: .whitespaces)
            }
            let afterColon = line[line.index(after: colon)...]
            let leading = afterColon.prefix { $0.isWhitespace }.count
            let column = line.distance(from: line.startIndex, to: colon) + 2 + leading
            result.append(Statement(keyword: head, modifier: modifier, content: afterColon.trimmingCharacters(in: .whitespaces),
                                    line: lineNumber, column: column))
        }
        return result
    }

    /// `名称 = 300万元 自 2022-01-01 [至 2023-12-31] [依据 文件]`.
    static func parameter(_ text: String) -> Result<(String, ParameterValue), StatementProblem> {
        let example = "参数应写成“名称 = 300万元 自 2022-01-01 依据 文件名或文号”"
        guard let equals = text.firstIndex(of: "=") else { return .failure(StatementProblem(example)) }
        let name = text[..<equals].trimmingCharacters(in: .whitespaces)
        var rest = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        var reference = ""
        if let basis = rest.range(of: "依据") {
            reference = rest[basis.upperBound...].trimmingCharacters(in: .whitespaces)
            rest = String(rest[..<basis.lowerBound])
        }
        guard !name.isEmpty, let since = rest.range(of: "自") else { return .failure(StatementProblem(example)) }
        let written = rest[..<since.lowerBound].trimmingCharacters(in: .whitespaces)
        let dates = rest[since.upperBound...].components(separatedBy: "至").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let from = CivilDate(iso: dates[0]) else { return .failure(StatementProblem("参数“\(name)”的生效日期应写成 2022-01-01")) }
        var until: CivilDate?
        if dates.count > 1 {
            guard let end = CivilDate(iso: dates[1]) else { return .failure(StatementProblem("参数“\(name)”的截止日期应写成 2023-12-31")) }
            until = end
        }
        let operand: Operand
        let unit: ValueUnit
        if let date = CivilDate(iso: written) {
            operand = .date(date)
            unit = .date
        } else {
            guard let tokens = try? RuleLexer.tokens(written), tokens.count == 2, case .number(let value, let writtenUnit) = tokens[0].token else {
                return .failure(StatementProblem("参数“\(name)”的取值应为带单位的数字（如 300万元、300人、5%）或日期"))
            }
            let (valueUnit, factor) = ValueUnit.of(writtenUnit)
            operand = .number(value * factor)
            unit = valueUnit
        }
        return .success((name, ParameterValue(from: from, until: until, operand: operand, unit: unit, written: written, reference: reference)))
    }
}
