import Foundation

/// The entered values of one indicator system: periods × places × indicators, flat, NaN for "no value".
/// Indicators are in the system's order, places in the caller's order.
public struct EvaluationGrid: Sendable {
    public let periods: [EvaluationPeriod]
    public let placeCount: Int
    public let indicatorCount: Int
    public private(set) var values: [Double]

    public init(periods: [EvaluationPeriod], placeCount: Int, indicatorCount: Int) {
        self.periods = periods
        self.placeCount = placeCount
        self.indicatorCount = indicatorCount
        self.values = Array(repeating: .nan, count: periods.count * placeCount * indicatorCount)
    }

    @inline(__always)
    func offset(_ period: Int, _ place: Int, _ indicator: Int) -> Int {
        (period * placeCount + place) * indicatorCount + indicator
    }

    public subscript(period: Int, place: Int, indicator: Int) -> Double? {
        get {
            let v = values[offset(period, place, indicator)]
            return v.isNaN ? nil : v
        }
        set { values[offset(period, place, indicator)] = newValue ?? .nan }
    }

    public func periodIndex(_ period: EvaluationPeriod) -> Int? { periods.firstIndex(of: period) }
}
