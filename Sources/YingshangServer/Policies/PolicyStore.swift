import Crypto
import Fluent
import Foundation
import Vapor
import YingshangCore

/// Writes documents into the library and reads them back for the search index.
enum PolicyStore {
    enum Outcome: String { case created, updated, unchanged }

    /// Stores `draft` (a new document, or the one imported before from `sourcePath`), its articles replaced, in one
    /// transaction with its audit entry. An unchanged file changes nothing.
    static func save(_ draft: PolicyDraft, sourcePath: String?, actor: Principal?, on db: any Database) async throws -> (PolicyRecord, Outcome) {
        let hash = try contentHash(draft)
        let existing = try await sourcePath.asyncMap { try await PolicyRecord.query(on: db).filter(\.$sourcePath == $0).first() } ?? nil
        if let existing, existing.contentHash == hash { return (existing, .unchanged) }
        let record = existing ?? PolicyRecord()
        let before = existing.map(summary)
        record.sourcePath = sourcePath
        record.title = draft.title
        record.number = draft.number
        record.issuer = draft.issuer
        record.kind = draft.kind.rawValue
        record.level = draft.level.rawValue
        record.topic = draft.topic
        record.issuedOn = draft.issuedOn?.iso
        record.effectiveOn = draft.effectiveOn?.iso
        record.history = String(decoding: try JSONEncoder().encode(draft.history), as: UTF8.self)
        record.preamble = draft.preamble
        if existing == nil { record.coreClauses = "{}" }
        record.contentHash = hash
        try await Transactions.run(on: db) { tx in
            try await record.save(on: tx)
            let id = try record.requireID()
            try await PolicyArticleRecord.query(on: tx).filter(\.$document.$id == id).delete()
            let rows = draft.articles.enumerated().map { position, article in
                let row = PolicyArticleRecord()
                row.$document.id = id
                row.position = position
                row.anchor = article.anchor
                row.label = article.label
                row.number = article.number
                row.outline = article.outline
                row.text = article.text
                return row
            }
            for chunk in stride(from: 0, to: rows.count, by: 500) { try await Array(rows[chunk..<min(chunk + 500, rows.count)]).create(on: tx) }
            try await AuditLog.record(on: tx, actor: actor, action: existing == nil ? .create : .update, entityType: "policy",
                                      entityID: id.uuidString, before: before, after: summary(record))
        }
        return (record, existing == nil ? .created : .updated)
    }

    /// What the audit log keeps of a document.
    static func summary(_ record: PolicyRecord) -> [String: String] {
        ["title": record.title, "number": record.number, "kind": record.kind, "issued_on": record.issuedOn ?? "",
         "validity_override": record.validityOverride ?? "", "expired_on": record.expiredOn ?? "",
         "superseded_by": record.supersededBy?.uuidString ?? ""]
    }

    static func contentHash(_ draft: PolicyDraft) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return SHA256.hash(data: try encoder.encode(draft)).hex
    }

    /// Among documents sharing a title, each older version is marked superseded by the next newer one (so its
    /// validity becomes 已修改); each such change is audited and the owners of knowledge entries citing a newly
    /// superseded version are told. Returns the documents whose link changed.
    @discardableResult
    static func linkVersions(titles: Set<String>, actor: Principal?, on db: any Database) async throws -> [UUID] {
        var changed: [UUID] = []
        for title in titles {
            let versions = try await PolicyRecord.query(on: db).filter(\.$title == title).all()
                .sorted { ($0.issuedOn ?? "") < ($1.issuedOn ?? "") }
            for (i, version) in versions.enumerated() {
                let next = i + 1 < versions.count ? versions[i + 1].id : nil
                guard version.supersededBy != next, let id = version.id else { continue }
                let before = summary(version)
                version.supersededBy = next
                try await Transactions.run(on: db) { tx in
                    try await version.save(on: tx)
                    try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "policy", entityID: id.uuidString,
                                              before: before, after: summary(version))
                    if next != nil {
                        try await KnowledgeBase.notifyOwners(citing: id, reason: "引用的《\(title)》已有新版本（已修改）", on: tx)
                    }
                }
                changed.append(id)
            }
        }
        return changed
    }

    // MARK: Reading for the index

    /// Search entries of the given documents (all when `ids` is nil), articles read in one query per batch.
    static func searchDocuments(ids: [UUID]? = nil, on db: any Database, today: CivilDate = Today.civil()) async throws -> [SearchDocument] {
        var query = PolicyRecord.query(on: db)
        if let ids { query = query.filter(\.$id ~~ ids) }
        let records = try await query.sort(\.$id).all()
        var result: [SearchDocument] = []
        for batch in stride(from: 0, to: records.count, by: 200) {
            let slice = Array(records[batch..<min(batch + 200, records.count)])
            let articles = try await PolicyArticleRecord.query(on: db).filter(\.$document.$id ~~ slice.compactMap(\.id))
                .sort(\.$position).all()
            let byDocument = Dictionary(grouping: articles, by: { $0.$document.id })
            for record in slice {
                result.append(searchDocument(record, articles: (byDocument[record.id!] ?? []).map(\.article), today: today))
            }
        }
        return result
    }

    static func searchDocument(_ record: PolicyRecord, articles: [PolicyArticle], today: CivilDate) -> SearchDocument {
        .policy(key: record.id!.uuidString, title: record.title, number: record.number,
                facets: SearchFacets(kind: record.kind, level: record.level, issuer: record.issuer,
                                     validity: record.validity(on: today).rawValue,
                                     issuedDay: record.issuedOn.flatMap(CivilDate.init(iso:))?.dayNumber),
                history: record.historyLines, preamble: record.preamble, articles: articles)
    }
}
