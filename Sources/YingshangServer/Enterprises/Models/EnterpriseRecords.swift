import Fluent
import Foundation
import YingshangCore

/// An enterprise file (企业档案): its code and name; its facts and tags are dated rows of their own.
final class EnterpriseRecord: Model, @unchecked Sendable {
    static let schema = "enterprises"

    @ID(key: .id) var id: UUID?
    @Field(key: "credit_code") var creditCode: String
    @Field(key: "name") var name: String
    /// Whether the file records qualifications at all (false: tags are unknown, not "none").
    @Field(key: "tags_recorded") var tagsRecorded: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(creditCode: String, name: String) {
        self.creditCode = creditCode
        self.name = name
        tagsRecorded = false
    }
}

/// One value of one fact from a date on (a later row for the same fact supersedes it from its own date). An empty
/// value records that the fact became unknown.
final class EnterpriseFactRecord: Model, @unchecked Sendable {
    static let schema = "enterprise_facts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "enterprise_id") var enterprise: EnterpriseRecord
    @Field(key: "field") var field: String
    @Field(key: "value") var value: String
    @Field(key: "effective_on") var effectiveOn: String
    /// 录入 / 导入 / 示例数据.
    @Field(key: "source") var source: String
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @Timestamp(key: "recorded_at", on: .create) var recordedAt: Date?

    init() {}

    init(enterpriseID: UUID, field: FactField, value: String, effectiveOn: CivilDate, source: String, recordedBy: UUID?) {
        $enterprise.id = enterpriseID
        self.field = field.rawValue
        self.value = value
        self.effectiveOn = effectiveOn.iso
        self.source = source
        self.recordedBy = recordedBy
    }
}

/// A qualification or tag held over a span of dates.
final class EnterpriseTagRecord: Model, @unchecked Sendable {
    static let schema = "enterprise_tags"

    @ID(key: .id) var id: UUID?
    @Parent(key: "enterprise_id") var enterprise: EnterpriseRecord
    @Field(key: "tag") var tag: String
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Timestamp(key: "recorded_at", on: .create) var recordedAt: Date?

    init() {}

    init(enterpriseID: UUID, tag: String, validFrom: CivilDate, validUntil: CivilDate?) {
        $enterprise.id = enterpriseID
        self.tag = tag
        self.validFrom = validFrom.iso
        self.validUntil = validUntil?.iso
    }
}

/// A benefit policy (惠企政策) as the office wrote it: the text is the policy (``BenefitPolicySource``); code, name and
/// mode are copied out for lists. Only a published policy is matched and delivered.
final class BenefitPolicyRecord: Model, @unchecked Sendable {
    static let schema = "benefit_policies"

    enum Status: String, Codable, CaseIterable {
        case draft, published, withdrawn
        var label: String {
            switch self {
            case .draft: "草稿"
            case .published: "已发布"
            case .withdrawn: "已停用"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "mode") var mode: String
    @Field(key: "status") var status: String
    @Field(key: "source") var source: String
    @Field(key: "version") var version: Int
    @OptionalField(key: "published_at") var publishedAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var policyStatus: Status { Status(rawValue: status) ?? .draft }

    /// Takes `policy`'s text, and the code, name and mode lists show, from it.
    func adopt(_ policy: BenefitPolicy) {
        code = policy.code
        name = policy.name
        mode = policy.mode.rawValue
        source = policy.source
    }

    /// The parsed policy; a stored text always parses (it is checked before it is saved).
    func parsed() throws -> BenefitPolicy {
        switch BenefitPolicySource.parse(source) {
        case .success(let policy): return policy
        case .failure(let failure): throw APIError.validation([:], message: "政策文本有误：\(failure.errors.first?.description ?? "")")
        }
    }
}

/// A redemption (兑现): an application reviewed and paid, or a 免申即享 roster entry confirmed and paid.
final class RedemptionRecord: Model, @unchecked Sendable {
    static let schema = "redemptions"

    typealias Status = RedemptionStatus

    @ID(key: .id) var id: UUID?
    @Parent(key: "policy_id") var policy: BenefitPolicyRecord
    @Parent(key: "enterprise_id") var enterprise: EnterpriseRecord
    @Field(key: "status") var status: String
    @OptionalField(key: "amount_wan") var amountWan: Double?
    @Field(key: "reason") var reason: String
    @OptionalField(key: "applied_at") var appliedAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "paid_at") var paidAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(policyID: UUID, enterpriseID: UUID, status: Status, amountWan: Double?) {
        $policy.id = policyID
        $enterprise.id = enterpriseID
        self.status = status.rawValue
        self.amountWan = amountWan
        reason = ""
    }

    var redemptionStatus: Status { Status(rawValue: status) ?? .applied }

    var state: RedemptionState {
        get { RedemptionState(status: redemptionStatus, amountWan: amountWan, reason: reason) }
        set {
            status = newValue.status.rawValue
            amountWan = newValue.amountWan
            reason = newValue.reason
        }
    }
}
