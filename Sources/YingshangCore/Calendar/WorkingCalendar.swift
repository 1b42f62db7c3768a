import Foundation

/// One year's public-holiday arrangement (国务院办公厅关于某年部分节假日安排的通知).
public struct HolidayYear: Codable, Sendable, Equatable {
    public var year: Int
    /// Source notice, e.g. "国办发明电〔2022〕16号".
    public var notice: String?
    /// Days off (holidays, including weekend days that are part of a holiday block).
    public var off: [CivilDate]
    /// Make-up working days (调休上班), normally weekend days.
    public var work: [CivilDate]

    public init(year: Int, notice: String? = nil, off: [CivilDate] = [], work: [CivilDate] = []) {
        self.year = year
        self.notice = notice
        self.off = off
        self.work = work
    }

    private static let weekdayNames = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"]

    /// Problems in an admin-entered year, as Chinese messages; empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        if !(1...9999).contains(year) {
            problems.append("年份 \(year) 无效")
        }
        func checkList(_ list: [CivilDate], label: String) {
            var seen = Set<CivilDate>()
            var reported = Set<CivilDate>()
            for d in list {
                if d.year != year {
                    problems.append("\(label)中的日期 \(d.iso) 不属于 \(year) 年")
                }
                if !seen.insert(d).inserted, reported.insert(d).inserted {
                    problems.append("\(label)中的日期 \(d.iso) 重复出现")
                }
            }
        }
        checkList(off, label: "放假日期")
        checkList(work, label: "调休上班日期")
        for d in work where d.weekday <= 5 {
            problems.append("调休上班日期 \(d.iso) 是\(Self.weekdayNames[d.weekday])，本来就是工作日，不应列为调休上班")
        }
        let offSet = Set(off)
        var reportedBoth = Set<CivilDate>()
        for d in work where offSet.contains(d) && reportedBoth.insert(d).inserted {
            problems.append("日期 \(d.iso) 同时出现在放假日期和调休上班日期中")
        }
        return problems
    }
}

/// Working-day arithmetic for mainland China: a day is a working day when it is
/// Monday–Friday and not a holiday, or when it is a make-up working day (调休上班).
/// Years without data fall back to the plain Monday–Friday rule (see `covers(year:)`).
public struct WorkingCalendar: Sendable {
    public let years: [Int: HolidayYear]
    private let offDays: Set<Int>   // day numbers
    private let workDays: Set<Int>  // day numbers

    public init(years: [HolidayYear]) {
        var byYear: [Int: HolidayYear] = [:]
        for y in years { byYear[y.year] = y }
        self.init(byYear: byYear)
    }

    private init(byYear: [Int: HolidayYear]) {
        self.years = byYear
        var off = Set<Int>(), work = Set<Int>()
        for y in byYear.values {
            for d in y.off { off.insert(d.dayNumber) }
            for d in y.work { work.insert(d.dayNumber) }
        }
        self.offDays = off
        self.workDays = work
    }

    /// The mainland China calendar from the bundled `cn-working-calendar.json`.
    public static let china: WorkingCalendar = {
        let url = Bundle.module.url(forResource: "cn-working-calendar", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "cn-working-calendar", withExtension: "json")
        guard let url, let data = try? Data(contentsOf: url), let years = try? WorkingCalendar.decode(json: data) else {
            preconditionFailure("无法加载内置的工作日历数据 cn-working-calendar.json")
        }
        return WorkingCalendar(years: years)
    }()

    private struct FileYear: Decodable {
        var year: Int?
        var notice: String?
        var off: [CivilDate]?
        var work: [CivilDate]?
    }

    private struct FileFormat: Decodable {
        var years: [String: FileYear]
    }

    public enum DecodeError: Error, LocalizedError, Equatable {
        case invalidYearKey(String)
        case yearMismatch(key: String, year: Int)

