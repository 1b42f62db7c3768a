import Fluent
import Vapor
import YingshangCore

/// The enterprise user's 可享政策 page (直达): every published policy judged on the enterprise's own file with the
/// reasons — 符合 (with 申请 for policies applied for, or the 免申即享 note), 差一点 (what one change would make it
/// eligible), 待补充信息 (which facts to fill in) — and the enterprise's redemptions.
struct MyBenefitsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("my", "benefits", use: show)
        routes.post("my", "benefits", ":policyID", "apply", use: apply)
    }

    struct Item: Encodable {
        let result: PolicyResult
        let unit, contact: String
        let canApply: Bool
        let redemption: String?
    }
    struct Group: Encodable { let title, hint: String; let items: [Item] }
    struct MyView: Encodable {
        let linked: Bool
        let enterpriseID: UUID?
        let name: String
        let groups: [Group]
        let notEligible: Int
    }

    func show(req: Request) async throws -> View {
        let principal = try req.requirePrincipal()
        guard principal.role == .enterprise else { throw APIError.forbidden }
        guard let enterprise = try await linkedEnterprise(req) else {
            return try await req.page("benefits/mine", title: "可享政策", MyView(linked: false, enterpriseID: nil, name: "", groups: [], notEligible: 0))
        }
        let today = Today.civil()
        let facts = try await EnterpriseStore.history(of: enterprise, on: req.db).facts(asOf: today)
        let redemptions = Dictionary(try await RedemptionRecord.query(on: req.db).filter(\.$enterprise.$id == enterprise.requireID()).all()
            .map { ($0.$policy.id, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [(PolicyEvaluation.Standing, Item)] = []
        for published in try await req.application.benefitMatcher.published(on: req.db) {
            let evaluation = published.policy.evaluate(facts, asOf: today)
            let redemption = redemptions[published.recordID]
            items.append((evaluation.standing, Item(
                result: PolicyResult(published.policy, id: published.recordID, evaluation), unit: published.policy.unit,
                contact: published.policy.contact,
                canApply: evaluation.standing == .eligible && published.policy.mode == .application && redemption == nil,
                redemption: redemption.map { r in
                    r.redemptionStatus.label + (r.amountWan.map { "，\(FactValue.format($0))万元" } ?? "") + (r.reason.isEmpty ? "" : "（\(r.reason)）")
                })))
        }
        let hints: [PolicyEvaluation.Standing: String] = [
            .eligible: "贵企业符合以下政策；免申即享的政策无需申请，由办理单位确认名单后兑现。",
            .nearMiss: "只差一个条件，下面写明了需要达到什么。",
            .undecided: "缺少判断所需的企业信息，补充后即可得出结论。",
        ]
        let groups = [PolicyEvaluation.Standing.eligible, .nearMiss, .undecided].map { standing in
            Group(title: standing.label, hint: hints[standing] ?? "", items: items.filter { $0.0 == standing }.map(\.1))
        }
        return try await req.page("benefits/mine", title: "可享政策", MyView(
            linked: true, enterpriseID: try enterprise.requireID(), name: enterprise.name, groups: groups,
            notEligible: items.filter { $0.0 == .ineligible }.count))
    }

    func apply(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard principal.role == .enterprise, let enterprise = try await linkedEnterprise(req) else { throw APIError.forbidden }
        guard let id = req.parameters.get("policyID", as: UUID.self), let record = try await BenefitPolicyRecord.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        do {
            _ = try await RedemptionService.apply(policy: record, enterprise: enterprise, actor: principal, on: req.db)
            req.session.data["notice"] = "已提交申请，请等待\(try record.parsed().unit)审核"
        } catch let refusal as RedemptionRefusal {
            req.session.data["notice"] = refusal.message
        }
        return req.redirect(to: "/my/benefits")
    }

    private func linkedEnterprise(_ req: Request) async throws -> EnterpriseRecord? {
        guard let principal = req.principal, let user = try await User.find(principal.userID, on: req.db),
              let id = user.enterpriseID else { return nil }
        return try await EnterpriseRecord.find(id, on: req.db)
    }
}
