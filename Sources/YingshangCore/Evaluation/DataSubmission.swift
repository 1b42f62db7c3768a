import Foundation

/// A unit's submission of a period's values (数据报送): filled in, submitted, then approved by the office (which
/// locks it) or returned for changes. Approved values change only through a correction request (更正申请).
public enum SubmissionStatus: String, Codable, Sendable, CaseIterable {
    case draft, submitted, approved, returned

    public var label: String {
        switch self {
        case .draft: "填报中"
        case .submitted: "待审核"
        case .approved: "已审核锁定"
        case .returned: "已退回"
        }
    }

    /// Whether the unit may still edit its values.
    public var isEditable: Bool { self == .draft || self == .returned }

    public enum Action: String, Sendable { case submit, approve, returnForChanges = "return" }

    /// The status after `action`, or a Chinese refusal.
    public func after(_ action: Action) -> Result<SubmissionStatus, SubmissionRefusal> {
        switch (self, action) {
        case (.draft, .submit), (.returned, .submit): .success(.submitted)
        case (.submitted, .approve): .success(.approved)
        case (.submitted, .returnForChanges): .success(.returned)
        case (.approved, _): .failure(SubmissionRefusal(message: "已审核锁定的数据不能再\(action == .submit ? "报送" : "审核")；如需修改请提交更正申请"))
        case (_, .submit): .failure(SubmissionRefusal(message: "该期数据已报送，等待审核"))
        default: .failure(SubmissionRefusal(message: "尚未报送的数据不能审核"))
        }
    }
}

public struct SubmissionRefusal: Error, Sendable, Equatable { public let message: String }

/// A request to change an approved value (更正申请): pending until the office accepts or rejects it.
public enum CorrectionStatus: String, Codable, Sendable, CaseIterable {
    case pending, accepted, rejected

    public var label: String {
        switch self {
        case .pending: "待审核"
        case .accepted: "已采纳"
        case .rejected: "未采纳"
        }
    }
}

/// When a period's values are due (期末后 N 个工作日) and when units are reminded (M working days before).
public struct SubmissionSchedule: Sendable, Equatable {
    public var workingDaysAfterEnd: Int
    public var reminderLeadWorkingDays: Int

    public init(workingDaysAfterEnd: Int, reminderLeadWorkingDays: Int) {
        self.workingDaysAfterEnd = workingDaysAfterEnd
        self.reminderLeadWorkingDays = reminderLeadWorkingDays
    }

    public func deadline(of period: EvaluationPeriod, calendar: WorkingCalendar) -> CivilDate {
        calendar.addingWorkingDays(workingDaysAfterEnd, to: period.lastDay)
    }

    /// The periods (of `kind`) whose reminder window — from `reminderLeadWorkingDays` working days before the
    /// deadline up to the deadline — contains `today`.
    public func periodsToRemind(today: CivilDate, kind: EvaluationPeriod.Kind, calendar: WorkingCalendar) -> [EvaluationPeriod] {
        let period = EvaluationPeriod(kind, containing: today)
        return [period.previous.previous, period.previous, period].filter { candidate in
            let due = deadline(of: candidate, calendar: calendar)
            return calendar.addingWorkingDays(-reminderLeadWorkingDays, to: due) <= today && today <= due
        }
    }
}
