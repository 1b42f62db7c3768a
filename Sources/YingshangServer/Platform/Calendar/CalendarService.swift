import Fluent
import Vapor
import YingshangCore

/// The working-day calendar in force: the shipped data, overridden year by year by what administrators entered.
struct CalendarService {
    let db: any Database

    func calendar() async throws -> WorkingCalendar {
        var calendar = WorkingCalendar.china
        for record in try await HolidayYearRecord.query(on: db).all() {
            calendar = calendar.merging(try Self.holidayYear(record))
        }
        return calendar
    }

    static func holidayYear(_ record: HolidayYearRecord) throws -> HolidayYear {
        HolidayYear(year: record.year, notice: record.notice,
                    off: record.offDays.compactMap(CivilDate.init(iso:)), work: record.workDays.compactMap(CivilDate.init(iso:)))
    }

    /// Saves (or replaces) a year entered by an administrator, after validation.
    func save(year: Int, notice: String?, offText: String, workText: String, actor: Principal) async throws -> HolidayYear {
        var errors: [String: String] = [:]
        func dates(_ text: String, field: String) -> [CivilDate] {
            var result: [CivilDate] = []
            for token in text.split(whereSeparator: { " ,，、;；\n\r\t".contains($0) }) {
                if let date = CivilDate(iso: String(token)) { result.append(date) } else {
                    errors[field] = "“\(token)”不是有效日期（格式 YYYY-MM-DD）"
                }
            }
            return result
        }
        if !(2000...2100).contains(year) { errors["year"] = "年份应在 2000–2100 之间" }
        let holidayYear = HolidayYear(year: year, notice: notice.flatMap { $0.isEmpty ? nil : $0 },
                                      off: dates(offText, field: "off"), work: dates(workText, field: "work"))
        if errors.isEmpty {
            let problems = holidayYear.validate()
            if !problems.isEmpty { errors["off"] = problems.joined(separator: "；") }
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        try await Transactions.run(on: db) { tx in
            let existing = try await HolidayYearRecord.query(on: tx).filter(\.$year == year).first()
            let record = existing ?? HolidayYearRecord()
            let before = existing.map { ["off": $0.offDays, "work": $0.workDays] }
            record.year = year
            record.notice = holidayYear.notice
            record.offDays = holidayYear.off.map(\.iso)
            record.workDays = holidayYear.work.map(\.iso)
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: existing == nil ? .create : .update,
                                      entityType: "holiday_year", entityID: String(year), before: before,
                                      after: ["off": record.offDays, "work": record.workDays])
        }
        return holidayYear
    }
}
