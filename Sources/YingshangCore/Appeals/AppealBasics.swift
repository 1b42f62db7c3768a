import Foundation

// Basic vocabulary of the enterprise appeals line (营商环境专线 / 12345 诉求办理),
// after the national 12345 guidance (国办发〔2020〕53号).

/// Type of an appeal (诉求类型).
public enum AppealType: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case consultation
    case help
    case complaint
    case report
    case suggestion

    public var label: String {
        switch self {
        case .consultation: return "咨询"
        case .help: return "求助"
        case .complaint: return "投诉"
        case .report: return "举报"
        case .suggestion: return "建议"
        }
    }

    /// Accepts the Chinese label ("投诉", also "投诉类") or the raw value.
    public init?(label: String) {
        let t = label.trimmingCharacters(in: .whitespacesAndNewlines)
        let stripped = t.hasSuffix("类") ? String(t.dropLast()) : t
        guard let match = AppealType.allCases.first(where: { $0.label == stripped || $0.rawValue == t }) else {
            return nil
        }
        self = match
    }
}

/// Channel through which an appeal arrived (受理渠道).
public enum AppealChannel: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case web
    case phone
    case api
    case open311
    case wechat

    public var label: String {
        switch self {
        case .web: return "网上"
        case .phone: return "电话"
        case .api: return "接口"
        case .open311: return "Open311"
        case .wechat: return "微信"
        }
    }

    public init?(label: String) {
        let t = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let match = AppealChannel.allCases.first(where: { $0.label == t || $0.rawValue == t }) else { return nil }
        self = match
    }
}

/// Where an appeal is in the closed loop 受理 → 派单 → 办理 → 答复 → 督办 → 办结 → 回访 → 评价.
public enum AppealState: String, Codable, Sendable, CaseIterable {
    /// 已受理: registered by the office, not yet dispatched.
    case received
    /// 已派单: dispatched, waiting for the lead unit to sign.
    case dispatched
    /// 已退单（待改派）: the lead unit returned it; the office must re-dispatch.
    case returned
    /// 已签收（办理中）: the lead unit signed and is handling it.
    case signed
    /// 延期申请待审批: the lead unit asked for more time.
    case extensionRequested = "extension_requested"
    /// 已答复（待审核）: reply drafted by the unit, waiting for the office's check.
    case replied
    /// 已答复（已发出）: the reply went out to the appellant.
    case answered
    /// 已评价（待办结）: the appellant rated the reply before closure.
    case rated
    /// 已办结.
    case closed
    /// 已合并: merged into another appeal (terminal).
    case merged
    /// 已撤回: withdrawn by the appellant (terminal).
    case withdrawn

    public var label: String {
        switch self {
        case .received: return "已受理"
        case .dispatched: return "已派单"
        case .returned: return "已退单（待改派）"
        case .signed: return "已签收（办理中）"
        case .extensionRequested: return "延期申请待审批"
        case .replied: return "已答复（待审核）"
        case .answered: return "已答复（已发出）"
        case .rated: return "已评价（待办结）"
        case .closed: return "已办结"
        case .merged: return "已合并"
        case .withdrawn: return "已撤回"
        }
    }

    /// Still needs work by the office or a unit (counts as an open appeal for duplicates and overdue checks).
    public var isOpen: Bool {
        switch self {
        case .closed, .merged, .withdrawn: return false
        default: return true
        }
    }

    /// A unit is currently responsible for the reply (the reply time limit runs).
    public var isWithUnit: Bool {
        switch self {
        case .dispatched, .signed, .extensionRequested, .replied: return true
        default: return false
        }
    }
}

/// The appellant's rating (评价).
public enum AppealSatisfaction: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case satisfied
    case basicallySatisfied = "basically_satisfied"
    case dissatisfied

    public var label: String {
        switch self {
        case .satisfied: return "满意"
        case .basicallySatisfied: return "基本满意"
        case .dissatisfied: return "不满意"
        }
    }

    /// Counts towards 满意率 (满意 + 基本满意).
    public var isSatisfied: Bool { self != .dissatisfied }
}

