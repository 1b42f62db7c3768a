import Fluent
import Vapor
import YingshangCore

/// `/api/v1/benefits` (published policies with their reach), `/api/v1/eligibility/evaluate` (one policy on facts
/// sent in the request, as the `eligibility evaluate` command does) and `/api/v1/enterprises/{id}/eligibility`
/// (every published policy on one file; staff, or the enterprise's own user).
struct BenefitAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("benefits", use: list)
        routes.post("eligibility", "evaluate", use: evaluate)
        routes.get("enterprises", ":id", "eligibility", use: enterprise)
    }

    struct PolicyDTO: Content {
        let code, name, mode, unit, contact, basis: String
        let validFrom, validUntil: String?
        let eligible, undecided: Int?
        enum CodingKeys: String, CodingKey {
            case code, name, mode, unit, contact, basis, validFrom = "valid_from", validUntil = "valid_until", eligible, undecided
        }
    }

    func list(req: Request) async throws -> [PolicyDTO] {
        let principal = try req.requirePrincipal()
        let matcher = req.application.benefitMatcher
        var result: [PolicyDTO] = []
        for published in try await matcher.published(on: req.db) {
            let policy = published.policy
            let reach = principal.role == .enterprise ? nil : try await matcher.reach(code: policy.code, on: req.db)
            result.append(PolicyDTO(code: policy.code, name: policy.name, mode: policy.mode.rawValue, unit: policy.unit,
                                    contact: policy.contact, basis: policy.basis, validFrom: policy.validFrom?.iso,
                                    validUntil: policy.validUntil?.iso, eligible: reach?.eligible, undecided: reach?.undecided))
        }
        return result
    }

    /// `{"policy": "XWWL", "facts": {"employees": 120, …}, "as_of": "2023-12-31"}`: a published policy of this
    /// platform or a built-in one; a missing fact key means unknown.
    func evaluate(req: Request) async throws -> EvaluationDTO {
        _ = try req.requirePrincipal()
        guard let body = req.body.data, let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw APIError.badRequest("请求体应为 JSON 对象：{\"policy\": \"XWWL\", \"facts\": {…}, \"as_of\": \"2023-12-31\"}")
        }
        guard let code = object["policy"] as? String, !code.isEmpty else { throw APIError.validation(["policy": "请填写政策编号"]) }
        let factsObject = object["facts"] ?? [String: Any]()
        guard JSONSerialization.isValidJSONObject(factsObject), factsObject is [String: Any] else {
            throw APIError.validation(["facts": "facts 应为对象"])
        }
        let facts: EnterpriseFacts
        do {
            facts = try EnterpriseFacts.decode(json: try JSONSerialization.data(withJSONObject: factsObject))
        } catch let problem as FactProblem {
            throw APIError.validation(["facts": problem.message])
        }
        var date = Today.civil()
        if let text = object["as_of"] as? String {
            guard let parsed = CivilDate(iso: text) else { throw APIError.validation(["as_of": "日期应写成 2023-12-31"]) }
            date = parsed
        }
        let published = try await req.application.benefitMatcher.published(on: req.db).first { $0.policy.code == code }?.policy
        guard let policy = published ?? BuiltInPolicies.policy(code) else { throw APIError.notFound }
        return EvaluationDTO(policy, policy.evaluate(facts, asOf: date))
    }

    func enterprise(req: Request) async throws -> [EvaluationDTO] {
        let record = try await EnterpriseStore.find(req)
        let date = try (req.query.get(String?.self, at: "as_of")).map { text in
            guard let date = CivilDate(iso: text) else { throw APIError.validation(["as_of": "日期应写成 2023-12-31"]) }
            return date
        } ?? Today.civil()
        let facts = try await EnterpriseStore.history(of: record, on: req.db).facts(asOf: date)
        return try await req.application.benefitMatcher.published(on: req.db).map { EvaluationDTO($0.policy, $0.policy.evaluate(facts, asOf: date)) }
    }
}
