import Fluent
import Vapor
import YingshangCore

/// `/api/v1/evaluation/ranking` (the places of a period by overall score) and `/api/v1/evaluation/places/{id}`
/// (a place's scorecard with each calculation), live from approved data, for staff.
struct EvaluationAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("evaluation", "ranking", use: ranking)
        routes.get("evaluation", "places", ":id", use: scorecard)
    }

    struct RankingDTO: Content {
        struct Place: Content {
            let placeID: UUID
            let name: String
            let total: Double?
            let rank: Int?
            let change: Double?
            enum CodingKeys: String, CodingKey { case placeID = "place_id", name, total, rank, change }
        }
        let period, periodLabel: String
        let ranked: Int
        let places: [Place]
        enum CodingKeys: String, CodingKey { case period, periodLabel = "period_label", ranked, places }
    }

    func ranking(req: Request) async throws -> RankingDTO {
        try req.require(.readEvaluation)
        let context = try await EvaluationContext.load(req)
        let result = context.result, t = context.t
        let places = context.scores.places.enumerated().map { p, place in
            RankingDTO.Place(placeID: place.id, name: place.name, total: result?.total(period: t, place: p),
                             rank: result?.totalRank(period: t, place: p), change: result?.totalImprovement(period: t, place: p))
        }.sorted { ($0.rank ?? .max, $0.name) < ($1.rank ?? .max, $1.name) }
        return RankingDTO(period: context.period.code, periodLabel: context.period.label,
                          ranked: result?.totalRankedCount(period: t) ?? 0, places: places)
    }

    struct ScorecardDTO: Content {
        struct Line: Content {
            let code, name, unit: String
            let value, score: Double?
            let rank: Int?
            let target, status: String?
            let calculation: [String]
        }
        let placeID: UUID
        let name, period: String
        let total: Double?
        let rank: Int?
        let indicators: [Line]
        enum CodingKeys: String, CodingKey { case placeID = "place_id", name, period, total, rank, indicators }
    }

    func scorecard(req: Request) async throws -> ScorecardDTO {
        try req.require(.readEvaluation)
        let context = try await EvaluationContext.load(req)
        let scores = context.scores, t = context.t, result = context.result
        guard let id = req.parameters.get("id", as: UUID.self), let p = scores.placeIndex(id) else { throw APIError.notFound }
        return ScorecardDTO(
            placeID: id, name: scores.places[p].name, period: context.period.code, total: result?.total(period: t, place: p),
            rank: result?.totalRank(period: t, place: p),
            indicators: scores.system.outline.map { indicator, _ in
                let i = scores.indicatorIndex(indicator.code)!
                return ScorecardDTO.Line(code: indicator.code, name: indicator.name, unit: indicator.unit,
                                         value: result?.value(period: t, place: p, indicator: i), score: result?.score(period: t, place: p, indicator: i),
                                         rank: result?.rank(period: t, place: p, indicator: i),
                                         target: scores.target(code: indicator.code, place: p)?.label(unit: indicator.unit),
                                         status: context.status(place: p, indicator: i)?.label,
                                         calculation: result?.calculation(period: t, place: p, indicator: i) ?? [])
            })
    }
}
