import Fluent
import Vapor
import YingshangCore

/// The working-day calendar (工作日历): view a year, compute deadlines, and (administrators) add a year.
struct CalendarController {
    func registerAPI(_ api: any RoutesBuilder) {
        api.get("calendar", "add-working-days", use: addWorkingDays)
        api.get("calendar", "years", ":year", use: yearAPI)
    }

    func registerPages(_ pages: any RoutesBuilder) {
        pages.get("calendar", use: page)
        pages.post("calendar", "years", use: saveYear)
    }

    struct WorkingDaysAnswer: Content {
        var from: String
        var days: Int
        var date: String
        var covered: Bool
    }

    func addWorkingDays(req: Request) async throws -> WorkingDaysAnswer {
        _ = try req.requirePrincipal()
        guard let from = req.query[String.self, at: "from"].flatMap(CivilDate.init(iso:)) else {
            throw APIError.validation(["from": "请提供起始日期（YYYY-MM-DD）"])
        }
        guard let days = req.query[Int.self, at: "days"], abs(days) <= 3650 else {
            throw APIError.validation(["days": "请提供 -3650 到 3650 之间的工作日数"])
        }
        let calendar = try await CalendarService(db: req.db).calendar()
        let date = calendar.addingWorkingDays(days, to: from)
        return WorkingDaysAnswer(from: from.iso, days: days, date: date.iso,
                                 covered: calendar.covers(year: from.year) && calendar.covers(year: date.year))
    }

    func yearAPI(req: Request) async throws -> HolidayYear {
        _ = try req.requirePrincipal()
        guard let year = req.parameters.get("year", as: Int.self) else { throw APIError.notFound }
        let calendar = try await CalendarService(db: req.db).calendar()
        guard let data = calendar.years[year] else { throw APIError.notFound }
        return data
    }

    struct Day: Encodable { let iso: String, label: String }
    struct PageView: Encodable {
        let year: Int
        let years: [Int]
        let notice: String?
        let offDays: [Day]
        let workDays: [Day]
        let covered: Bool
        let canEdit: Bool
        let from: String
        let days: Int
        let result: String?
        let offText: String
        let workText: String
        let errors: [String: String]
    }

    static let weekdays = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"]

    func view(_ req: Request, year: Int, errors: [String: String] = [:], offText: String? = nil,
              workText: String? = nil) async throws -> PageView {
        let principal = try req.requirePrincipal()
        let calendar = try await CalendarService(db: req.db).calendar()
        let data = calendar.years[year]
        let day = { (d: CivilDate) in Day(iso: d.iso, label: "\(d.iso)（\(Self.weekdays[d.weekday])）") }
        var result: String?
        let from = req.query[String.self, at: "from"].flatMap(CivilDate.init(iso:))
        let days = req.query[Int.self, at: "days"] ?? 10
        if let from, abs(days) <= 3650 {
            let date = calendar.addingWorkingDays(days, to: from)
            result = "\(from.iso) 之后第 \(days) 个工作日是 \(date.iso)（\(Self.weekdays[date.weekday])）"
        }
        return PageView(year: year, years: calendar.years.keys.sorted(), notice: data?.notice,
                        offDays: (data?.off ?? []).map(day), workDays: (data?.work ?? []).map(day),
                        covered: data != nil, canEdit: principal.role.may(.manageCalendar),
                        from: from?.iso ?? "", days: days, result: result,
                        offText: offText ?? (data?.off.map { $0.iso }.joined(separator: "\n") ?? ""),
                        workText: workText ?? (data?.work.map { $0.iso }.joined(separator: "\n") ?? ""),
                        errors: errors)
    }

    func page(req: Request) async throws -> View {
        let year = req.query[Int.self, at: "year"] ?? CivilDate(date: Date(), timeZone: DisplayDate.timeZone).year
        return try await req.page("calendar/index", title: "工作日历", try await view(req, year: year))
    }

    struct YearForm: Content {
        var year: String?
        var notice: String?
        var off: String?
        var work: String?
    }

    func saveYear(req: Request) async throws -> Response {
        let actor = try req.require(.manageCalendar)
        let form = try req.content.decode(YearForm.self)
        guard let year = form.year.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw APIError.validation(["year": "请填写年份（数字）"])
        }
        do {
            _ = try await CalendarService(db: req.db).save(year: year, notice: form.notice, offText: form.off ?? "",
                                                           workText: form.work ?? "", actor: actor)
            req.flash("已保存 \(year) 年节假日安排")
            return req.redirect(to: "/calendar?year=\(year)")
        } catch let error as APIError where error.code == "validation_failed" {
            return try await req.page("calendar/index", title: "工作日历",
                                      try await view(req, year: year, errors: error.fields, offText: form.off, workText: form.work))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}

extension HolidayYear: Content {}
