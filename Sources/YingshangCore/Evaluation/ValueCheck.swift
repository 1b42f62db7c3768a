import Foundation

/// The checks on one entered value (数据校验): a number, required, in range, and — for a large change against the
/// last period — a reason (异常值说明).
public enum ValueCheck {
    public struct Problem: Sendable, Equatable {
        public let message: String
        /// True when a reason would settle it (the value is plausible but unusual).
        public let needsReason: Bool
    }

    /// Reads an entered text as a number: `97.5`, `97.5%`, `1,234`, full-width digits. nil for blank.
    public static func number(_ text: String) -> Double?? {
        var cleaned = text.trimmingCharacters(in: .whitespaces)
            .applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? text
        cleaned = cleaned.replacingOccurrences(of: ",", with: "")
        if cleaned.hasSuffix("%") { cleaned.removeLast() }
        if cleaned.isEmpty { return .some(nil) }
        guard let v = Double(cleaned), v.isFinite else { return nil }
        return .some(v)
    }

    /// Problems with `value` (nil = left blank) for `indicator`, given last period's value and a reason if one was given.
    public static func problems(_ value: Double?, for indicator: IndicatorDefinition, previous: Double?,
                                reason: String?) -> [Problem] {
        guard let value else {
            return indicator.isRequired ? [Problem(message: "“\(indicator.name)”为必填项", needsReason: false)] : []
        }
        var problems: [Problem] = []
        if let min = indicator.minimum, value < min {
            problems.append(Problem(message: "“\(indicator.name)”不能小于 \(FactValue.format(min))\(indicator.unit)（填写为 \(FactValue.format(value))）", needsReason: false))
        }
        if let max = indicator.maximum, value > max {
            problems.append(Problem(message: "“\(indicator.name)”不能大于 \(FactValue.format(max))\(indicator.unit)（填写为 \(FactValue.format(value))）", needsReason: false))
        }
        if problems.isEmpty, let limit = indicator.outlierChange, let previous, previous != 0 {
            let change = (value - previous) / abs(previous)
            let hasReason = !(reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            if abs(change) > limit && !hasReason {
                problems.append(Problem(
                    message: "“\(indicator.name)”较上期（\(FactValue.format(previous))\(indicator.unit)）变化 \(String(format: "%+.1f", change * 100))%，超过 \(FactValue.format(limit * 100))%，请填写变化原因",
                    needsReason: true))
            }
        }
        return problems
    }
}
