import Fluent
import Foundation
import Vapor
import YingshangCore

/// Saving, publishing and withdrawing benefit policies. A text is saved only when it parses; it is published only
/// when every one of its test cases passes; publishing tells the enterprise users of newly eligible enterprises.
enum BenefitPolicyService {
    /// Why a text cannot be saved or published: parse errors by line, or failing cases.
    struct Rejection: Error {
        let errors: [PolicySourceError]
        let failingCases: [PolicyTestCase.Run]
    }

    /// Parses `source` and checks that its code is not another policy's.
    static func validate(_ source: String, record: BenefitPolicyRecord?, on db: any Database) async throws -> Result<BenefitPolicy, Rejection> {
        switch BenefitPolicySource.parse(source) {
        case .failure(let failure): return .failure(Rejection(errors: failure.errors, failingCases: []))
        case .success(let policy):
            if let other = try await BenefitPolicyRecord.query(on: db).filter(\.$code == policy.code).first(), other.id != record?.id {
                return .failure(Rejection(errors: [PolicySourceError(line: 1, column: 1, message: "编号“\(policy.code)”已被《\(other.name)》使用")],
                                          failingCases: []))
            }
            return .success(policy)
        }
    }

    /// Saves a draft (a published policy stays published: its new text is rechecked and rematched).
    static func save(_ policy: BenefitPolicy, into record: BenefitPolicyRecord, actor: Principal, on app: Application, db: any Database) async throws {
        let isNew = record.id == nil
        if !isNew, record.policyStatus == .published, let failing = policy.runCases().first(where: { !$0.passed }) {
            throw Rejection(errors: [], failingCases: [failing])
        }
        let before = isNew ? nil : Snapshot(record)
        let eligibleBefore = isNew ? [] : try await app.benefitMatcher.eligible(code: record.code, on: db)
        try await Transactions.run(on: db) { tx in
            record.adopt(policy)
            record.status = isNew ? BenefitPolicyRecord.Status.draft.rawValue : record.status
            record.version = isNew ? 1 : record.version + 1
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: isNew ? .create : .update, entityType: "benefit_policy",
                                      entityID: try record.requireID().uuidString, before: before, after: Snapshot(record))
        }
        if !isNew, record.policyStatus == .published { try await announce(record, eligibleBefore: eligibleBefore, on: app, db: db) }
    }

    /// Publishes a draft or withdrawn policy whose cases all pass.
    static func publish(_ record: BenefitPolicyRecord, actor: Principal, on app: Application, db: any Database) async throws {
        let policy = try record.parsed()
        let failing = policy.runCases().filter { !$0.passed }
        guard failing.isEmpty else { throw Rejection(errors: [], failingCases: failing) }
        let eligibleBefore = try await app.benefitMatcher.eligible(code: record.code, on: db)
        try await setStatus(.published, of: record, actor: actor, action: .publish, on: db)
        try await announce(record, eligibleBefore: eligibleBefore, on: app, db: db)
    }

    static func withdraw(_ record: BenefitPolicyRecord, actor: Principal, on app: Application, db: any Database) async throws {
        try await setStatus(.withdrawn, of: record, actor: actor, action: .archive, on: db)
        _ = try await app.benefitMatcher.policyChanged(code: record.code, on: db)
    }

    private static func setStatus(_ status: BenefitPolicyRecord.Status, of record: BenefitPolicyRecord, actor: Principal,
                                  action: AuditAction, on db: any Database) async throws {
        let before = Snapshot(record)
        try await Transactions.run(on: db) { tx in
            record.status = status.rawValue
            if status == .published { record.publishedAt = Date() }
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: action, entityType: "benefit_policy",
                                      entityID: try record.requireID().uuidString, before: before, after: Snapshot(record))
        }
    }

    /// Rematches the policy and tells the users of every enterprise eligible now that was not before (直达).
    private static func announce(_ record: BenefitPolicyRecord, eligibleBefore: [UUID], on app: Application, db: any Database) async throws {
        let before = Set(eligibleBefore)
        let newlyEligible = try await app.benefitMatcher.policyChanged(code: record.code, on: db).filter { !before.contains($0) }
        guard !newlyEligible.isEmpty else { return }
        let users = try await User.query(on: db).filter(\.$enterpriseID ~~ newlyEligible).filter(\.$isActive == true).all()
        let notifier = Notifier(db: db)
        let mode = record.mode == RedemptionMode.automatic.rawValue ? "免申即享，无需申请" : "可在线申请兑现"
        for user in users {
            try await notifier.notify(userID: try user.requireID(), title: "您符合惠企政策《\(record.name)》",
                                      body: "根据企业档案，贵企业符合《\(record.name)》的条件（\(mode)）。", link: "/my/benefits")
        }
    }

    /// A policy as the audit log stores it.
    struct Snapshot: Encodable {
        let code, name, mode, status: String
        let version: Int
        let source: String

        init(_ record: BenefitPolicyRecord) {
            code = record.code
            name = record.name
            mode = record.mode
            status = record.status
            version = record.version
            source = record.source
        }
    }
}
