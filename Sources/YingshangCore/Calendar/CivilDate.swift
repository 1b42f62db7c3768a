import Foundation

/// A calendar date without time or time zone (proleptic Gregorian), e.g. a deadline day.
///
/// Encoded as its ISO 8601 string ("2023-10-18").
public struct CivilDate: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Validates the components; years 1...9999 only.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly "YYYY-MM-DD".
    public init?(iso: String) {
        let scalars = Array(iso.utf8)
        guard scalars.count == 10, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let c = scalars[i]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Unchecked initialiser for already validated components.
    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var iso: String {
        let y = String(year), m = String(month), d = String(day)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-"
            + (m.count < 2 ? "0" : "") + m + "-" + (d.count < 2 ? "0" : "") + d
    }

    public var description: String { iso }

    // MARK: Day numbers

    /// Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Inverse of `dayNumber` (`civil_from_days`). Results outside years 1...9999 are clamped.
    public init(dayNumber: Int) {
        let minDay = CivilDate(unchecked: 1, 1, 1).dayNumber
        let maxDay = CivilDate(unchecked: 9999, 12, 31).dayNumber
        let z = min(max(dayNumber, minDay), maxDay) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int { CivilDate.weekday(ofDayNumber: dayNumber) }

    static func weekday(ofDayNumber n: Int) -> Int {
        // 1970-01-01 was a Thursday (4).
        let r = ((n + 3) % 7 + 7) % 7  // 0 = Monday
        return r + 1
    }

    public func adding(days: Int) -> CivilDate {
        days == 0 ? self : CivilDate(dayNumber: dayNumber + days)
    }

    /// Number of days from `self` to `other` (positive when `other` is later).
    public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

    public var isLeapYear: Bool { CivilDate.isLeap(year) }

    public var endOfMonth: CivilDate {
        CivilDate(unchecked: year, month, CivilDate.daysInMonth(year: year, month: month))
    }

    public var startOfMonth: CivilDate { CivilDate(unchecked: year, month, 1) }

    /// 1...4
    public var quarter: Int { (month - 1) / 3 + 1 }

    public var endOfQuarter: CivilDate {
        let m = quarter * 3
        return CivilDate(unchecked: year, m, CivilDate.daysInMonth(year: year, month: m))
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeap(year) ? 29 : 28
        default: return 0
        }
    }

    // MARK: Time zone conversions

    /// The calendar date of `date` as seen in `timeZone` (e.g. Asia/Shanghai).
    public init(date: Date, timeZone: TimeZone) {
        let offset = timeZone.secondsFromGMT(for: date)
        let seconds = date.timeIntervalSince1970 + Double(offset)
        self.init(dayNumber: Int((seconds / 86_400).rounded(.down)))
    }

    /// The first instant of this date in `timeZone` (handles DST gaps at midnight).
    public func startOfDay(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        if let date = calendar.date(from: components) {
            return calendar.startOfDay(for: date)
        }
        // Fallback: plain offset arithmetic.
        let utcMidnight = Date(timeIntervalSince1970: Double(dayNumber) * 86_400)
        return utcMidnight.addingTimeInterval(-Double(timeZone.secondsFromGMT(for: utcMidnight)))
    }

    // MARK: Comparable / Codable

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let date = CivilDate(iso: string) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "日期格式无效：“\(string)”，应为 YYYY-MM-DD 格式的有效日期")
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
