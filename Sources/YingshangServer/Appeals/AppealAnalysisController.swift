import Fluent
import Vapor
import YingshangCore

/// Analysis of the appeals line (共性问题): volumes, rates per unit and rising topics, drawn on the server.
/// Personal data never appears here, so invited supervisors read it as it is.
struct AppealAnalysisController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("appeals", "analysis", use: page)
        routes.get("appeals", "report", use: report)
        routes.get("appeals", "report.xlsx", use: reportXLSX)
    }

    struct RateRow: Encodable { let unit: String, response: String, resolution: String, satisfaction: String, detail: String }
    struct PageView: Encodable {
        let total: Int, from: String, to: String
        let monthChart: String, typeChart: String, categoryChart: String, channelChart: String
        let rates: [RateRow]
        let hotMonth: String
        let hotCategories: [String], hotTerms: [String]
    }

    /// The figures of appeals received between two dates, within what the user may see.
    struct Statistics {
        let from: CivilDate, to: CivilDate
        let volume: AppealVolume
        let rates: [RateRow]
        let hot: AppealHotTopicReport
    }

    /// The office, leaders and supervisors read the kept statistics of all appeals; a department's figures are
    /// computed from its own appeals.
    func statistics(_ req: Request, from: CivilDate, to: CivilDate) async throws -> Statistics {
        let access = AppealAccess(request: req)
        _ = try access.reader()
        let categoryNames = try await AppealCategory.namesByID(on: req.db)
        let month = ReportPeriod(containing: to)
        let rows: [AppealStatRow]
        let hot: AppealHotTopicReport
        if try await req.orgUnitScope().allowedUnitIDs == nil {
            rows = try await AppealStatisticsStore.monthlyRows(from: from, to: to, on: req.db)
            hot = try await AppealHotTopicsCache.report(month: month, categoryNames: categoryNames, on: req.db)
        } else {
            let appeals = try await access.query().filter(\.$receivedOn >= from.iso).filter(\.$receivedOn <= to.iso).all()
            rows = AppealStatistics.rows(of: AppealStatisticsStore.facts(of: appeals))
            hot = try await AppealHotTopicsCache.compute(month: month, query: try await access.query(), categoryNames: categoryNames)
        }
        let (volume, units) = AppealStatistics.summary(rows, categoryNames: categoryNames)
        let unitNames = try await OrgUnitDirectory.names(on: req.db, short: true)
        let rates = units.map(AppealRates.init(facts:)).map {
            RateRow(unit: UUID(uuidString: $0.unitID).flatMap { unitNames[$0] } ?? $0.unitID, response: $0.response.percentText,
                    resolution: $0.resolution.percentText, satisfaction: $0.satisfaction.percentText,
                    detail: [$0.response.explanation, $0.resolution.explanation, $0.satisfaction.explanation].joined(separator: "；"))
        }
        return Statistics(from: from, to: to, volume: volume, rates: rates, hot: hot)
    }

    static func bars(_ counts: [(String, Int)]) -> [SVGChart.Bar] {
        counts.map { SVGChart.Bar(label: $0.0, value: Double($0.1), valueLabel: "\($0.1)") }
    }

    func page(req: Request) async throws -> View {
        _ = try AppealAccess(request: req).reader()
        let today = Today.civil()
        let from = req.query[String.self, at: "from"].flatMap(CivilDate.init(iso:)) ?? today.adding(days: -365)
        let to = req.query[String.self, at: "to"].flatMap(CivilDate.init(iso:)) ?? today
        let stats = try await statistics(req, from: from, to: to)
        let volume = stats.volume
        let months = ReportPeriod.periods(from: from, through: to).suffix(12)
        let monthChart = SVGChart.columns(months.map { period in
            let count = volume.byMonth[period.key] ?? 0
            return SVGChart.Bar(label: "\(period.month)月", value: Double(count), valueLabel: "\(count)")
        }, title: "各月受理量")
        return try await req.page("appeals/analysis", title: "诉求分析", PageView(
            total: volume.total, from: from.iso, to: to.iso, monthChart: monthChart,
            typeChart: SVGChart.horizontalBars(Self.bars(AppealType.allCases.map { ($0.label, volume.byType[$0] ?? 0) }), title: "按类型"),
            categoryChart: SVGChart.horizontalBars(Self.bars(volume.byCategory.sorted { $0.value > $1.value }.prefix(12).map { ($0.key, $0.value) }),
                                                   title: "按领域（前 12）"),
            channelChart: SVGChart.horizontalBars(Self.bars(AppealChannel.allCases.map { ($0.label, volume.byChannel[$0] ?? 0) }), title: "按渠道"),
            rates: stats.rates, hotMonth: ReportPeriod(containing: to).label,
            hotCategories: stats.hot.categories.map(\.label), hotTerms: stats.hot.terms.map(\.label)))
    }

    // MARK: The monthly analysis report (printable and XLSX)

    func month(_ req: Request) throws -> ReportPeriod {
        if let raw = req.query[String.self, at: "month"], !raw.isEmpty {
            guard let period = ReportPeriod(key: raw) else { throw APIError.validation(["month": "月份格式应为 YYYY-MM"]) }
            return period
        }
        return ReportPeriod(containing: Today.civil()).previous
    }

    struct ReportView: Encodable {
        let month: String, monthKey: String, total: Int
        let byType: [String], byCategory: [String], byChannel: [String]
        let rates: [RateRow]
        let hot: [String]
        let chart: String
    }

    func report(req: Request) async throws -> View {
        _ = try AppealAccess(request: req).reader()
        let period = try month(req)
        let stats = try await statistics(req, from: period.start, to: period.end)
        let volume = stats.volume
        return try await req.page("appeals/report", title: "\(period.label)营商环境诉求分析报告", ReportView(
            month: period.label, monthKey: period.key, total: volume.total,
            byType: AppealType.allCases.map { "\($0.label) \(volume.byType[$0] ?? 0) 件" },
            byCategory: volume.byCategory.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value) 件" },
            byChannel: AppealChannel.allCases.compactMap { channel in volume.byChannel[channel].map { "\(channel.label) \($0) 件" } },
            rates: stats.rates, hot: stats.hot.categories.map(\.label) + stats.hot.terms.map(\.label),
            chart: SVGChart.horizontalBars(Self.bars(volume.byCategory.sorted { $0.value > $1.value }.prefix(10).map { ($0.key, $0.value) }),
                                           title: "按领域")))
    }

    func reportXLSX(req: Request) async throws -> Response {
        _ = try AppealAccess(request: req).reader()
        let period = try month(req)
        let stats = try await statistics(req, from: period.start, to: period.end)
        var workbook = XLSXWorkbook()
        workbook.addSheet(name: "受理量", rows: [[.text("分类"), .text("项目"), .text("件数")]]
            + AppealType.allCases.map { [.text("类型"), .text($0.label), .integer(stats.volume.byType[$0] ?? 0)] }
            + stats.volume.byCategory.sorted { $0.value > $1.value }.map { [.text("领域"), .text($0.key), .integer($0.value)] }
            + AppealChannel.allCases.map { [.text("渠道"), .text($0.label), .integer(stats.volume.byChannel[$0] ?? 0)] },
            columnWidths: [10, 30, 10])
        workbook.addSheet(name: "承办单位", rows: [["单位", "响应率", "解决率", "满意率", "计算"].map(XLSXCell.text)]
            + stats.rates.map { [.text($0.unit), .text($0.response), .text($0.resolution), .text($0.satisfaction), .text($0.detail)] },
            columnWidths: [24, 10, 10, 10, 90])
        workbook.addSheet(name: "共性问题", rows: [[.text("\(period.label)上升的领域和话题")]] + (stats.hot.categories + stats.hot.terms).map { [.text($0.label)] },
                          columnWidths: [90])
        return try .xlsx(workbook, filename: "\(period.label)营商环境诉求分析报告.xlsx")
    }
}
