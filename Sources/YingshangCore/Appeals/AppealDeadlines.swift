import Foundation

/// Time limits of the appeals line, in working days (configurable by the office).
public struct AppealTimeLimits: Codable, Sendable, Equatable {
    public static let defaultByType: [AppealType: Int] = [
        .consultation: 3, .help: 5, .complaint: 15, .report: 15, .suggestion: 15,
    ]

    /// 签收时限: working days after dispatch.
    public var signing: Int
    /// 办理（答复）时限 per type: working days after receipt.
    public var byType: [AppealType: Int]
    /// 预警: warn this many working days before a limit expires (0 = only on the due day).
    public var warningLeadWorkingDays: Int
    /// 延期上限: total extension per round.
    public var maxExtensionWorkingDays: Int
    /// 退单时限: a unit may return an appeal up to this many working days after dispatch.
    public var returnWorkingDays: Int

    public init(signing: Int = 1, byType: [AppealType: Int] = AppealTimeLimits.defaultByType,
                warningLeadWorkingDays: Int = 1, maxExtensionWorkingDays: Int = 15, returnWorkingDays: Int = 1) {
        self.signing = signing
        self.byType = byType
        self.warningLeadWorkingDays = warningLeadWorkingDays
        self.maxExtensionWorkingDays = maxExtensionWorkingDays
        self.returnWorkingDays = returnWorkingDays
    }

    /// The reply limit for `type`; falls back to the national default when not configured.
    public func replyLimit(for type: AppealType) -> Int {
        byType[type] ?? AppealTimeLimits.defaultByType[type] ?? 15
    }

    private enum CodingKeys: String, CodingKey {
        case signing, byType, warningLeadWorkingDays, maxExtensionWorkingDays, returnWorkingDays
    }

    /// Missing keys take their defaults, so older stored settings keep decoding.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AppealTimeLimits()
        signing = try c.decodeIfPresent(Int.self, forKey: .signing) ?? d.signing
        byType = try c.decodeIfPresent([AppealType: Int].self, forKey: .byType) ?? d.byType
        warningLeadWorkingDays = try c.decodeIfPresent(Int.self, forKey: .warningLeadWorkingDays) ?? d.warningLeadWorkingDays
        maxExtensionWorkingDays = try c.decodeIfPresent(Int.self, forKey: .maxExtensionWorkingDays) ?? d.maxExtensionWorkingDays
        returnWorkingDays = try c.decodeIfPresent(Int.self, forKey: .returnWorkingDays) ?? d.returnWorkingDays
    }

    /// Problems with admin-entered limits (Chinese); empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        if !(1...10).contains(signing) { problems.append("签收时限应在 1 至 10 个工作日之间，当前为 \(signing)") }
        for type in AppealType.allCases {
            guard let days = byType[type] else {
                problems.append("未设置\(type.label)类诉求的办理时限")
                continue
            }
            if !(1...60).contains(days) {
                problems.append("\(type.label)类诉求的办理时限应在 1 至 60 个工作日之间，当前为 \(days)")
            } else if days < signing {
                problems.append("\(type.label)类诉求的办理时限（\(days) 个工作日）不应短于签收时限（\(signing) 个工作日）")
            }
        }
        if !(0...10).contains(warningLeadWorkingDays) {
            problems.append("预警提前量应在 0 至 10 个工作日之间，当前为 \(warningLeadWorkingDays)")
        }
        if !(0...60).contains(maxExtensionWorkingDays) {
            problems.append("延期上限应在 0 至 60 个工作日之间，当前为 \(maxExtensionWorkingDays)")
        }
        if !(1...10).contains(returnWorkingDays) {
            problems.append("退单时限应在 1 至 10 个工作日之间，当前为 \(returnWorkingDays)")
        }
        return problems
    }
}

/// Where an appeal stands against one deadline.
public enum AppealDeadlineStatus: Codable, Sendable, Equatable {
    case onTime
    /// Within the warning lead: `daysLeft` working days after today up to and including the due day (0 = due today).
    case warning(daysLeft: Int)
    /// Past the due day by `workingDays` working days (0 when only non-working days have passed since).
    case overdue(workingDays: Int)

    public var label: String {
        switch self {
        case .onTime: return "正常"
        case .warning(let n): return n == 0 ? "预警：今天到期" : "预警：剩余 \(n) 个工作日"
        case .overdue(let n): return n == 0 ? "已超期" : "已逾期 \(n) 个工作日"
        }
    }

    public var isOverdue: Bool {
        if case .overdue = self { return true }
        return false
    }
}

public enum AppealDeadlines {
    /// 签收期限: `limits.signing` working days after the dispatch day (the dispatch day itself is not counted).
    public static func signBy(dispatchedOn: CivilDate, limits: AppealTimeLimits, calendar: WorkingCalendar) -> CivilDate {
        calendar.addingWorkingDays(max(limits.signing, 1), to: dispatchedOn)
    }

    /// 退单期限: `limits.returnWorkingDays` working days after the dispatch day.
    public static func returnBy(dispatchedOn: CivilDate, limits: AppealTimeLimits, calendar: WorkingCalendar) -> CivilDate {
        calendar.addingWorkingDays(max(limits.returnWorkingDays, 1), to: dispatchedOn)
    }

    /// 办理（答复）期限: the type's limit plus approved extensions, in working days counted from the day the
    /// office **received** the appeal (受理日, not counted itself) — the appellant's clock, so dispatch delays and
    /// returns count against the line as a whole. For a reopened appeal (重办) pass the reopen day.
    public static func replyBy(type: AppealType, receivedOn: CivilDate, extensionDays: Int = 0,
                               limits: AppealTimeLimits, calendar: WorkingCalendar) -> CivilDate {
        calendar.addingWorkingDays(max(limits.replyLimit(for: type), 1) + max(extensionDays, 0), to: receivedOn)
    }

