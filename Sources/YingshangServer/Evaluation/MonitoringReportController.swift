import Fluent
import Vapor
import YingshangCore

/// The quarterly monitoring report (季度监测报告): a printable A4 page and the same content as XLSX.
struct MonitoringReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("evaluation", "report", use: page)
        routes.get("evaluation", "report", "xlsx", use: workbook)
    }

    struct RankRow: Encodable { let rank, place, total, change: String }
    struct AreaRow: Encodable { let name, average, best, worst: String }
    struct MissRow: Encodable { let place, indicator, value, target, status: String }
    struct Report: Encodable {
        let title, period, generated: String
        let summary: [String]
        let ranking: [RankRow]
        let areas: [AreaRow]
        let misses: [MissRow]
        let rectifications: [String]
        let chart: String
    }

    func build(_ req: Request) async throws -> (Report, EvaluationContext) {
        try req.require(.readEvaluation)
        let context = try await EvaluationContext.load(req)
        let scores = context.scores, t = context.t
        guard let result = context.result else { throw APIError.badRequest("该年度指标体系尚不能计分，无法生成报告") }
        let count = result.totalRankedCount(period: t)
        let ranked = scores.places.indices.compactMap { p in result.totalRank(period: t, place: p).map { (p, $0) } }.sorted { $0.1 < $1.1 }
        let ranking = ranked.map { p, rank in
            RankRow(rank: "\(rank)", place: scores.places[p].name, total: EvaluationFormat.score(result.total(period: t, place: p)),
                    change: EvaluationFormat.change(result.totalImprovement(period: t, place: p)))
        }
        let areas = scores.system.children(of: nil).compactMap { area -> AreaRow? in
            guard let i = scores.indicatorIndex(area.code) else { return nil }
            let values = scores.places.indices.compactMap { p in result.score(period: t, place: p, indicator: i).map { (p, $0) } }
            guard !values.isEmpty else { return nil }
            let best = values.max { $0.1 < $1.1 }!, worst = values.min { $0.1 < $1.1 }!
            return AreaRow(name: area.name, average: EvaluationFormat.score(values.reduce(0) { $0 + $1.1 } / Double(values.count)),
                           best: "\(scores.places[best.0].name) \(EvaluationFormat.score(best.1))",
                           worst: "\(scores.places[worst.0].name) \(EvaluationFormat.score(worst.1))")
        }
        var misses: [MissRow] = [], statusCounts: [IndicatorTarget.Status: Int] = [:]
        for (p, place) in scores.places.enumerated() {
            for (i, indicator) in scores.system.indicators.enumerated() {
                guard let status = context.status(place: p, indicator: i) else { continue }
                statusCounts[status, default: 0] += 1
                guard status != .met, let target = scores.target(code: indicator.code, place: p) else { continue }
                misses.append(MissRow(place: place.name, indicator: indicator.name,
                                      value: EvaluationFormat.value(result.value(period: t, place: p, indicator: i), unit: indicator.unit),
                                      target: target.label(unit: indicator.unit), status: status.label))
            }
        }
        let rectifications = try await RectificationRecord.query(on: req.db).filter(\.$period == context.period.code).with(\.$task).with(\.$place).all()
        var summary = ["参评地区 \(scores.places.count) 个，已有综合得分 \(count) 个；指标 \(scores.system.indicators.filter { !$0.isDataElement }.count) 项（按已审核数据计分）。"]
        if let first = ranking.first, let last = ranking.last {
            summary.append("综合得分最高为\(first.place)（\(first.total)分），最低为\(last.place)（\(last.total)分）。")
        }
        let improvers = scores.places.indices.compactMap { p in result.totalImprovement(period: t, place: p).map { (p, $0) } }.sorted { $0.1 > $1.1 }
        if let top = improvers.first, top.1 > 0 {
            summary.append("较上期提升最多的是\(scores.places[top.0].name)（\(EvaluationFormat.change(top.1))分）。")
        }
        if !statusCounts.isEmpty {
            summary.append("目标达成：达标 \(statusCounts[.met, default: 0]) 项，接近 \(statusCounts[.near, default: 0]) 项，未达标 \(statusCounts[.missed, default: 0]) 项；本期开具整改任务 \(rectifications.count) 项。")
        }
        let bars = ranking.compactMap { row in Double(row.total).map { SVGChart.Bar(label: row.place, value: $0, valueLabel: row.total) } }
        let report = Report(
            title: "\(context.period.label)营商环境监测报告", period: context.period.code, generated: DisplayDate.minute(Date()),
            summary: summary, ranking: ranking, areas: areas, misses: misses,
            rectifications: rectifications.map { "\($0.task.title)：\($0.reason)（\($0.task.taskStatus.label)）" },
            chart: bars.isEmpty ? "" : SVGChart.horizontalBars(bars, maximum: 100, title: "综合得分"))
        return (report, context)
    }

    func page(req: Request) async throws -> View {
        try await req.view.render("evaluation/report", try await build(req).0)
    }

    func workbook(req: Request) async throws -> Response {
        let (report, context) = try await build(req)
        let scores = context.scores, t = context.t
        var book = XLSXWorkbook()
        book.addSheet(name: "综合排名", rows: [["排名", "地区", "综合得分", "较上期"].map(XLSXCell.text)]
            + report.ranking.map { [.text($0.rank), .text($0.place), Double($0.total).map(XLSXCell.number) ?? .text($0.total), .text($0.change)] })
        var detail: [[XLSXCell]] = [["地区", "指标编码", "指标", "单位", "数值", "得分", "排名", "目标", "状态"].map(XLSXCell.text)]
        if let result = context.result {
            for (p, place) in scores.places.enumerated() {
                for (i, indicator) in scores.system.indicators.enumerated() where !indicator.isDataElement {
                    let count = result.rankedCount(period: t, indicator: i)
                    detail.append([.text(place.name), .text(indicator.code), .text(indicator.name), .text(indicator.unit),
                                   result.value(period: t, place: p, indicator: i).map(XLSXCell.number) ?? .empty,
                                   result.score(period: t, place: p, indicator: i).map { XLSXCell.number(($0 * 100).rounded() / 100) } ?? .empty,
                                   .text(EvaluationFormat.rank(result.rank(period: t, place: p, indicator: i), of: count)),
                                   .text(scores.target(code: indicator.code, place: p)?.label(unit: indicator.unit) ?? ""),
                                   .text(context.status(place: p, indicator: i)?.label ?? "")])
                }
            }
        }
        book.addSheet(name: "指标得分", rows: detail)
        book.addSheet(name: "领域得分", rows: [["领域", "平均得分", "最高", "最低"].map(XLSXCell.text)]
            + report.areas.map { [.text($0.name), .text($0.average), .text($0.best), .text($0.worst)] })
        book.addSheet(name: "未达标与接近", rows: [["地区", "指标", "数值", "目标", "状态"].map(XLSXCell.text)]
            + report.misses.map { [.text($0.place), .text($0.indicator), .text($0.value), .text($0.target), .text($0.status)] })
        book.addSheet(name: "整改任务", rows: [[XLSXCell.text("整改任务")]] + report.rectifications.map { [XLSXCell.text($0)] })
        return try Response.xlsx(book, filename: "\(report.title).xlsx")
    }
}
