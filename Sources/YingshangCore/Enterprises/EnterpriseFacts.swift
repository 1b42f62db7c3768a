import Foundation

/// One fact's value, in the canonical unit of its field (万元, 人, %).
public enum FactValue: Sendable, Hashable {
    case number(Double)
    case date(CivilDate)
    case industry(IndustryCode)
    /// A region code or a category label.
    case text(String)

    public var number: Double? { if case .number(let n) = self { n } else { nil } }

    /// The value as a clerk reads it: `3000万元`, `300人`, `C3911 计算机、通信和其他电子设备制造业`.
    public func display(for field: FactField) -> String {
        switch self {
        case .number(let n): Self.format(n) + field.kind.unit
        case .date(let d): d.iso
        case .industry(let code): "\(code) \(IndustryClassification.standard.name(of: code))"
        case .text(let s): field == .region ? RegionCode.name(of: s) : s
        }
    }

    /// The value as written in files and forms (no unit, codes bare): the inverse of ``FactField/parse(_:)``.
    public var plain: String {
        switch self {
        case .number(let n): Self.format(n)
        case .date(let d): d.iso
        case .industry(let code): code.description
        case .text(let s): s
        }
    }

    /// A number without needless decimals: 300, 12.5, 0.0001.
    public static func format(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        var text = String(format: "%.6f", n)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// Why a text is not a valid value for a fact.
public struct FactProblem: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

extension FactField {
    /// Parses a value as a clerk writes it, units included: `3000万元`, `0.3亿元`, `300人`, `5%`, `2020-03-01`,
    /// `C3911`, `450103`, `A`. Negative numbers are refused.
    public func parse(_ raw: String) -> Result<FactValue, FactProblem> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "")
        guard !text.isEmpty else { return .failure(FactProblem("\(label)为空")) }
        switch kind {
        case .amount:
            for (suffix, factor) in [("亿元", 10_000.0), ("亿", 10_000), ("万元", 1), ("万", 1), ("元", 0.0001), ("", 1)]
            where text.hasSuffix(suffix) {
                guard let n = Double(text.dropLast(suffix.count)), n.isFinite else { break }
                return nonNegative(n * factor)
            }
            return .failure(FactProblem("\(label)“\(raw)”不是金额，请写数字（单位万元），如 3000 或 3000万元"))
        case .headcount:
            let digits = text.hasSuffix("人") ? String(text.dropLast()) : text
            guard let n = Double(digits), n.isFinite, n == n.rounded() else {
                return .failure(FactProblem("\(label)“\(raw)”不是人数，请写整数，如 300"))
            }
            return nonNegative(n)
        case .percent, .years:
            let digits = text.hasSuffix("%") || text.hasSuffix("％") || text.hasSuffix("年") ? String(text.dropLast()) : text
            guard let n = Double(digits), n.isFinite else {
                return .failure(FactProblem("\(label)“\(raw)”不是数字"))
            }
            return nonNegative(n)
        case .date:
            guard let date = Self.parseDate(text) else {
                return .failure(FactProblem("\(label)“\(raw)”不是日期，请写成 2020-03-01"))
            }
            return .success(.date(date))
        case .industry:
            return IndustryCode.parse(text).map(FactValue.industry).mapError { FactProblem($0.message) }
        case .region:
            if let problem = RegionCode.problem(with: text) { return .failure(FactProblem(problem)) }
            return .success(.text(text))
        case .category(let options):
            let upper = text.uppercased()
            guard options.contains(upper) else {
                return .failure(FactProblem("\(label)“\(raw)”应为 \(options.joined(separator: " / ")) 之一"))
            }
            return .success(.text(upper))
        }
    }

    private func nonNegative(_ n: Double) -> Result<FactValue, FactProblem> {
        n < 0 ? .failure(FactProblem("\(label)不能为负数（\(FactValue.format(n))）")) : .success(.number(n))
    }

    /// ISO dates, `2020/3/1`, `2020年3月1日`, and the day serials spreadsheets store dates as.
    static func parseDate(_ text: String) -> CivilDate? {
        if let date = CivilDate(iso: text) { return date }
        if let serial = Int(text), (20_000...80_000).contains(serial) {
            return XLSX.date(fromSerial: serial)
        }
        let parts = text.split(whereSeparator: { "/.年月日-".contains($0) }).compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return CivilDate(year: parts[0], month: parts[1], day: parts[2])
    }
}

