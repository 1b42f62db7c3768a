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
    struct IndexView: Encodable { let rows: [Row]; let flaggedOnly: Bool; let canManage: Bool; let staff: Bool; let pager: Pager? }

    /// All entries a page at a time; for staff, with why each needs review, or only those (`flagged=1`, every entry
    /// is checked then — the list of entries needing review is short by nature).
    func index(req: Request) async throws -> View {
        let staff = KnowledgeBase.seesReviewFlags(req.principal)
        let flaggedOnly = staff && (try? req.query.get(String.self, at: "flagged")) == "1"
        var rows: [Row] = []
        var pager: Pager?
        if flaggedOnly {
            for entry in try await KnowledgeEntry.query(on: req.db).sort(\.$question).all() {
                let flags = try await KnowledgeBase.flags(entry, on: req.db).map(\.message)
                if !flags.isEmpty { rows.append(Row(id: entry.id!, question: entry.question, flags: flags)) }
            }
        } else {
            let page = try PageRequest(from: req)
            let (entries, total) = try await KnowledgeEntry.query(on: req.db).sort(\.$question).page(page)
            for entry in entries {
                rows.append(Row(id: entry.id!, question: entry.question,
                                flags: staff ? try await KnowledgeBase.flags(entry, on: req.db).map(\.message) : []))
            }
            pager = Pager(page: page, total: total)
        }
        return try await req.page("knowledge/index", title: flaggedOnly ? "知识库 · 待复核" : "知识库",
                                  IndexView(rows: rows, flaggedOnly: flaggedOnly, canManage: req.principal?.role.may(.managePolicies) ?? false,
                                            staff: staff, pager: pager))
    }

    struct ShowView: Encodable { let entry: KnowledgeDTO; let owner: String?; let canManage: Bool }

    func show(req: Request) async throws -> View {
        let entry = try await find(req)
        let dto = try await KnowledgeDTO.load(entry, on: req.db, withFlags: KnowledgeBase.seesReviewFlags(req.principal))
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
        init(question: String? = nil, answer: String? = nil, citations: String? = nil, reviewOn: String? = nil,
             ownerUnitID: String? = nil, appealID: String? = nil) {
            self.question = question
            self.answer = answer
            self.citations = citations
            self.reviewOn = reviewOn
            self.ownerUnitID = ownerUnitID
            self.appealID = appealID
        }

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

    /// The editor for a new entry; with `appeal_id`, prefilled from that appeal's title and reply.
    func newForm(req: Request) async throws -> View {
        try req.require(.managePolicies)
        var values = Form()
        if let raw = try? req.query.get(String.self, at: "appeal_id"), let id = UUID(uuidString: raw),
           let appeal = try await Appeal.find(id, on: req.db), let reply = appeal.replyText {
            values = Form(question: appeal.title, answer: reply, appealID: id.uuidString)
        }
        return try await form(req, action: "/knowledge/new", values: values, errors: [:])
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
                          ownerUnitID: entry.ownerUnitID?.uuidString)
        return try await form(req, action: "/knowledge/\(entry.id!)/edit", values: values, errors: [:])
    }

    func update(req: Request) async throws -> Response {
        try req.require(.managePolicies)
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
        let input = KnowledgeBase.Input(question: values.question ?? "", answer: values.answer ?? "", ownerUnitID: values.ownerUnitID,
                                        reviewOn: values.reviewOn, citations: values.citations ?? "",
                                        appealID: values.appealID.flatMap(UUID.init(uuidString:)))
        switch try await KnowledgeBase.validate(input, on: req.db) {
        case .failure(let failure):
            return try await form(req, action: action, values: values, errors: failure.errors).encodeResponse(status: .unprocessableEntity, for: req)
        case .success(let valid):
            try await KnowledgeBase.save(entry, valid, actor: actor, on: req.db)
            try await req.application.policySearch.refresh(knowledge: [entry.requireID()], on: req.db)
            req.session.data["notice"] = "已保存"
            return req.redirect(to: "/knowledge/\(entry.id!.uuidString)")
        }
    }

    private func find(_ req: Request) async throws -> KnowledgeEntry {
        guard let id = req.parameters.get("id", as: UUID.self), let entry = try await KnowledgeEntry.find(id, on: req.db) else { throw Abort(.notFound) }
        return entry
    }
}
