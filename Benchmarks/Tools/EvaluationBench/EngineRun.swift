import BenchSupport
import Foundation
import YingshangCore

/// The engine in-process: the whole grid scored and ranked `rounds` times; the data and our totals written for the
/// peers (Benchmarks/Evaluation/peers.py: numpy and SQLite) so that their results can be compared with ours.
enum EngineRun {
    static func run(places: Int, quarters: Int, rounds: Int, out: URL?) throws {
        let periods = EvaluationPeriod.quarter(2022, 1).through(EvaluationPeriod.quarter(2022, 1).offset(by: quarters - 1))
        let system = Workload.system(year: 2022)
        let grid = Workload.grid(system: system, periods: periods, places: places, seed: 2026)
        let engine = try EvaluationEngine(system: system)
        let clock = ContinuousClock()
        var whole: [Double] = [], year: [Double] = []
        var result = engine.run(grid)
        for _ in 0..<rounds {
            whole.append(clock.measure { result = engine.run(grid) }.seconds * 1000)
        }
        // What a page pays after a change: one year's board (the context quarter + four).
        let yearGrid = slice(grid, system: system, periods: Array(periods.suffix(5)))
        for _ in 0..<rounds { year.append(clock.measure { _ = engine.run(yearGrid) }.seconds * 1000) }
        let cells = periods.count * places * system.indicators.count
        print("engine: \(places) places × \(system.indicators.count) indicators × \(periods.count) quarters = \(cells) cells")
        print("| run | median ms | min ms | max ms |")
        print("|---|---|---|---|")
        print("| all \(periods.count) quarters (scores, aggregation, ranks, totals) | \(format(Sample.median(whole), 1)) | \(format(whole.min()!, 1)) | \(format(whole.max()!, 1)) |")
        print("| one year's board (5 quarters) | \(format(Sample.median(year), 1)) | \(format(year.min()!, 1)) | \(format(year.max()!, 1)) |")
        guard let out else { return }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data(grid.values.withUnsafeBufferPointer { Data(buffer: $0) }).write(to: out.appendingPathComponent("values.f64"))
        var totals: [Double] = [], ranks: [Double] = []
        for t in periods.indices {
            for p in 0..<places {
                totals.append(result.total(period: t, place: p) ?? .nan)
                ranks.append(Double(result.totalRank(period: t, place: p) ?? 0))
            }
        }
        try totals.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: out.appendingPathComponent("yingshang-totals.f64"))
        try ranks.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: out.appendingPathComponent("yingshang-ranks.f64"))
        let indicators: [[String: Any]] = system.indicators.map { d in
            ["code": d.code, "parent": d.parentCode.flatMap { code in system.indicators.firstIndex { $0.code == code } } ?? -1,
             "higher": d.direction == .higherIsBetter, "best": d.best ?? NSNull(), "worst": d.worst ?? NSNull(), "exponent": d.exponent]
        }
        let manifest: [String: Any] = ["periods": periods.count, "places": places, "indicators": indicators,
                                       "yingshang_ms": ["median": Sample.median(whole), "min": whole.min()!]]
        try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted]).write(to: out.appendingPathComponent("manifest.json"))
    }

    static func slice(_ grid: EvaluationGrid, system: IndicatorSystem, periods: [EvaluationPeriod]) -> EvaluationGrid {
        var part = EvaluationGrid(periods: periods, placeCount: grid.placeCount, indicatorCount: grid.indicatorCount)
        for (k, period) in periods.enumerated() {
            let t = grid.periodIndex(period)!
            for p in 0..<grid.placeCount { for i in 0..<grid.indicatorCount { part[k, p, i] = grid[t, p, i] } }
        }
        return part
    }
}
