import Foundation
import Testing
@testable import YingshangCore

@Suite("Appeal lifecycle")
struct AppealLifecycleTests {
    enum Who: CaseIterable { case office, unit, appellant, system }

    static func actor(_ w: Who) -> AppealActor {
        switch w {
        case .office: return .office
        case .unit: return .unit("u1")
        case .appellant: return .appellant
        case .system: return .system
        }
    }

    /// One sample per event kind.
    static let samples: [(String, AppealEvent)] = [
        ("dispatch", .dispatch(units: ["u1"])),
        ("answerDirectly", .answerDirectly(text: "答复")),
        ("sign", .sign(unit: "u1")),
        ("return", .returnToOffice(unit: "u1", reason: "非本单位职责")),
        ("requestExtension", .requestExtension(days: 3, reason: "需现场核查")),
        ("approveExtension", .approveExtension(days: 3)),
        ("rejectExtension", .rejectExtension(reason: "理由不充分")),
        ("draftReply", .draftReply(unit: "u1", text: "已处理")),
        ("approveReply", .approveReply),
        ("sendBackReply", .sendBackReply(reason: "答复不完整")),
        ("rate", .rate(satisfaction: .satisfied, comment: "")),
        ("reopen", .reopen(units: ["u1"])),
        ("close", .close(outcome: .resolved)),
        ("merge", .merge(into: "YS2026-00000001")),
        ("supervise", .supervise(level: .supervision, reason: "逾期")),
        ("withdraw", .withdraw(reason: "问题已自行解决")),
    ]

    /// Hand-written: (event, from, who) → next. Everything else must be refused.
    static let allowed: [String: [(AppealState, Who, AppealState)]] = [
        "dispatch": [(.received, .office, .dispatched), (.returned, .office, .dispatched), (.dispatched, .office, .dispatched)],
        "answerDirectly": [(.received, .office, .answered), (.returned, .office, .answered)],
        "sign": [(.dispatched, .unit, .signed)],
        "return": [(.dispatched, .unit, .returned)],
        "requestExtension": [(.signed, .unit, .extensionRequested)],
        "approveExtension": [(.extensionRequested, .office, .signed)],
        "rejectExtension": [(.extensionRequested, .office, .signed)],
        "draftReply": [(.signed, .unit, .replied)],
        "approveReply": [(.replied, .office, .answered)],
        "sendBackReply": [(.replied, .office, .signed)],
        "rate": [(.answered, .appellant, .rated), (.closed, .appellant, .closed)],
        "reopen": [(.rated, .office, .dispatched), (.closed, .office, .dispatched)],
        "close": [(.answered, .office, .closed), (.rated, .office, .closed)],
        "merge": [(.received, .office, .merged), (.dispatched, .office, .merged), (.returned, .office, .merged)],
        "supervise": [.dispatched, .signed, .extensionRequested, .replied].flatMap { s in
            [(s, Who.office, s), (s, Who.system, s)]
        },
        "withdraw": [.received, .returned, .dispatched, .signed, .extensionRequested, .replied].map { ($0, Who.appellant, .withdrawn) },
    ]

    @Test("every event × state × actor is allowed or refused exactly as tabled")
    func fullTable() {
        #expect(Self.allowed.count == Self.samples.count)
        var checked = 0
        for (name, event) in Self.samples {
            let rows = Self.allowed[name] ?? []
            for state in AppealState.allCases {
                for who in Who.allCases {
                    let result = AppealLifecycle.apply(event, to: state, actor: Self.actor(who))
                    checked += 1
                    if let row = rows.first(where: { $0.0 == state && $0.1 == who }) {
                        #expect(result == .success(row.2), "\(name) in \(state) by \(who)")
                    } else {
                        guard case .failure(let refusal) = result else {
                            Issue.record("\(name) in \(state) by \(who) should be refused, got \(result)")
                            continue
                        }
                        #expect(!refusal.reason.isEmpty)
                        // A wrong actor is told who may do it; a right actor is told about the state.
                        if rows.contains(where: { $0.1 == who }) {
                            #expect(refusal.kind == .wrongState, "\(name) in \(state) by \(who)")
                        } else {
                            #expect(refusal.kind == .wrongActor, "\(name) in \(state) by \(who)")
                            #expect(refusal.reason.hasPrefix("只有"))
                        }
                    }
                }
            }
        }
        #expect(checked == 16 * AppealState.allCases.count * 4)
    }

