import Foundation

/// A plain civil date (no time zone involved).
public struct WorkPointDate: Codable, Sendable, Hashable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "YYYY-MM-DD".
    public init?(iso: String) {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= WorkPointDate.daysInMonth(year: y, month: m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// "2023-07-31"
    public var iso: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: WorkPointDate, rhs: WorkPointDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeap(year) ? 29 : 28
        default: return 30
        }
    }

    /// Last day of the given month.
    public static func endOfMonth(year: Int, month: Int) -> WorkPointDate {
        WorkPointDate(year: year, month: month, day: daysInMonth(year: year, month: month))
    }

    /// Adds a number of days (proleptic Gregorian calendar).
    public func adding(days: Int) -> WorkPointDate {
        WorkPointDate(dayNumber: dayNumber + days)
    }

    /// Adds months, clamping the day to the target month length.
    public func adding(months: Int) -> WorkPointDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12
        let m = total % 12 + 1
        return WorkPointDate(year: y, month: m, day: min(day, WorkPointDate.daysInMonth(year: y, month: m)))
    }

    /// Days since 0000-03-01 (civil-from-days algorithm by H. Hinnant).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe
    }

    init(dayNumber z: Int) {
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.init(year: y, month: m, day: d)
    }

    enum CodingKeys: String, CodingKey { case year, month, day, iso }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let y = try c.decodeIfPresent(Int.self, forKey: .year),
           let m = try c.decodeIfPresent(Int.self, forKey: .month),
           let d = try c.decodeIfPresent(Int.self, forKey: .day) {
            self.init(year: y, month: m, day: d)
        } else if let s = try c.decodeIfPresent(String.self, forKey: .iso), let v = WorkPointDate(iso: s) {
            self = v
        } else {
            throw DecodingError.dataCorruptedError(forKey: .iso, in: c, debugDescription: "invalid date")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(year, forKey: .year)
        try c.encode(month, forKey: .month)
        try c.encode(day, forKey: .day)
        try c.encode(iso, forKey: .iso)
    }
}

/// A deadline attached to a task.
public struct WorkPointDeadline: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, Equatable {
        /// A resolved calendar date.
        case date
        /// Continuous work without an end date (长期坚持, 持续推进 …).
        case ongoing
        /// Relative to the issue date (本意见印发之日起30日内).
        case relative
        /// Recognised as a deadline but the date could not be resolved.
        case unresolved
    }

    /// The deadline phrase as written, e.g. "2023年7月底前".
    public var text: String
    public var kind: Kind
    /// ISO date (YYYY-MM-DD) when resolvable.
    public var date: String?
    /// For relative deadlines: number of days (months are converted to `months`).
    public var days: Int?
    public var months: Int?
    /// For relative deadlines: the reference event as written ("印发之日").
    public var anchor: String?
    /// Where the deadline was found: "annotation" or "body".
    public var source: String?

    public init(text: String, kind: Kind, date: String? = nil, days: Int? = nil, months: Int? = nil,
                anchor: String? = nil, source: String? = nil) {
        self.text = text
        self.kind = kind
        self.date = date
        self.days = days
        self.months = months
        self.anchor = anchor
        self.source = source
    }
}

/// A quantitative target found in a task text, e.g. "97%以上".
public struct WorkPointTarget: Codable, Sendable, Equatable {
    public enum Comparator: String, Codable, Sendable, Equatable {
        case ge = ">="
        case le = "<="
        case gt = ">"
        case lt = "<"
        case eq = "="
    }

    public var text: String
    public var value: Double
    public var unit: String
    public var comparator: Comparator

    public init(text: String, value: Double, unit: String, comparator: Comparator) {
        self.text = text
        self.value = value
        self.unit = unit
        self.comparator = comparator
    }
}

/// Something the parser could not read with confidence.
public struct WorkPointWarning: Codable, Sendable, Equatable {
    public var code: String
    /// Human readable message (Chinese).
    public var message: String
    /// Number / path of the affected item, if any.
    public var item: String?

    public init(code: String, message: String, item: String? = nil) {
        self.code = code
        self.message = message
        self.item = item
    }
}

/// One leaf task of a work-point document.
public struct WorkPointTask: Codable, Sendable, Equatable {
    /// Number of the innermost numbered item, as written but normalised to full-width brackets, e.g. "（一）", "1.", "一、".
    public var number: String
    /// Headings from the top level down to (and including) this item's own heading line.
    public var path: [String]
    /// The lead phrase, e.g. "市场准入退出".
    public var title: String
    /// Full text of the task without the responsibility annotation.
    public var text: String
    public var leadUnits: [String]
    public var coUnits: [String]
    /// Units that guide (指导) rather than implement.
    public var guideUnits: [String]
    public var deadline: WorkPointDeadline?
    public var targets: [WorkPointTarget]
    /// True when a responsibility annotation was found for this task.
    public var annotated: Bool
    /// The raw annotation text (without brackets), if any.
    public var annotation: String?
    /// Scope (适用范围) when stated in the annotation.
    public var scope: String?
    /// 1-based paragraph within the numbered item (the item's heading line is paragraph 1).
    public var paragraph: Int
    /// 1-based index of the annotation within that paragraph.
    public var segment: Int

