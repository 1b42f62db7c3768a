/// The spreadsheet form of enterprise files (CSV and XLSX, import and export share it): one row per enterprise, a
/// header row naming the columns in Chinese (or by the facts-file keys). An empty cell means "unknown", never 0.
public enum EnterpriseSheet {
    /// One column: a stored fact, or the code, name, tags or the date the row's facts hold from.
    public enum Column: Hashable, Sendable {
        case creditCode, name, fact(FactField), tags, asOf

        public var header: String {
            switch self {
            case .creditCode: "统一社会信用代码"
            case .name: "企业名称"
            case .tags: "资质标签"
            case .asOf: "数据日期"
            case .fact(let field):
                switch field.kind {
                case .amount: "\(field.label)（万元）"
                case .percent: "\(field.label)（%）"
                case .industry: "行业代码"
                case .region: "行政区划代码"
                default: field.label
                }
            }
        }

        var names: [String] {
            switch self {
            case .creditCode: [header, "credit_code", "信用代码"]
            case .name: [header, "name", "名称"]
            case .tags: [header, "tags", "标签"]
            case .asOf: [header, "as_of", "日期"]
            case .fact(let field): [header, field.label, field.rawValue] + field.aliases
            }
        }
    }

    /// The columns of an export, in order; an import accepts them in any order, only the code and name required.
    public static let columns: [Column] = [.creditCode, .name] + FactField.stored.map(Column.fact) + [.tags, .asOf]

    /// A row that passed every check.
    public struct Row: Sendable, Equatable {
        /// 1-based line in the file (the header is line 1).
        public let line: Int
        public let creditCode: String
        public let name: String
        public let facts: [FactField: FactValue]
        /// Nil when the file has no tags column; empty when the cell is empty (no tags held).
        public let tags: [String]?
        public let asOf: CivilDate?
    }

    /// A reason a row cannot be imported, with where it is.
    public struct Problem: Sendable, Equatable {
        public let line: Int
        public let column: String
        public let message: String
    }

    public struct Parsed: Sendable {
        public let rows: [Row]
        public let problems: [Problem]
        /// Lines with at least one problem.
        public var badLines: Set<Int> { Set(problems.map(\.line)) }
    }

    /// Reads rows (the first is the header). A file-level mistake (no header, unknown or missing columns) is one
    /// problem on line 1 and no rows.
    public static func parse(_ table: [[String]]) -> Parsed {
        guard let header = table.first else {
            return Parsed(rows: [], problems: [Problem(line: 1, column: "", message: "文件是空的")])
        }
        var positions: [Column: Int] = [:]
        var problems: [Problem] = []
        for (index, cell) in header.enumerated() {
            let name = cell.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "(", with: "（").replacingOccurrences(of: ")", with: "）")
            guard !name.isEmpty else { continue }
            guard let column = columns.first(where: { $0.names.contains(name) }) else {
                problems.append(Problem(line: 1, column: cell, message: "未知的列“\(cell)”。可用列：\(columns.map(\.header).joined(separator: "、"))"))
                continue
            }
            if positions[column] != nil {
                problems.append(Problem(line: 1, column: cell, message: "列“\(cell)”重复"))
            }
            positions[column] = index
        }
        for required in [Column.creditCode, .name] where positions[required] == nil {
            problems.append(Problem(line: 1, column: required.header, message: "缺少必填列“\(required.header)”"))
        }
        guard problems.isEmpty else { return Parsed(rows: [], problems: problems) }

        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for (offset, cells) in table.dropFirst().enumerated() {
            let line = offset + 2
            func cell(_ column: Column) -> String {
                guard let index = positions[column], index < cells.count else { return "" }
                return cells[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var rowProblems: [Problem] = []
            let code = cell(.creditCode).uppercased()
            if let problem = CreditCode.problem(with: code) {
                rowProblems.append(Problem(line: line, column: Column.creditCode.header, message: problem))
            } else if let first = seen[code] {
                rowProblems.append(Problem(line: line, column: Column.creditCode.header, message: "与第 \(first) 行的统一社会信用代码重复"))
            } else {
                seen[code] = line
            }
            let name = cell(.name)
            if name.isEmpty { rowProblems.append(Problem(line: line, column: Column.name.header, message: "企业名称为空")) }
            var cells: [FactField: String] = [:]
            for field in FactField.stored where positions[.fact(field)] != nil { cells[field] = cell(.fact(field)) }
            let entry = FactEntry.parse(cells, tags: positions[.tags] != nil ? cell(.tags) : nil)
            for problem in entry.problems {
                rowProblems.append(Problem(line: line, column: problem.field.map { Column.fact($0).header } ?? Column.tags.header,
                                           message: problem.message))
            }
            // An empty cell leaves the fact unknown (an import never erases what the file already knows).
            let facts = entry.values.compactMapValues { $0 }
            let tags = entry.tags.map { $0.sorted() }
            var asOf: CivilDate?
            let dateText = cell(.asOf)
            if !dateText.isEmpty {
                if case .success(.date(let date)) = FactField.registeredOn.parse(dateText) { asOf = date } else {
                    rowProblems.append(Problem(line: line, column: Column.asOf.header, message: "数据日期“\(dateText)”应写成 2023-12-31"))
                }
            }
            if rowProblems.isEmpty {
                rows.append(Row(line: line, creditCode: code, name: name, facts: facts, tags: tags, asOf: asOf))
            }
            problems += rowProblems
        }
        if rows.isEmpty && problems.isEmpty {
            problems.append(Problem(line: 2, column: "", message: "文件只有表头，没有数据行"))
        }
        return Parsed(rows: rows, problems: problems)
    }

    /// A row of an export: the header's columns in order, empty cells for unknown facts.
    public static func cells(creditCode: String, name: String, facts: EnterpriseFacts, asOf: CivilDate) -> [String] {
        columns.map { column in
            switch column {
            case .creditCode: creditCode
            case .name: name
            case .fact(let field): facts[field]?.plain ?? ""
            case .tags: facts.tags.map { $0.sorted().joined(separator: "、") } ?? ""
            case .asOf: asOf.iso
            }
        }
    }
}