    @Test func stateLabelsAndOpenness() {
        #expect(AppealState.received.label == "已受理")
        #expect(AppealState.replied.label == "已答复（待审核）")
        #expect(AppealState.answered.label == "已答复（已发出）")
        #expect(AppealState.closed.label == "已办结")
        #expect(AppealState.allCases.filter { !$0.isOpen } == [.closed, .merged, .withdrawn])
        #expect(Set(AppealState.allCases.map(\.label)).count == AppealState.allCases.count)
    }

    // MARK: With facts

    func dispatched(_ units: [String] = ["lead", "helper"], type: AppealType = .complaint) -> AppealCase {
        var c = AppealCase(number: "YS2026-00000007", type: type)
        c = apply(.dispatch(units: units), c, .office)
        return c
    }

    func apply(_ e: AppealEvent, _ c: AppealCase, _ a: AppealActor, sourceLocation: SourceLocation = #_sourceLocation) -> AppealCase {
        switch AppealLifecycle.apply(e, to: c, actor: a) {
        case .success(let next): return next
        case .failure(let r):
            Issue.record("unexpected refusal: \(r.reason)", sourceLocation: sourceLocation)
            return c
        }
    }

    func refusal(_ e: AppealEvent, _ c: AppealCase, _ a: AppealActor) -> AppealRefusal? {
        if case .failure(let r) = AppealLifecycle.apply(e, to: c, actor: a) { return r }
        return nil
    }

    /// Walks to 已答复（已发出）.
    func answered() -> AppealCase {
        var c = dispatched()
        c = apply(.sign(unit: "lead"), c, .unit("lead"))
        c = apply(.draftReply(unit: "lead", text: "已协调退税"), c, .unit("lead"))
        return apply(.approveReply, c, .office)
    }

    @Test func happyPathRecordsFacts() {
        var c = dispatched()
        #expect(c.state == .dispatched && c.leadUnitID == "lead" && c.assistingUnitIDs == ["helper"])
        c = apply(.sign(unit: "helper"), c, .unit("helper"))
        #expect(c.state == .dispatched, "an assisting unit's signature does not move the state")
        c = apply(.sign(unit: "lead"), c, .unit("lead"))
        #expect(c.state == .signed && c.signedUnitIDs == ["helper", "lead"])
        c = apply(.requestExtension(days: 5, reason: "需多部门会商"), c, .unit("lead"))
        #expect(c.state == .extensionRequested && c.pendingExtensionDays == 5)
        c = apply(.approveExtension(days: 3), c, .office)
        #expect(c.state == .signed && c.grantedExtensionDays == 3 && c.pendingExtensionDays == nil)
        c = apply(.draftReply(unit: "lead", text: "初稿"), c, .unit("lead"))
        c = apply(.sendBackReply(reason: "未说明办理依据"), c, .office)
        #expect(c.state == .signed && c.draftReply == "初稿")
        c = apply(.draftReply(unit: "lead", text: "终稿"), c, .unit("lead"))
        c = apply(.approveReply, c, .office)
        #expect(c.state == .answered && c.sentReply == "终稿" && c.draftReply == nil)
        c = apply(.rate(satisfaction: .basicallySatisfied, comment: ""), c, .appellant)
        #expect(c.state == .rated && c.satisfaction == .basicallySatisfied)
        c = apply(.close(outcome: .resolved), c, .office)
        #expect(c.state == .closed && c.outcome == .resolved)
    }

