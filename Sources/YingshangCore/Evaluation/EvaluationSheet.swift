import Foundation

/// The upload sheet of a unit's values (数据报送表), CSV or XLSX: 指标编码, 指标名称, 地区, 期间, 数值, 说明.
/// Only 指标编码, 地区 and 数值 are required; the template the platform hands out has every column.
public enum EvaluationSheet {
    public static let header = ["指标编码", "指标名称", "地区", "期间", "数值", "说明"]

    public struct Entry: Sendable, Equatable {
        /// 1-based row in the file (the header is row 1).
        public let row: Int
        public let code: String
        public let place: String
        public let period: String?
        public let value: String
        public let reason: String
    }

    private static let aliases: [String: [String]] = [
        "指标编码": ["编码", "指标代码", "code"],
        "地区": ["地区名称", "评价对象", "place"],
        "期间": ["报告期", "季度", "period"],
        "数值": ["指标值", "值", "value"],
        "说明": ["变化原因", "原因", "备注", "reason"],
    ]

    /// The entries of a table; throws what is wrong with its header. Blank rows are skipped.
    public static func entries(_ table: [[String]]) throws(RowError) -> [Entry] {
        guard let head = table.first else { throw RowError(row: 1, column: nil, message: "文件是空的") }
        let names = head.map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) -> Int? {
            let accepted = [name] + (aliases[name] ?? [])
            return names.firstIndex { cell in accepted.contains { $0.caseInsensitiveCompare(cell) == .orderedSame } }
        }
        let missing = ["指标编码", "地区", "数值"].filter { column($0) == nil }
        guard missing.isEmpty, let code = column("指标编码"), let place = column("地区"), let value = column("数值") else {
            throw RowError(row: 1, column: nil, message: "表头缺少“\(missing.joined(separator: "”“"))”列；请使用下载的报送模板")
        }
        let period = column("期间"), reason = column("说明")
        var entries: [Entry] = []
        for (offset, cells) in table.enumerated().dropFirst() {
            func cell(_ i: Int?) -> String {
                guard let i, i < cells.count else { return "" }
                return cells[i].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            entries.append(Entry(row: offset + 1, code: cell(code), place: cell(place), period: period.map { cell($0) },
                                 value: cell(value), reason: cell(reason)))
        }
        return entries
    }
}

extension RowError: Error {}
