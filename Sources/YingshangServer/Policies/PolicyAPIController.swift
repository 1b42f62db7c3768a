import Fluent
import Vapor
import YingshangCore

/// `/api/v1/policies`, `/api/v1/search` and `/api/v1/knowledge`. Reading is public, like the portal; writing
/// knowledge entries needs the office's permission.
struct PolicyAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("policies", use: list)
        routes.get("policies", ":id", use: show)
        routes.get("search", use: search)
        routes.get("knowledge", use: listKnowledge)
        routes.get("knowledge", ":id", use: showKnowledge)
        routes.post("knowledge", use: createKnowledge)
    }

    func list(req: Request) async throws -> PageOf<PolicySummaryDTO> {
        let page = try PageRequest(from: req)
        let filter = try PolicyListFilter(req)
        let (records, total) = try await filter.query(on: req.db).page(page)
        return PageOf(items: records.map { PolicySummaryDTO($0) }, total: total, limit: page.limit, offset: page.offset)
    }

    func show(req: Request) async throws -> PolicyDetailDTO {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw APIError.notFound }
        return try await PolicyDetailDTO.load(id, on: req.db)
    }

    func search(req: Request) async throws -> SearchResultsDTO {
        let (text, options) = try SearchParameters.options(req)
        guard !text.isEmpty else { throw APIError.validation(["q": "请输入检索词"]) }
        let catalog = try await req.application.policySearch.current(on: req.db)
        return SearchResultsDTO(query: text, catalog.search(text, options: options))
    }

    func listKnowledge(req: Request) async throws -> PageOf<KnowledgeDTO> {
        let page = try PageRequest(from: req)
        let (entries, total) = try await KnowledgeEntry.query(on: req.db).sort(\.$question).page(page)
        var items: [KnowledgeDTO] = []
        for entry in entries { items.append(try await KnowledgeDTO.load(entry, on: req.db, withFlags: KnowledgeBase.seesReviewFlags(req.principal))) }
        return PageOf(items: items, total: total, limit: page.limit, offset: page.offset)
    }

    func showKnowledge(req: Request) async throws -> KnowledgeDTO {
        guard let id = req.parameters.get("id", as: UUID.self), let entry = try await KnowledgeEntry.find(id, on: req.db) else {
            throw APIError.notFound
        }
        return try await KnowledgeDTO.load(entry, on: req.db, withFlags: KnowledgeBase.seesReviewFlags(req.principal))
    }

    struct KnowledgeInput: Content {
        var question: String
        var answer: String
        var ownerUnitID: UUID?
        var reviewOn: String?
        /// One citation per line: `优化营商环境条例 第三十六条`, a title or a 文号.
        var citations: [String]?
        enum CodingKeys: String, CodingKey { case question, answer, ownerUnitID = "owner_unit_id", reviewOn = "review_on", citations }
    }

    func createKnowledge(req: Request) async throws -> Response {
        let actor = try req.require(.managePolicies)
        let body = try req.content.decode(KnowledgeInput.self)
        let input = KnowledgeBase.Input(question: body.question, answer: body.answer, ownerUnitID: body.ownerUnitID?.uuidString,
                                        reviewOn: body.reviewOn, citations: (body.citations ?? []).joined(separator: "\n"), appealID: nil)
        let entry = KnowledgeEntry()
        switch try await KnowledgeBase.validate(input, on: req.db) {
        case .failure(let failure): throw APIError.validation(failure.errors)
        case .success(let valid): try await KnowledgeBase.save(entry, valid, actor: actor, on: req.db)
        }
        try await req.application.policySearch.refresh(knowledge: [entry.requireID()], on: req.db)
        return try await KnowledgeDTO.load(entry, on: req.db, withFlags: true).encodeResponse(status: .created, for: req)
    }
}

/// A knowledge entry with the text of each cited article and, for signed-in users, why it needs review.
struct KnowledgeDTO: Content {
    struct Citation: Content {
        let documentID: UUID, title: String, article: String?, anchor: String?, text: String?, validity: String
        enum CodingKeys: String, CodingKey { case documentID = "document_id", title, article, anchor, text, validity }
    }
    let id: UUID
    let question: String
    let answer: String
    let ownerUnitID: UUID?
    let reviewOn: String?
    let citations: [Citation]
    let flags: [String]?

    enum CodingKeys: String, CodingKey {
        case id, question, answer, ownerUnitID = "owner_unit_id", reviewOn = "review_on", citations, flags
    }

    static func load(_ entry: KnowledgeEntry, on db: any Database, withFlags: Bool) async throws -> KnowledgeDTO {
        let today = Today.civil()
        let rows = try await KnowledgeCitation.query(on: db).filter(\.$entry.$id == entry.requireID()).with(\.$document).all()
        var citations: [Citation] = []
        for row in rows {
            let text = try await row.anchor.asyncMap { anchor in
                try await PolicyArticleRecord.query(on: db).filter(\.$document.$id == row.$document.id).filter(\.$anchor == anchor).first()?.text
            } ?? nil
            citations.append(Citation(documentID: row.$document.id, title: row.document.title, article: row.label, anchor: row.anchor,
                                      text: text, validity: row.document.validity(on: today).rawValue))
        }
        let flags = withFlags ? try await KnowledgeBase.flags(entry, on: db, today: today).map(\.message) : nil
        return KnowledgeDTO(id: entry.id!, question: entry.question, answer: entry.answer, ownerUnitID: entry.ownerUnitID,
                            reviewOn: entry.reviewOn, citations: citations, flags: flags)
    }
}

/// The browse filters of the document list: kind, level, topic, issuer (part of its name), title words.
struct PolicyListFilter {
    var kind: String?
    var level: String?
    var topic: String?
    var issuer: String?
    var title: String?

    init(_ req: Request) throws {
        func value(_ name: String) -> String? {
            guard let v = try? req.query.get(String.self, at: name), !v.isEmpty else { return nil }
            return v
        }
        kind = value("kind")
        level = value("level")
        topic = value("topic")
        issuer = value("issuer")
        title = value("title")
        var errors: [String: String] = [:]
        if let kind, PolicyKind(rawValue: kind) == nil { errors["kind"] = "没有“\(kind)”这个类别" }
        if let level, PolicyLevel(rawValue: level) == nil { errors["level"] = "没有“\(level)”这个层级" }
        if !errors.isEmpty { throw APIError.validation(errors, message: "筛选条件有误") }
    }

    /// Newest first; only the columns lists show (not the preamble or history).
    func query(on db: any Database) -> QueryBuilder<PolicyRecord> {
        var query = PolicyRecord.query(on: db)
            .field(\.$id).field(\.$title).field(\.$number).field(\.$issuer).field(\.$kind).field(\.$level).field(\.$topic)
            .field(\.$issuedOn).field(\.$effectiveOn).field(\.$expiredOn).field(\.$validityOverride).field(\.$supersededBy)
        if let kind { query = query.filter(\.$kind == kind) }
        if let level { query = query.filter(\.$level == level) }
        if let topic { query = query.filter(\.$topic == topic) }
        if let issuer { query = query.filter(\.$issuer, .custom("LIKE"), "%" + issuer + "%") }
        if let title { query = query.filter(\.$title, .custom("LIKE"), "%" + title + "%") }
        return query.sort(\.$issuedOn, .descending).sort(\.$title)
    }
}
