import Fluent
import Vapor
import YingshangCore

/// Enterprise files (一企一档): the list with filters and export, the file page (facts with history, portrait, the
/// policies it matches with their explanations), the fact editor, and new files. Staff read every file; the
/// office keeps them; an enterprise user reads and fills in its own.
struct EnterprisePageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("enterprises", use: index)
        routes.get("enterprises", "export", use: export)
        routes.get("enterprises", "new", use: newForm)
        routes.post("enterprises", "new", use: create)
        routes.get("enterprises", ":id", use: show)
        routes.post("enterprises", ":id", "facts", use: updateFacts)
    }

    struct Row: Encodable { let id: UUID; let name: String; let creditCode: String }
    struct IndexView: Encodable {
        let rows: [Row]
        let q, size, section, city: String
        let sizes: [FormOption]
        let sections: [FormOption]
        let cities: [FormOption]
        let canManage: Bool
        let total: Int
        let pager: Pager
    }

    /// The filtered list: name or code by the database, size / section / city by the matcher's columns.
    func index(req: Request) async throws -> View {
        try req.require(.readEnterpriseFiles)
        let (ids, q, filter) = try await filtered(req)
        let page = try PageRequest(from: req)
        let slice = Array(ids.dropFirst(page.offset).prefix(page.limit))
        let records = Dictionary(uniqueKeysWithValues: try await EnterpriseRecord.query(on: req.db).filter(\.$id ~~ slice).all().map { ($0.id!, $0) })
        let rows = slice.compactMap { records[$0] }.map { Row(id: $0.id!, name: $0.name, creditCode: $0.creditCode) }
        let query = "q=\(q.urlQueryEncoded)&size=\(filter.sizeClass?.label.urlQueryEncoded ?? "")&section=\(filter.section ?? "")&city=\(filter.regionPrefix ?? "")"
        return try await req.page("enterprises/index", title: "企业档案", IndexView(
            rows: rows, q: q, size: filter.sizeClass?.label ?? "", section: filter.section ?? "", city: filter.regionPrefix ?? "",
            sizes: SizeClass.allCases.map { FormOption(value: $0.label, label: $0.label, selected: $0 == filter.sizeClass) },
            sections: IndustryClassification.standard.sections.map { FormOption(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == filter.section) },
            cities: ["4501", "4502", "4503"].map { FormOption(value: $0, label: RegionCode.cityName(of: $0 + "00"), selected: $0 == filter.regionPrefix) },
            canManage: req.principal?.role.may(.runBenefits) ?? false, total: ids.count,
            pager: Pager(page: page, total: ids.count, query: query)))
    }

    /// The list as CSV or XLSX (`format=xlsx`), the import's columns, facts as of today.
    func export(req: Request) async throws -> Response {
        try req.require(.readEnterpriseFiles)
        let (ids, _, _) = try await filtered(req)
        let today = Today.civil()
        var records: [UUID: EnterpriseRecord] = [:]
        for chunk in ids.chunked(1_000) {
            for record in try await EnterpriseRecord.query(on: req.db).filter(\.$id ~~ Array(chunk)).all() { records[record.id!] = record }
        }
        let ordered = ids.compactMap { records[$0] }
        let facts = try await EnterpriseStore.facts(of: ordered, asOf: today, on: req.db)
        let table = [EnterpriseSheet.columns.map(\.header)] + zip(ordered, facts).map { record, entry in
            EnterpriseSheet.cells(creditCode: record.creditCode, name: record.name, facts: entry.facts, asOf: today)
        }
        let filename = "企业档案-\(today.iso)"
        if (try? req.query.get(String.self, at: "format")) == "xlsx" {
            var workbook = XLSXWorkbook()
            workbook.addSheet(name: "企业档案", rows: table.map { $0.map(XLSXCell.text) })
            return try Response.xlsx(workbook, filename: filename + ".xlsx")
        }
        return Response.csv(table, filename: filename + ".csv")
    }

    private func filtered(_ req: Request) async throws -> (ids: [UUID], q: String, filter: EnterpriseFilter) {
        let q = ((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces)
        let filter = EnterpriseFilter(
            sizeClass: (try? req.query.get(String.self, at: "size")).flatMap(SizeClass.init(label:)),
            section: (try? req.query.get(String.self, at: "section")).flatMap { $0.isEmpty ? nil : $0 },
            regionPrefix: (try? req.query.get(String.self, at: "city")).flatMap { $0.isEmpty ? nil : $0 })
        var query = EnterpriseRecord.query(on: req.db).sort(\.$name)
        if !q.isEmpty {
            query = query.group(.or) { $0.filter(\.$name, .custom("LIKE"), "%\(q)%").filter(\.$creditCode == q.uppercased()) }
        }
        let ids = try await query.all(\.$id)
        return (try await req.application.benefitMatcher.filter(ids, by: filter, on: req.db), q, filter)
    }

    struct FactRow: Encodable {
        /// `label` and `hint` make the editor's label: 资产总额（万元）, 成立日期（日期，如 2020-03-01）.
        let key, label, hint, value, input: String
        let history: [String]
        let error: String?
    }
    struct ShowView: Encodable {
        let id: UUID
        let name, creditCode, asOf, today: String
        let facts: [FactRow]
        let tags: String
        let tagsKnown: Bool
        let tagCatalogue: [String]
        let size, sizeExplanation, smallLowProfit, ageBand, sector: String
        let groups: [Group]
        let canEdit: Bool
        /// Why the last submission was not saved.
        let formError: String?
        let tagError: String?
        /// An `as_of` that is not a date.
        let dateError: String?
        struct Group: Encodable { let title: String; let policies: [PolicyResult]; let size: Int }
    }

    /// The file on a date (`as_of`, default today): facts and where each came from, the portrait, and every
    /// published policy's result with its explanation, grouped 符合 / 差一点 / 待补充信息 / 不符合.
    func show(req: Request) async throws -> View {
        let enterprise = try await EnterpriseStore.find(req)
        return try await render(req, enterprise, inputs: [:], errors: [:])
    }

    /// The file page; `inputs` and `errors` refill the fact editor after a refused submission.
    private func render(_ req: Request, _ enterprise: EnterpriseRecord, inputs: [String: String], errors: [String: String]) async throws -> View {
        let today = Today.civil()
        let asOfText = (try? req.query.get(String.self, at: "as_of")) ?? ""
        let asOf = CivilDate(iso: asOfText) ?? today
        let dateError = asOfText.isEmpty || CivilDate(iso: asOfText) != nil ? nil : "日期“\(asOfText)”应写成 2024-01-01，下面是今天的档案"
        let history = try await EnterpriseStore.history(of: enterprise, on: req.db)
        let facts = history.facts(asOf: asOf)
        let rows = FactField.stored.map { field in
            FactRow(key: field.rawValue, label: field.label, hint: field.kind.hint, value: facts[field]?.display(for: field) ?? "缺少",
                    input: inputs[field.rawValue] ?? facts[field]?.plain ?? "",
                    history: history.values(of: field).map { "\($0.effectiveOn.iso) 起：\($0.value?.display(for: field) ?? "（清空）")" },
                    error: errors[field.rawValue])
        }
        let portrait = Portrait(facts: facts, asOf: asOf)
        let evaluated = try await req.application.benefitMatcher.published(on: req.db).map { published in
            (published, published.policy.evaluate(facts, asOf: asOf))
        }
        let groups = PolicyEvaluation.Standing.allCases.map { standing in
            let policies = evaluated.filter { $0.1.standing == standing }.map { PolicyResult($0.0.policy, id: $0.0.recordID, $0.1) }
            return ShowView.Group(title: standing.label, policies: policies, size: policies.count)
        }
        let view = ShowView(
            id: try enterprise.requireID(), name: enterprise.name, creditCode: enterprise.creditCode, asOf: asOf.iso, today: today.iso,
            facts: rows, tags: inputs["tags"] ?? facts.tags.map { $0.sorted().joined(separator: "、") } ?? "",
            tagsKnown: facts.tags != nil, tagCatalogue: EnterpriseTag.catalogue,
            size: portrait.size.sizeClass.map { $0.label + "企业" } ?? "未能划型", sizeExplanation: portrait.size.explanation,
            smallLowProfit: PolicyResult.smallLowProfitLine(portrait.smallLowProfit),
            ageBand: portrait.ageBand ?? "成立日期缺少", sector: portrait.sector ?? "行业缺少",
            groups: groups, canEdit: mayEdit(req), formError: errors["_"], tagError: errors["tags"], dateError: dateError)
        return try await req.page("enterprises/show", title: enterprise.name, view)
    }

    /// New values from a date (default today); an emptied field makes the fact unknown from then on.
    func updateFacts(req: Request) async throws -> Response {
        let enterprise = try await EnterpriseStore.find(req)
        guard mayEdit(req) else { throw APIError.forbidden }
        let actor = try req.requirePrincipal()
        let inputs = try req.content.decode([String: String].self)
        var cells: [FactField: String] = [:]
        for field in FactField.stored { if let text = inputs[field.rawValue] { cells[field] = text } }
        let entry = FactEntry.parse(cells, tags: inputs["tags"])
        var errors: [String: String] = [:]
        for problem in entry.problems { errors[problem.field?.rawValue ?? "tags"] = problem.message }
        let effectiveText = inputs["effective_on"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let effectiveOn = effectiveText.isEmpty ? Today.civil() : CivilDate(iso: effectiveText)
        if effectiveOn == nil { errors["effective_on"] = "生效日期应写成 2024-01-01" }
        guard errors.isEmpty, let effectiveOn else {
            errors["_"] = "有 \(errors.count) 处填写有误，未保存：" + errors.values.sorted().joined(separator: "；")
            return try await render(req, enterprise, inputs: inputs, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let source = actor.role == .enterprise ? "企业填报" : "录入"
        let change = EnterpriseStore.Change(values: entry.values, tags: inputs["tags"] == nil ? nil : entry.tags,
                                            effectiveOn: effectiveOn, source: source)
        let changed = try await Transactions.run(on: req.db) { tx in
            try await EnterpriseStore.apply(change, to: enterprise, actor: actor, on: tx)
        }
        if changed { try await req.application.benefitMatcher.enterpriseChanged(try enterprise.requireID(), on: req.db) }
        req.session.data["notice"] = changed ? "已保存，匹配结果已更新" : "没有变化"
        return req.redirect(to: "/enterprises/\(try enterprise.requireID())")
    }

    struct NewView: Encodable { let creditCode, name: String; let errors: [String: String] }

    func newForm(req: Request) async throws -> View {
        try req.require(.runBenefits)
        return try await req.page("enterprises/new", title: "新建企业档案", NewView(creditCode: "", name: "", errors: [:]))
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.require(.runBenefits)
        let inputs = try req.content.decode([String: String].self)
        let code = (inputs["credit_code"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let name = (inputs["name"] ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [String: String] = [:]
        if let problem = CreditCode.problem(with: code) { errors["credit_code"] = problem }
        else if try await EnterpriseRecord.query(on: req.db).filter(\.$creditCode == code).first() != nil { errors["credit_code"] = "该统一社会信用代码已有档案" }
        if name.isEmpty { errors["name"] = "请填写企业名称" }
        guard errors.isEmpty else {
            return try await req.page("enterprises/new", title: "新建企业档案", NewView(creditCode: code, name: name, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let record = EnterpriseRecord(creditCode: code, name: name)
        try await Transactions.run(on: req.db) { tx in
            try await record.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "enterprise", entityID: try record.requireID().uuidString,
                                      before: nil, after: ["credit_code": code, "name": name])
        }
        try await req.application.benefitMatcher.enterpriseChanged(try record.requireID(), on: req.db)
        req.session.data["notice"] = "已建档，请补充企业信息"
        return req.redirect(to: "/enterprises/\(try record.requireID())")
    }

    /// The office edits any file; an enterprise user its own (``EnterpriseStore/find(_:)`` let only its own through).
    private func mayEdit(_ req: Request) -> Bool {
        guard let role = req.principal?.role else { return false }
        return role.may(.runBenefits) || role == .enterprise
    }
}
