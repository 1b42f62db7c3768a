/// Every enterprise's facts in columns (one array per fact, one row per enterprise), the form the bulk matcher reads.
/// A missing fact is NaN for numbers and a reserved value otherwise, so "unknown" survives into the columns.
///
/// Per enterprise: 9 numbers × 8 bytes, industry range 4, region 4, registration date 4, credit rating and size
/// class 1 each, tags 8 — 94 bytes.
public struct EnterpriseColumns: Sendable {
    public private(set) var count = 0
    /// The facts kept as numbers (derived ones are computed from these inside the kernels).
    public static let numericFields: [FactField] = FactField.stored.filter { $0.kind.isNumeric }

    var numbers: [[Double]] = Array(repeating: [], count: numericFields.count)
    /// Industry as the range of 4-digit classes it covers; missing: low > high.
    var industryLow: [UInt16] = []
    var industryHigh: [UInt16] = []
    /// GB/T 2260 code as a number; 0 when missing.
    var region: [UInt32] = []
    /// Registration date as `yyyymmdd`; 0 when missing.
    var registered: [Int32] = []
    /// Index + 1 in the field's category list; 0 when missing.
    var taxCredit: [UInt8] = []
    var sizeClass: [UInt8] = []
    /// Bit i: holds ``EnterpriseTag/catalogue``[i]; bit 63: tags are recorded at all.
    var tags: [UInt64] = []

    static let tagsKnown: UInt64 = 1 << 63
    static let missingIndustry: (UInt16, UInt16) = (UInt16.max, 0)

    public init() {}

    public init(_ facts: [EnterpriseFacts]) {
        reserve(facts.count)
        for row in facts { append(row) }
    }

    public mutating func reserve(_ capacity: Int) {
        for index in numbers.indices { numbers[index].reserveCapacity(capacity) }
        industryLow.reserveCapacity(capacity)
        industryHigh.reserveCapacity(capacity)
        region.reserveCapacity(capacity)
        registered.reserveCapacity(capacity)
        taxCredit.reserveCapacity(capacity)
        sizeClass.reserveCapacity(capacity)
        tags.reserveCapacity(capacity)
    }

    /// Adds an enterprise; its row number is the previous ``count``.
    public mutating func append(_ facts: EnterpriseFacts) {
        for index in numbers.indices { numbers[index].append(.nan) }
        industryLow.append(0)
        industryHigh.append(0)
        region.append(0)
        registered.append(0)
        taxCredit.append(0)
        sizeClass.append(0)
        tags.append(0)
        count += 1
        set(row: count - 1, facts)
    }

    /// Replaces one enterprise's facts (after an edit or import).
    public mutating func set(row: Int, _ facts: EnterpriseFacts) {
        for (index, field) in Self.numericFields.enumerated() {
            numbers[index][row] = facts[field]?.number ?? .nan
        }
        if case .industry(let code)? = facts[.industry] {
            (industryLow[row], industryHigh[row]) = (code.low, code.high)
        } else {
            (industryLow[row], industryHigh[row]) = Self.missingIndustry
        }
        if case .text(let code)? = facts[.region], let value = UInt32(code) { region[row] = value } else { region[row] = 0 }
        if case .date(let date)? = facts[.registeredOn] { registered[row] = EnterpriseFacts.packed(date) } else { registered[row] = 0 }
        taxCredit[row] = Self.categoryIndex(facts[.taxCredit], field: .taxCredit)
        sizeClass[row] = Self.categoryIndex(facts.value(.sizeClass, asOf: .distantPast), field: .sizeClass)
        if let held = facts.tags {
            tags[row] = held.reduce(Self.tagsKnown) { word, tag in
                EnterpriseTag.catalogue.firstIndex(of: tag).map { word | 1 << UInt64($0) } ?? word
            }
        } else {
            tags[row] = 0
        }
    }

    static func categoryIndex(_ value: FactValue?, field: FactField) -> UInt8 {
        guard case .text(let label)? = value, case .category(let options) = field.kind,
              let index = options.firstIndex(of: label) else { return 0 }
        return UInt8(index + 1)
    }

    func column(_ field: FactField) -> [Double] {
        guard let index = Self.numericFields.firstIndex(of: field) else { preconditionFailure("\(field) is not a numeric column") }
        return numbers[index]
    }

    /// Bytes held by the columns' elements.
    public var byteCount: Int {
        numbers.reduce(0) { $0 + $1.count * 8 } + (industryLow.count + industryHigh.count) * 2 + region.count * 4
            + registered.count * 4 + taxCredit.count + sizeClass.count + tags.count * 8
    }
}
