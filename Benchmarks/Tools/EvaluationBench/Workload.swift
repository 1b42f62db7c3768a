import Foundation
import YingshangCore

/// The benchmark's indicator system and data: 20 areas × 14 second-level indicators (300 indicators), half scored
/// against fixed bounds and half against the period's frontier, every tenth through the 0.8 power transform, both
/// directions; each place has its own level per indicator and drifts a little each quarter; 3% of values missing.
enum Workload {
    static let areas = 20
    static let leavesPerArea = 14

    static func system(year: Int) -> IndicatorSystem {
        var indicators: [IndicatorDefinition] = []
        for a in 1...areas {
            let area = String(format: "A%02d", a)
            indicators.append(IndicatorDefinition(code: area, name: "领域\(a)", unit: "分"))
            for l in 1...leavesPerArea {
                let k = (a - 1) * leavesPerArea + l
                let higher = k % 3 != 0
                let fixed = k % 2 == 0
                indicators.append(IndicatorDefinition(
                    code: "\(area)L\(String(format: "%02d", l))", name: "指标\(a)-\(l)", unit: "%",
                    direction: higher ? .higherIsBetter : .lowerIsBetter,
                    best: fixed ? (higher ? 100 : 0) : nil, worst: fixed ? (higher ? 0 : 100) : nil,
                    exponent: k % 10 == 0 ? 0.8 : 1, parentCode: area, minimum: 0, maximum: 100))
            }
        }
        return IndicatorSystem(year: year, indicators: indicators)
    }

    /// Values for every period, place and leaf (areas are computed).
    static func grid(system: IndicatorSystem, periods: [EvaluationPeriod], places: Int, seed: UInt64) -> EvaluationGrid {
        var random = SplitMix64(seed: seed)
        let leaves = system.indicators.indices.filter { system.indicators[$0].parentCode != nil }
        var grid = EvaluationGrid(periods: periods, placeCount: places, indicatorCount: system.indicators.count)
        var levels = [Double](repeating: 0, count: places * system.indicators.count)
        for i in levels.indices { levels[i] = Double.random(in: 20...90, using: &random) }
        for t in periods.indices {
            for p in 0..<places {
                for i in leaves {
                    guard Double.random(in: 0...1, using: &random) >= 0.03 else { continue }
                    let value = levels[p * system.indicators.count + i] + Double(t) * 0.4 + Double.random(in: -5...5, using: &random)
                    grid[t, p, i] = (min(100, max(0, value)) * 10).rounded() / 10
                }
            }
        }
        return grid
    }
}
