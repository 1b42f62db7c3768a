import Vapor
import YingshangCore

/// One policy's answer for one enterprise as the API and the command line give it: result, the explanation per
/// condition, the missing facts, the near miss, the amount, and the parameter values used with their references.
struct EvaluationDTO: Content {
    struct Condition: Content { let condition, value, result, requirement: String }
    struct Parameter: Content { let name, value, reference: String }

    let policy, name, asOf, result, standing: String
    let explanation: [Condition]
    let missing: [String]
    let nearMiss: [String]
    let amountWan: Double?
    let amountNote: String?
    let notInForce: String?
    let parameters: [Parameter]

    enum CodingKeys: String, CodingKey {
        case policy, name, asOf = "as_of", result, standing, explanation, missing, nearMiss = "near_miss"
        case amountWan = "amount_wan", amountNote = "amount_note", notInForce = "not_in_force", parameters
    }

    init(_ policy: BenefitPolicy, _ evaluation: PolicyEvaluation) {
        self.policy = policy.code
        name = policy.name
        asOf = evaluation.asOf.iso
        result = evaluation.result.label
        standing = evaluation.standing.label
        explanation = (evaluation.rule?.outcomes ?? []).map {
            Condition(condition: $0.condition.text, value: $0.actual, result: $0.truth.label, requirement: $0.requirement)
        }
        missing = evaluation.rule?.missing ?? []
        nearMiss = evaluation.rule?.nearMisses ?? []
        if case .amount(let value)? = evaluation.amount { amountWan = value } else { amountWan = nil }
        amountNote = evaluation.amount.flatMap { if case .amount = $0 { nil } else { PolicyResult.amountText($0) } }
        notInForce = evaluation.notInForce
        parameters = policy.parameterValues(on: evaluation.asOf).map {
            Parameter(name: $0.name, value: $0.value.written, reference: $0.value.reference)
        }
    }
}
