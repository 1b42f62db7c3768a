import Crypto
import Fluent
import Vapor
import YingshangCore

/// The knowledge base (知识库): questions and answers citing documents and articles, flagged to their owner unit
/// when a cited document is repealed or amended, a cited article changes, or the review date comes.
enum KnowledgeBase {
    static func searchKey(_ id: UUID) -> String { "kb:" + id.uuidString }

    /// The entry id a search key names (nil for a policy's key).
    static func entryID(searchKey key: String) -> UUID? {
        key.hasPrefix("kb:") ? UUID(uuidString: String(key.dropFirst(3))) : nil
    }

    /// Review flags are internal: office and department staff see them, enterprises and the public do not.
    static func seesReviewFlags(_ principal: Principal?) -> Bool { principal.map { $0.role != .enterprise } ?? false }

    /// What an office user typed (form or API), unchecked; citations one per line, `《文件标题》第三十六条` or a 文号,
    /// the article optional.
    struct Input {
        var question: String
        var answer: String
        var ownerUnitID: String?
        var reviewOn: String?
        var citations: String
        var appealID: UUID?
    }

    /// An input that passed `validate`.
    struct Valid {
        var question: String
        var answer: String
        var ownerUnitID: UUID?
        var reviewOn: CivilDate?
        var citations: [ResolvedCitation]
        var appealID: UUID?
    }

    struct ResolvedCitation {
        var document: PolicyRecord
        var article: PolicyArticleRecord?
    }

    struct ValidationFailure: Error { var errors: [String: String] }

