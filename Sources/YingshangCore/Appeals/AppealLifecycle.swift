import Foundation

/// Something that happens to an appeal. Who may do it, and in which state, is decided by `AppealLifecycle`.
public enum AppealEvent: Codable, Sendable, Equatable {
    /// 派单 (office): the first unit leads (主办), the rest assist (协办). Also used to re-dispatch (改派)
    /// after a return, or to change units before the lead has signed.
    case dispatch(units: [String])
    /// 直接答复 (office): a consultation answered at once, without dispatch.
    case answerDirectly(text: String)
    /// 签收 (unit).
    case sign(unit: String)
    /// 退单 (unit, before signing), with a reason.
    case returnToOffice(unit: String, reason: String)
    /// 申请延期 (lead unit), in working days.
    case requestExtension(days: Int, reason: String)
    /// 批准延期 (office); may grant fewer days than requested.
    case approveExtension(days: Int)
    /// 驳回延期 (office).
    case rejectExtension(reason: String)
    /// 提交答复 (lead unit); the office checks it before it goes out.
    case draftReply(unit: String, text: String)
    /// 审核通过答复 (office): the reply goes out to the appellant.
    case approveReply
    /// 退回答复 (office): the unit must rewrite it.
    case sendBackReply(reason: String)
    /// 评价 (appellant); a comment is required for 不满意.
    case rate(satisfaction: AppealSatisfaction, comment: String)
    /// 重办 (office), only after 不满意: to the same or other units (first leads).
    case reopen(units: [String])
    /// 办结 (office), recording the outcome.
    case close(outcome: AppealOutcome)
    /// 合并 (office) into another appeal, by its number.
    case merge(into: String)
    /// 督办 (office or system): opens/raises supervision; the state does not change.
    case supervise(level: SupervisionLevel, reason: String)
    /// 撤回 (appellant) before the reply went out.
    case withdraw(reason: String)

    public var label: String {
        switch self {
        case .dispatch: return "派单"
        case .answerDirectly: return "直接答复"
        case .sign: return "签收"
        case .returnToOffice: return "退单"
        case .requestExtension: return "申请延期"
        case .approveExtension: return "批准延期"
        case .rejectExtension: return "驳回延期"
        case .draftReply: return "提交答复"
        case .approveReply: return "审核通过答复"
        case .sendBackReply: return "退回答复"
        case .rate: return "评价"
        case .reopen: return "重办"
        case .close: return "办结"
        case .merge: return "合并"
        case .supervise: return "督办"
        case .withdraw: return "撤回"
        }
    }
}

/// The facts of one appeal that the lifecycle needs beyond its state (assignment, rating, extensions …).
/// The server stores these (or derives them from its event log) and replaces them with the returned value.
public struct AppealCase: Codable, Sendable, Equatable {
    public var number: String
    public var type: AppealType
    public var state: AppealState
    /// 主办单位 of the current round.
    public var leadUnitID: String?
    /// 协办单位 of the current round.
    public var assistingUnitIDs: [String]
    /// Units (lead or assisting) that signed in the current round.
    public var signedUnitIDs: [String]
    /// For a 举报: the units reported on. It is never dispatched to them.
    public var reportedUnitIDs: [String]
    /// Set by the server once the return window (`AppealDeadlines.returnBy`) has passed; 退单 is then refused.
    public var returnWindowExpired: Bool
    /// Days asked for in a pending extension request.
    public var pendingExtensionDays: Int?
    /// Extension granted in the current round, in working days.
    public var grantedExtensionDays: Int
    /// Reply drafted by the unit, waiting for the office's check (or sent back for rewriting).
    public var draftReply: String?
    /// The reply that went out to the appellant.
    public var sentReply: String?
    /// The appellant's rating of the current round.
    public var satisfaction: AppealSatisfaction?
    public var ratingComment: String?
    public var outcome: AppealOutcome?
    /// Number of 重办 rounds so far.
    public var reopenCount: Int
    public var mergedInto: String?
    public var supervisionLevel: SupervisionLevel?