/// Outcome recorded at closure (办结结果).
public enum AppealOutcome: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case resolved
    case partiallyResolved = "partially_resolved"
    case unresolved
    case explained

    public var label: String {
        switch self {
        case .resolved: return "已解决"
        case .partiallyResolved: return "部分解决"
        case .unresolved: return "未解决"
        case .explained: return "已解释说明"
        }
    }
}

/// Who performs a lifecycle event.
public enum AppealActor: Codable, Sendable, Hashable {
    /// 专线工作人员 of the business-environment office (受理、派单、审核、督办、办结).
    case office
    /// A responsible unit (承办单位), by its org-unit ID.
    case unit(String)
    /// The appellant (诉求人/企业).
    case appellant
    /// Automatic jobs (e.g. overdue supervision).
    case system

    public var label: String {
        switch self {
        case .office: return "专线工作人员"
        case .unit: return "承办单位"
        case .appellant: return "诉求人"
        case .system: return "系统"
        }
    }

    public var unitID: String? {
        if case .unit(let id) = self { return id }
        return nil
    }
}

/// Why an event was refused; `reason` is a Chinese message for the user.
public struct AppealRefusal: Error, Sendable, Equatable, Codable {
    public enum Kind: String, Codable, Sendable {
        /// The event is not possible in the current state.
        case wrongState = "wrong_state"
        /// This kind of actor may not perform the event.
        case wrongActor = "wrong_actor"
        /// The unit is not (or no longer) assigned to this appeal, or acts in another unit's name.
        case notAssigned = "not_assigned"
        /// Missing or invalid input (reason, days, units …).
        case invalidInput = "invalid_input"
        /// A business rule forbids it (e.g. reopening without 不满意).
        case notAllowed = "not_allowed"
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }
}

/// Appeal numbers: `YS2026-00001234` (prefix YS, 4-digit year, 8-digit sequence within the year).
public enum AppealNumber {
    public static let prefix = "YS"
    public static let sequenceRange = 1...99_999_999

    /// `format(year: 2026, sequence: 1234)` → `YS2026-00001234`. Valid for years 1000…9999 and
    /// sequences 1…99 999 999 (out-of-range values produce a string `parse` rejects).
    public static func format(year: Int, sequence: Int) -> String {
        let s = String(sequence)
        return prefix + String(year) + "-" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    /// Strict inverse of `format`; nil for anything else (lower-case prefix, missing zeros, sequence 0 …).
    public static func parse(_ s: String) -> (year: Int, sequence: Int)? {
        let u = Array(s.utf8)
        guard u.count == 15, u[0] == UInt8(ascii: "Y"), u[1] == UInt8(ascii: "S"), u[6] == UInt8(ascii: "-") else {
            return nil
        }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(u[i] - UInt8(ascii: "0"))
            }
            return v
        }
        guard let year = number(2..<6), year >= 1000, let seq = number(7..<15), sequenceRange.contains(seq) else {
            return nil
        }
        return (year, seq)
    }

    public static func isValid(_ s: String) -> Bool { parse(s) != nil }
}

/// Client-supplied idempotency key for appeal submission through the API / Open311
/// (8–128 characters of `A–Z a–z 0–9 - _`).
public struct AppealIdempotencyKey: Codable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// Throws a Chinese message when the key is malformed.
    public init(validating raw: String) throws(AppealRefusal) {
        if let problem = AppealIdempotencyKey.problem(in: raw) {
            throw AppealRefusal(.invalidInput, problem)
        }
        rawValue = raw
    }

    public var description: String { rawValue }

    /// The Chinese problem with `raw`, or nil when it is a valid key. Surrounding spaces are not trimmed.
    public static func problem(in raw: String) -> String? {
        let count = raw.unicodeScalars.count
        if count == 0 { return "幂等键（Idempotency-Key）不能为空" }
        if count < 8 || count > 128 {
            return "幂等键（Idempotency-Key）长度应为 8 至 128 个字符，当前为 \(count) 个"
        }
        let ok = raw.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
        }
        if !ok { return "幂等键（Idempotency-Key）只能包含英文字母、数字、连字符“-”和下划线“_”" }
        return nil
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        if let problem = AppealIdempotencyKey.problem(in: s) {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: problem)
        }
        rawValue = s
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
