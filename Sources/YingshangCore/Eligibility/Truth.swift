/// A three-valued truth (Kleene logic): an eligibility question is answered 符合 / 不符合, or 待补充信息 when a fact it
/// needs is missing. Nothing missing ever turns silently into `no`.
public enum Truth: String, Sendable, Codable, Hashable {
    case yes, no, unknown

    public init(_ value: Bool) { self = value ? .yes : .no }

    public static func && (lhs: Truth, rhs: Truth) -> Truth {
        if lhs == .no || rhs == .no { return .no }
        if lhs == .unknown || rhs == .unknown { return .unknown }
        return .yes
    }

    public static func || (lhs: Truth, rhs: Truth) -> Truth {
        if lhs == .yes || rhs == .yes { return .yes }
        if lhs == .unknown || rhs == .unknown { return .unknown }
        return .no
    }

    public static prefix func ! (value: Truth) -> Truth {
        switch value {
        case .yes: .no
        case .no: .yes
        case .unknown: .unknown
        }
    }

    /// 符合 / 不符合 / 待补充信息.
    public var label: String {
        switch self {
        case .yes: "符合"
        case .no: "不符合"
        case .unknown: "待补充信息"
        }
    }

    public init?(label: String) {
        switch label {
        case "符合": self = .yes
        case "不符合": self = .no
        case "待补充信息", "待补充": self = .unknown
        default: return nil
        }
    }
}
