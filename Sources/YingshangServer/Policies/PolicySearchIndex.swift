import Fluent
import Vapor
import YingshangCore

/// The search index of this server process, derived from the database: built on first use (or at start, with a
/// progress line) and updated after every change to a document, a knowledge entry or the synonyms.
///
/// Each server process keeps its own index; a process that did not make a change picks it up at its next
/// rebuild (`policies.reindex` job) — see the notes in Benchmarks/RESULTS.md.
actor PolicySearchIndex {
    private var catalog: SearchCatalog?
    /// The build in progress, which concurrent first searches wait for instead of starting their own.
    private var building: Task<SearchCatalog, any Error>?
    /// Recent-change segments above this many documents are folded into the base.
    static let compactAfter = 200

    /// The catalogue, built from the database when there is none yet.
    func current(on db: any Database, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> SearchCatalog {
        if let catalog { return catalog }
        let task = building ?? Task { try await Self.build(on: db, progress: progress) }
        building = task
        defer { building = nil }
        let built = try await task.value
        if catalog == nil { catalog = built }
        return catalog!
    }

    /// Rebuilds everything (after a bulk import, or by the nightly job).
    func rebuild(on db: any Database, progress: @Sendable (String) -> Void = { _ in }) async throws {
        catalog = try await Self.build(on: db, progress: progress)
    }

    /// Re-reads the given documents and knowledge entries (deleted ones drop out).
    func refresh(policies: [UUID] = [], knowledge: [UUID] = [], on db: any Database) async throws {
        guard let current = catalog else { return }
        var changed = try await PolicyStore.searchDocuments(ids: policies, on: db)
        changed += try await KnowledgeBase.searchDocuments(ids: knowledge, on: db)
        let present = Set(changed.map(\.key))
        let removed = Set(policies.map(\.uuidString) + knowledge.map(KnowledgeBase.searchKey)).subtracting(present)
        var next = current.updating(changed, removing: removed)
        if next.pendingDocuments > Self.compactAfter { next = next.compacted() }
        catalog = next
    }

    func replaceSynonyms(on db: any Database) async throws {
        guard catalog != nil else { return }
        catalog!.synonyms = try await Self.synonyms(on: db)
    }

    static func synonyms(on db: any Database) async throws -> SynonymTable {
        let rows = try await SearchSynonymRecord.query(on: db).all()
        var entries: [String: [String]] = [:]
        for row in rows { entries[row.abbreviation] = row.expansions.split(separator: "|").map(String.init) }
        return SynonymTable.standard.merged(with: SynonymTable(entries: entries))
    }

    static func build(on db: any Database, progress: @Sendable (String) -> Void) async throws -> SearchCatalog {
        let clock = ContinuousClock()
        let start = clock.now
        progress("正在读取政策文件…")
        let policies = try await PolicyStore.searchDocuments(on: db)
        let knowledge = try await KnowledgeBase.searchDocuments(on: db)
        progress("正在建立检索索引：\(policies.count) 份文件、\(knowledge.count) 条问答…")
        let catalog = SearchCatalog(documents: policies + knowledge, synonyms: try await synonyms(on: db))
        let seconds = (clock.now - start).components
        progress("检索索引已建立：\(catalog.documentCount) 份，\(catalog.unitCount) 个条款，用时 \(seconds.seconds) 秒")
        return catalog
    }
}

extension Application {
    private struct PolicySearchKey: StorageKey { typealias Value = PolicySearchIndex }

    /// Set once by `configure`.
    var policySearch: PolicySearchIndex {
        get { storage[PolicySearchKey.self]! }
        set { storage[PolicySearchKey.self] = newValue }
    }
}
