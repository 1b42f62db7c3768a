import Fluent
import Foundation
import Vapor
import YingshangCore

/// Redemption (兑现): 申请 → 审核 → 拨付 / 驳回 for policies applied for; for 免申即享 the office confirms the
/// roster, which creates approved entries without any application, then pays them. Every step is audited.
enum RedemptionService {
    /// An enterprise applies (申请兑现); it must be eligible today.
    static func apply(policy record: BenefitPolicyRecord, enterprise: EnterpriseRecord, actor: Principal, on db: any Database,
                      today: CivilDate = Today.civil()) async throws -> RedemptionRecord {
        guard record.policyStatus == .published else { throw RedemptionRefusal("该政策未发布，不能申请") }
        let policy = try record.parsed()
        guard policy.mode == .application else { throw RedemptionRefusal("该政策为免申即享，无需申请，确认名单后直接拨付") }
        let facts = try await EnterpriseStore.history(of: enterprise, on: db).facts(asOf: today)
        let evaluation = policy.evaluate(facts, asOf: today)
        guard evaluation.result == .yes else {
            let why = evaluation.result == .unknown ? "请先补充：\(evaluation.rule?.missing.joined(separator: "、") ?? "")" : "不符合政策条件"
            throw RedemptionRefusal("目前不能申请：\(why)")
        }
        if try await existing(policy: record, enterprise: enterprise, on: db) != nil { throw RedemptionRefusal("已申请过该政策，请在兑现记录中查看进度") }
        let redemption = RedemptionRecord(policyID: try record.requireID(), enterpriseID: try enterprise.requireID(), status: .applied,
                                          amountWan: amount(evaluation))
        redemption.appliedAt = Date()
        try await store(redemption, actor: actor, action: .submit, before: nil, on: db)
        return redemption
    }

    /// Confirms today's roster of a 免申即享 policy: every eligible enterprise without an entry gets an approved one.
    static func confirmRoster(policy record: BenefitPolicyRecord, actor: Principal, app: Application, on db: any Database,
                              today: CivilDate = Today.civil()) async throws -> Int {
        let policy = try record.parsed()
        guard record.policyStatus == .published, policy.mode == .automatic else { throw RedemptionRefusal("只有已发布的免申即享政策需要确认名单") }
        let policyID = try record.requireID()
        let eligible = try await app.benefitMatcher.eligible(code: record.code, on: db, today: today)
        let already = Set(try await RedemptionRecord.query(on: db).filter(\.$policy.$id == policyID).all().map { $0.$enterprise.id })
        var enterprises: [EnterpriseRecord] = []
        for chunk in eligible.filter({ !already.contains($0) }).chunked(1_000) {
            enterprises += try await EnterpriseRecord.query(on: db).filter(\.$id ~~ Array(chunk)).all()
        }
        for (enterprise, (_, facts)) in zip(enterprises, try await EnterpriseStore.facts(of: enterprises, asOf: today, on: db)) {
            let redemption = RedemptionRecord(policyID: policyID, enterpriseID: try enterprise.requireID(), status: .approved,
                                              amountWan: amount(policy.evaluate(facts, asOf: today)))
            redemption.decidedAt = Date()
            try await store(redemption, actor: actor, action: .accept, before: nil, on: db)
        }
        return enterprises.count
    }

    /// 审核通过 (with the amount, which the reviewer may correct), 拨付, or 驳回 with a reason, by ``RedemptionLifecycle``.
    static func decide(_ decision: RedemptionDecision, on redemption: RedemptionRecord, actor: Principal, db: any Database) async throws {
        let before = Snapshot(redemption)
        redemption.state = try RedemptionLifecycle.decide(decision, from: redemption.state).get()
        if redemption.redemptionStatus == .paid { redemption.paidAt = Date() } else { redemption.decidedAt = Date() }
        let action: AuditAction = switch decision {
        case .approve: .accept
        case .pay: .close
        case .reject: .return
        }
        try await store(redemption, actor: actor, action: action, before: before, on: db)
    }

    static func existing(policy: BenefitPolicyRecord, enterprise: EnterpriseRecord, on db: any Database) async throws -> RedemptionRecord? {
        try await RedemptionRecord.query(on: db).filter(\.$policy.$id == policy.requireID()).filter(\.$enterprise.$id == enterprise.requireID()).first()
    }

    private static func amount(_ evaluation: PolicyEvaluation) -> Double? {
        if case .amount(let value)? = evaluation.amount { return (value * 10_000).rounded() / 10_000 }
        return nil
    }

    private static func store(_ redemption: RedemptionRecord, actor: Principal, action: AuditAction, before: Snapshot?, on db: any Database) async throws {
        try await Transactions.run(on: db) { tx in
            try await redemption.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: action, entityType: "redemption",
                                      entityID: try redemption.requireID().uuidString, before: before, after: Snapshot(redemption))
        }
    }

    struct Snapshot: Encodable {
        let policy: UUID, enterprise: UUID
        let status: String
        let amountWan: Double?
        let reason: String

        init(_ redemption: RedemptionRecord) {
            policy = redemption.$policy.id
            enterprise = redemption.$enterprise.id
            status = redemption.status
            amountWan = redemption.amountWan
            reason = redemption.reason
        }
    }
}