        public var errorDescription: String? {
            switch self {
            case .invalidYearKey(let key): return "工作日历数据中的年份“\(key)”无效"
            case .yearMismatch(let key, let year): return "工作日历数据中键“\(key)”与其中的年份 \(year) 不一致"
            }
        }
    }

    /// Decodes the calendar file: `{"years": {"2023": {"notice": …, "off": […], "work": […]}}}`.
    /// Also accepts a plain array of `HolidayYear` objects. Result is sorted by year.
    public static func decode(json: Data) throws -> [HolidayYear] {
        let decoder = JSONDecoder()
        if let array = try? decoder.decode([HolidayYear].self, from: json) {
            return array.sorted { $0.year < $1.year }
        }
        let file = try decoder.decode(FileFormat.self, from: json)
        var result: [HolidayYear] = []
        for (key, value) in file.years {
            guard let year = Int(key.trimmingCharacters(in: .whitespaces)) else { throw DecodeError.invalidYearKey(key) }
            if let inner = value.year, inner != year { throw DecodeError.yearMismatch(key: key, year: inner) }
            result.append(HolidayYear(year: year, notice: value.notice, off: value.off ?? [], work: value.work ?? []))
        }
        return result.sorted { $0.year < $1.year }
    }

    // MARK: Queries

    public func isWorkingDay(_ d: CivilDate) -> Bool { isWorking(d.dayNumber) }

    @inline(__always)
    private func isWorking(_ n: Int) -> Bool {
        if workDays.contains(n) { return true }
        if offDays.contains(n) { return false }
        return CivilDate.weekday(ofDayNumber: n) <= 5
    }

    /// The date `n` working days after `d` (`n > 0`) or before it (`n < 0`); `d` itself is not counted.
    /// `n == 0` returns `d` unchanged.
    public func addingWorkingDays(_ n: Int, to d: CivilDate) -> CivilDate {
        guard n != 0 else { return d }
        let step = n > 0 ? 1 : -1
        var remaining = abs(n)
        var day = d.dayNumber
        while remaining > 0 {
            day += step
            if isWorking(day) { remaining -= 1 }
        }
        return CivilDate(dayNumber: day)
    }

    /// Working days in the half-open interval (a, b]; negative (−count of (b, a]) when b < a.
    public func workingDays(between a: CivilDate, and b: CivilDate) -> Int {
        let x = a.dayNumber, y = b.dayNumber
        if x == y { return 0 }
        let (lo, hi, sign) = x < y ? (x, y, 1) : (y, x, -1)
        var count = 0
        var day = lo + 1
        while day <= hi {
            if isWorking(day) { count += 1 }
            day += 1
        }
        return sign * count
    }

    public func lastWorkingDay(ofMonthContaining d: CivilDate) -> CivilDate {
        var day = d.endOfMonth.dayNumber
        while !isWorking(day) { day -= 1 }
        return CivilDate(dayNumber: day)
    }

    /// The n-th working day of the month (`n >= 1`); `n <= -1` counts from the end (−1 = last working day).
    /// `n == 0` is treated as 1. If the month has fewer working days, the result spills into the next
    /// (or previous) month.
    public func nthWorkingDay(_ n: Int, ofMonth year: Int, _ month: Int) -> CivilDate {
        guard let first = CivilDate(year: year, month: month, day: 1) else {
            preconditionFailure("无效的年月：\(year)-\(month)")
        }
        if n < 0 {
            return addingWorkingDays(n + 1, to: lastWorkingDay(ofMonthContaining: first))
        }
        return addingWorkingDays(max(n, 1), to: first.adding(days: -1))
    }

    /// Whether holiday data exists for `year`.
    public func covers(year: Int) -> Bool { years[year] != nil }

    /// A copy with `year` added, replacing any existing entry for the same year.
    public func merging(_ year: HolidayYear) -> WorkingCalendar {
        var byYear = years
        byYear[year.year] = year
        return WorkingCalendar(byYear: byYear)
    }
}
