import Fluent
import Foundation

/// The last run of a scheduled job, shown to administrators.
final class JobRun: Model, @unchecked Sendable {
    static let schema = "job_runs"

    @ID(key: .id) var id: UUID?
    @Field(key: "job") var job: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    /// running / succeeded / failed / skipped
    @Field(key: "outcome") var outcome: String
    @Field(key: "message") var message: String
    @Field(key: "host") var host: String

    init() {}
}

/// A lease that lets one process at a time run a job (several servers share one database).
final class JobLease: Model, @unchecked Sendable {
    static let schema = "job_leases"

    @ID(custom: "job", generatedBy: .user) var id: String?
    @Field(key: "holder") var holder: String
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}

/// A reminder already sent, by its idempotency key, so a job run twice sends nothing new.
final class SentReminder: Model, @unchecked Sendable {
    static let schema = "sent_reminders"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "sent_at") var sentAt: Date

    init() {}
}

extension SentReminder {
    /// Sends a reminder to the users of `unitIDs` unless one with `key` was sent before; returns whether it sent.
    /// The ledger's and the evaluation's reminders go through here, so none goes out twice.
    static func sendOnce(key: String, to unitIDs: [UUID], title: String, body: String, link: String,
                         on db: any Database) async throws -> Bool {
        guard try await SentReminder.find(key, on: db) == nil else { return false }
        let record = SentReminder()
        record.id = key
        record.sentAt = Date()
        try await record.create(on: db)
        for unit in unitIDs { try await Notifier(db: db).notify(orgUnitID: unit, title: title, body: body, link: link) }
        return true
    }
}