    public init(number: String, type: AppealType, state: AppealState = .received, leadUnitID: String? = nil,
                assistingUnitIDs: [String] = [], signedUnitIDs: [String] = [], reportedUnitIDs: [String] = [],
                returnWindowExpired: Bool = false, pendingExtensionDays: Int? = nil, grantedExtensionDays: Int = 0,
                draftReply: String? = nil, sentReply: String? = nil, satisfaction: AppealSatisfaction? = nil,
                ratingComment: String? = nil, outcome: AppealOutcome? = nil, reopenCount: Int = 0,
                mergedInto: String? = nil, supervisionLevel: SupervisionLevel? = nil) {
        self.number = number
        self.type = type
        self.state = state
        self.leadUnitID = leadUnitID
        self.assistingUnitIDs = assistingUnitIDs
        self.signedUnitIDs = signedUnitIDs
        self.reportedUnitIDs = reportedUnitIDs
        self.returnWindowExpired = returnWindowExpired
        self.pendingExtensionDays = pendingExtensionDays
        self.grantedExtensionDays = grantedExtensionDays
        self.draftReply = draftReply
        self.sentReply = sentReply
        self.satisfaction = satisfaction
        self.ratingComment = ratingComment
        self.outcome = outcome
        self.reopenCount = reopenCount
        self.mergedInto = mergedInto
        self.supervisionLevel = supervisionLevel
    }

    /// Lead first, then assisting units.
    public var assignedUnitIDs: [String] { (leadUnitID.map { [$0] } ?? []) + assistingUnitIDs }
}

public enum AppealLifecycle {
    private enum Role { case office, unit, appellant, system }

    private static func role(_ a: AppealActor) -> Role {
        switch a {
        case .office: return .office
        case .unit: return .unit
        case .appellant: return .appellant
        case .system: return .system
        }
    }

    /// Which states allow the event, who may do it, and the next state (as seen for the lead unit).
    private static func rule(for event: AppealEvent) -> (from: [AppealState], roles: [Role], next: (AppealState) -> AppealState) {
        let withUnit: [AppealState] = [.dispatched, .signed, .extensionRequested, .replied]
        switch event {
        case .dispatch: return ([.received, .returned, .dispatched], [.office], { _ in .dispatched })
        case .answerDirectly: return ([.received, .returned], [.office], { _ in .answered })
        case .sign: return ([.dispatched], [.unit], { _ in .signed })
        case .returnToOffice: return ([.dispatched], [.unit], { _ in .returned })
        case .requestExtension: return ([.signed], [.unit], { _ in .extensionRequested })
        case .approveExtension, .rejectExtension: return ([.extensionRequested], [.office], { _ in .signed })
        case .draftReply: return ([.signed], [.unit], { _ in .replied })
        case .approveReply: return ([.replied], [.office], { _ in .answered })
        case .sendBackReply: return ([.replied], [.office], { _ in .signed })
        case .rate: return ([.answered, .closed], [.appellant], { $0 == .closed ? .closed : .rated })
        case .reopen: return ([.rated, .closed], [.office], { _ in .dispatched })
        case .close: return ([.answered, .rated], [.office], { _ in .closed })
        case .merge: return ([.received, .dispatched, .returned], [.office], { _ in .merged })
        case .supervise: return (withUnit, [.office, .system], { $0 })
        case .withdraw: return ([.received, .returned] + withUnit, [.appellant], { _ in .withdrawn })
        }
    }

    private static func roleRefusal(_ event: AppealEvent, _ roles: [Role]) -> AppealRefusal {
        let who: String
        switch roles.first {
        case .office?: who = "专线工作人员"
        case .unit?:
            switch event {
            case .requestExtension, .draftReply: who = "主办单位"
            default: who = "承办单位"
            }
        case .appellant?: who = "诉求人"
        default: who = "系统"
        }
        return AppealRefusal(.wrongActor, "只有\(who)可以\(event.label)")
    }