    @Test func unitCannotSignAppealDispatchedToAnotherUnit() {
        let c = dispatched(["lead"])
        let r = refusal(.sign(unit: "stranger"), c, .unit("stranger"))
        #expect(r?.kind == .notAssigned)
        #expect(r?.reason == "该诉求未派给本单位，不能签收")
        // Nor sign in another unit's name.
        #expect(refusal(.sign(unit: "lead"), c, .unit("stranger"))?.kind == .notAssigned)
        // Nor return or reply for it.
        #expect(refusal(.returnToOffice(unit: "stranger", reason: "x"), c, .unit("stranger"))?.kind == .notAssigned)
        #expect(refusal(.requestExtension(days: 1, reason: "x"), c, .unit("stranger"))?.kind == .notAssigned)
    }

    @Test func approvingReplyTwiceIsRefused() {
        let c = answered()
        let r = refusal(.approveReply, c, .office)
        #expect(r?.kind == .wrongState)
        #expect(r?.reason == "答复已审核通过并发出，不能重复审核")
    }

    @Test func ratingBeforeAnsweringIsRefused() {
        var c = dispatched()
        #expect(refusal(.rate(satisfaction: .satisfied, comment: ""), c, .appellant)?.reason == "诉求尚未答复，暂不能评价")
        c = apply(.sign(unit: "lead"), c, .unit("lead"))
        c = apply(.draftReply(unit: "lead", text: "答复"), c, .unit("lead"))
        // The draft is not yet checked by the office.
        #expect(refusal(.rate(satisfaction: .satisfied, comment: ""), c, .appellant)?.kind == .wrongState)
    }

    @Test func reopenOnlyAfterDissatisfied() {
        var c = answered()
        c = apply(.rate(satisfaction: .satisfied, comment: "很好"), c, .appellant)
        #expect(refusal(.reopen(units: ["lead"]), c, .office)?.reason == "只有诉求人评价为“不满意”的诉求才能重办")
        c = apply(.close(outcome: .resolved), c, .office)
        #expect(refusal(.reopen(units: ["lead"]), c, .office)?.kind == .notAllowed)

        var d = answered()
        #expect(refusal(.rate(satisfaction: .dissatisfied, comment: "  "), d, .appellant)?.kind == .invalidInput)
        d = apply(.rate(satisfaction: .dissatisfied, comment: "退税仍未到账"), d, .appellant)
        #expect(refusal(.rate(satisfaction: .satisfied, comment: ""), d, .appellant)?.reason == "本次办理已评价，不能重复评价")
        d = apply(.reopen(units: ["other", "lead"]), d, .office)
        #expect(d.state == .dispatched && d.leadUnitID == "other" && d.assistingUnitIDs == ["lead"])
        #expect(d.reopenCount == 1 && d.satisfaction == nil && d.sentReply == nil && d.signedUnitIDs.isEmpty)
        // The new round can be rated again.
        d = apply(.sign(unit: "other"), d, .unit("other"))
        d = apply(.draftReply(unit: "other", text: "已到账"), d, .unit("other"))
        d = apply(.approveReply, d, .office)
        d = apply(.rate(satisfaction: .satisfied, comment: ""), d, .appellant)
        #expect(d.state == .rated)
    }

    @Test func ratingAfterClosureAndReopenFromClosed() {
        var c = answered()
        c = apply(.close(outcome: .unresolved), c, .office)
        #expect(refusal(.reopen(units: ["lead"]), c, .office)?.kind == .notAllowed, "not rated yet")
        c = apply(.rate(satisfaction: .dissatisfied, comment: "没解决"), c, .appellant)
        #expect(c.state == .closed && c.satisfaction == .dissatisfied)
        c = apply(.reopen(units: ["lead"]), c, .office)
        #expect(c.state == .dispatched && c.outcome == nil)
    }

    @Test func directAnswerOnlyForConsultations() {
        let complaint = AppealCase(number: "YS2026-00000001", type: .complaint)
        #expect(refusal(.answerDirectly(text: "答复"), complaint, .office)?.reason == "只有咨询类诉求可以直接答复，投诉类诉求须派单办理")
        let q = AppealCase(number: "YS2026-00000002", type: .consultation)
        #expect(refusal(.answerDirectly(text: " "), q, .office)?.kind == .invalidInput)
        let a = apply(.answerDirectly(text: "可在电子税务局办理"), q, .office)
        #expect(a.state == .answered && a.sentReply == "可在电子税务局办理" && a.leadUnitID == nil)
    }

