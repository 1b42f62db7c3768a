import Foundation

/// A target for an indicator in a place and year (目标值), e.g. 电子营业执照同步制发率 ≥ 97%.
public struct IndicatorTarget: Codable, Sendable, Equatable {
    public var value: Double
    public var direction: IndicatorDirection
    /// How close (as a share of the target) still counts as 接近; 0.05 = within 5%.
    public var nearShare: Double

    public init(value: Double, direction: IndicatorDirection, nearShare: Double = 0.05) {
        self.value = value
        self.direction = direction
        self.nearShare = nearShare
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case met, near, missed

        public var label: String {
            switch self {
            case .met: "达标"
            case .near: "接近"
            case .missed: "未达标"
            }
        }
    }

    public func status(of actual: Double) -> Status {
        let meets = direction == .higherIsBetter ? actual >= value : actual <= value
        if meets { return .met }
        let gap = abs(actual - value), allowed = abs(value) * nearShare
        return gap <= allowed ? .near : .missed
    }

    /// "≥ 97%" / "≤ 3个工作日".
    public func label(unit: String) -> String {
        "\(direction == .higherIsBetter ? "≥" : "≤") \(FactValue.format(value))\(unit)"
    }

    /// A target a work-point document states (the parser's `WorkPointTarget`), as an indicator target: "97%以上" is
    /// higher-is-better, "不超过3个工作日" lower-is-better; an exact "=" target reads as at least.
    public init(adopting target: WorkPointTarget, nearShare: Double = 0.05) {
        let direction: IndicatorDirection = target.comparator == .le || target.comparator == .lt ? .lowerIsBetter : .higherIsBetter
        self.init(value: target.value, direction: direction, nearShare: nearShare)
    }
}

/// Which way an indicator moved over the last periods (趋势), judged by its direction.
public enum IndicatorTrend: String, Codable, Sendable {
    case improving, steady, worsening, unknown

    public var label: String {
        switch self {
        case .improving: "向好"
        case .steady: "持平"
        case .worsening: "下滑"
        case .unknown: "—"
        }
    }

    /// The trend of the values in period order (nil = missing), from the least-squares slope of the known ones;
    /// a change under 1% of the mean level over the span counts as steady.
    public init(values: [Double?], direction: IndicatorDirection) {
        let points = values.enumerated().compactMap { i, v in v.map { (Double(i), $0) } }
        guard points.count >= 2 else { self = .unknown; return }
        let n = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.0 } / n, my = points.reduce(0) { $0 + $1.1 } / n
        let sxx = points.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        let slope = points.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
        let span = slope * (points.last!.0 - points.first!.0)
        if abs(span) <= max(abs(my) * 0.01, 1e-9) { self = .steady; return }
        self = (span > 0) == (direction == .higherIsBetter) ? .improving : .worsening
    }
}

extension IndicatorTarget {
    /// What a work-point target measures, read from the words before it in the task text: "电子营业执照同步制发率
    /// 97%以上" → "电子营业执照同步制发率"; "招商引资实际到位资金不少于60亿元" → "招商引资实际到位资金". Falls back to
    /// `fallback` (the task title) when nothing usable precedes the target.
    public static func subject(of target: WorkPointTarget, in text: String, fallback: String) -> String {
        guard let range = text.range(of: target.text) else { return fallback }
        let stops: Set<Character> = ["，", "。", "；", "、", "：", ",", ";", ":", "（", "(", "\n", "“", "”"]
        var subject = String(text[..<range.lowerBound].reversed().prefix { !stops.contains($0) }.reversed())
        for word in ["确保", "实现", "力争", "推动", "全市", "全区", "全省", "其中", "年内", "全年"] where subject.hasPrefix(word) {
            subject.removeFirst(word.count)
        }
        for word in ["达到", "保持在", "保持", "稳定在", "在", "达"] where subject.hasSuffix(word) {
            subject.removeLast(word.count)
        }
        subject = subject.trimmingCharacters(in: .whitespaces)
        return subject.count >= 2 ? String(subject.prefix(40)) : fallback
    }
}
