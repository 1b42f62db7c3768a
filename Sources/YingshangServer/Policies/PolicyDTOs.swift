import Fluent
import Vapor
import YingshangCore

/// A document in lists and results.
struct PolicySummaryDTO: Content {
    let id: UUID
    let title: String
    let number: String
    let issuer: String
    let kind: String
    let level: String
    let topic: String
    let validity: String
    let issuedOn: String?
    let effectiveOn: String?

    init(_ record: PolicyRecord, today: CivilDate = Today.civil()) {
        id = record.id!
        title = record.title
        number = record.number
        issuer = record.issuer
        kind = record.kind
        level = record.level
        topic = record.topic
        validity = record.validity(on: today).rawValue
        issuedOn = record.issuedOn
        effectiveOn = record.effectiveOn
    }

    enum CodingKeys: String, CodingKey {
        case id, title, number, issuer, kind, level, topic, validity, issuedOn = "issued_on", effectiveOn = "effective_on"
    }
}

/// A document with its articles, core clauses, versions, interpretations and the Q&As citing it.
struct PolicyDetailDTO: Content {
    struct Article: Content { let anchor, label, outline, text: String; let number: Int }
    struct Clause: Content { let key, label, text: String }
    struct Link: Content { let id: UUID; let title: String; let issuedOn: String?; let validity: String
        enum CodingKeys: String, CodingKey { case id, title, issuedOn = "issued_on", validity } }
    struct Question: Content { let id: UUID; let question: String }
    struct AttachmentLink: Content {
        let id: UUID, fileName: String, size: Int, href: String
        enum CodingKeys: String, CodingKey { case id, fileName = "file_name", size, href }
    }

    let document: PolicySummaryDTO
    let expiredOn: String?
    let history: [String]
    let preamble: String
    let coreClauses: [Clause]
    let articles: [Article]
    let versions: [Link]
    let interprets: Link?
    let interpretations: [Link]
    let knowledge: [Question]
    let attachments: [AttachmentLink]

    enum CodingKeys: String, CodingKey {
        case document, expiredOn = "expired_on", history, preamble, coreClauses = "core_clauses", articles, versions, interprets,
             interpretations, knowledge, attachments
    }

    static func load(_ id: UUID, on db: any Database, today: CivilDate = Today.civil()) async throws -> PolicyDetailDTO {
        guard let record = try await PolicyRecord.find(id, on: db) else { throw APIError.notFound }
        let articles = try await PolicyArticleRecord.query(on: db).filter(\.$document.$id == id).sort(\.$position).all()
        let link = { (r: PolicyRecord) in Link(id: r.id!, title: r.title, issuedOn: r.issuedOn, validity: r.validity(on: today).rawValue) }
        let versions = try await PolicyRecord.query(on: db).filter(\.$title == record.title).sort(\.$issuedOn, .descending).all()
        let interprets = try await record.interprets.asyncMap { try await PolicyRecord.find($0, on: db) } ?? nil
        let interpretations = try await PolicyRecord.query(on: db).filter(\.$interprets == id).all()
        let entryIDs = try await KnowledgeCitation.query(on: db).filter(\.$document.$id == id).all().map(\.$entry.id)
        let entries = try await KnowledgeEntry.query(on: db).filter(\.$id ~~ Array(Set(entryIDs))).all()
        let clauses = record.clauses
        return PolicyDetailDTO(
            document: PolicySummaryDTO(record, today: today), expiredOn: record.expiredOn, history: record.historyLines,
            preamble: record.preamble,
            coreClauses: CoreClauses.fields.compactMap { f in
                clauses[keyPath: f.path].isEmpty ? nil : Clause(key: f.key, label: f.label, text: clauses[keyPath: f.path])
            },
            articles: articles.map { Article(anchor: $0.anchor, label: $0.label, outline: $0.outline, text: $0.text, number: $0.number) },
            versions: versions.count > 1 ? versions.map(link) : [], interprets: interprets.map(link),
            interpretations: interpretations.map(link),
            knowledge: entries.map { Question(id: $0.id!, question: $0.question) },
            attachments: try await PolicyAttachmentsController.links(of: id, on: db))
    }
}