    public init(number: String, path: [String], title: String, text: String, leadUnits: [String] = [],
                coUnits: [String] = [], guideUnits: [String] = [], deadline: WorkPointDeadline? = nil,
                targets: [WorkPointTarget] = [], annotated: Bool = false, annotation: String? = nil,
                scope: String? = nil, paragraph: Int = 1, segment: Int = 1) {
        self.number = number
        self.path = path
        self.title = title
        self.text = text
        self.leadUnits = leadUnits
        self.coUnits = coUnits
        self.guideUnits = guideUnits
        self.deadline = deadline
        self.targets = targets
        self.annotated = annotated
        self.annotation = annotation
        self.scope = scope
        self.paragraph = paragraph
        self.segment = segment
    }

    enum CodingKeys: String, CodingKey {
        case number, path, title, text
        case leadUnits = "lead_units"
        case coUnits = "co_units"
        case guideUnits = "guide_units"
        case deadline, targets, annotated, annotation, scope, paragraph, segment
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(path, forKey: .path)
        try c.encode(title, forKey: .title)
        try c.encode(text, forKey: .text)
        try c.encode(leadUnits, forKey: .leadUnits)
        try c.encode(coUnits, forKey: .coUnits)
        try c.encode(guideUnits, forKey: .guideUnits)
        try c.encode(deadline, forKey: .deadline) // explicit null when absent
        try c.encode(targets, forKey: .targets)
        try c.encode(annotated, forKey: .annotated)
        try c.encode(annotation, forKey: .annotation)
        try c.encode(scope, forKey: .scope)
        try c.encode(paragraph, forKey: .paragraph)
        try c.encode(segment, forKey: .segment)
    }
}

/// A numbered heading of the document outline.
public struct WorkPointOutlineNode: Codable, Sendable, Equatable {
    /// "一、", "（一）", "1.", "（1）", "①", "第一章" …
    public var number: String
    public var title: String
    /// Numbering style: chapter, cn_comma, cn_paren, arabic_dot, arabic_paren, arabic_half_paren, circled.
    public var style: String
    /// 1-based depth in the outline.
    public var level: Int
    public var children: [WorkPointOutlineNode]

    public init(number: String, title: String, style: String, level: Int, children: [WorkPointOutlineNode] = []) {
        self.number = number
        self.title = title
        self.style = style
        self.level = level
        self.children = children
    }
}

/// One document of a file (a compilation holds several).
public struct WorkPointDocument: Codable, Sendable, Equatable {
    public var title: String
    public var year: Int?
    /// Issue date when found in the text (signature line) or given in the options.
    public var issuedOn: WorkPointDate?
    public var preamble: String
    public var items: [WorkPointTask]
    public var warnings: [WorkPointWarning]
    /// The numbered headings as a tree (every level, leaves included).
    public var outline: [WorkPointOutlineNode]

    public init(title: String, year: Int?, issuedOn: WorkPointDate? = nil, preamble: String,
                items: [WorkPointTask], warnings: [WorkPointWarning], outline: [WorkPointOutlineNode] = []) {
        self.title = title
        self.year = year
        self.issuedOn = issuedOn
        self.preamble = preamble
        self.items = items
        self.warnings = warnings
        self.outline = outline
    }

    enum CodingKeys: String, CodingKey {
        case title, year
        case issuedOn = "issued_on"
        case preamble, items, warnings, outline
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encode(year, forKey: .year)
        try c.encode(issuedOn?.iso, forKey: .issuedOn)
        try c.encode(preamble, forKey: .preamble)
        try c.encode(items, forKey: .items)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(outline, forKey: .outline)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decode(String.self, forKey: .title)
        year = try c.decodeIfPresent(Int.self, forKey: .year)
        if let s = try c.decodeIfPresent(String.self, forKey: .issuedOn) {
            issuedOn = WorkPointDate(iso: s)
        } else {
            issuedOn = nil
        }
        preamble = try c.decode(String.self, forKey: .preamble)
        items = try c.decode([WorkPointTask].self, forKey: .items)
        warnings = try c.decode([WorkPointWarning].self, forKey: .warnings)
        outline = try c.decodeIfPresent([WorkPointOutlineNode].self, forKey: .outline) ?? []
    }
}

/// The result of parsing one file.
public struct WorkPointParseResult: Codable, Sendable, Equatable {
    public var documents: [WorkPointDocument]

    public init(documents: [WorkPointDocument]) {
        self.documents = documents
    }

    /// All tasks of all documents, in order.
    public var allItems: [WorkPointTask] { documents.flatMap(\.items) }

    /// Stable JSON (sorted keys, no escaped slashes).
    public func jsonData(pretty: Bool) -> Data {
        let encoder = JSONEncoder()
        var fmt: JSONEncoder.OutputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { fmt.insert(.prettyPrinted) }
        encoder.outputFormatting = fmt
        return (try? encoder.encode(self)) ?? Data("{\"documents\":[]}".utf8)
    }
}
