import Foundation
import Testing
@testable import YingshangCore

private func d(_ s: String) -> CivilDate {
    guard let date = CivilDate(iso: s) else { fatalError("bad test date \(s)") }
    return date
}

@Suite("CivilDate")
struct CivilDateTests {
    @Test func parsesAndFormatsISO() {
        let date = d("2023-10-18")
        #expect(date.year == 2023 && date.month == 10 && date.day == 18)
        #expect(date.iso == "2023-10-18")
        #expect(date.description == "2023-10-18")
        #expect(CivilDate(year: 5, month: 1, day: 2)?.iso == "0005-01-02")
    }

    @Test(arguments: ["2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-1-01", "20231018",
                      "2023/10/18", "", "abcd-ef-gh", "2023-10-18T00:00", " 2023-10-18", "0000-01-01", "２０２３-10-18"])
    func rejectsInvalidISO(_ s: String) {
        #expect(CivilDate(iso: s) == nil)
    }

    @Test func validatesComponents() {
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2023, month: 6, day: 31) == nil)
        #expect(CivilDate(year: 2023, month: 12, day: 31) != nil)
        #expect(CivilDate(year: 2023, month: 12, day: 0) == nil)
        #expect(CivilDate(year: 0, month: 1, day: 1) == nil)
        #expect(CivilDate(year: 10000, month: 1, day: 1) == nil)
    }

    @Test func weekdays() {
        #expect(d("1970-01-01").weekday == 4)
        #expect(d("2023-10-18").weekday == 3)
        #expect(d("2023-10-07").weekday == 6)
        #expect(d("2023-10-08").weekday == 7)
        #expect(d("2024-02-29").weekday == 4)
        #expect(d("2026-02-13").weekday == 5)
        #expect(d("2000-01-03").weekday == 1)
        #expect(d("1969-12-31").weekday == 3)
    }

    @Test func weekdayMatchesFoundation() {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        var date = d("1999-12-25")
        for _ in 0..<800 {
            let foundation = cal.component(.weekday, from: date.startOfDay(in: cal.timeZone)) // 1 = Sunday
            #expect(date.weekday == (foundation + 5) % 7 + 1)
            date = date.adding(days: 13)
        }
    }

    @Test func dayNumberRoundTrips() {
        #expect(d("1970-01-01").dayNumber == 0)
        #expect(d("1970-01-02").dayNumber == 1)
        #expect(d("1969-12-31").dayNumber == -1)
        for n in stride(from: -719_162, through: 2_932_896, by: 997) {
            let date = CivilDate(dayNumber: n)
            #expect(date.dayNumber == n)
            #expect(CivilDate(iso: date.iso) == date)
        }
    }

    @Test func arithmetic() {
        #expect(d("2023-12-31").adding(days: 1) == d("2024-01-01"))
        #expect(d("2024-03-01").adding(days: -1) == d("2024-02-29"))
        #expect(d("2023-03-01").adding(days: -1) == d("2023-02-28"))
        #expect(d("2023-01-31").adding(days: 0) == d("2023-01-31"))
        #expect(d("2023-01-01").adding(days: 365) == d("2024-01-01"))
        #expect(d("2024-01-01").adding(days: 366) == d("2025-01-01"))
        #expect(d("2023-01-01").days(until: d("2024-01-01")) == 365)
        #expect(d("2024-01-01").days(until: d("2023-01-01")) == -365)
        #expect(d("2024-01-01").days(until: d("2025-01-01")) == 366)
        #expect(d("2000-02-28").adding(days: 1) == d("2000-02-29"))
        #expect(d("2100-02-28").adding(days: 1) == d("2100-03-01"))
    }

    @Test func comparable() {
        #expect(d("2023-10-18") < d("2023-10-19"))
        #expect(d("2023-09-30") < d("2023-10-01"))
        #expect(d("2022-12-31") < d("2023-01-01"))
        #expect(!(d("2023-10-18") < d("2023-10-18")))
        #expect([d("2024-01-02"), d("2023-12-31"), d("2024-01-01")].sorted().map(\.iso)
                == ["2023-12-31", "2024-01-01", "2024-01-02"])
    }

    @Test func endOfMonthAndQuarter() {
        #expect(d("2024-02-10").endOfMonth == d("2024-02-29"))
        #expect(d("2023-02-10").endOfMonth == d("2023-02-28"))
        #expect(d("1900-02-01").endOfMonth == d("1900-02-28"))
        #expect(d("2000-02-01").endOfMonth == d("2000-02-29"))
        #expect(d("2023-04-30").endOfMonth == d("2023-04-30"))
        #expect(d("2023-12-01").endOfMonth == d("2023-12-31"))
        #expect(d("2023-01-15").quarter == 1)
        #expect(d("2023-03-31").quarter == 1)
        #expect(d("2023-04-01").quarter == 2)
        #expect(d("2023-09-30").quarter == 3)
        #expect(d("2023-12-31").quarter == 4)
        #expect(d("2023-02-11").endOfQuarter == d("2023-03-31"))
        #expect(d("2023-05-11").endOfQuarter == d("2023-06-30"))
        #expect(d("2023-08-11").endOfQuarter == d("2023-09-30"))
        #expect(d("2023-11-11").endOfQuarter == d("2023-12-31"))
        #expect(d("2023-10-18").startOfMonth == d("2023-10-01"))
    }

    @Test func leapYears() {
        #expect(CivilDate.isLeap(2024))
        #expect(!CivilDate.isLeap(2023))
        #expect(!CivilDate.isLeap(1900))
        #expect(CivilDate.isLeap(2000))
        #expect(!CivilDate.isLeap(2100))
        #expect(d("2024-06-01").isLeapYear)
    }

    @Test func codableAsISOString() throws {
        struct Box: Codable, Equatable { var due: CivilDate }
        let data = try JSONEncoder().encode(Box(due: d("2023-10-18")))
        #expect(String(decoding: data, as: UTF8.self) == #"{"due":"2023-10-18"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: data) == Box(due: d("2023-10-18")))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Box.self, from: Data(#"{"due":"2023-02-30"}"#.utf8))
        }
    }

    @Test func timeZoneConversion() {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let utc = TimeZone(identifier: "UTC")!
        // 2023-10-17T16:30:00Z is 2023-10-18 00:30 in Beijing.
        let instant = Date(timeIntervalSince1970: 1_697_560_200)
        #expect(CivilDate(date: instant, timeZone: shanghai) == d("2023-10-18"))
        #expect(CivilDate(date: instant, timeZone: utc) == d("2023-10-17"))
        let start = d("2023-10-18").startOfDay(in: shanghai)
        #expect(start.timeIntervalSince1970 == 1_697_558_400)  // 2023-10-17T16:00:00Z
        #expect(CivilDate(date: start, timeZone: shanghai) == d("2023-10-18"))
        #expect(CivilDate(date: start.addingTimeInterval(-1), timeZone: shanghai) == d("2023-10-17"))
        #expect(d("1970-01-01").startOfDay(in: utc).timeIntervalSince1970 == 0)
        #expect(CivilDate(date: Date(timeIntervalSince1970: -1), timeZone: utc) == d("1969-12-31"))
        let newYork = TimeZone(identifier: "America/New_York")!
        // DST start day: still starts at local midnight (05:00Z).
        #expect(d("2024-03-10").startOfDay(in: newYork).timeIntervalSince1970 == 1_710_046_800)
    }
}