/// Search results as the API and the pages return them.
struct SearchResultsDTO: Content {
    struct Part: Content { let text: String; let highlighted: Bool }
    struct Hit: Content { let article: String?; let anchor: String?; let snippet: [Part]; let score: Double }
    struct Group: Content {
        let source: String
        let id: String
        let title: String
        let number: String
        let kind: String
        let validity: String
        let href: String
        let score: Double
        let hits: [Hit]
    }

    let query: String
    let totalDocuments: Int
    /// Whether `totalDocuments` is estimated (see `SearchResults.totalIsEstimate`).
    let totalIsEstimate: Bool
    let suggestion: String?
    let groups: [Group]

    enum CodingKeys: String, CodingKey {
        case query, totalDocuments = "total_documents", totalIsEstimate = "total_is_estimate", suggestion, groups
    }

    init(query: String, _ results: SearchResults) {
        self.query = query
        totalDocuments = results.totalDocuments
        totalIsEstimate = results.totalIsEstimate
        suggestion = results.suggestion
        groups = results.groups.map { group in
            let entry = KnowledgeBase.entryID(searchKey: group.document.key)
            let isKnowledge = entry != nil
            let id = entry?.uuidString ?? group.document.key
            return Group(source: group.document.source.rawValue, id: id, title: group.document.title, number: group.document.number,
                         kind: group.document.facets.kind, validity: group.document.facets.validity,
                         href: (isKnowledge ? "/knowledge/" : "/policies/") + id, score: group.score,
                         hits: group.hits.map { hit in
                             Hit(article: hit.unit.label, anchor: hit.unit.anchor,
                                 snippet: hit.snippet.map { Part(text: $0.text, highlighted: $0.highlighted) }, score: hit.score)
                         })
        }
    }
}

/// Reads search parameters (q, kind, level, issuer, validity, from, to, sort, source, limit, offset) from a request.
enum SearchParameters {
    static func options(_ req: Request, defaultLimit: Int = 10) throws -> (String, SearchOptions) {
        var options = SearchOptions()
        let text = (try? req.query.get(String.self, at: "q"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.count > 200 { throw APIError.validation(["q": "检索词不能超过 200 个字"]) }
        func values(_ name: String) -> Set<String> {
            Set(((try? req.query.get(String.self, at: name)) ?? "").split(separator: ",").map { String($0) }.filter { !$0.isEmpty })
        }
        options.kinds = values("kind")
        options.levels = values("level")
        options.issuers = values("issuer")
        options.validities = values("validity")
        var errors: [String: String] = [:]
        if let bad = options.kinds.first(where: { PolicyKind(rawValue: $0) == nil && $0 != "问答" }) { errors["kind"] = "没有“\(bad)”这个类别" }
        if let bad = options.validities.first(where: { PolicyValidity(rawValue: $0) == nil }) { errors["validity"] = "没有“\(bad)”这个效力状态" }
        for (name, keyPath) in [("from", \SearchOptions.issuedFrom), ("to", \SearchOptions.issuedTo)] {
            guard let raw = try? req.query.get(String.self, at: name), !raw.isEmpty else { continue }
            if let date = CivilDate(iso: raw) { options[keyPath: keyPath] = date.dayNumber } else { errors[name] = "日期格式应为 YYYY-MM-DD" }
        }
        if let sort = try? req.query.get(String.self, at: "sort"), !sort.isEmpty {
            if let order = SearchOptions.Order(rawValue: sort) { options.order = order } else { errors["sort"] = "排序只能是 relevance 或 newest" }
        }
        if let source = try? req.query.get(String.self, at: "source"), !source.isEmpty {
            if let s = SearchSource(rawValue: source) { options.sources = [s] } else { errors["source"] = "来源只能是 policy 或 knowledge" }
        }
        let page = try PageRequest(from: req)
        options.limit = req.query[String.self, at: "limit"] == nil ? defaultLimit : min(page.limit, 100)
        options.offset = page.offset
        if !errors.isEmpty { throw APIError.validation(errors, message: "检索条件有误") }
        return (text, options)
    }
}
