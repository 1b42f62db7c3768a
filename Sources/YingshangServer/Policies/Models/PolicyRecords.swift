import Fluent
import Foundation
import YingshangCore

/// A law, regulation or normative document in the library (政策文件库).
final class PolicyRecord: Model, @unchecked Sendable {
    static let schema = "policy_documents"

    @ID(key: .id) var id: UUID?
    /// Where an import read it (`行政法规/优化营商环境条例(2019-10-22).md`): re-importing the same path updates it.
    @OptionalField(key: "source_path") var sourcePath: String?
    @Field(key: "title") var title: String
    @Field(key: "number") var number: String
    @Field(key: "issuer") var issuer: String
    @Field(key: "kind") var kind: String
    @Field(key: "level") var level: String
    @Field(key: "topic") var topic: String
    @OptionalField(key: "issued_on") var issuedOn: String?
    @OptionalField(key: "effective_on") var effectiveOn: String?
    @OptionalField(key: "expired_on") var expiredOn: String?
    /// Set by hand when the dates cannot tell (e.g. repealed by a decision without a date in the library).
    @OptionalField(key: "validity_override") var validityOverride: String?
    /// The later version that revises this one.
    @OptionalField(key: "superseded_by") var supersededBy: UUID?
    /// For a 政策解读: the document it explains.
    @OptionalField(key: "interprets") var interprets: UUID?
    /// JSON array of the dated lines under the title.
    @Field(key: "history") var history: String
    @Field(key: "preamble") var preamble: String
    /// JSON of `CoreClauses`.
    @Field(key: "core_clauses") var coreClauses: String
    /// Hash of what the import read, so an unchanged file changes nothing.
    @Field(key: "content_hash") var contentHash: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var historyLines: [String] { (try? JSONDecoder().decode([String].self, from: Data(history.utf8))) ?? [] }

    var clauses: CoreClauses { (try? JSONDecoder().decode(CoreClauses.self, from: Data(coreClauses.utf8))) ?? CoreClauses() }

    /// The validity set by hand, or else the one the dates give.
    func validity(on today: CivilDate) -> PolicyValidity {
        if let override = validityOverride, let validity = PolicyValidity(rawValue: override) { return validity }
        return derivedValidity(on: today)
    }

    func derivedValidity(on today: CivilDate) -> PolicyValidity {
        PolicyValidity.derive(effective: effectiveOn.flatMap(CivilDate.init(iso:)), expired: expiredOn.flatMap(CivilDate.init(iso:)),
                              superseded: supersededBy != nil, on: today)
    }
}

/// One article of a document, in order.
final class PolicyArticleRecord: Model, @unchecked Sendable {
    static let schema = "policy_articles"

    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: PolicyRecord
    @Field(key: "position") var position: Int
    @Field(key: "anchor") var anchor: String
    @Field(key: "label") var label: String
    @Field(key: "number") var number: Int
    @Field(key: "outline") var outline: String
    @Field(key: "text") var text: String

    init() {}

    var article: PolicyArticle { PolicyArticle(anchor: anchor, label: label, number: number, outline: outline, text: text) }
}

/// A question and answer of the knowledge base (知识库).
final class KnowledgeEntry: Model, @unchecked Sendable {
    static let schema = "knowledge_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "question") var question: String
    @Field(key: "answer") var answer: String
    @OptionalField(key: "owner_unit_id") var ownerUnitID: UUID?
    @OptionalField(key: "review_on") var reviewOn: String?
    /// The appeal whose reply this entry was saved from.
    @OptionalField(key: "appeal_id") var appealID: UUID?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A document (and optionally one article) an entry cites, with the article's text hash when cited.
final class KnowledgeCitation: Model, @unchecked Sendable {
    static let schema = "knowledge_citations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "entry_id") var entry: KnowledgeEntry
    @Parent(key: "document_id") var document: PolicyRecord
    @OptionalField(key: "anchor") var anchor: String?
    @OptionalField(key: "label") var label: String?
    @OptionalField(key: "text_hash") var textHash: String?

    init() {}
}

/// An abbreviation the office added to the search synonyms (on top of the shipped table).
final class SearchSynonymRecord: Model, @unchecked Sendable {
    static let schema = "search_synonyms"

    @ID(key: .id) var id: UUID?
    @Field(key: "abbreviation") var abbreviation: String
    /// Full names separated by `|`.
    @Field(key: "expansions") var expansions: String

    init() {}
}