@Suite("WorkingCalendar")
struct WorkingCalendarTests {
    let cal = WorkingCalendar.china

    static let published: [Int: (off: [String], work: [String])] = [
        2023: (off: ["2023-01-01", "2023-01-02", "2023-01-21", "2023-01-22", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27", "2023-04-05", "2023-04-29", "2023-04-30", "2023-05-01", "2023-05-02", "2023-05-03", "2023-06-22", "2023-06-23", "2023-06-24", "2023-09-29", "2023-09-30", "2023-10-01", "2023-10-02", "2023-10-03", "2023-10-04", "2023-10-05", "2023-10-06"], work: ["2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"]),
        2024: (off: ["2024-01-01", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16", "2024-02-17", "2024-04-04", "2024-04-05", "2024-04-06", "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04", "2024-05-05", "2024-06-10", "2024-09-15", "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07"], work: ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"]),
        2025: (off: ["2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06", "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-31", "2025-06-01", "2025-06-02", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08"], work: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]),
        2026: (off: ["2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"], work: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]),    ]

    @Test func bundledDataCoversPublishedYears() {
        for year in 2023...2026 { #expect(cal.covers(year: year)) }
        #expect(!cal.covers(year: 2022))
        #expect(!cal.covers(year: 2099))
        #expect(cal.years[2023]?.notice == "国办发明电〔2022〕16号")
        for y in cal.years.values { #expect(y.validate() == [], "\(y.year)") }
    }

    @Test(arguments: [2023, 2024, 2025, 2026])
    func everyHolidayAndMakeUpDayClassified(year: Int) throws {
        let lists = try #require(Self.published[year])
        for s in lists.off {
            #expect(!cal.isWorkingDay(d(s)), "\(s) should be a day off")
        }
        for s in lists.work {
            #expect(cal.isWorkingDay(d(s)), "\(s) should be a make-up working day")
            #expect(d(s).weekday >= 6, "\(s) make-up days fall on weekends")
        }
        // Every other day follows the Monday–Friday rule.
        let special = Set(lists.off + lists.work)
        var day = d("\(year)-01-01")
        while day.year == year {
            if !special.contains(day.iso) {
                #expect(cal.isWorkingDay(day) == (day.weekday <= 5), "\(day)")
            }
            day = day.adding(days: 1)
        }
    }

    @Test(arguments: [(2023, 249), (2024, 251), (2025, 248), (2026, 248)])
    func workingDaysPerYear(year: Int, expected: Int) {
        #expect(cal.workingDays(between: d("\(year - 1)-12-31"), and: d("\(year)-12-31")) == expected)
    }

    @Test func specExamples() {
        #expect(cal.addingWorkingDays(10, to: d("2023-09-28")) == d("2023-10-18"))
        #expect(cal.addingWorkingDays(3, to: d("2026-02-13")) == d("2026-02-25"))
        // First working day after 2026-02-13 is the Saturday make-up day.
        #expect(cal.addingWorkingDays(1, to: d("2026-02-13")) == d("2026-02-14"))
        #expect(cal.addingWorkingDays(0, to: d("2023-10-01")) == d("2023-10-01"))
    }

    @Test func makeUpDaysAreCounted() {
        // 2023-09-28 (Thu) → 10-07 (Sat, make-up) is the 1st, 10-08 (Sun, make-up) the 2nd.
        #expect(cal.addingWorkingDays(1, to: d("2023-09-28")) == d("2023-10-07"))
        #expect(cal.addingWorkingDays(2, to: d("2023-09-28")) == d("2023-10-08"))
        #expect(cal.addingWorkingDays(3, to: d("2023-09-28")) == d("2023-10-09"))
        #expect(cal.workingDays(between: d("2023-09-28"), and: d("2023-10-18")) == 10)
    }

    @Test func backwardArithmetic() {
        #expect(cal.addingWorkingDays(-10, to: d("2023-10-18")) == d("2023-09-28"))
        #expect(cal.addingWorkingDays(-5, to: d("2023-10-09")) == d("2023-09-26"))
        #expect(cal.addingWorkingDays(-1, to: d("2024-02-19")) == d("2024-02-18"))  // Sunday make-up day
        #expect(cal.addingWorkingDays(-3, to: d("2026-02-25")) == d("2026-02-13"))
        #expect(cal.workingDays(between: d("2023-10-18"), and: d("2023-09-28")) == -10)
        #expect(cal.workingDays(between: d("2023-10-18"), and: d("2023-10-18")) == 0)
    }

    @Test func intervalIsHalfOpen() {
        // (Fri, Mon]: only Monday counts.
        #expect(cal.workingDays(between: d("2023-11-03"), and: d("2023-11-06")) == 1)
        // (Sat, Sun]: none.
        #expect(cal.workingDays(between: d("2023-11-04"), and: d("2023-11-05")) == 0)
        // (Thu, Fri]: Friday.
        #expect(cal.workingDays(between: d("2023-11-02"), and: d("2023-11-03")) == 1)
    }

    @Test func roundTripsForward() {
        var start = d("2022-12-20")
        while start < d("2027-01-10") {
            for n in [1, 2, 3, 5, 7, 10, 15, 20, 30, 60] {
                let end = cal.addingWorkingDays(n, to: start)
                #expect(cal.isWorkingDay(end))
                #expect(cal.workingDays(between: start, and: end) == n, "\(start) + \(n)")
                #expect(cal.workingDays(between: end, and: start) == -n)
                // One calendar day earlier there is exactly one working day fewer.
                #expect(cal.workingDays(between: start, and: end.adding(days: -1)) == n - 1)
            }
            start = start.adding(days: 1)
        }
    }

    @Test func roundTripsBackwardFromWorkingDays() {
        var start = d("2023-01-01")
        while start < d("2026-12-31") {
            if cal.isWorkingDay(start) {
                for n in [1, 3, 10, 22] {
                    let back = cal.addingWorkingDays(-n, to: start)
                    #expect(cal.isWorkingDay(back))
                    #expect(cal.addingWorkingDays(n, to: back) == start)
                    #expect(cal.workingDays(between: back, and: start) == n)
                }
            }
            start = start.adding(days: 1)
        }
    }

    @Test func largeOffsetsAreCheapAndConsistent() {
        let start = d("2023-01-01")
        let far = cal.addingWorkingDays(5000, to: start)
        #expect(cal.workingDays(between: start, and: far) == 5000)
        #expect(cal.addingWorkingDays(-5000, to: far) == d("2022-12-30"))  // the working day before the 1st one counted
        #expect(cal.addingWorkingDays(250, to: start) == d("2024-01-02"))
        #expect(cal.addingWorkingDays(1000, to: start) == d("2027-01-06"))
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for i in 0..<200 { _ = cal.addingWorkingDays(3000 + i, to: start) }
        }
        #expect(elapsed < .seconds(5))
    }

    @Test func uncoveredYearsUseWeekdayRule() {
        #expect(cal.isWorkingDay(d("2030-10-01")))  // a Tuesday; no data for 2030
        #expect(!cal.isWorkingDay(d("2030-10-05")))  // Saturday
        #expect(cal.isWorkingDay(d("2022-10-03")))   // Monday; 2022 not in the bundled data
    }

    @Test func monthHelpers() {
        #expect(cal.lastWorkingDay(ofMonthContaining: d("2023-09-05")) == d("2023-09-28"))
        #expect(cal.lastWorkingDay(ofMonthContaining: d("2024-02-01")) == d("2024-02-29"))
        #expect(cal.lastWorkingDay(ofMonthContaining: d("2025-01-31")) == d("2025-01-27"))
        #expect(cal.lastWorkingDay(ofMonthContaining: d("2026-02-14")) == d("2026-02-28"))  // Saturday make-up day
        #expect(cal.lastWorkingDay(ofMonthContaining: d("2023-12-01")) == d("2023-12-29"))
        #expect(cal.nthWorkingDay(1, ofMonth: 2023, 1) == d("2023-01-03"))
        #expect(cal.nthWorkingDay(1, ofMonth: 2025, 1) == d("2025-01-02"))
        #expect(cal.nthWorkingDay(1, ofMonth: 2026, 2) == d("2026-02-02"))
        #expect(cal.nthWorkingDay(1, ofMonth: 2023, 10) == d("2023-10-07"))
        #expect(cal.nthWorkingDay(3, ofMonth: 2023, 10) == d("2023-10-09"))
        #expect(cal.nthWorkingDay(-1, ofMonth: 2023, 9) == d("2023-09-28"))
        #expect(cal.nthWorkingDay(-2, ofMonth: 2023, 9) == d("2023-09-27"))
        #expect(cal.nthWorkingDay(0, ofMonth: 2023, 1) == d("2023-01-03"))
    }

    @Test func mergingAddsAYear() throws {
        let y2027 = HolidayYear(year: 2027, notice: "测试", off: [d("2027-01-01")], work: [d("2027-01-02")])
        #expect(y2027.validate() == [])
        let merged = cal.merging(y2027)
        #expect(merged.covers(year: 2027))
        #expect(!cal.covers(year: 2027))
        #expect(!merged.isWorkingDay(d("2027-01-01")))
        #expect(merged.isWorkingDay(d("2027-01-02")))  // Saturday make-up day
        #expect(merged.isWorkingDay(d("2023-10-07")))  // existing data kept
        // Replacing a year drops the old days of that year.
        let replaced = merged.merging(HolidayYear(year: 2023, off: [], work: []))
        #expect(replaced.isWorkingDay(d("2023-10-02")))
        #expect(!replaced.isWorkingDay(d("2023-10-07")))
        #expect(replaced.isWorkingDay(d("2024-02-18")))
    }

    @Test func decodesFileFormatAndArrays() throws {
        let json = #"{"about":"x","years":{"2030":{"notice":"n","off":["2030-01-01"],"work":[]},"2029":{"off":[],"work":["2029-02-03"]}}}"#
        let years = try WorkingCalendar.decode(json: Data(json.utf8))
        #expect(years.map(\.year) == [2029, 2030])
        #expect(years[1].off == [d("2030-01-01")])
        #expect(years[1].notice == "n")
        #expect(years[0].work == [d("2029-02-03")])

        let array = try JSONEncoder().encode(years)
        #expect(try WorkingCalendar.decode(json: array) == years)

        #expect(throws: (any Error).self) {
            try WorkingCalendar.decode(json: Data(#"{"years":{"2030":{"off":["2030-02-30"]}}}"#.utf8))
        }
        #expect(throws: WorkingCalendar.DecodeError.invalidYearKey("abc")) {
            try WorkingCalendar.decode(json: Data(#"{"years":{"abc":{"off":[]}}}"#.utf8))
        }
        #expect(throws: (any Error).self) {
            try WorkingCalendar.decode(json: Data("not json".utf8))
        }
    }

    @Test func bundledFileDecodesToSameAsChina() throws {
        let url = try #require(Bundle.module.url(forResource: "cn-working-calendar", withExtension: "json", subdirectory: "Resources"))
        let years = try WorkingCalendar.decode(json: Data(contentsOf: url))
        #expect(years.map(\.year) == [2023, 2024, 2025, 2026])
        #expect(years.map { $0.off.count } == [26, 28, 28, 33])
    }
}

@Suite("HolidayYear.validate")
struct HolidayYearValidationTests {
    @Test func reportsAllProblemsInChinese() {
        let year = HolidayYear(
            year: 2027,
            off: [d("2027-01-01"), d("2026-12-31"), d("2027-01-01"), d("2027-02-06")],
            work: [d("2027-01-04"), d("2027-02-06"), d("2028-01-01"), d("2027-01-09"), d("2027-01-09")])
        let problems = year.validate()
        #expect(problems.contains("放假日期中的日期 2026-12-31 不属于 2027 年"))
        #expect(problems.contains("放假日期中的日期 2027-01-01 重复出现"))
        #expect(problems.contains("调休上班日期中的日期 2028-01-01 不属于 2027 年"))
        #expect(problems.contains("调休上班日期中的日期 2027-01-09 重复出现"))
        #expect(problems.contains("调休上班日期 2027-01-04 是周一，本来就是工作日，不应列为调休上班"))
        #expect(problems.contains("日期 2027-02-06 同时出现在放假日期和调休上班日期中"))
        #expect(problems.count == 6, "\(problems)")
    }

    @Test func duplicatesReportedOnce() {
        let year = HolidayYear(year: 2027, off: Array(repeating: d("2027-01-01"), count: 4), work: [])
        #expect(year.validate() == ["放假日期中的日期 2027-01-01 重复出现"])
    }

    @Test func weekendDaysOffAreFine() {
        let year = HolidayYear(year: 2027, off: [d("2027-01-02"), d("2027-01-03")], work: [])
        #expect(year.validate().isEmpty)
    }
}
