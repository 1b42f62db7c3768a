import Foundation

/// A reporting period of the evaluation (监测周期): a year, a quarter or a month, written as DHIS2 writes them
/// (`2024`, `2024Q1`, `202403`).
public struct EvaluationPeriod: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case year, quarter, month

        public var label: String {
            switch self {
            case .year: "年度"
            case .quarter: "季度"
            case .month: "月度"
            }
        }

        var perYear: Int {
            switch self {
            case .year: 1
            case .quarter: 4
            case .month: 12
            }
        }
    }

    public let kind: Kind
    public let year: Int
    /// 1…4 for a quarter, 1…12 for a month, 1 for a year.
    public let index: Int

    public init?(kind: Kind, year: Int, index: Int = 1) {
        guard (1900...2999).contains(year), (1...kind.perYear).contains(index) else { return nil }
        self.kind = kind
        self.year = year
        self.index = index
    }

    public static func quarter(_ year: Int, _ quarter: Int) -> EvaluationPeriod {
        EvaluationPeriod(kind: .quarter, year: year, index: quarter)!
    }

    /// The period of `kind` a day falls in.
    public init(_ kind: Kind, containing date: CivilDate) {
        self.init(kind: kind, year: date.year, index: kind == .quarter ? date.quarter : kind == .month ? date.month : 1)!
    }

    /// Every period of `kind` in a year, in order.
    public static func all(_ kind: Kind, in year: Int) -> [EvaluationPeriod] {
        (1...kind.perYear).map { EvaluationPeriod(kind: kind, year: year, index: $0)! }
    }

    /// Reads `2024`, `2024Q1` (also `2024q1`, `2024-Q1`, `2024年第一季度`), `202403` or `2024-03`.
    public init?(code: String) {
        let text = code.trimmingCharacters(in: .whitespaces).uppercased()
            .replacingOccurrences(of: "-", with: "")
        let chinese = ["一季度": "Q1", "二季度": "Q2", "三季度": "Q3", "四季度": "Q4"]
        var normalized = text.replacingOccurrences(of: "年第", with: "").replacingOccurrences(of: "年", with: "")
        for (words, q) in chinese { normalized = normalized.replacingOccurrences(of: words, with: q) }
        if normalized.hasSuffix("月") { normalized.removeLast() }
        let digits = normalized.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4, let year = Int(digits.prefix(4)) else { return nil }
        let rest = normalized.dropFirst(4)
        if rest.isEmpty {
            self.init(kind: .year, year: year)
        } else if rest.first == "Q", let q = Int(rest.dropFirst()) {
            self.init(kind: .quarter, year: year, index: q)
        } else if let m = Int(rest), rest.count <= 2 {
            self.init(kind: .month, year: year, index: m)
        } else {
            return nil
        }
    }

    public var code: String {
        switch kind {
        case .year: String(year)
        case .quarter: "\(year)Q\(index)"
        case .month: String(format: "%04d%02d", year, index)
        }
    }

    public var description: String { code }

    public var label: String {
        switch kind {
        case .year: "\(year)年"
        case .quarter: "\(year)年第\(["一", "二", "三", "四"][index - 1])季度"
        case .month: "\(year)年\(index)月"
        }
    }

    /// A short label for chart axes: `24Q1`, `24.03`, `2024`.
    public var shortLabel: String {
        switch kind {
        case .year: String(year)
        case .quarter: "\(year % 100)Q\(index)"
        case .month: String(format: "%02d.%02d", year % 100, index)
        }
    }

    public var previous: EvaluationPeriod { offset(by: -1) }
    public var next: EvaluationPeriod { offset(by: 1) }
    /// The same period a year earlier (同比).
    public var yearEarlier: EvaluationPeriod { offset(by: -kind.perYear) }

    public func offset(by steps: Int) -> EvaluationPeriod {
        let ordinal = year * kind.perYear + (index - 1) + steps
        let y = Int((Double(ordinal) / Double(kind.perYear)).rounded(.down))
        return EvaluationPeriod(kind: kind, year: y, index: ordinal - y * kind.perYear + 1)!
    }

    /// The periods from `self` to `last`, both included (empty when `last` is earlier or of another kind).
    public func through(_ last: EvaluationPeriod) -> [EvaluationPeriod] {
        guard last.kind == kind, last >= self else { return [] }
        var result: [EvaluationPeriod] = [], period = self
        while period <= last { result.append(period); period = period.next }
        return result
    }

    public var firstDay: CivilDate {
        switch kind {
        case .year: CivilDate(year: year, month: 1, day: 1)!
        case .quarter: CivilDate(year: year, month: index * 3 - 2, day: 1)!
        case .month: CivilDate(year: year, month: index, day: 1)!
        }
    }

    public var lastDay: CivilDate {
        switch kind {
        case .year: CivilDate(year: year, month: 12, day: 31)!
        case .quarter: firstDay.endOfQuarter
        case .month: firstDay.endOfMonth
        }
    }

    public static func < (lhs: EvaluationPeriod, rhs: EvaluationPeriod) -> Bool {
        (lhs.year, lhs.kind.perYear, lhs.index) < (rhs.year, rhs.kind.perYear, rhs.index)
    }

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let period = EvaluationPeriod(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "无法识别的期间：\(code)"))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
