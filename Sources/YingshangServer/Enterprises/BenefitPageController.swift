import Fluent
import Vapor
import YingshangCore

/// Benefit policies (惠企政策): the list with each policy's reach, the policy page (its rules, dated parameters with
/// their legal references, test cases run live, roster of eligible enterprises and those awaiting facts, reach by
/// city / industry / size), the editor (check runs the cases without saving), publish / withdraw, the roster as
/// XLSX, and confirming a 免申即享 roster.
struct BenefitPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("benefits", use: index)
        routes.get("benefits", "new", use: newForm)
        routes.post("benefits", "new", use: create)
        routes.get("benefits", ":id", use: show)
        routes.get("benefits", ":id", "roster", use: rosterExport)
        routes.get("benefits", ":id", "edit", use: editForm)
        routes.post("benefits", ":id", "edit", use: update)
        routes.post("benefits", ":id", "publish", use: publish)
        routes.post("benefits", ":id", "withdraw", use: withdraw)
        routes.post("benefits", ":id", "confirm", use: confirmRoster)
    }

    struct Row: Encodable { let id: UUID; let code, name, mode, status: String; let eligible: Int?; let undecided: Int? }
    struct IndexView: Encodable { let rows: [Row]; let canManage: Bool; let enterprises: Int }

    func index(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        if principal.role == .enterprise { return req.redirect(to: "/my/benefits") }
        let manage = principal.role.may(.runBenefits)
        var query = BenefitPolicyRecord.query(on: req.db).sort(\.$code)
        if !manage { query = query.filter(\.$status == BenefitPolicyRecord.Status.published.rawValue) }
        let matcher = req.application.benefitMatcher
        var rows: [Row] = []
        for record in try await query.all() {
            let reach = record.policyStatus == .published ? try await matcher.reach(code: record.code, on: req.db) : nil
            rows.append(Row(id: record.id!, code: record.code, name: record.name, mode: record.mode, status: record.policyStatus.label,
                            eligible: reach?.eligible, undecided: reach?.undecided))
        }
        return try await req.page("benefits/index", title: "惠企政策", IndexView(rows: rows, canManage: manage,
                                                                          enterprises: try await matcher.enterpriseCount(on: req.db)))
            .encodeResponse(for: req)
    }

    struct Parameter: Encodable { let name, value, from, until, reference: String; let current: Bool }
    struct CaseRun: Encodable { let name, message: String; let passed: Bool }
    struct Listed: Encodable { let id: UUID; let name, creditCode: String }
    struct Count: Encodable { let name: String; let count: Int }
    struct ShowView: Encodable {
        let id: UUID
        let code, name, mode, status, unit, contact, basis, note, validity, source: String
        let document: String?
        let documentID: UUID?
        let parameters: [Parameter]
        let cases: [CaseRun]
        let allPassed: Bool
        let eligible: Int?
        let undecided: Int?
        let tab: String
        let roster: [Listed]
        let pager: Pager?
        let byCity: [Count], bySection: [Count], bySize: [Count]
        let canManage, isPublished, isAutomatic: Bool
        let redemptions: Int
    }

    func show(req: Request) async throws -> View {
        let principal = try req.require(.readEnterpriseFiles)
        let record = try await find(req)
        let manage = principal.role.may(.runBenefits)
        guard record.policyStatus == .published || manage else { throw Abort(.notFound) }
        let policy = try record.parsed()
        let today = Today.civil()
        let matcher = req.application.benefitMatcher
        let published = record.policyStatus == .published
        let reach = published ? try await matcher.reach(code: record.code, on: req.db) : nil
        let tab = (try? req.query.get(String.self, at: "tab")) == "undecided" ? "undecided" : "eligible"
        var roster: [Listed] = []
        var pager: Pager?
        if published {
            let ids = tab == "undecided" ? try await matcher.undecided(code: record.code, on: req.db)
                : try await matcher.eligible(code: record.code, on: req.db)
            let page = try PageRequest(from: req)
            let slice = Array(ids.dropFirst(page.offset).prefix(page.limit))
            let records = Dictionary(uniqueKeysWithValues: try await EnterpriseRecord.query(on: req.db).filter(\.$id ~~ slice).all().map { ($0.id!, $0) })
            roster = slice.compactMap { records[$0] }.map { Listed(id: $0.id!, name: $0.name, creditCode: $0.creditCode) }
            pager = Pager(page: page, total: ids.count, query: "tab=\(tab)")
        }
        let breakdown = published ? try await matcher.breakdown(code: record.code, on: req.db) : nil
        func counts(_ list: [(name: String, count: Int)]?) -> [Count] { (list ?? []).map { Count(name: $0.name, count: $0.count) } }
        let parameters = policy.parameters.keys.sorted().flatMap { name in
            let current = policy.parameters[name]?.value(on: today)
            return (policy.parameters[name]?.values ?? []).map { value in
                Parameter(name: name, value: value.written, from: value.from.iso, until: value.until?.iso ?? "", reference: value.reference,
                          current: value == current)
            }
        }
        let runs = policy.runCases()
        let document = try await policy.documentNumber.asyncMap { number in
            try await PolicyRecord.query(on: req.db).filter(\.$number == number).first()
        } ?? nil
        let redemptions = try await RedemptionRecord.query(on: req.db).filter(\.$policy.$id == record.requireID()).count()
        return try await req.page("benefits/show", title: record.name, ShowView(
            id: try record.requireID(), code: policy.code, name: policy.name, mode: policy.mode.rawValue, status: record.policyStatus.label,
            unit: policy.unit, contact: policy.contact, basis: policy.basis, note: policy.note,
            validity: "\(policy.validFrom?.iso ?? "不限") 至 \(policy.validUntil?.iso ?? "不限")", source: record.source,
            document: policy.documentNumber, documentID: document?.id, parameters: parameters,
            cases: runs.map { CaseRun(name: $0.name, message: $0.message, passed: $0.passed) }, allPassed: runs.allSatisfy(\.passed),
            eligible: reach?.eligible, undecided: reach?.undecided, tab: tab, roster: roster, pager: pager,
            byCity: counts(breakdown?.byCity), bySection: counts(breakdown?.bySection), bySize: counts(breakdown?.bySize),
            canManage: manage, isPublished: published, isAutomatic: policy.mode == .automatic, redemptions: redemptions))
    }

    /// 免申即享名单 (or the eligible list of an applied-for policy) as XLSX, with each enterprise's estimated amount.
    func rosterExport(req: Request) async throws -> Response {
        try req.require(.readEnterpriseFiles)
        let record = try await find(req)
        guard record.policyStatus == .published else { throw APIError.badRequest("只有已发布的政策有名单") }
        let policy = try record.parsed()
        let today = Today.civil()
        let ids = try await req.application.benefitMatcher.eligible(code: record.code, on: req.db)
        var records: [EnterpriseRecord] = []
        for chunk in ids.chunked(1_000) { records += try await EnterpriseRecord.query(on: req.db).filter(\.$id ~~ Array(chunk)).all() }
        records.sort { $0.creditCode < $1.creditCode }
        var rows: [[XLSXCell]] = [["序号", "统一社会信用代码", "企业名称", "行业", "地区", "企业规模", "预计金额（万元）"].map(XLSXCell.text)]
        for (index, (enterprise, entry)) in zip(records, try await EnterpriseStore.facts(of: records, asOf: today, on: req.db)).enumerated() {
            let facts = entry.facts
            let evaluation = policy.evaluate(facts, asOf: today)
            var amount = XLSXCell.empty
            if case .amount(let value)? = evaluation.amount { amount = .number((value * 100).rounded() / 100) }
            rows.append([.integer(index + 1), .text(enterprise.creditCode), .text(enterprise.name),
                         .text(facts[.industry]?.display(for: .industry) ?? ""), .text(facts[.region]?.display(for: .region) ?? ""),
                         .text(facts.value(.sizeClass, asOf: today).map { $0.plain } ?? ""), amount])
        }
        var workbook = XLSXWorkbook()
        workbook.addSheet(name: policy.mode == .automatic ? "免申即享名单" : "符合条件企业", rows: rows)
        return try Response.xlsx(workbook, filename: "\(policy.name)-名单-\(today.iso).xlsx")
    }

    struct EditView: Encodable {
        let action, source: String
        let errors: [String]
        let cases: [CaseRun]
        let checked: Bool
        let fields: [String]
        let tags: [String]
    }

    static let skeleton = """
    编号：
    名称：
    方式：申请兑现
    办理单位：
    联系方式：
    依据：
    有效期：2025-01-01 至 2027-12-31
    说明：
    参数：从业人数上限 = 300人 自 2025-01-01 依据 文件名 第X条
    条件：从业人数 <= {从业人数上限} 且 资产总额 <= 5000万元
    用例（典型企业）：从业人数=100，资产总额=3000万元 => 符合
    用例（缺少资产总额）：从业人数=100 => 待补充信息
    """

    func newForm(req: Request) async throws -> View {
        try req.require(.runBenefits)
        return try await editor(req, action: "/benefits/new", source: Self.skeleton, errors: [], cases: [], checked: false)
    }

    func editForm(req: Request) async throws -> View {
        try req.require(.runBenefits)
        let record = try await find(req)
        return try await editor(req, action: "/benefits/\(try record.requireID())/edit", source: record.source, errors: [], cases: [], checked: false)
    }

    func create(req: Request) async throws -> Response { try await submit(req, record: BenefitPolicyRecord(), action: "/benefits/new") }

    func update(req: Request) async throws -> Response {
        try req.require(.runBenefits)
        let record = try await find(req)
        return try await submit(req, record: record, action: "/benefits/\(try record.requireID())/edit")
    }

    struct SourceForm: Content { var source: String?; var intent: String? }

    /// `intent=check` parses and runs the cases without saving; otherwise a text that parses is saved.
    private func submit(_ req: Request, record: BenefitPolicyRecord, action: String) async throws -> Response {
        let actor = try req.require(.runBenefits)
        let form = try req.content.decode(SourceForm.self)
        let source = (form.source ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        switch try await BenefitPolicyService.validate(source, record: record.id == nil ? nil : record, on: req.db) {
        case .failure(let rejection):
            return try await editor(req, action: action, source: source, errors: rejection.errors.map(\.description), cases: [], checked: true)
                .encodeResponse(status: .unprocessableEntity, for: req)
        case .success(let policy):
            let runs = policy.runCases().map { CaseRun(name: $0.name, message: $0.message, passed: $0.passed) }
            if form.intent == "check" {
                return try await editor(req, action: action, source: source, errors: [], cases: runs, checked: true).encodeResponse(for: req)
            }
            do {
                try await BenefitPolicyService.save(policy, into: record, actor: actor, on: req.application, db: req.db)
            } catch let rejection as BenefitPolicyService.Rejection {
                let failing = rejection.failingCases.map { CaseRun(name: $0.name, message: $0.message, passed: false) }
                return try await editor(req, action: action, source: source, errors: ["已发布的政策修改后用例须全部通过，未保存"], cases: failing, checked: true)
                    .encodeResponse(status: .unprocessableEntity, for: req)
            }
            req.session.data["notice"] = runs.allSatisfy(\.passed) ? "已保存" : "已保存为草稿；有用例未通过，发布前须全部通过"
            return req.redirect(to: "/benefits/\(try record.requireID())")
        }
    }

    private func editor(_ req: Request, action: String, source: String, errors: [String], cases: [CaseRun], checked: Bool) async throws -> View {
        try await req.page("benefits/edit", title: "编辑惠企政策", EditView(
            action: action, source: source, errors: errors, cases: cases, checked: checked,
            fields: FactField.allCases.map { "\($0.label)（\($0.kind.hint)）" }, tags: EnterpriseTag.catalogue))
    }

    func publish(req: Request) async throws -> Response {
        let actor = try req.require(.runBenefits)
        let record = try await find(req)
        do {
            try await BenefitPolicyService.publish(record, actor: actor, on: req.application, db: req.db)
            req.session.data["notice"] = "已发布，已向新符合条件的企业发送通知"
        } catch let rejection as BenefitPolicyService.Rejection {
            req.session.data["notice"] = "未发布：\(rejection.failingCases.count) 个用例未通过（\(rejection.failingCases.map(\.name).joined(separator: "、"))）"
        }
        return req.redirect(to: "/benefits/\(try record.requireID())")
    }

    func withdraw(req: Request) async throws -> Response {
        let actor = try req.require(.runBenefits)
        let record = try await find(req)
        try await BenefitPolicyService.withdraw(record, actor: actor, on: req.application, db: req.db)
        req.session.data["notice"] = "已停用"
        return req.redirect(to: "/benefits/\(try record.requireID())")
    }

    func confirmRoster(req: Request) async throws -> Response {
        let actor = try req.require(.runBenefits)
        let record = try await find(req)
        do {
            let count = try await RedemptionService.confirmRoster(policy: record, actor: actor, app: req.application, on: req.db)
            req.session.data["notice"] = "已确认名单：新增 \(count) 家待拨付"
        } catch let refusal as RedemptionRefusal {
            req.session.data["notice"] = refusal.message
        }
        return req.redirect(to: "/redemptions?policy=\(try record.requireID())")
    }

    private func find(_ req: Request) async throws -> BenefitPolicyRecord {
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await BenefitPolicyRecord.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        return record
    }
}
