import Fluent
import Vapor
import YingshangCore

/// Intake (受理): validate, number, store durably — or, for a retried submission with the same
/// idempotency key, answer with the appeal already stored.
struct AppealIntake {
    let db: any Database
    let actor: Principal?

    /// Submissions from one address allowed per window on the public form.
    static let publicLimit = 5
    static let publicWindow: TimeInterval = 10 * 60

    struct Receipt: Sendable {
        let appeal: Appeal
        /// False when the idempotency key named an appeal that already existed.
        let created: Bool
    }

    func submit(_ submission: AppealSubmission, idempotencyKey: String?, clientAddress: String?,
                today: CivilDate = Today.civil()) async throws -> Receipt {
        if let key = idempotencyKey {
            guard key.count >= 8, key.count <= 128, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw APIError.validation(["idempotency_key": "幂等键应为 8–128 位字母、数字、- 或 _"])
            }
            if let existing = try await Appeal.query(on: db).filter(\.$idempotencyKey == key).first() {
                return Receipt(appeal: existing, created: false)
            }
        }
        let valid: ValidAppealSubmission
        switch submission.validated() {
        case .success(let v): valid = v
        case .failure(let errors): throw APIError.validation(errors.fields)
        }
        let category = try await category(for: valid.categoryCode)
        let limits = try await AppealSettings.load(on: db).limits
        let calendar = try await CalendarService(db: db).calendar()
        let replyBy = AppealDeadlines.replyBy(type: valid.type, receivedOn: today, limits: limits, calendar: calendar)
        let actor = actor
        do {
            let appeal = try await Transactions.run(on: db) { tx in
                if let key = idempotencyKey, let existing = try await Appeal.query(on: tx).filter(\.$idempotencyKey == key).first() {
                    return (existing, false)
                }
                let sequence = try await AppealNumbering.next(year: today.year, on: tx)
                let appeal = Appeal()
                appeal.year = today.year
                appeal.sequence = sequence
                appeal.number = AppealNumber.format(year: today.year, sequence: sequence)
                appeal.type = valid.type.rawValue
                appeal.$category.id = category?.id
                appeal.title = valid.title
                appeal.content = valid.content
                appeal.channel = valid.channel.rawValue
                appeal.state = AppealState.received.rawValue
                appeal.enterpriseCode = valid.enterpriseCode
                appeal.enterpriseName = valid.enterpriseName
                appeal.contactName = valid.contactName
                appeal.contactPhone = valid.contactPhone
                appeal.anonymous = valid.anonymous
                appeal.reportedUnitIDs = []
                appeal.submittedBy = actor?.role == .enterprise ? actor?.userID : nil
                appeal.receivedOn = today.iso
                appeal.replyBy = replyBy.iso
                appeal.extensionDays = 0
                appeal.assistingUnitIDs = []
                appeal.idempotencyKey = idempotencyKey
                appeal.clientAddress = clientAddress
                appeal.queryCode = String(format: "%06d", Int.random(in: 0..<1_000_000))
                appeal.caseJSON = try AuditLog.snapshot(AppealCase(number: appeal.number, type: valid.type))
                try await appeal.create(on: tx)
                try await AppealTimeline.add(appeal, kind: "receive", actor: actor?.auditLabel ?? "诉求人", unitID: nil,
                                             text: "已受理，编号 \(appeal.number)，请于 \(replyBy.iso) 前答复", isPublic: true, on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "appeal",
                                          entityID: try appeal.requireID().uuidString, before: nil,
                                          after: ["number": appeal.number, "type": valid.type.label, "title": valid.title,
                                                  "channel": valid.channel.label])
                return (appeal, true)
            }
            return Receipt(appeal: appeal.0, created: appeal.1)
        }
    }

    func category(for code: String?) async throws -> AppealCategory? {
        if let code, !code.isEmpty {
            if let found = try await AppealCategory.query(on: db).group(.or, { $0.filter(\.$code == code).filter(\.$name == code) }).first() {
                return found
            }
            throw APIError.validation(["category_code": "未知的诉求类别“\(code)”"])
        }
        return try await AppealCategory.query(on: db).filter(\.$name == "其他").first()
    }

    /// Whether the public form from this address is over its limit (database-backed, shared by all servers).
    static func isThrottled(address: String, on db: any Database, now: Date = Date()) async throws -> Bool {
        try await Appeal.query(on: db).filter(\.$clientAddress == address)
            .filter(\.$createdAt >= now.addingTimeInterval(-publicWindow)).count() >= publicLimit
    }
}

/// Adding steps to an appeal's timeline.
enum AppealTimeline {
    static func add(_ appeal: Appeal, kind: String, actor: String, unitID: UUID?, text: String, isPublic: Bool,
                    on db: any Database) async throws {
        let event = AppealEventRecord()
        event.$appeal.id = try appeal.requireID()
        event.kind = kind
        event.actor = actor
        event.unitID = unitID
        event.text = text
        event.isPublic = isPublic
        try await event.create(on: db)
    }
}

/// The appeals line's settings (time limits, automatic supervision), kept as JSON like the ledger's.
struct AppealSettings: StoredSettings, Equatable {
    var limits = AppealTimeLimits()
    var supervision = AppealSupervisionRules()

    static let key = "appeal_settings"
}