    @Test func reportNeverDispatchedToReportedUnit() {
        let c = AppealCase(number: "YS2026-00000003", type: .report, reportedUnitIDs: ["bureauX"])
        let r = refusal(.dispatch(units: ["inspector", "bureauX"]), c, .office)
        #expect(r?.kind == .notAllowed)
        #expect(r?.reason.contains("举报件不得派给被举报单位") == true)
        #expect(apply(.dispatch(units: ["inspector"]), c, .office).state == .dispatched)
        // Same rule for a non-report: allowed.
        let ordinary = AppealCase(number: "YS2026-00000004", type: .complaint, reportedUnitIDs: ["bureauX"])
        #expect(apply(.dispatch(units: ["bureauX"]), ordinary, .office).leadUnitID == "bureauX")
    }

    @Test func dispatchInputChecks() {
        let c = AppealCase(number: "YS2026-00000005", type: .help)
        #expect(refusal(.dispatch(units: []), c, .office)?.kind == .invalidInput)
        #expect(refusal(.dispatch(units: ["a", "a"]), c, .office)?.reason == "同一承办单位不能重复指定")
        #expect(refusal(.dispatch(units: ["a", " "]), c, .office)?.kind == .invalidInput)
        // Changing units before anyone signed is fine; after a signature it is not.
        var d = apply(.dispatch(units: ["a", "b"]), c, .office)
        d = apply(.dispatch(units: ["c"]), d, .office)
        #expect(d.leadUnitID == "c" && d.assistingUnitIDs.isEmpty)
        d = apply(.dispatch(units: ["c", "b"]), d, .office)
        d = apply(.sign(unit: "b"), d, .unit("b"))
        #expect(refusal(.dispatch(units: ["e"]), d, .office)?.kind == .notAllowed)
    }

    @Test func returnsAndReDispatch() {
        var c = dispatched()
        #expect(refusal(.returnToOffice(unit: "lead", reason: ""), c, .unit("lead"))?.reason == "退单时必须填写退单理由")
        // Assisting unit returns: dropped, state unchanged.
        c = apply(.returnToOffice(unit: "helper", reason: "非本单位职责"), c, .unit("helper"))
        #expect(c.state == .dispatched && c.assistingUnitIDs.isEmpty)
        #expect(refusal(.sign(unit: "helper"), c, .unit("helper"))?.kind == .notAssigned)
        // Lead returns: back to the office.
        c = apply(.returnToOffice(unit: "lead", reason: "应由市场监管部门办理"), c, .unit("lead"))
        #expect(c.state == .returned && c.leadUnitID == nil)
        c = apply(.dispatch(units: ["market"]), c, .office)
        #expect(c.state == .dispatched && c.leadUnitID == "market")
        // Past the return window.
        c.returnWindowExpired = true
        #expect(refusal(.returnToOffice(unit: "market", reason: "x"), c, .unit("market"))?.kind == .notAllowed)
        // Signed: no return.
        var s = dispatched()
        s = apply(.sign(unit: "lead"), s, .unit("lead"))
        #expect(refusal(.returnToOffice(unit: "lead", reason: "x"), s, .unit("lead"))?.kind == .wrongState)
        s = apply(.sign(unit: "helper"), s, .unit("helper"))
        #expect(refusal(.sign(unit: "helper"), s, .unit("helper"))?.reason == "本单位已签收该诉求，不能重复签收")
        #expect(refusal(.returnToOffice(unit: "helper", reason: "x"), s, .unit("helper"))?.kind == .wrongState)
    }

    @Test func onlyLeadUnitRepliesAndAsksForTime() {
        var c = dispatched()
        c = apply(.sign(unit: "lead"), c, .unit("lead"))
        c = apply(.sign(unit: "helper"), c, .unit("helper"))
        #expect(refusal(.draftReply(unit: "helper", text: "x"), c, .unit("helper"))?.kind == .notAssigned)
        #expect(refusal(.requestExtension(days: 2, reason: "x"), c, .unit("helper"))?.kind == .notAssigned)
        #expect(refusal(.draftReply(unit: "lead", text: "  "), c, .unit("lead"))?.kind == .invalidInput)
    }

