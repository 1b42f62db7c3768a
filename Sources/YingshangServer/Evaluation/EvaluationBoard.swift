import Fluent
import SQLKit
import Vapor
import YingshangCore

/// A year's live results: the indicator system, the places, the approved values (and survey indices) scored by the
/// core engine. Period 0 is the last period of the year before, scored with this year's system, so the first
/// period's improvement (改善幅度) has something to compare with; pages show periods 1….
struct YearScores: Sendable {
    let year: Int
    let system: IndicatorSystem
    let problems: [String]
    let places: [EvaluationPlace]
    /// The context period first, then the year's periods.
    let periods: [EvaluationPeriod]
    let result: EvaluationResult?
    /// Targets by indicator code: per place id, and the one for every place under nil.
    let targets: [String: [UUID?: IndicatorTarget]]
    let unitNames: [UUID: String]
    private let placeIndexes: [UUID: Int]
    private let indicatorIndexes: [String: Int]

    init(year: Int, system: IndicatorSystem, problems: [String], places: [EvaluationPlace], periods: [EvaluationPeriod],
         result: EvaluationResult?, targets: [String: [UUID?: IndicatorTarget]], unitNames: [UUID: String]) {
        self.year = year
        self.system = system
        self.problems = problems
        self.places = places
        self.periods = periods
        self.result = result
        self.targets = targets
        self.unitNames = unitNames
        placeIndexes = Dictionary(places.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        indicatorIndexes = Dictionary(system.indicators.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    var shownPeriods: ArraySlice<EvaluationPeriod> { periods.dropFirst() }

    func placeIndex(_ id: UUID) -> Int? { placeIndexes[id] }
    /// The index of a shown period in the result (1…; 0 is the context period).
    func periodIndex(_ period: EvaluationPeriod) -> Int? { periods.dropFirst().firstIndex(of: period) }
    func indicatorIndex(_ code: String) -> Int? { indicatorIndexes[code] }

    func target(code: String, place: Int) -> IndicatorTarget? {
        guard let byPlace = targets[code] else { return nil }
        return byPlace[places[place].id] ?? byPlace[nil] ?? nil
    }

    func hasData(at t: Int) -> Bool { (0..<places.count).contains { result?.total(period: t, place: $0) != nil } }
    var hasAnyData: Bool { periods.indices.dropFirst().contains(where: hasData) }

    /// Where pages open: the latest shown period in which at least half the places have an overall score (a few
    /// survey answers early in a quarter do not make it the current one), else the latest with any, else the first.
    var latestPeriod: EvaluationPeriod {
        let shown = periods.indices.dropFirst()
        let half = max(1, places.count / 2)
        let full = shown.last { t in (0..<places.count).count { result?.total(period: t, place: $0) != nil } >= half }
        return (full ?? shown.last(where: hasData)).map { periods[$0] } ?? periods[1]
    }
}

/// Keeps each year's ``YearScores`` in memory and recomputes it when ``EvaluationRevision`` moves (any process's
/// change bumps it in the same transaction), so every page shows live numbers with no regeneration step. The stored
/// values are kept too and caught up by `updated_at`, so a change re-reads only the rows that changed (an approval
/// none) before the engine rescores the year.
actor EvaluationBoard {
    private struct Entry {
        var revision: String
        var scores: YearScores
        var values: ValueCache
    }
    private var cache: [Int: Entry] = [:]

    func scores(year: Int, on db: any Database) async throws -> YearScores {
        let revision = try await EvaluationRevision.current(on: db)
        if let cached = cache[year], cached.revision == revision { return cached.scores }
        var values = cache[year]?.values ?? ValueCache(years: [year - 1, year])
        try await values.catchUp(on: db)
        let scores = try await Self.load(year: year, values: values, on: db)
        cache[year] = Entry(revision: revision, scores: scores, values: values)
        return scores
    }

    static func system(year: Int, on db: any Database) async throws -> IndicatorSystem {
        let records = try await IndicatorRecord.query(on: db).filter(\.$year == year).sort(\.$position).all()
        return IndicatorSystem(year: year, indicators: records.map(\.definition))
    }

    private static func load(year: Int, values: ValueCache, on db: any Database) async throws -> YearScores {
        let settings = try await EvaluationSettings.load(on: db)
        let system = try await system(year: year, on: db)
        let places = try await EvaluationPlace.all(on: db)
        let ofYear = EvaluationPeriod.all(settings.periodKind, in: year)
        let periods = [ofYear[0].previous] + ofYear
        let targets = try await TargetRecord.query(on: db).filter(\.$year == year).all()
        var targetMap: [String: [UUID?: IndicatorTarget]] = [:]
        for record in targets {
            targetMap[record.indicatorCode, default: [:]][record.$place.id] = record.target(nearShare: settings.nearShare)
        }
        let unitNames = try await OrgUnitDirectory.names(on: db, short: true)
        let problems = system.problems()
        guard problems.isEmpty, !system.indicators.isEmpty, let engine = try? EvaluationEngine(system: system) else {
            return YearScores(year: year, system: system, problems: problems, places: places, periods: periods, result: nil,
                              targets: targetMap, unitNames: unitNames)
        }
        var grid = EvaluationGrid(periods: periods, placeCount: places.count, indicatorCount: system.indicators.count)
        let placeIndex = Dictionary(uniqueKeysWithValues: places.enumerated().map { ($1.id, $0) })
        let periodIndex = Dictionary(uniqueKeysWithValues: periods.enumerated().map { ($1.code, $0) })
        let approved = Dictionary(grouping: try await SubmissionRecord.query(on: db).filter(\.$status == SubmissionStatus.approved.rawValue)
            .filter(\.$period ~~ periods.map(\.code)).all(), by: \.period).mapValues { Set($0.map(\.$unit.id)) }
        for (t, period) in periods.enumerated() {
            guard let units = approved[period.code], let rows = values.byPeriod[period.code] else { continue }
            for row in rows.values where units.contains(row.unit) {
                guard let p = placeIndex[row.place], let i = engine.index(of: row.code) else { continue }
                grid[t, p, i] = row.value
            }
        }
        for (key, index) in try await SurveyIndices.load(periods: periods, on: db) {
            guard let t = periodIndex[key.period], let p = placeIndex[key.place], let i = engine.index(of: key.indicator) else { continue }
            grid[t, p, i] = index
        }
        return YearScores(year: year, system: system, problems: [], places: places, periods: periods, result: engine.run(grid),
                          targets: targetMap, unitNames: unitNames)
    }
}

extension EvaluationBoard {
    struct ValueRow: Sendable { let code: String; let place: UUID; let value: Double?; let unit: UUID }

    /// The stored values of some years, by period and id, read with SQLKit (a year of 200 places × 300 indicators is 240,000
    /// rows, which Fluent models would take seconds to decode) and caught up by `updated_at` afterwards.
    struct ValueCache: Sendable {
        let years: [Int]
        var byPeriod: [String: [UUID: ValueRow]] = [:]
        var seen: Date?

        init(years: [Int]) { self.years = years }

        mutating func catchUp(on db: any Database) async throws {
            guard let sql = db as? any SQLDatabase else { return }
            let query = sql.select().columns("id", "year", "indicator_code", "place_id", "period", "value", "unit_id", "updated_at")
                .from(IndicatorValueRecord.schema)
            // After the first read, only the rows changed since (by the updated_at index alone, other years skipped
            // below), five minutes back: rows written by another server whose clock lags, or in the same instant as the
            // last one seen, are read again rather than missed.
            let rows = try await (seen.map { query.where("updated_at", .greaterThanOrEqual, $0.addingTimeInterval(-300)) }
                ?? query.where("year", .in, years)).all()
            for row in rows where years.contains(try row.decode(column: "year", as: Int.self)) {
                byPeriod[try row.decode(column: "period", as: String.self), default: [:]][try row.decode(column: "id", as: UUID.self)] = ValueRow(
                    code: try row.decode(column: "indicator_code", as: String.self), place: try row.decode(column: "place_id", as: UUID.self),
                    value: try row.decode(column: "value", as: Double?.self), unit: try row.decode(column: "unit_id", as: UUID.self))
                if let at = try row.decode(column: "updated_at", as: Date?.self), at > (seen ?? .distantPast) { seen = at }
            }
        }
    }
}

extension Application {
    private struct EvaluationBoardKey: StorageKey { typealias Value = EvaluationBoard }

    /// Set once in `configure`.
    var evaluationBoard: EvaluationBoard {
        get { storage[EvaluationBoardKey.self]! }
        set { storage[EvaluationBoardKey.self] = newValue }
    }
}