    /// Overdue when `today` is after `dueOn`; a warning when at most `warningLead` working days remain
    /// (counting working days in (today, dueOn]); otherwise on time.
    public static func status(dueOn: CivilDate, today: CivilDate, warningLead: Int,
                              calendar: WorkingCalendar) -> AppealDeadlineStatus {
        if today > dueOn { return .overdue(workingDays: calendar.workingDays(between: dueOn, and: today)) }
        let left = calendar.workingDays(between: today, and: dueOn)
        return left <= max(warningLead, 0) ? .warning(daysLeft: left) : .onTime
    }
}

// MARK: - Supervision of overdue appeals

public enum AppealDeadlineKind: String, Codable, Sendable, CaseIterable {
    case signing
    case reply

    public var label: String {
        switch self {
        case .signing: return "签收"
        case .reply: return "答复"
        }
    }
}

/// Rules that open supervision orders (督办单) for overdue appeals. A nil level disables the rule.
public struct AppealSupervisionRules: Codable, Sendable, Equatable {
    public var signingOverdueLevel: SupervisionLevel?
    public var replyOverdueLevel: SupervisionLevel?
    /// Overdue by at least this many working days → 挂牌督办.
    public var listedAfterWorkingDays: Int
    /// 限期整改: working days after the order is opened.
    public var rectificationWorkingDays: Int

    public init(signingOverdueLevel: SupervisionLevel? = .reminder, replyOverdueLevel: SupervisionLevel? = .supervision,
                listedAfterWorkingDays: Int = 5, rectificationWorkingDays: Int = 3) {
        self.signingOverdueLevel = signingOverdueLevel
        self.replyOverdueLevel = replyOverdueLevel
        self.listedAfterWorkingDays = listedAfterWorkingDays
        self.rectificationWorkingDays = rectificationWorkingDays
    }

    public func validate() -> [String] {
        var problems: [String] = []
        if listedAfterWorkingDays < 1 { problems.append("挂牌督办的逾期天数阈值应不少于 1 个工作日") }
        if !(1...30).contains(rectificationWorkingDays) {
            problems.append("整改期限应在 1 至 30 个工作日之间，当前为 \(rectificationWorkingDays)")
        }
        return problems
    }
}

public struct AppealSupervisionProposal: Codable, Sendable, Hashable {
    /// Idempotency key: "appeal_overdue:<number>:<signing|reply>:<due ISO>" (a new key after a re-dispatch,
    /// an extension or a reopen moves the deadline). The level may rise under the same key.
    public var key: String
    public var number: String
    public var kind: AppealDeadlineKind
    public var level: SupervisionLevel
    public var dueOn: CivilDate
    public var overdueWorkingDays: Int
    /// Chinese reason with specifics.
    public var reason: String
    public var rectifyBy: CivilDate
    /// Units responsible (lead first).
    public var unitIDs: [String]
}

public enum AppealSupervision {
    /// Supervision orders called for today.
    /// - Signing overdue: state 已派单, past `signBy(dispatchedOn)`, lead unit not signed.
    /// - Reply overdue: the appeal is with the unit (已派单 / 已签收 / 延期申请待审批) and past
    ///   `replyBy(receivedOn, grantedExtensionDays)`. 已答复（待审核） waits on the office, not the unit: no order.
    /// `receivedOn` is the start of the current round (the reopen day after 重办).
    public static func proposals(appeal: AppealCase, title: String, receivedOn: CivilDate, dispatchedOn: CivilDate?,
                                 today: CivilDate, limits: AppealTimeLimits, rules: AppealSupervisionRules,
                                 calendar: WorkingCalendar) -> [AppealSupervisionProposal] {
        let units = appeal.assignedUnitIDs
        guard !units.isEmpty else { return [] }
        let rectifyBy = calendar.addingWorkingDays(max(rules.rectificationWorkingDays, 1), to: today)
        var result: [AppealSupervisionProposal] = []

        func add(_ kind: AppealDeadlineKind, _ base: SupervisionLevel, due: CivilDate, what: String) {
            let days = calendar.workingDays(between: due, and: today)
            let level = days >= max(rules.listedAfterWorkingDays, 1) ? max(base, .listed) : base
            let reason = "诉求 \(appeal.number)“\(title)”\(what)期限为 \(due.iso)，至今未\(kind.label)（已逾期 \(days) 个工作日），请\(level.label)"
            result.append(AppealSupervisionProposal(
                key: "appeal_overdue:\(appeal.number):\(kind.rawValue):\(due.iso)", number: appeal.number, kind: kind,
                level: level, dueOn: due, overdueWorkingDays: days, reason: reason, rectifyBy: rectifyBy,
                unitIDs: units))
        }

        if let level = rules.signingOverdueLevel, appeal.state == .dispatched, let dispatchedOn,
           let lead = appeal.leadUnitID, !appeal.signedUnitIDs.contains(lead) {
            let due = AppealDeadlines.signBy(dispatchedOn: dispatchedOn, limits: limits, calendar: calendar)
            if today > due { add(.signing, level, due: due, what: "签收") }
        }
        if let level = rules.replyOverdueLevel, [.dispatched, .signed, .extensionRequested].contains(appeal.state) {
            let due = AppealDeadlines.replyBy(type: appeal.type, receivedOn: receivedOn,
                                              extensionDays: appeal.grantedExtensionDays, limits: limits,
                                              calendar: calendar)
            if today > due { add(.reply, level, due: due, what: "答复") }
        }
        return result
    }
}
