import Foundation
import YingshangCore

/// A policy's evaluation for one enterprise as the file page and 可享政策 show it: each condition with the
/// enterprise's value, the missing facts, the near miss and the amount.
struct PolicyResult: Encodable {
    struct Outcome: Encodable { let text, actual, result, requirement: String; let holds: Bool; let fails: Bool }

    let id: UUID?
    let code, name, mode, basis: String
    /// 符合 / 差一点 / 待补充信息 / 不符合.
    let standing: String
    let outcomes: [Outcome]
    let missing: [String]
    let nearMisses: [String]
    let amount: String?
    let notInForce: String?

    init(_ policy: BenefitPolicy, id: UUID?, _ evaluation: PolicyEvaluation) {
        self.id = id
        code = policy.code
        name = policy.name
        mode = policy.mode.rawValue
        basis = policy.basis
        standing = evaluation.standing.label
        outcomes = (evaluation.rule?.outcomes ?? []).map {
            Outcome(text: $0.condition.text, actual: $0.actual, result: $0.truth.label, requirement: $0.requirement,
                    holds: $0.truth == .yes, fails: $0.truth == .no)
        }
        missing = evaluation.rule?.missing ?? []
        nearMisses = evaluation.rule?.nearMisses ?? []
        amount = Self.amountText(evaluation.amount)
        notInForce = evaluation.notInForce
    }

    static func amountText(_ outcome: AmountFormula.Outcome?) -> String? {
        switch outcome {
        case .amount(let value)?: "约 \(FactValue.format((value * 100).rounded() / 100))万元"
        case .missing(let fields)?: "金额待补充：\(fields.map(\.label).joined(separator: "、"))"
        case .undefined(let why)?: "金额无法计算：\(why)"
        case nil: nil
        }
    }

    /// 小型微利企业 on the portrait: 是 / 否 / 待补充信息 with what is missing.
    static func smallLowProfitLine(_ evaluation: PolicyEvaluation) -> String {
        switch evaluation.result {
        case .yes: "是"
        case .no: "否"
        case .unknown: "待补充信息（缺少：\(evaluation.rule?.missing.joined(separator: "、") ?? "")）"
        }
    }
}