    private static func stateRefusal(_ event: AppealEvent, _ state: AppealState, _ from: [AppealState]) -> AppealRefusal {
        let allowed = from.map { "“\($0.label)”" }.joined(separator: "、")
        var reason = "当前状态为“\(state.label)”，不能\(event.label)；\(event.label)只能在\(allowed)状态下进行"
        switch (event, state) {
        case (.approveReply, .answered), (.approveReply, .rated), (.approveReply, .closed):
            reason = "答复已审核通过并发出，不能重复审核"
        case (.rate, .received), (.rate, .dispatched), (.rate, .returned), (.rate, .signed),
             (.rate, .extensionRequested), (.rate, .replied):
            reason = "诉求尚未答复，暂不能评价"
        case (.rate, .rated):
            reason = "本次办理已评价，不能重复评价"
        case (.sign, .signed), (.sign, .extensionRequested), (.sign, .replied):
            reason = "该诉求已由主办单位签收，不能重复签收"
        case (.returnToOffice, .signed), (.returnToOffice, .extensionRequested), (.returnToOffice, .replied):
            reason = "已签收的诉求不能退单，请按时办理；如确需调整承办单位，请联系专线工作人员"
        case (.close, .closed), (.dispatch, .closed), (.answerDirectly, .closed), (.merge, .closed),
             (.withdraw, .closed), (.supervise, .closed), (.sign, .closed), (.draftReply, .closed):
            reason = "诉求已办结，不能\(event.label)"
        case (_, .merged):
            reason = "诉求已合并到其他诉求，不能\(event.label)"
        case (_, .withdrawn):
            reason = "诉求已被诉求人撤回，不能\(event.label)"
        default: break
        }
        return AppealRefusal(.wrongState, reason)
    }

    /// State and role rules only: the next state, or a Chinese refusal saying who may do it in which state.
    /// Assignment (which unit), appeal type, rating and input checks need the facts: use `apply(_:to:actor:limits:)`
    /// with an `AppealCase`. Here any unit counts as the lead unit.
    public static func apply(_ event: AppealEvent, to state: AppealState, actor: AppealActor)
        -> Result<AppealState, AppealRefusal> {
        let r = rule(for: event)
        guard r.roles.contains(role(actor)) else { return .failure(roleRefusal(event, r.roles)) }
        guard r.from.contains(state) else { return .failure(stateRefusal(event, state, r.from)) }
        return .success(r.next(state))
    }

    private static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    private static func checkUnits(_ units: [String], _ appeal: AppealCase, verb: String) -> AppealRefusal? {
        let ids = units.map(trimmed)
        if ids.isEmpty { return AppealRefusal(.invalidInput, "\(verb)时至少要指定一个承办单位") }
        if ids.contains(where: \.isEmpty) { return AppealRefusal(.invalidInput, "承办单位不能为空") }
        if Set(ids).count != ids.count { return AppealRefusal(.invalidInput, "同一承办单位不能重复指定") }
        if appeal.type == .report, let hit = ids.first(where: { appeal.reportedUnitIDs.contains($0) }) {
            return AppealRefusal(.notAllowed, "举报件不得派给被举报单位办理（\(hit)），请改派其他单位")
        }
        return nil
    }

