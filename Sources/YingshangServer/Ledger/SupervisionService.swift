import Fluent
import Vapor
import YingshangCore

/// Supervision orders (督办单): the one API the ledger, appeals and evaluation use to open, answer and
/// close them. Opening notifies the responsible units' staff; everything is audited.
struct SupervisionService {
    let db: any Database
    let actor: Principal?

    struct Opening: Sendable {
        var sourceType: String
        var sourceID: UUID
        var sourceTitle: String
        var trigger: SupervisionTrigger
        var level: SupervisionLevel
        var reason: String
        var rectifyBy: CivilDate
        var unitIDs: [UUID]
        /// For rule-opened orders: the rule's key; an order with the same key is never opened twice.
        var ruleKey: String?
        var link: String
    }

    /// Opens an order; returns nil when a rule's order with the same key already exists.
    @discardableResult
    func open(_ opening: Opening, today: CivilDate = Today.civil()) async throws -> SupervisionOrder? {
        if let key = opening.ruleKey, try await SupervisionOrder.query(on: db).filter(\.$ruleKey == key).first() != nil {
            return nil
        }
        let reason = opening.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw APIError.validation(["reason": "请填写督办事由"]) }
        guard opening.rectifyBy >= today else { throw APIError.validation(["rectify_by": "整改期限不能早于今天"]) }
        guard !opening.unitIDs.isEmpty else { throw APIError.validation(["unit_ids": "请选择被督办单位"]) }
        let actor = actor
        let order = try await Transactions.run(on: db) { tx in
            let order = SupervisionOrder()
            order.sourceType = opening.sourceType
            order.sourceID = opening.sourceID
            order.sourceTitle = opening.sourceTitle
            order.trigger = opening.trigger.rawValue
            order.level = opening.level.rawValue
            order.reason = reason
            order.rectifyBy = opening.rectifyBy.iso
            order.unitIDs = opening.unitIDs
            order.state = SupervisionState.open.rawValue
            order.openedBy = actor?.userID
            order.ruleKey = opening.ruleKey
            order.openedOn = today.iso
            try await order.create(on: tx)
            let id = try order.requireID()
            try await AuditLog.record(on: tx, actor: actor, action: .open, entityType: "supervision_order",
                                      entityID: id.uuidString, before: nil,
                                      after: ["source": opening.sourceTitle, "level": opening.level.label, "reason": reason,
                                              "rectify_by": opening.rectifyBy.iso])
            for unitID in opening.unitIDs {
                try await Notifier(db: tx).notify(orgUnitID: unitID, title: "\(opening.level.label)：\(opening.sourceTitle)",
                                                  body: "\(reason)。请于 \(opening.rectifyBy.iso) 前整改并答复。",
                                                  link: "/ledger/supervision/\(id)")
            }
            return order
        }
        return order
    }

    func respond(_ order: SupervisionOrder, text: String) async throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw APIError.validation(["response": "请填写整改情况"]) }
        guard order.state != SupervisionState.closed.rawValue else { throw APIError.conflict("督办单已办结") }
        try await change(order, action: .respond) { order in
            order.response = text
            order.respondedAt = Date()
            order.state = SupervisionState.responded.rawValue
        }
    }

    func close(_ order: SupervisionOrder, note: String) async throws {
        guard order.state != SupervisionState.closed.rawValue else { throw APIError.conflict("督办单已办结") }
        try await change(order, action: .close) { order in
            order.closingNote = note.trimmingCharacters(in: .whitespacesAndNewlines)
            order.closedAt = Date()
            order.state = SupervisionState.closed.rawValue
        }
    }

    private func change(_ order: SupervisionOrder, action: AuditAction,
                        _ apply: @escaping @Sendable (SupervisionOrder) -> Void) async throws {
        let id = try order.requireID()
        let before = order.state
        let actor = actor
        try await Transactions.run(on: db) { tx in
            guard let fresh = try await SupervisionOrder.find(id, on: tx) else { throw APIError.notFound }
            apply(fresh)
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: action, entityType: "supervision_order",
                                      entityID: id.uuidString, before: ["state": before],
                                      after: ["state": fresh.state, "text": fresh.response ?? fresh.closingNote ?? ""])
        }
    }
}

/// 督办单 states: open (待整改), responded (已答复), closed (已办结).
enum SupervisionState: String, Codable, Sendable, CaseIterable {
    case open, responded, closed

    var label: String {
        switch self {
        case .open: "待整改"
        case .responded: "已答复"
        case .closed: "已办结"
        }
    }
}
