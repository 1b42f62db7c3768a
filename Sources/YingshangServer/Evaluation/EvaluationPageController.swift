import Fluent
import Vapor
import YingshangCore

/// The evaluation's dashboards, live from approved data: the ranking of places, a place's scorecard, an
/// indicator's trend and ranking, and two places side by side. Every score shows its calculation.
struct EvaluationPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let evaluation = routes.grouped("evaluation")
        evaluation.get(use: index)
        evaluation.get("places", ":id", use: place)
        evaluation.get("indicators", ":code", use: indicator)
        evaluation.get("compare", use: compare)
    }

    struct RankingRow: Encodable {
        let placeID: UUID
        let name, total, rank, percentile, change: String
        let met, near, missed: Int
    }
    struct IndexView: Encodable {
        let period, periodLabel: String
        let periods: [FormOption]
        let problems: [String]
        let rows: [RankingRow]
        let chart: String
        let areas: [AreaLink]
        let isOffice: Bool
        let hasIndicators: Bool
    }
    struct AreaLink: Encodable { let code, name: String }

    func index(req: Request) async throws -> View {
        let principal = try req.require(.readEvaluation)
        let context = try await EvaluationContext.load(req)
        let scores = context.scores, t = context.t
        var rows: [RankingRow] = []
        if let result = context.result {
            let count = result.totalRankedCount(period: t)
            for (p, place) in scores.places.enumerated() {
                var statuses: [IndicatorTarget.Status] = []
                for i in scores.system.indicators.indices { if let s = context.status(place: p, indicator: i) { statuses.append(s) } }
                let rank = result.totalRank(period: t, place: p)
                rows.append(RankingRow(placeID: place.id, name: place.name, total: EvaluationFormat.score(result.total(period: t, place: p)),
                                       rank: EvaluationFormat.rank(rank, of: count),
                                       percentile: rank.map { String(format: "%.0f", EvaluationResult.percentile(rank: $0, of: count)) } ?? "—",
                                       change: EvaluationFormat.change(result.totalImprovement(period: t, place: p)),
                                       met: statuses.count { $0 == .met }, near: statuses.count { $0 == .near },
                                       missed: statuses.count { $0 == .missed }))
            }
            rows.sort { a, b in
                let ra = result.totalRank(period: t, place: scores.placeIndex(a.placeID)!) ?? .max
                let rb = result.totalRank(period: t, place: scores.placeIndex(b.placeID)!) ?? .max
                return ra != rb ? ra < rb : a.name < b.name
            }
        }
        let bars = rows.compactMap { row -> SVGChart.Bar? in
            guard let value = Double(row.total) else { return nil }
            return SVGChart.Bar(label: row.name, value: value, valueLabel: row.total)
        }
        return try await req.page("evaluation/index", title: "营商环境监测评价", IndexView(
            period: context.period.code, periodLabel: context.period.label, periods: context.periodOptions,
            problems: scores.problems, rows: rows,
            chart: bars.isEmpty ? "" : SVGChart.horizontalBars(bars, maximum: 100, title: "\(context.period.label)综合得分"),
            areas: scores.system.children(of: nil).map { AreaLink(code: $0.code, name: $0.name) },
            isOffice: principal.role.may(.runEvaluation), hasIndicators: !scores.system.indicators.isEmpty))
    }

    /// One line of a scorecard: an indicator of one place in the period.
    struct ScoreLine: Encodable {
        let code, name, unit, value, score, rank, change, target, status, statusClass, trend: String
        let depth: Int
        let calculation: [String]
        let rectification: RectificationLink?
        let canRectify: Bool
    }
    struct RectificationLink: Encodable { let taskID: UUID; let title, status: String }
    struct PlaceView: Encodable {
        let placeID: UUID
        let name, period, periodLabel, total, rank, change: String
        let periods: [FormOption]
        let lines: [ScoreLine]
        let chart: String
        let isOffice: Bool
    }

    func place(req: Request) async throws -> View {
        let principal = try req.require(.readEvaluation)
        let context = try await EvaluationContext.load(req)
        guard let id = req.parameters.get("id", as: UUID.self), let p = context.scores.placeIndex(id) else { throw APIError.notFound }
        let lines = try await scoreLines(context, place: p, isOffice: principal.role.may(.runEvaluation), on: req.db)
        let result = context.result, t = context.t, place = context.scores.places[p]
        let bars = context.scores.system.children(of: nil).compactMap { area -> SVGChart.Bar? in
            guard let i = context.scores.indicatorIndex(area.code), let s = result?.score(period: t, place: p, indicator: i) else { return nil }
            return SVGChart.Bar(label: area.name, value: s, valueLabel: EvaluationFormat.score(s))
        }
        return try await req.page("evaluation/place", title: "\(place.name)评价结果", PlaceView(
            placeID: place.id, name: place.name, period: context.period.code, periodLabel: context.period.label,
            total: EvaluationFormat.score(result?.total(period: t, place: p)),
            rank: EvaluationFormat.rank(result?.totalRank(period: t, place: p), of: result?.totalRankedCount(period: t) ?? 0),
            change: EvaluationFormat.change(result?.totalImprovement(period: t, place: p)), periods: context.periodOptions,
            lines: lines, chart: bars.isEmpty ? "" : SVGChart.horizontalBars(bars, maximum: 100, title: "\(place.name)各领域得分"),
            isOffice: principal.role.may(.runEvaluation)))
    }

    /// The scorecard lines of a place, in tree order, with open rectifications linked.
    func scoreLines(_ context: EvaluationContext, place p: Int, isOffice: Bool, on db: any Database) async throws -> [ScoreLine] {
        let scores = context.scores, t = context.t, result = context.result
        let placeID = scores.places[p].id
        let rectifications = try await RectificationRecord.query(on: db).filter(\.$place.$id == placeID)
            .filter(\.$period == context.period.code).with(\.$task).all()
        return scores.system.outline.compactMap { indicator, depth in
            guard let i = scores.indicatorIndex(indicator.code) else { return nil }
            let target = scores.target(code: indicator.code, place: p)
            let status = context.status(place: p, indicator: i)
            let count = result?.rankedCount(period: t, indicator: i) ?? 0
            let link = rectifications.first { $0.indicatorCode == indicator.code }.map {
                RectificationLink(taskID: $0.$task.id, title: $0.task.title, status: $0.task.taskStatus.label)
            }
            let isLeaf = scores.system.children(of: indicator.code).isEmpty
            return ScoreLine(code: indicator.code, name: indicator.name, unit: indicator.unit,
                             value: EvaluationFormat.value(result?.value(period: t, place: p, indicator: i)),
                             score: EvaluationFormat.score(result?.score(period: t, place: p, indicator: i)),
                             rank: EvaluationFormat.rank(result?.rank(period: t, place: p, indicator: i), of: count),
                             change: EvaluationFormat.change(result?.improvement(period: t, place: p, indicator: i)),
                             target: target.map { $0.label(unit: indicator.unit) } ?? "", status: status?.label ?? "",
                             statusClass: status.map { "status-\($0.rawValue)" } ?? "", trend: context.trend(place: p, indicator: i).label,
                             depth: depth, calculation: result?.calculation(period: t, place: p, indicator: i) ?? [],
                             rectification: link,
                             canRectify: isOffice && isLeaf && link == nil && result?.value(period: t, place: p, indicator: i) != nil)
        }
    }

    struct PlaceRow: Encodable {
        let placeID: UUID
        let name, value, score, rank, change, status, statusClass, trend: String
        let calculation: [String]
    }
    struct IndicatorView: Encodable {
        let code, name, unit, direction, source, responsible, formula, period, periodLabel, target: String
        let periods: [FormOption]
        let rows: [PlaceRow]
        let chart: String
    }

    func indicator(req: Request) async throws -> View {
        try req.require(.readEvaluation)
        let context = try await EvaluationContext.load(req)
        let scores = context.scores, t = context.t
        guard let code = req.parameters.get("code"), let i = scores.indicatorIndex(code) else { throw APIError.notFound }
        let indicator = scores.system.indicators[i]
        let result = context.result
        let count = result?.rankedCount(period: t, indicator: i) ?? 0
        let order = scores.places.indices.sorted {
            (result?.rank(period: t, place: $0, indicator: i) ?? .max, scores.places[$0].name) < (result?.rank(period: t, place: $1, indicator: i) ?? .max, scores.places[$1].name)
        }
        let rows = order.map { p in
            let place = scores.places[p]
            let status = context.status(place: p, indicator: i)
            return PlaceRow(placeID: place.id, name: place.name,
                            value: EvaluationFormat.value(result?.value(period: t, place: p, indicator: i), unit: indicator.unit),
                            score: EvaluationFormat.score(result?.score(period: t, place: p, indicator: i)),
                            rank: EvaluationFormat.rank(result?.rank(period: t, place: p, indicator: i), of: count),
                            change: EvaluationFormat.change(result?.improvement(period: t, place: p, indicator: i)),
                            status: status?.label ?? "", statusClass: status.map { "status-\($0.rawValue)" } ?? "",
                            trend: context.trend(place: p, indicator: i).label,
                            calculation: result?.calculation(period: t, place: p, indicator: i) ?? [])
        }
        // The trend over this year and the one before, for the places in the top and bottom of the ranking.
        let earlier = try await req.application.evaluationBoard.scores(year: context.period.year - 1, on: req.db)
        let labels = (earlier.shownPeriods + scores.shownPeriods).map(\.shortLabel)
        let chosen = rows.prefix(3).map(\.placeID) + rows.filter { $0.rank != "—" }.suffix(2).map(\.placeID)
        var seen: Set<UUID> = []
        let series = chosen.filter { seen.insert($0).inserted }.compactMap { id -> SVGChart.Series? in
            guard let p = scores.placeIndex(id) else { return nil }
            let before = earlier.indicatorIndex(code).map { ei in earlier.periods.indices.dropFirst().map { earlier.result?.value(period: $0, place: p, indicator: ei) } }
                ?? Array(repeating: nil, count: earlier.shownPeriods.count)
            return SVGChart.Series(name: scores.places[p].name, values: before + context.series(place: p, indicator: i))
        }
        let target = scores.targets[code]?[nil] ?? nil
        return try await req.page("evaluation/indicator", title: indicator.name, IndicatorView(
            code: code, name: indicator.name, unit: indicator.unit, direction: indicator.direction.label,
            source: indicator.dataSource, responsible: indicator.responsibleUnitID.flatMap(UUID.init(uuidString:)).flatMap { scores.unitNames[$0] } ?? "",
            formula: indicator.formula ?? "", period: context.period.code, periodLabel: context.period.label,
            target: target?.label(unit: indicator.unit) ?? "", periods: context.periodOptions, rows: rows,
            chart: series.isEmpty ? "" : SVGChart.lines(series, labels: labels, reference: target.map { ($0.value, "目标 \($0.label(unit: indicator.unit))") },
                                                        title: "\(indicator.name)趋势")))
    }

    struct CompareLine: Encodable {
        let name, a, b, scoreA, scoreB: String
        let depth: Int
        let better: String
    }
    struct CompareView: Encodable {
        let a, b: String
        let nameA, nameB, totalA, totalB, period, periodLabel: String
        let places: [FormOption]
        let placesB: [FormOption]
        let periods: [FormOption]
        let lines: [CompareLine]
        let chart: String
    }

    func compare(req: Request) async throws -> View {
        try req.require(.readEvaluation)
        let context = try await EvaluationContext.load(req)
        let scores = context.scores, t = context.t, result = context.result
        guard scores.places.count >= 2 else { throw APIError.badRequest("评价范围内不足两个地区") }
        func pick(_ key: String, _ fallback: Int) -> Int {
            (try? req.query.get(UUID.self, at: key)).flatMap(scores.placeIndex) ?? fallback
        }
        let a = pick("a", 0), b = pick("b", 1)
        let lines = scores.system.outline.compactMap { indicator, depth -> CompareLine? in
            guard let i = scores.indicatorIndex(indicator.code), !indicator.isDataElement else { return nil }
            let sa = result?.score(period: t, place: a, indicator: i), sb = result?.score(period: t, place: b, indicator: i)
            let better = sa != nil && sb != nil ? (sa! > sb! ? "a" : sb! > sa! ? "b" : "") : ""
            return CompareLine(name: indicator.name,
                               a: EvaluationFormat.value(result?.value(period: t, place: a, indicator: i), unit: indicator.unit),
                               b: EvaluationFormat.value(result?.value(period: t, place: b, indicator: i), unit: indicator.unit),
                               scoreA: EvaluationFormat.score(sa), scoreB: EvaluationFormat.score(sb), depth: depth, better: better)
        }
        let areaLabels = scores.system.children(of: nil).map(\.name)
        let series = [a, b].map { p in
            SVGChart.Series(name: scores.places[p].name, values: scores.system.children(of: nil).map { area in
                scores.indicatorIndex(area.code).flatMap { result?.score(period: t, place: p, indicator: $0) }
            })
        }
        func options(_ selected: Int) -> [FormOption] {
            scores.places.enumerated().map { FormOption(value: $1.id.uuidString, label: $1.name, selected: $0 == selected) }
        }
        return try await req.page("evaluation/compare", title: "地区对比", CompareView(
            a: scores.places[a].id.uuidString, b: scores.places[b].id.uuidString, nameA: scores.places[a].name, nameB: scores.places[b].name,
            totalA: EvaluationFormat.score(result?.total(period: t, place: a)), totalB: EvaluationFormat.score(result?.total(period: t, place: b)),
            period: context.period.code, periodLabel: context.period.label, places: options(a), placesB: options(b),
            periods: context.periodOptions, lines: lines,
            chart: areaLabels.isEmpty ? "" : SVGChart.lines(series, labels: areaLabels.map { String($0.prefix(4)) }, title: "各领域得分对比")))
    }
}
