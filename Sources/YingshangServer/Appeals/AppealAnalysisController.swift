import Fluent
import Vapor
import YingshangCore

/// Analysis of the appeals line (共性问题): volumes, rates per unit and rising topics, drawn on the server.
/// Personal data never appears here, so invited supervisors read it as it is.
struct AppealAnalysisController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("appeals", "analysis", use: page)
    }

    struct RateRow: Encodable { let unit: String, response: String, resolution: String, satisfaction: String, detail: String }
    struct PageView: Encodable {
        let total: Int, from: String, to: String
        let monthChart: String, typeChart: String, categoryChart: String, channelChart: String
        let rates: [RateRow]
        let hotMonth: String
        let hotCategories: [String], hotTerms: [String]
    }

    func page(req: Request) async throws -> View {
        _ = try AppealAccess(request: req).reader()
        let today = Today.civil()
        let from = req.query[String.self, at: "from"].flatMap(CivilDate.init(iso:)) ?? today.adding(days: -365)
        let to = req.query[String.self, at: "to"].flatMap(CivilDate.init(iso:)) ?? today
        let appeals = try await AppealAccess(request: req).query()
            .filter(\.$receivedOn >= from.iso).filter(\.$receivedOn <= to.iso).with(\.$category).all()
        let unitNames = Dictionary(try await OrgUnit.query(on: req.db).all().compactMap { u in u.id.map { ($0.uuidString, u.shortName ?? u.name) } },
                                   uniquingKeysWith: { a, _ in a })
        let records = appeals.compactMap { appeal -> AppealVolumeRecord? in
            guard let type = AppealType(rawValue: appeal.type), let channel = AppealChannel(rawValue: appeal.channel),
                  let received = CivilDate(iso: appeal.receivedOn) else { return nil }
            return AppealVolumeRecord(type: type, category: appeal.category?.name ?? "其他", unitID: appeal.leadUnitID?.uuidString,
                                      channel: channel, receivedOn: received)
        }
        let volume = AppealVolume.tally(records)
        func bars(_ counts: [(String, Int)]) -> [SVGChart.Bar] {
            counts.map { SVGChart.Bar(label: $0.0, value: Double($0.1), valueLabel: "\($0.1)") }
        }
        let months = ReportPeriod.periods(from: from, through: to).suffix(12)
        let monthChart = SVGChart.columns(months.map { period in
            let count = volume.byMonth[period.key] ?? 0
            return SVGChart.Bar(label: "\(period.month)月", value: Double(count), valueLabel: "\(count)")
        }, title: "各月受理量")
        let typeChart = SVGChart.horizontalBars(bars(AppealType.allCases.map { ($0.label, volume.byType[$0] ?? 0) }), title: "按类型")
        let categoryChart = SVGChart.horizontalBars(bars(volume.byCategory.sorted { $0.value > $1.value }.prefix(12).map { ($0.key, $0.value) }),
                                                    title: "按领域（前 12）")
        let channelChart = SVGChart.horizontalBars(bars(AppealChannel.allCases.map { ($0.label, volume.byChannel[$0] ?? 0) }), title: "按渠道")

        let settings = try await AppealSettings.load(on: req.db)
        let calendar = try await CalendarService(db: req.db).calendar()
        let facts = appeals.map { appeal in
            AppealRecordFacts(
                number: appeal.number, leadUnitID: appeal.leadUnitID?.uuidString,
                dispatches: appeal.leadUnitID.flatMap { unit in appeal.dispatchedOn.flatMap(CivilDate.init(iso:)).map {
                    [AppealDispatchFact(unitID: unit.uuidString, dispatchedOn: $0, signedOn: appeal.signedOn.flatMap(CivilDate.init(iso:)))]
                } } ?? [],
                outcome: appeal.outcome.flatMap(AppealOutcome.init(rawValue:)),
                satisfaction: appeal.satisfaction.flatMap(AppealSatisfaction.init(rawValue:)))
        }
        let rates = AppealRates.compute(facts, limits: settings.limits, calendar: calendar).map {
            RateRow(unit: unitNames[$0.unitID] ?? $0.unitID, response: $0.response.percentText, resolution: $0.resolution.percentText,
                    satisfaction: $0.satisfaction.percentText,
                    detail: [$0.response.explanation, $0.resolution.explanation, $0.satisfaction.explanation].joined(separator: "；"))
        }
        let lastMonth = ReportPeriod(containing: to)
        let report = AppealHotTopics.report(appeals.compactMap { appeal in
            CivilDate(iso: appeal.receivedOn).map { AppealTopicRecord(receivedOn: $0, category: appeal.category?.name ?? "其他", title: appeal.title) }
        }, month: lastMonth)
        return try await req.page("appeals/analysis", title: "诉求分析", PageView(
            total: volume.total, from: from.iso, to: to.iso, monthChart: monthChart, typeChart: typeChart,
            categoryChart: categoryChart, channelChart: channelChart, rates: rates, hotMonth: lastMonth.label,
            hotCategories: report.categories.map(\.label), hotTerms: report.terms.map(\.label)))
    }
}
