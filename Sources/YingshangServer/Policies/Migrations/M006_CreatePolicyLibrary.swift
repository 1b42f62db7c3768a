import Fluent

/// 006: the policy library (documents and their articles), the knowledge base with its citations, and the
/// office's search synonyms.
struct M006_CreatePolicyLibrary: AsyncMigration {
    var name: String { "006_create_policy_library" }

    func prepare(on db: any Database) async throws {
        try await db.schema(PolicyRecord.schema)
            .id()
            .field("source_path", .string)
            .field("title", .string, .required)
            .field("number", .string, .required)
            .field("issuer", .string, .required)
            .field("kind", .string, .required)
            .field("level", .string, .required)
            .field("topic", .string, .required)
            .field("issued_on", .string)
            .field("effective_on", .string)
            .field("expired_on", .string)
            .field("validity_override", .string)
            .field("superseded_by", .uuid)
            .field("interprets", .uuid)
            .field("history", .string, .required)
            .field("preamble", .string, .required)
            .field("core_clauses", .string, .required)
            .field("content_hash", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "source_path")
            .create()
        try await db.schema(PolicyArticleRecord.schema)
            .id()
            .field("document_id", .uuid, .required, .references(PolicyRecord.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("anchor", .string, .required)
            .field("label", .string, .required)
            .field("number", .int, .required)
            .field("outline", .string, .required)
            .field("text", .string, .required)
            .unique(on: "document_id", "position")
            .create()
        try await db.schema(KnowledgeEntry.schema)
            .id()
            .field("question", .string, .required)
            .field("answer", .string, .required)
            .field("owner_unit_id", .uuid, .references(OrgUnit.schema, .id, onDelete: .setNull))
            .field("review_on", .string)
            .field("appeal_id", .uuid)
            .field("updated_at", .datetime)
            .create()
        try await db.schema(KnowledgeCitation.schema)
            .id()
            .field("entry_id", .uuid, .required, .references(KnowledgeEntry.schema, .id, onDelete: .cascade))
            .field("document_id", .uuid, .required, .references(PolicyRecord.schema, .id, onDelete: .cascade))
            .field("anchor", .string)
            .field("label", .string)
            .field("text_hash", .string)
            .create()
        try await db.schema(SearchSynonymRecord.schema)
            .id()
            .field("abbreviation", .string, .required)
            .field("expansions", .string, .required)
            .unique(on: "abbreviation")
            .create()
        try await MigrationIndexes.create([
            .init("idx_policy_documents_title", on: PolicyRecord.schema, "title"),
            .init("idx_knowledge_citations_document", on: KnowledgeCitation.schema, "document_id"),
            .init("idx_knowledge_citations_entry", on: KnowledgeCitation.schema, "entry_id"),
        ], on: db)
    }

    func revert(on db: any Database) async throws {
        for schema in [SearchSynonymRecord.schema, KnowledgeCitation.schema, KnowledgeEntry.schema, PolicyArticleRecord.schema, PolicyRecord.schema] {
            try await db.schema(schema).delete()
        }
    }
}
