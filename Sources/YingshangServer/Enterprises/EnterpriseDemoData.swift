import Fluent
import Vapor
import YingshangCore

/// Demo data for policy matching: 3,000 synthetic enterprises of 南宁、柳州、桂林 (facts dated 2024-01-01, with the
/// year before for revenue and staff so that files show history), the twelve built-in policies published, the demo
/// enterprise user's own file (its asset total left out, so 小型微利企业 shows 待补充信息), and a few redemptions.
enum EnterpriseDemoData {
    static let count = 3_000
    static let factsDate = CivilDate(year: 2024, month: 1, day: 1)!
    static let previousYear = CivilDate(year: 2023, month: 1, day: 1)!
    /// The file the demo enterprise user (`qiye`) speaks for.
    static let ownCreditCode = "91450103MA5KDEM10" + String(CreditCode.checkCharacter(forFirst17: "91450103MA5KDEM10")!)

    static func load(on app: Application) async throws {
        let db = app.db
        guard try await EnterpriseRecord.query(on: db).count() == 0 else { return }
        var generator = SyntheticEnterprises(seed: 45_01_03, missingRate: 0.03, boundaryRate: 0.02)
        let made = generator.make(count) + [SyntheticEnterprises.Enterprise(creditCode: ownCreditCode, name: "南宁某科技有限公司", facts: ownFacts)]
        try await Transactions.run(on: db) { tx in
            let records = made.map { EnterpriseRecord(creditCode: $0.creditCode, name: $0.name) }
            for (record, enterprise) in zip(records, made) { record.tagsRecorded = enterprise.facts.tags != nil }
            for chunk in records.chunked(500) { try await chunk.create(on: tx) }
            var facts: [EnterpriseFactRecord] = []
            var tags: [EnterpriseTagRecord] = []
            for (record, enterprise) in zip(records, made) {
                let id = try record.requireID()
                for (field, value) in enterprise.facts.values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    if field == .revenue || field == .employees, case .number(let n) = value {
                        let earlier = field == .employees ? (n * 0.9).rounded() : (n * 0.88 * 100).rounded() / 100
                        facts.append(EnterpriseFactRecord(enterpriseID: id, field: field, value: FactValue.number(earlier).plain,
                                                          effectiveOn: previousYear, source: "示例数据", recordedBy: nil))
                    }
                    facts.append(EnterpriseFactRecord(enterpriseID: id, field: field, value: value.plain, effectiveOn: factsDate,
                                                      source: "示例数据", recordedBy: nil))
                }
                for tag in (enterprise.facts.tags ?? []).sorted() {
                    tags.append(EnterpriseTagRecord(enterpriseID: id, tag: tag, validFrom: previousYear, validUntil: nil))
                }
            }
            for chunk in facts.chunked(500) { try await chunk.create(on: tx) }
            for chunk in tags.chunked(500) { try await chunk.create(on: tx) }
            try await AuditLog.record(on: tx, actor: nil, action: .import, entityType: "enterprise", entityID: "demo",
                                      before: nil, after: ["enterprises": "\(records.count)", "facts": "\(facts.count)"])
            if let own = records.last, let user = try await User.query(on: tx).filter(\.$login == "qiye").first() {
                user.enterpriseID = own.id
                try await user.save(on: tx)
            }
            for policy in BuiltInPolicies.all {
                let record = BenefitPolicyRecord()
                record.adopt(policy)
                record.status = BenefitPolicyRecord.Status.published.rawValue
                record.version = 1
                record.publishedAt = Date()
                try await record.create(on: tx)
                try await AuditLog.record(on: tx, actor: nil, action: .publish, entityType: "benefit_policy",
                                          entityID: try record.requireID().uuidString, before: nil, after: BenefitPolicyService.Snapshot(record))
            }
        }
        try await loadRedemptions(on: app)
        app.logger.notice("demo: \(made.count) enterprise files and \(BuiltInPolicies.all.count) benefit policies loaded")
    }

    /// The demo user's enterprise: a software firm with everything but its asset total.
    static var ownFacts: EnterpriseFacts {
        var facts = EnterpriseFacts(tags: ["高新技术企业", "科技型中小企业", "一般纳税人"])
        facts[.industry] = .industry(try! IndustryCode.parse("I6510").get())
        facts[.region] = .text("450103")
        facts[.registeredOn] = .date(CivilDate(year: 2018, month: 5, day: 1)!)
        facts[.registeredCapital] = .number(500)
        facts[.employees] = .number(120)
        facts[.revenue] = .number(3000)
        facts[.taxableIncome] = .number(180)
        facts[.rdExpense] = .number(210)
        facts[.monthlySales] = .number(250)
        facts[.highTechRevenueShare] = .number(72)
        facts[.techStaffShare] = .number(35)
        facts[.taxCredit] = .text("A")
        return facts
    }

    /// Applications in each state for a policy applied for, and the 小升规 roster confirmed with half of it paid.
    static func loadRedemptions(on app: Application) async throws {
        let db = app.db
        let today = Today.civil()
        guard let award = try await BenefitPolicyRecord.query(on: db).filter(\.$code == "ZJTX").first(),
              let scaleUp = try await BenefitPolicyRecord.query(on: db).filter(\.$code == "XSG").first() else { return }
        let matcher = app.benefitMatcher
        let states: [RedemptionRecord.Status] = [.applied, .applied, .approved, .paid, .rejected]
        for (id, status) in zip(try await matcher.eligible(code: award.code, on: db, today: today), states) {
            let redemption = RedemptionRecord(policyID: try award.requireID(), enterpriseID: id, status: status, amountWan: 30)
            redemption.appliedAt = Date()
            if status != .applied { redemption.decidedAt = Date() }
            if status == .paid { redemption.paidAt = Date() }
            if status == .rejected { redemption.reason = "专精特新认定已过有效期，请提供最新认定文件" }
            try await redemption.create(on: db)
        }
        for (index, id) in try await matcher.eligible(code: scaleUp.code, on: db, today: today).enumerated() {
            let redemption = RedemptionRecord(policyID: try scaleUp.requireID(), enterpriseID: id, status: index.isMultiple(of: 2) ? .paid : .approved,
                                              amountWan: 10)
            redemption.decidedAt = Date()
            if index.isMultiple(of: 2) { redemption.paidAt = Date() }
            try await redemption.create(on: db)
        }
    }
}
