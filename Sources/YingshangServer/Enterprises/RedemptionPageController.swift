import Fluent
import Vapor
import YingshangCore

/// Redemptions (兑现) for the office: the list by status and policy with the review actions, and totals by policy,
/// by handling unit and by month paid.
struct RedemptionPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("redemptions", use: index)
        routes.get("redemptions", "export", use: export)
        routes.post("redemptions", ":id", ":decision", use: decide)
    }

    struct Row: Encodable {
        let id: UUID
        let policy, enterprise, status, amount, reason, applied: String
        let enterpriseID: UUID
        let canApprove, canPay, canReject: Bool
    }
    struct Total: Encodable { let name: String; let count: Int; let amount: String }
    struct IndexView: Encodable {
        let rows: [Row]
        let statuses: [FormOption]
        let policies: [FormOption]
        let byPolicy: [Total], byUnit: [Total], byMonth: [Total]
        let canManage: Bool
        let pager: Pager
    }

    func index(req: Request) async throws -> View {
        let principal = try req.require(.readEnterpriseFiles)
        let filter = Filter(req)
        let (status, policyID) = (filter.status, filter.policyID)
        let page = try PageRequest(from: req)
        let (records, total) = try await filter.query(on: req.db).page(page)
        let manage = principal.role.may(.runBenefits)
        let rows = records.map { r in
            Row(id: r.id!, policy: r.policy.name, enterprise: r.enterprise.name, status: r.redemptionStatus.label,
                amount: r.amountWan.map { FactValue.format($0) } ?? "", reason: r.reason,
                applied: (r.appliedAt ?? r.decidedAt).map { DisplayDate.minute($0) } ?? "", enterpriseID: r.$enterprise.id,
                canApprove: manage && r.redemptionStatus == .applied, canPay: manage && r.redemptionStatus == .approved,
                canReject: manage && [.applied, .approved].contains(r.redemptionStatus))
        }
        let paid = try await RedemptionRecord.query(on: req.db).filter(\.$status == RedemptionRecord.Status.paid.rawValue).with(\.$policy).all()
        let policies = try await BenefitPolicyRecord.query(on: req.db).sort(\.$code).all()
        func totals(_ key: (RedemptionRecord) -> String) -> [Total] {
            Dictionary(grouping: paid, by: key).map { name, items in
                Total(name: name, count: items.count, amount: FactValue.format((items.reduce(0) { $0 + ($1.amountWan ?? 0) } * 100).rounded() / 100))
            }.sorted { $0.name < $1.name }
        }
        return try await req.page("redemptions/index", title: "政策兑现", IndexView(
            rows: rows,
            statuses: [FormOption(value: "", label: "全部状态", selected: status == nil)]
                + RedemptionRecord.Status.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == status) },
            policies: [FormOption(value: "", label: "全部政策", selected: policyID == nil)]
                + policies.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id == policyID) },
            byPolicy: totals { $0.policy.name },
            byUnit: totals { (try? $0.policy.parsed().unit) ?? "" },
            byMonth: totals { $0.paidAt.map { String(DisplayDate.minute($0).prefix(7)) } ?? "" },
            canManage: manage,
            pager: Pager(page: page, total: total, query: "status=\(status?.rawValue ?? "")&policy=\(policyID?.uuidString ?? "")")))
    }

    /// The filtered list as XLSX, every row (the office reconciles payments in a spreadsheet).
    func export(req: Request) async throws -> Response {
        try req.require(.readEnterpriseFiles)
        let records = try await Filter(req).query(on: req.db).all()
        var rows: [[XLSXCell]] = [["政策", "办理单位", "统一社会信用代码", "企业", "状态", "金额（万元）", "申请时间", "审核时间", "拨付时间", "说明"].map(XLSXCell.text)]
        for r in records {
            rows.append([.text(r.policy.name), .text((try? r.policy.parsed().unit) ?? ""), .text(r.enterprise.creditCode), .text(r.enterprise.name),
                         .text(r.redemptionStatus.label), r.amountWan.map(XLSXCell.number) ?? .empty,
                         .text(r.appliedAt.map(DisplayDate.minute) ?? ""), .text(r.decidedAt.map(DisplayDate.minute) ?? ""),
                         .text(r.paidAt.map(DisplayDate.minute) ?? ""), .text(r.reason)])
        }
        var workbook = XLSXWorkbook()
        workbook.addSheet(name: "政策兑现", rows: rows)
        return try Response.xlsx(workbook, filename: "政策兑现-\(Today.civil().iso).xlsx")
    }

    /// The list's `status` and `policy` filters.
    struct Filter {
        let status: RedemptionRecord.Status?
        let policyID: UUID?

        init(_ req: Request) {
            status = (try? req.query.get(String.self, at: "status")).flatMap(RedemptionRecord.Status.init(rawValue:))
            policyID = (try? req.query.get(String.self, at: "policy")).flatMap(UUID.init(uuidString:))
        }

        func query(on db: any Database) -> QueryBuilder<RedemptionRecord> {
            var query = RedemptionRecord.query(on: db).with(\.$policy).with(\.$enterprise).sort(\.$updatedAt, .descending)
            if let status { query = query.filter(\.$status == status.rawValue) }
            if let policyID { query = query.filter(\.$policy.$id == policyID) }
            return query
        }
    }

    struct DecisionForm: Content { var amount: String?; var reason: String? }

    func decide(req: Request) async throws -> Response {
        let actor = try req.require(.runBenefits)
        guard let id = req.parameters.get("id", as: UUID.self), let redemption = try await RedemptionRecord.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        let form = try req.content.decode(DecisionForm.self)
        let decision: RedemptionDecision
        switch req.parameters.get("decision") {
        case "approve":
            let text = (form.amount ?? "").trimmingCharacters(in: .whitespaces)
            var amount: Double?
            if !text.isEmpty {
                guard case .success(.number(let value)) = FactField.revenue.parse(text) else {
                    req.session.data["notice"] = "金额“\(text)”不是有效的金额（万元）"
                    return req.redirect(to: "/redemptions")
                }
                amount = value
            }
            decision = .approve(amountWan: amount)
        case "pay": decision = .pay
        case "reject": decision = .reject(reason: form.reason ?? "")
        default: throw Abort(.notFound)
        }
        do {
            try await RedemptionService.decide(decision, on: redemption, actor: actor, db: req.db)
            req.session.data["notice"] = "已处理"
        } catch let refusal as RedemptionRefusal {
            req.session.data["notice"] = refusal.message
        }
        return req.redirect(to: "/redemptions")
    }
}
