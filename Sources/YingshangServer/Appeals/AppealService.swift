import Fluent
import Vapor
import YingshangCore

/// Every step after intake: the core's lifecycle decides, this stores the result (the case JSON, the
/// derived columns, a timeline entry, the audit log) and notifies the units concerned, atomically.
struct AppealService {
    let db: any Database
    let actor: Principal

    static func lifecycleCase(of appeal: Appeal) -> AppealCase? {
        try? JSONDecoder().decode(AppealCase.self, from: Data(appeal.caseJSON.utf8))
    }

    @discardableResult
    func perform(_ event: AppealEvent, on appeal: Appeal, as lifecycleActor: AppealActor, today: CivilDate = Today.civil()) async throws -> Appeal {
        guard let current = Self.lifecycleCase(of: appeal) else { throw APIError.conflict("诉求数据已损坏，请联系管理员") }
        let settings = try await AppealSettings.load(on: db)
        let next: AppealCase
        switch AppealLifecycle.apply(event, to: current, actor: lifecycleActor, limits: settings.limits) {
        case .success(let value): next = value
        case .failure(let refusal):
            throw APIError(status: refusal.kind == .notAssigned ? .forbidden : .unprocessableEntity,
                           code: "appeal_\(refusal.kind.rawValue)", message: refusal.reason)
        }
        let calendar = try await CalendarService(db: db).calendar()
        let id = try appeal.requireID()
        let actor = actor
        let before = current.state
        return try await Transactions.run(on: db) { tx in
            guard let fresh = try await Appeal.find(id, on: tx), fresh.caseJSON == appeal.caseJSON else {
                throw APIError.conflict("该诉求刚被他人处理，请刷新页面后再操作")
            }
            fresh.caseJSON = try AuditLog.snapshot(next)
            fresh.state = next.state.rawValue
            fresh.leadUnitID = next.leadUnitID.flatMap(UUID.init(uuidString:))
            fresh.assistingUnitIDs = next.assistingUnitIDs.compactMap(UUID.init(uuidString:))
            fresh.replyText = next.sentReply ?? next.draftReply
            fresh.satisfaction = next.satisfaction?.rawValue
            fresh.ratingComment = next.ratingComment
            fresh.outcome = next.outcome?.rawValue
            fresh.mergedInto = next.mergedInto
            fresh.extensionDays = next.grantedExtensionDays
            switch event {
            case .dispatch, .reopen:
                fresh.dispatchedOn = today.iso
                fresh.signBy = AppealDeadlines.signBy(dispatchedOn: today, limits: settings.limits, calendar: calendar).iso
                fresh.signedOn = nil
                if case .reopen = event {
                    fresh.replyBy = AppealDeadlines.replyBy(type: next.type, receivedOn: today, limits: settings.limits, calendar: calendar).iso
                }
            case .sign:
                fresh.signedOn = fresh.signedOn ?? today.iso
            case .approveExtension:
                let type = AppealType(rawValue: fresh.type) ?? .complaint
                let received = CivilDate(iso: fresh.receivedOn) ?? today
                fresh.replyBy = AppealDeadlines.replyBy(type: type, receivedOn: received, extensionDays: next.grantedExtensionDays,
                                                        limits: settings.limits, calendar: calendar).iso
            default: break
            }
            if next.state == .answered && before != .answered { fresh.answeredAt = Date() }
            if next.state == .closed { fresh.closedAt = Date() }
            try await fresh.save(on: tx)
            try await AppealUnit.sync(fresh, on: tx)
            try await AppealStatisticsStore.markDirty([fresh.receivedOn], on: tx)
            let (text, isPublic) = Self.describe(event, next: next)
            try await AppealTimeline.add(fresh, kind: Self.kind(of: event), actor: actor.auditLabel,
                                         unitID: lifecycleActor.unitID.flatMap(UUID.init(uuidString:)), text: text, isPublic: isPublic, on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "appeal", entityID: id.uuidString,
                                      before: ["state": before.rawValue], after: ["state": next.state.rawValue, "event": event.label, "text": text])
            if next.state == .answered && before != .answered, let reply = next.sentReply {
                // Appeals merged into this one are answered by its reply (并单).
                for merged in try await Appeal.query(on: tx).filter(\.$mergedInto == fresh.number).all() {
                    try await AppealTimeline.add(merged, kind: "answer", actor: actor.auditLabel, unitID: nil,
                                                 text: "已与诉求 \(fresh.number) 合并办理，答复：\(reply)", isPublic: true, on: tx)
                }
            }
            for unit in Self.unitsToNotify(event) {
                try await Notifier(db: tx).notify(orgUnitID: unit, title: "新派诉求：\(fresh.number)",
                                                  body: "\(fresh.title)。请于 \(fresh.signBy ?? "") 前签收，\(fresh.replyBy ?? "") 前答复。",
                                                  link: "/appeals/\(id)")
            }
            return fresh
        }
    }

    static func unitsToNotify(_ event: AppealEvent) -> [UUID] {
        switch event {
        case .dispatch(let units), .reopen(let units): units.compactMap(UUID.init(uuidString:))
        default: []
        }
    }

    static func kind(of event: AppealEvent) -> String {
        switch event {
        case .dispatch: "dispatch"
        case .answerDirectly: "answer"
        case .sign: "sign"
        case .returnToOffice: "return"
        case .requestExtension, .approveExtension, .rejectExtension: "extension"
        case .draftReply: "draft_reply"
        case .approveReply: "answer"
        case .sendBackReply: "send_back"
        case .rate: "rate"
        case .reopen: "reopen"
        case .close: "close"
        case .merge: "merge"
        case .supervise: "supervise"
        case .withdraw: "withdraw"
        }
    }

    /// The timeline text, and whether the appellant sees it on the query page.
    static func describe(_ event: AppealEvent, next: AppealCase) -> (String, Bool) {
        switch event {
        case .dispatch: ("已派单至承办单位办理", true)
        case .answerDirectly(let text): ("专线直接答复：\(text)", true)
        case .sign: ("承办单位已签收，正在办理", true)
        case .returnToOffice(_, let reason): ("承办单位退单：\(reason)", false)
        case .requestExtension(let days, let reason): ("申请延期 \(days) 个工作日：\(reason)", false)
        case .approveExtension(let days): ("已批准延期 \(days) 个工作日", true)
        case .rejectExtension(let reason): ("驳回延期申请：\(reason)", false)
        case .draftReply(_, let text): ("承办单位提交答复（待审核）：\(text)", false)
        case .approveReply: ("答复：\(next.sentReply ?? "")", true)
        case .sendBackReply(let reason): ("答复被退回修改：\(reason)", false)
        case .rate(let satisfaction, let comment): ("评价：\(satisfaction.label)\(comment.isEmpty ? "" : "，\(comment)")", true)
        case .reopen: ("重新交办（重办）", true)
        case .close(let outcome): ("已办结：\(outcome.label)", true)
        case .merge(let into): ("已与诉求 \(into) 合并办理", true)
        case .supervise(let level, let reason): ("\(level.label)：\(reason)", false)
        case .withdraw(let reason): ("已撤回：\(reason)", true)
        }
    }
}