    /// Checks every field and finds every cited document and article; field messages in Chinese when anything is wrong.
    static func validate(_ input: Input, on db: any Database) async throws -> Result<Valid, ValidationFailure> {
        var errors: [String: String] = [:]
        let question = input.question.trimmingCharacters(in: .whitespacesAndNewlines)
        let answer = input.answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if question.isEmpty { errors["question"] = "请填写问题" } else if question.count > 500 { errors["question"] = "问题不能超过 500 字" }
        if answer.isEmpty { errors["answer"] = "请填写答复" } else if answer.count > 20_000 { errors["answer"] = "答复不能超过 20000 字" }
        var reviewOn: CivilDate?
        if let raw = input.reviewOn?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let date = CivilDate(iso: raw) { reviewOn = date } else { errors["review_on"] = "日期格式应为 YYYY-MM-DD" }
        }
        var owner: UUID?
        if let raw = input.ownerUnitID?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let id = UUID(uuidString: raw), try await OrgUnit.find(id, on: db) != nil { owner = id } else { errors["owner_unit_id"] = "找不到该单位" }
        }
        var resolved: [ResolvedCitation] = []
        var problems: [String] = []
        for line in input.citations.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.isEmpty {
            var name = line
            var number: Int?
            if let (before, n) = ArticleReference.split(line.replacingOccurrences(of: " ", with: "")) { name = before; number = n }
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: "《》 "))
            guard let document = try await findDocument(name, on: db) else { problems.append("找不到文件“\(name)”"); continue }
            var article: PolicyArticleRecord?
            if let number {
                article = try await PolicyArticleRecord.query(on: db).filter(\.$document.$id == document.requireID())
                    .filter(\.$number == number).sort(\.$position).first()
                if article == nil { problems.append("《\(document.title)》没有\(ArticleReference.label(number))"); continue }
            }
            resolved.append(ResolvedCitation(document: document, article: article))
        }
        if !problems.isEmpty { errors["citations"] = problems.joined(separator: "；") }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors: errors)) }
        return .success(Valid(question: question, answer: answer, ownerUnitID: owner, reviewOn: reviewOn, citations: resolved,
                              appealID: input.appealID))
    }

    /// The newest version of the document with this title (or short title, or 文号).
    static func findDocument(_ name: String, on db: any Database) async throws -> PolicyRecord? {
        if let exact = try await PolicyRecord.query(on: db).group(.or, { $0.filter(\.$title == name).filter(\.$number == name) })
            .sort(\.$issuedOn, .descending).first() { return exact }
        return try await PolicyRecord.query(on: db).filter(\.$title == "中华人民共和国" + name).sort(\.$issuedOn, .descending).first()
    }

    /// Creates or updates an entry with its citations, audited, in one transaction.
    static func save(_ entry: KnowledgeEntry, _ valid: Valid, actor: Principal?, on db: any Database) async throws {
        let isNew = entry.id == nil
        let before = isNew ? nil : summary(entry)
        entry.question = valid.question
        entry.answer = valid.answer
        entry.ownerUnitID = valid.ownerUnitID
        entry.reviewOn = valid.reviewOn?.iso
        if let appeal = valid.appealID { entry.appealID = appeal }
        try await Transactions.run(on: db) { tx in
            try await entry.save(on: tx)
            let id = try entry.requireID()
            try await KnowledgeCitation.query(on: tx).filter(\.$entry.$id == id).delete()
            for cited in valid.citations {
                let row = KnowledgeCitation()
                row.$entry.id = id
                row.$document.id = try cited.document.requireID()
                row.anchor = cited.article?.anchor
                row.label = cited.article?.label
                row.textHash = cited.article.map { textHash($0.text) }
                try await row.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: isNew ? .create : .update, entityType: "knowledge",
                                      entityID: id.uuidString, before: before, after: summary(entry))
        }
    }

    static func summary(_ entry: KnowledgeEntry) -> [String: String] {
        ["question": entry.question, "answer": entry.answer, "review_on": entry.reviewOn ?? ""]
    }

    static func textHash(_ text: String) -> String { SHA256.hash(data: Data(text.utf8)).hex }

    /// Why the entry needs review now (empty when it does not).
    static func flags(_ entry: KnowledgeEntry, on db: any Database, today: CivilDate = Today.civil()) async throws -> [KnowledgeFlag] {
        let citations = try await KnowledgeCitation.query(on: db).filter(\.$entry.$id == entry.requireID()).with(\.$document).all()
        var current: [KnowledgeFlag.Citation] = []
        for c in citations {
            var hash: String?
            if let anchor = c.anchor {
                hash = try await PolicyArticleRecord.query(on: db).filter(\.$document.$id == c.$document.id)
                    .filter(\.$anchor == anchor).first().map { textHash($0.text) }
            }
            current.append(.init(title: c.document.title, validity: c.document.validity(on: today), label: c.label,
                                 citedTextHash: c.textHash, currentTextHash: hash))
        }
        return KnowledgeFlag.flags(reviewOn: entry.reviewOn.flatMap(CivilDate.init(iso:)), citations: current, today: today)
    }

    /// Tells the owner units of entries citing `documentID` that it changed (after it was repealed or revised).
    static func notifyOwners(citing documentID: UUID, reason: String, on db: any Database) async throws {
        let entryIDs = try await KnowledgeCitation.query(on: db).filter(\.$document.$id == documentID).all().map(\.$entry.id)
        let entries = try await KnowledgeEntry.query(on: db).filter(\.$id ~~ entryIDs).all()
        for entry in entries {
            guard let unit = entry.ownerUnitID, let id = entry.id else { continue }
            try await Notifier(db: db).notify(orgUnitID: unit, title: "知识库条目待复核", body: "“\(entry.question)”：\(reason)",
                                              link: "/knowledge/\(id.uuidString)")
        }
    }

    static func searchDocuments(ids: [UUID]? = nil, on db: any Database) async throws -> [SearchDocument] {
        var query = KnowledgeEntry.query(on: db)
        if let ids { query = query.filter(\.$id ~~ ids) }
        return try await query.all().map { entry in
            SearchDocument(key: searchKey(entry.id!), source: .knowledge, title: entry.question, number: "",
                           facets: SearchFacets(kind: "问答"),
                           units: [SearchUnit(text: entry.question + "\n" + entry.answer)])
        }
    }
}
