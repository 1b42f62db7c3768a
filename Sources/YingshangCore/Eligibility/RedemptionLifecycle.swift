import Foundation

/// Where a redemption (兑现) stands.
public enum RedemptionStatus: String, CaseIterable, Sendable, Codable {
    case applied, approved, paid, rejected

    public var label: String {
        switch self {
        case .applied: "已申请"
        case .approved: "已审核"
        case .paid: "已拨付"
        case .rejected: "已驳回"
        }
    }
}

/// What the handling office decides on a redemption.
public enum RedemptionDecision: Sendable, Equatable {
    /// 审核通过, optionally correcting the amount (万元).
    case approve(amountWan: Double?)
    /// 拨付.
    case pay
    /// 驳回, with the reason the enterprise reads.
    case reject(reason: String)
}

/// A redemption's status, amount and reason: what a decision changes.
public struct RedemptionState: Sendable, Equatable {
    public var status: RedemptionStatus
    public var amountWan: Double?
    public var reason: String

    public init(status: RedemptionStatus, amountWan: Double?, reason: String = "") {
        self.status = status
        self.amountWan = amountWan
        self.reason = reason
    }
}

/// Why a redemption step is refused, in Chinese.
public struct RedemptionRefusal: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// 申请 → 审核 → 拨付, or 驳回 before payment. A 免申即享 entry starts approved (the roster was confirmed).
public enum RedemptionLifecycle {
    public static func decide(_ decision: RedemptionDecision, from state: RedemptionState) -> Result<RedemptionState, RedemptionRefusal> {
        var next = state
        switch (decision, state.status) {
        case (.approve(let amount), .applied):
            if let amount, amount < 0 || !amount.isFinite { return .failure(RedemptionRefusal("金额不能为负数")) }
            next.status = .approved
            next.amountWan = amount ?? state.amountWan
        case (.pay, .approved):
            guard state.amountWan != nil else { return .failure(RedemptionRefusal("金额未定，请先在审核时填写金额")) }
            next.status = .paid
        case (.reject(let reason), .applied), (.reject(let reason), .approved):
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return .failure(RedemptionRefusal("驳回须写明理由")) }
            next.status = .rejected
            next.reason = trimmed
        default:
            return .failure(RedemptionRefusal("当前状态为“\(state.status.label)”，不能进行此操作"))
        }
        return .success(next)
    }
}
