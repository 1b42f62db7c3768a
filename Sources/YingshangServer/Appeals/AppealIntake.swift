import Fluent
import Vapor
import YingshangCore

/// Intake (受理): validate, then hand the appeal to the group-committing writer, which numbers and stores it durably —
/// or, for a retried submission with the same idempotency key, answers with the appeal already stored.
struct AppealIntake {
    let app: Application
    let actor: Principal?

    /// Submissions from one address allowed per window on the public form.
    static let publicLimit = 5
    static let publicWindow: TimeInterval = 10 * 60

    struct Receipt: Sendable {
        let appeal: Appeal
        /// False when the idempotency key named an appeal that already existed.
        let created: Bool
        let categoryCode: String?
    }

    /// A validated submission waiting for its commit.
    struct Pending: Sendable {
        let submission: ValidAppealSubmission
        let idempotencyKey: String?
        let clientAddress: String?
        let actor: Principal?
        let receivedOn: CivilDate
    }

    func submit(_ submission: AppealSubmission, idempotencyKey: String?, clientAddress: String?,
                today: CivilDate = Today.civil()) async throws -> Receipt {
        if let key = idempotencyKey {
            guard key.count >= 8, key.count <= 128, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw APIError.validation(["idempotency_key": "幂等键应为 8–128 位字母、数字、- 或 _"])
            }
        }
        switch submission.validated() {
        case .success(let valid):
            return try await app.appealIntakeQueue.submit(Pending(submission: valid, idempotencyKey: idempotencyKey,
                                                                  clientAddress: clientAddress, actor: actor, receivedOn: today))
        case .failure(let errors):
            throw APIError.validation(errors.fields)
        }
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
        try await event(appeal, kind: kind, actor: actor, unitID: unitID, text: text, isPublic: isPublic).create(on: db)
    }

    /// A step not yet stored (intake stores a batch of them at once).
    static func event(_ appeal: Appeal, kind: String, actor: String, unitID: UUID?, text: String,
                      isPublic: Bool) throws -> AppealEventRecord {
        let event = AppealEventRecord()
        event.$appeal.id = try appeal.requireID()
        event.kind = kind
        event.actor = actor
        event.unitID = unitID
        event.text = text
        event.isPublic = isPublic
        return event
    }
}

/// The appeals line's settings (time limits, automatic supervision), kept as JSON like the ledger's.
struct AppealSettings: StoredSettings, Equatable {
    var limits = AppealTimeLimits()
    var supervision = AppealSupervisionRules()

    static let key = "appeal_settings"
}