    @Test func extensionLimits() {
        var c = dispatched()
        c = apply(.sign(unit: "lead"), c, .unit("lead"))
        #expect(refusal(.requestExtension(days: 0, reason: "x"), c, .unit("lead"))?.kind == .invalidInput)
        #expect(refusal(.requestExtension(days: 2, reason: ""), c, .unit("lead"))?.kind == .invalidInput)
        #expect(refusal(.requestExtension(days: 16, reason: "x"), c, .unit("lead"))?.kind == .notAllowed)
        c = apply(.requestExtension(days: 10, reason: "需第三方检测"), c, .unit("lead"))
        #expect(refusal(.approveExtension(days: 11), c, .office)?.kind == .invalidInput)
        #expect(refusal(.rejectExtension(reason: ""), c, .office)?.kind == .invalidInput)
        c = apply(.approveExtension(days: 10), c, .office)
        let r = refusal(.requestExtension(days: 6, reason: "检测未完成"), c, .unit("lead"))
        #expect(r?.reason == "延期累计不得超过 15 个工作日（已延期 10 个工作日，本次申请 6 个工作日）")
        c = apply(.requestExtension(days: 5, reason: "检测未完成"), c, .unit("lead"))
        c = apply(.rejectExtension(reason: "请按期答复"), c, .office)
        #expect(c.state == .signed && c.grantedExtensionDays == 10 && c.pendingExtensionDays == nil)
        // A custom cap.
        var d = dispatched()
        d = apply(.sign(unit: "lead"), d, .unit("lead"))
        let capped = AppealLifecycle.apply(.requestExtension(days: 4, reason: "x"), to: d, actor: .unit("lead"),
                                           limits: AppealTimeLimits(maxExtensionWorkingDays: 3))
        #expect((try? capped.get()) == nil)
    }

    @Test func mergeSuperviseWithdraw() {
        let c = dispatched()
        #expect(refusal(.merge(into: "YS2026-00000007"), c, .office)?.reason == "不能将诉求合并到其自身")
        #expect(refusal(.merge(into: "2026-7"), c, .office)?.kind == .invalidInput)
        let m = apply(.merge(into: "YS2026-00000001"), c, .office)
        #expect(m.state == .merged && m.mergedInto == "YS2026-00000001")
        #expect(refusal(.sign(unit: "lead"), m, .unit("lead"))?.reason == "诉求已合并到其他诉求，不能签收")

        var s = apply(.supervise(level: .supervision, reason: "签收超时"), c, .system)
        s = apply(.supervise(level: .reminder, reason: "再次提醒"), s, .office)
        #expect(s.supervisionLevel == .supervision && s.state == .dispatched, "level never drops")
        s = apply(.supervise(level: .listed, reason: "严重超期"), s, .office)
        #expect(s.supervisionLevel == .listed)
        #expect(refusal(.supervise(level: .reminder, reason: ""), c, .office)?.kind == .invalidInput)

        #expect(refusal(.withdraw(reason: ""), c, .appellant)?.kind == .invalidInput)
        let w = apply(.withdraw(reason: "已自行解决"), c, .appellant)
        #expect(w.state == .withdrawn && !w.state.isOpen)
        #expect(refusal(.withdraw(reason: "x"), answered(), .appellant)?.kind == .wrongState)
    }

    @Test func eventAndActorCodableRoundTrip() throws {
        for (_, e) in Self.samples {
            let data = try JSONEncoder().encode(e)
            #expect(try JSONDecoder().decode(AppealEvent.self, from: data) == e)
        }
        let c = answered()
        #expect(try JSONDecoder().decode(AppealCase.self, from: JSONEncoder().encode(c)) == c)
        #expect(Set(Self.samples.map(\.1.label)).count == Self.samples.count)
    }
}