/// What is known about one enterprise on one date (企业档案的一个时点): each fact present or missing, never defaulted.
public struct EnterpriseFacts: Sendable, Equatable {
    public var values: [FactField: FactValue]
    /// The qualifications and tags held on the date; nil when the file has never recorded them (unknown, not "none").
    public var tags: Set<String>?

    public init(values: [FactField: FactValue] = [:], tags: Set<String>? = nil) {
        self.values = values
        self.tags = tags
    }

    public subscript(_ field: FactField) -> FactValue? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// A fact's value as of `date`, derived facts computed: nil when it (or something it is computed from) is missing.
    public func value(_ field: FactField, asOf date: CivilDate) -> FactValue? {
        switch field {
        case .rdIntensity:
            guard let rd = values[.rdExpense]?.number, let revenue = values[.revenue]?.number else { return nil }
            return EnterpriseFacts.rdIntensity(rd: rd, revenue: revenue).map(FactValue.number)
        case .ageYears:
            guard case .date(let registered)? = values[.registeredOn] else { return nil }
            return .number(Double(EnterpriseFacts.completedYears(from: registered, to: date)))
        case .sizeClass:
            return SizeStandard.standard.sizeClass(of: self).map { .text($0.label) }
        default:
            return values[field]
        }
    }

    /// R&D expense as a percentage of revenue; unknown for an enterprise without revenue.
    public static func rdIntensity(rd: Double, revenue: Double) -> Double? {
        revenue > 0 ? rd / revenue * 100 : nil
    }

    /// Whole years from one date to another (negative before the first), on packed `yyyymmdd` numbers so that the
    /// columnar matcher computes exactly the same.
    public static func completedYears(from start: CivilDate, to end: CivilDate) -> Int {
        completedYears(fromPacked: packed(start), toPacked: packed(end))
    }

    public static func completedYears(fromPacked start: Int32, toPacked end: Int32) -> Int {
        let difference = Int(end) - Int(start)
        return difference >= 0 ? difference / 10_000 : -((-difference + 9_999) / 10_000)
    }

    public static func packed(_ date: CivilDate) -> Int32 { Int32(date.year * 10_000 + date.month * 100 + date.day) }
}

extension EnterpriseFacts {
    /// Reads a facts file (`yingshang portrait --facts FILE.json`): keys are the fields' file names (`industry`,
    /// `employees`, `revenue_wan`, …) and `tags`; a missing key means unknown. Unknown keys and bad values are errors.
    public static func decode(json data: Data) throws -> EnterpriseFacts {
        guard let dictionary = try? JSONDecoder().decode([String: FileValue].self, from: data) else {
            throw FactProblem("事实文件应为 JSON 对象，值为数字、字符串或字符串数组，如 {\"employees\": 120, \"assets_wan\": 3000}")
        }
        var facts = EnterpriseFacts()
        for (key, raw) in dictionary.sorted(by: { $0.key < $1.key }) {
            if key == "tags" {
                guard case .list(let list) = raw else { throw FactProblem("tags 应为字符串数组，如 [\"高新技术企业\"]") }
                facts.tags = Set(list)
                continue
            }
            guard let field = FactField(rawValue: key), !field.isDerived else {
                let known = FactField.stored.map(\.rawValue).joined(separator: ", ")
                throw FactProblem("未知的字段“\(key)”。可用字段：\(known), tags")
            }
            let text: String
            switch raw {
            case .null: continue
            case .number(let n): text = FactValue.format(n)
            case .text(let s): text = s
            case .list: throw FactProblem("字段 \(key) 的值应为数字或字符串")
            }
            switch field.parse(text) {
            case .success(let value): facts[field] = value
            case .failure(let problem): throw FactProblem("\(key)：\(problem.message)")
            }
        }
        return facts
    }

    /// A value of a facts file.
    private enum FileValue: Decodable {
        case null, number(Double), text(String), list([String])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let n = try? container.decode(Double.self) { self = .number(n) }
            else if let s = try? container.decode(String.self) { self = .text(s) }
            else { self = .list(try container.decode([String].self)) }
        }
    }
}
