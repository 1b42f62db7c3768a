import Fluent
import Vapor
import YingshangCore

/// Knowledge-base pages: the public list and entry (with the cited articles' text), and for the office the
/// editor and the list of entries needing review (待复核), which each owner unit also gets in its inbox.
struct KnowledgePageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("knowledge", use: index)
        routes.get("knowledge", "new", use: newForm)
        routes.post("knowledge", "new", use: create)
        routes.get("knowledge", ":id", use: show)
        routes.get("knowledge", ":id", "edit", use: editForm)
        routes.post("knowledge", ":id", "edit", use: update)
    }

    struct Row: Encodable { let id: UUID; let question: String; let flags: [String] }
    struct IndexView: Encodable { let rows: [Row]; let flaggedOnly: Bool; let canManage: Bool; let signedIn: Bool }

    func index(req: Request) async throws -> View {
        let signedIn = req.principal.map { $0.role != .enterprise } ?? false
        let flaggedOnly = signedIn && (try? req.query.get(String.self, at: "flagged")) == "1"
        var rows: [Row] = []
        for entry in try await KnowledgeEntry.query(on: req.db).sort(\.$question).all() {
            let flags = signedIn ? try await KnowledgeBase.flags(entry, on: req.db).map(\.message) : []
            if flaggedOnly && flags.isEmpty { continue }
            rows.append(Row(id: entry.id!, question: entry.question, flags: flags))
        }
        return try await req.page("knowledge/index", title: flaggedOnly ? "知识库 · 待复核" : "知识库",
                                  IndexView(rows: rows, flaggedOnly: flaggedOnly, canManage: req.principal?.role.may(.managePolicies) ?? false,
                                            signedIn: signedIn))
    }

    struct ShowView: Encodable { let entry: KnowledgeDTO; let owner: String?; let canManage: Bool }

    func show(req: Request) async throws -> View {
        let entry = try await find(req)
        let signedIn = req.principal.map { $0.role != .enterprise } ?? false
        let dto = try await KnowledgeDTO.load(entry, on: req.db, withFlags: signedIn)
        let owner = try await entry.ownerUnitID.asyncMap { try await OrgUnit.find($0, on: req.db)?.name } ?? nil
        return try await req.page("knowledge/show", title: entry.question,
                                  ShowView(entry: dto, owner: owner, canManage: req.principal?.role.may(.managePolicies) ?? false))
    }

    struct FormView: Encodable {
        let action: String
        let question, answer, citations, reviewOn: String
        /// The appeal whose reply is being saved as an entry.
        let appealID: String
        let units: [FormOption]
        let errors: [String: String]
    }

    struct Form: Content {
        var question: String?
        var answer: String?
        var citations: String?
        var reviewOn: String?
        var ownerUnitID: String?
        var appealID: String?
        enum CodingKeys: String, CodingKey {
            case question, answer, citations, reviewOn = "review_on", ownerUnitID = "owner_unit_id", appealID = "appeal_id"
        }
    }

    func newForm(req: Request) async throws -> View {
        try req.require(.managePolicies)
        let prefill = try req.query.decode(Form.self)
        return try await form(req, action: "/knowledge/new", values: prefill, errors: [:])
    }

    func create(req: Request) async throws -> Response {
        try await submit(req, entry: KnowledgeEntry(), action: "/knowledge/new")
    }

    func editForm(req: Request) async throws -> View {
        try req.require(.managePolicies)
        let entry = try await find(req)
        let citations = try await KnowledgeCitation.query(on: req.db).filter(\.$entry.$id == entry.requireID()).with(\.$document).all()
            .map { "\($0.document.title)\($0.label.map { " " + $0 } ?? "")" }.joined(separator: "\n")
        let values = Form(question: entry.question, answer: entry.answer, citations: citations, reviewOn: entry.reviewOn,
                          ownerUnitID: entry.ownerUnitID?.uuidString, appealID: nil)
        return try await form(req, action: "/knowledge/\(entry.id!)/edit", values: values, errors: [:])
    }

    func update(req: Request) async throws -> Response {
        let entry = try await find(req)
        return try await submit(req, entry: entry, action: "/knowledge/\(entry.id!)/edit")
    }

    private func form(_ req: Request, action: String, values: Form, errors: [String: String]) async throws -> View {
        let units = try await OrgUnitQueries(request: req).options().selecting(values.ownerUnitID)
        return try await req.page("knowledge/form", title: "知识库条目", FormView(
            action: action, question: values.question ?? "", answer: values.answer ?? "", citations: values.citations ?? "",
            reviewOn: values.reviewOn ?? "", appealID: values.appealID ?? "", units: units, errors: errors))
    }

    private func submit(_ req: Request, entry: KnowledgeEntry, action: String) async throws -> Response {
        let actor = try req.require(.managePolicies)
        let values = try req.content.decode(Form.self)
        var errors: [String: String] = [:]
        var reviewOn: CivilDate?
        if let raw = values.reviewOn, !raw.isEmpty {
            if let date = CivilDate(iso: raw) { reviewOn = date } else { errors["review_on"] = "日期格式应为 YYYY-MM-DD" }
        }
        var owner: UUID?
        if let raw = values.ownerUnitID, !raw.isEmpty {
            if let id = UUID(uuidString: raw), try await OrgUnit.find(id, on: req.db) != nil { owner = id } else { errors["owner_unit_id"] = "找不到该单位" }
        }
        let input = KnowledgeBase.Input(question: values.question ?? "", answer: values.answer ?? "", ownerUnitID: owner, reviewOn: reviewOn,
                                        citations: values.citations ?? "", appealID: values.appealID.flatMap(UUID.init(uuidString:)))
        switch try await KnowledgeBase.validate(input, on: req.db) {
        case .failure(let failure):
            errors.merge(failure.errors) { a, _ in a }
        case .success(let citations) where errors.isEmpty:
            try await KnowledgeBase.save(entry, input: input, citations: citations, actor: actor, on: req.db)
            try await req.application.policySearch.refresh(knowledge: [entry.requireID()], on: req.db)
            req.session.data["notice"] = "已保存"
            return req.redirect(to: "/knowledge/\(entry.id!.uuidString)")
        case .success:
            break
        }
        return try await form(req, action: action, values: values, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
    }

    private func find(_ req: Request) async throws -> KnowledgeEntry {
        guard let id = req.parameters.get("id", as: UUID.self), let entry = try await KnowledgeEntry.find(id, on: req.db) else { throw Abort(.notFound) }
        return entry
    }
}