    /// Applies `event` by `actor` to the appeal: the updated facts, or a Chinese refusal.
    ///
    /// Beyond the state/role rules: a unit acts only in its own name and only on appeals assigned to it;
    /// assisting units (协办) may sign while the appeal is with units and may return before signing (they are
    /// then dropped, the state unchanged); only the lead unit (主办) drafts the reply and asks for extensions;
    /// only consultations are answered directly; a 举报 is never dispatched to a reported unit; extensions in
    /// a round total at most `limits.maxExtensionWorkingDays`; 重办 only after 不满意 and it starts a new
    /// round (rating, outcome, extensions cleared); each round is rated once.
    public static func apply(_ event: AppealEvent, to appeal: AppealCase, actor: AppealActor,
                             limits: AppealTimeLimits = AppealTimeLimits()) -> Result<AppealCase, AppealRefusal> {
        var a = appeal

        // Unit identity and assignment checks come first so a foreign unit learns nothing else.
        switch event {
        case .sign(let unit), .returnToOffice(let unit, _), .draftReply(let unit, _):
            guard let me = actor.unitID else { return .failure(roleRefusal(event, [.unit])) }
            guard me == unit else { return .failure(AppealRefusal(.notAssigned, "不能以其他单位的名义\(event.label)")) }
            guard a.assignedUnitIDs.contains(me) else {
                return .failure(AppealRefusal(.notAssigned, "该诉求未派给本单位，不能\(event.label)"))
            }
        case .requestExtension:
            if let me = actor.unitID, !a.assignedUnitIDs.contains(me) {
                return .failure(AppealRefusal(.notAssigned, "该诉求未派给本单位，不能\(event.label)"))
            }
        default: break
        }

        // Assisting units sign and return without moving the state.
        if let me = actor.unitID, me != a.leadUnitID, a.assistingUnitIDs.contains(me) {
            switch event {
            case .sign:
                guard a.state.isWithUnit else { return .failure(stateRefusal(event, a.state, [.dispatched])) }
                guard !a.signedUnitIDs.contains(me) else {
                    return .failure(AppealRefusal(.wrongState, "本单位已签收该诉求，不能重复签收"))
                }
                a.signedUnitIDs.append(me)
                return .success(a)
            case .returnToOffice(_, let reason):
                guard a.state.isWithUnit else { return .failure(stateRefusal(event, a.state, [.dispatched])) }
                guard !a.signedUnitIDs.contains(me) else {
                    return .failure(AppealRefusal(.wrongState, "已签收的诉求不能退单，请按时办理；如确需调整承办单位，请联系专线工作人员"))
                }
                guard !trimmed(reason).isEmpty else { return .failure(AppealRefusal(.invalidInput, "退单时必须填写退单理由")) }
                guard !a.returnWindowExpired else {
                    return .failure(AppealRefusal(.notAllowed, "已超过退单时限，请签收后办理；如确需调整请联系专线工作人员"))
                }
                a.assistingUnitIDs.removeAll { $0 == me }
                return .success(a)
            case .requestExtension, .draftReply:
                return .failure(AppealRefusal(.notAssigned, "本单位为协办单位，\(event.label)须由主办单位办理，请将协办意见报送主办单位"))
            default: break
            }
        }

        let next: AppealState
        switch apply(event, to: a.state, actor: actor) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let s): next = s
        }

        switch event {
        case .dispatch(let units):
            if let refusal = checkUnits(units, a, verb: "派单") { return .failure(refusal) }
            if a.state == .dispatched, !a.signedUnitIDs.isEmpty {
                return .failure(AppealRefusal(.notAllowed, "已有单位签收，不能直接改派；请待其退单或联系相关单位"))
            }
            let ids = units.map(trimmed)
            a.leadUnitID = ids[0]
            a.assistingUnitIDs = Array(ids.dropFirst())
            a.signedUnitIDs = []
            a.returnWindowExpired = false

        case .answerDirectly(let text):
            guard a.type == .consultation else {
                return .failure(AppealRefusal(.notAllowed, "只有咨询类诉求可以直接答复，\(a.type.label)类诉求须派单办理"))
            }
            guard !trimmed(text).isEmpty else { return .failure(AppealRefusal(.invalidInput, "答复内容不能为空")) }
            a.sentReply = text
            a.leadUnitID = nil
            a.assistingUnitIDs = []
            a.signedUnitIDs = []

        case .sign(let unit):
            a.signedUnitIDs.append(unit)

        case .returnToOffice(_, let reason):
            guard !trimmed(reason).isEmpty else { return .failure(AppealRefusal(.invalidInput, "退单时必须填写退单理由")) }
            guard !a.returnWindowExpired else {
                return .failure(AppealRefusal(.notAllowed, "已超过退单时限，请签收后办理；如确需调整请联系专线工作人员"))
            }
            a.leadUnitID = nil
            a.assistingUnitIDs = []
            a.signedUnitIDs = []

        case .requestExtension(let days, let reason):
            guard days >= 1 else { return .failure(AppealRefusal(.invalidInput, "延期天数应至少为 1 个工作日")) }
            guard !trimmed(reason).isEmpty else { return .failure(AppealRefusal(.invalidInput, "申请延期时必须说明理由")) }
            let cap = limits.maxExtensionWorkingDays
            guard a.grantedExtensionDays + days <= cap else {
                return .failure(AppealRefusal(.notAllowed,
                    "延期累计不得超过 \(cap) 个工作日（已延期 \(a.grantedExtensionDays) 个工作日，本次申请 \(days) 个工作日）"))
            }
            a.pendingExtensionDays = days

        case .approveExtension(let days):
            let requested = a.pendingExtensionDays ?? 0
            guard days >= 1, days <= requested else {
                return .failure(AppealRefusal(.invalidInput, "批准的延期天数应在 1 至 \(requested) 个工作日之间（申请 \(requested) 个工作日）"))
            }
            a.grantedExtensionDays += days
            a.pendingExtensionDays = nil

        case .rejectExtension(let reason):
            guard !trimmed(reason).isEmpty else { return .failure(AppealRefusal(.invalidInput, "驳回延期申请时必须说明理由")) }
            a.pendingExtensionDays = nil

        case .draftReply(_, let text):
            guard !trimmed(text).isEmpty else { return .failure(AppealRefusal(.invalidInput, "答复内容不能为空")) }
            a.draftReply = text

        case .approveReply:
            a.sentReply = a.draftReply
            a.draftReply = nil

        case .sendBackReply(let reason):
            guard !trimmed(reason).isEmpty else { return .failure(AppealRefusal(.invalidInput, "退回答复时必须填写审核意见")) }

        case .rate(let satisfaction, let comment):
            guard a.satisfaction == nil else {
                return .failure(AppealRefusal(.wrongState, "本次办理已评价，不能重复评价"))
            }
            if satisfaction == .dissatisfied, trimmed(comment).isEmpty {
                return .failure(AppealRefusal(.invalidInput, "评价为“不满意”时请填写不满意的原因"))
            }
            a.satisfaction = satisfaction
            a.ratingComment = trimmed(comment).isEmpty ? nil : comment

        case .reopen(let units):
            guard a.satisfaction == .dissatisfied else {
                return .failure(AppealRefusal(.notAllowed, "只有诉求人评价为“不满意”的诉求才能重办"))
            }
            if let refusal = checkUnits(units, a, verb: "重办") { return .failure(refusal) }
            let ids = units.map(trimmed)
            a.leadUnitID = ids[0]
            a.assistingUnitIDs = Array(ids.dropFirst())
            a.signedUnitIDs = []
            a.returnWindowExpired = false
            a.reopenCount += 1
            a.satisfaction = nil
            a.ratingComment = nil
            a.outcome = nil
            a.draftReply = nil
            a.sentReply = nil
            a.pendingExtensionDays = nil
            a.grantedExtensionDays = 0
            a.supervisionLevel = nil

        case .close(let outcome):
            a.outcome = outcome

        case .merge(let target):
            guard AppealNumber.isValid(target) else {
                return .failure(AppealRefusal(.invalidInput, "合并目标编号“\(target)”格式无效，应形如 YS2026-00001234"))
            }
            guard target != a.number else { return .failure(AppealRefusal(.invalidInput, "不能将诉求合并到其自身")) }
            a.mergedInto = target

        case .supervise(let level, let reason):
            guard !trimmed(reason).isEmpty else { return .failure(AppealRefusal(.invalidInput, "督办时必须说明督办事由")) }
            a.supervisionLevel = max(a.supervisionLevel ?? level, level)

        case .withdraw(let reason):
            guard !trimmed(reason).isEmpty else { return .failure(AppealRefusal(.invalidInput, "撤回诉求时请说明原因")) }
        }

        a.state = next
        return .success(a)
    }
}
