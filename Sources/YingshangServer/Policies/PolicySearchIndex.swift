import Fluent
import Vapor
import YingshangCore

/// The search index of this server process, derived from the database: built on first use (at start, in the
/// background, with progress lines) and updated after every change this process makes. Changes other processes make
/// (another server, `yingshang policies import`) are picked up by `catchUp`, which the `SearchIndexRefresher` runs
/// every minute from the rows' `updated_at`; a new day rebuilds everything, since validity depends on the date.
actor PolicySearchIndex {
    private var catalog: SearchCatalog?
    /// The knowledge base alone, for the suggestions on appeal pages: small, so built on demand and dropped whenever
    /// an entry or the synonyms change.
    private var knowledgeOnly: SearchCatalog?
    /// The build in progress, which concurrent first searches wait for instead of starting their own.
    private var building: Task<SearchCatalog, any Error>?
    /// Records changed while the build was reading the database, applied again once it finishes.
    private var changedDuringBuild: (policies: Set<UUID>, knowledge: Set<UUID>) = ([], [])
    /// When the catalogue last read changes (minus a margin), and on which day it derived validities.
    private var seenUntil = Date.distantPast
    private var builtOn: CivilDate?
    /// Recent-change segments above this many documents are folded into the base.
    static let compactAfter = 200

    /// The catalogue, built from the database when there is none yet.
    func current(on db: any Database, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> SearchCatalog {
        if let catalog { return catalog }
        let started = Date()
        let task = building ?? Task { try await Self.build(on: db, progress: progress) }
        building = task
        let built = try await task.value
        if catalog == nil {
            catalog = built
            building = nil
            seenUntil = started
            builtOn = Today.civil()
            let pending = changedDuringBuild
            changedDuringBuild = ([], [])
            if !pending.policies.isEmpty || !pending.knowledge.isEmpty {
                try await refresh(policies: Array(pending.policies), knowledge: Array(pending.knowledge), on: db)
            }
        }
        return catalog!
    }

    /// The catalogue of knowledge-base entries only (searching it does not touch the documents' postings).
    func knowledgeCatalog(on db: any Database) async throws -> SearchCatalog {
        if let knowledgeOnly { return knowledgeOnly }
        let built = SearchCatalog(documents: try await KnowledgeBase.searchDocuments(on: db), synonyms: try await Self.synonyms(on: db))
        knowledgeOnly = built
        return built
    }

    /// Re-reads the given documents and knowledge entries (deleted ones drop out). The records are read first and
    /// applied to whatever the catalogue is by then, so concurrent refreshes do not undo each other.
    func refresh(policies: [UUID] = [], knowledge: [UUID] = [], on db: any Database) async throws {
        if !knowledge.isEmpty { knowledgeOnly = nil }
        guard catalog != nil else {
            if building != nil {
                changedDuringBuild.policies.formUnion(policies)
                changedDuringBuild.knowledge.formUnion(knowledge)
            }
            return
        }
        var changed = try await PolicyStore.searchDocuments(ids: policies, on: db)
        changed += try await KnowledgeBase.searchDocuments(ids: knowledge, on: db)
        let present = Set(changed.map(\.key))
        let removed = Set(policies.map(\.uuidString) + knowledge.map(KnowledgeBase.searchKey)).subtracting(present)
        guard let latest = catalog else { return }
        var next = latest.updating(changed, removing: removed)
        if next.pendingDocuments > Self.compactAfter {
            let full = next
            next = await Self.offCooperativePool { full.compacted() }
        }
        guard catalog != nil else { return }
        catalog = next
    }

    /// Applies what changed in the database since the last look (by any process), and the synonyms; rebuilds on a
    /// new day. Does nothing before the first build.
    func catchUp(on db: any Database) async throws {
        guard catalog != nil else { return }
        let now = Date()
        if builtOn != Today.civil() {
            let rebuilt = try await Self.build(on: db) { _ in }
            catalog = rebuilt
            builtOn = Today.civil()
            seenUntil = now
            return
        }
        // A margin for clocks and for transactions that committed late: re-reading a record is harmless.
        let since = seenUntil.addingTimeInterval(-10)
        let policies = try await PolicyRecord.query(on: db).filter(\.$updatedAt >= since).field(\.$id).all().compactMap(\.id)
        let knowledge = try await KnowledgeEntry.query(on: db).filter(\.$updatedAt >= since).field(\.$id).all().compactMap(\.id)
        if !policies.isEmpty || !knowledge.isEmpty { try await refresh(policies: policies, knowledge: knowledge, on: db) }
        try await replaceSynonyms(on: db)
        seenUntil = now
    }

    func replaceSynonyms(on db: any Database) async throws {
        let synonyms = try await Self.synonyms(on: db)
        if catalog != nil, catalog!.synonyms != synonyms { catalog!.synonyms = synonyms }
        if knowledgeOnly?.synonyms != synonyms { knowledgeOnly = nil }
    }

    /// Runs CPU-bound work (building an index takes seconds) on a dispatch thread, so it never holds one of the few
    /// threads every request's async code shares (on 2 cores, a 30-second debug build starved the pages).
    static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
        }
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
        let synonyms = try await synonyms(on: db)
        let catalog = await offCooperativePool { SearchCatalog(documents: policies + knowledge, synonyms: synonyms) }
        let seconds = (clock.now - start).components
        progress("检索索引已建立：\(catalog.documentCount) 份，\(catalog.unitCount) 个条款，用时 \(seconds.seconds) 秒")
        return catalog
    }
}

/// Runs `PolicySearchIndex.catchUp` every `YINGSHANG_SEARCH_REFRESH` seconds (default 60; 0 turns it off).
struct SearchIndexRefresher: LifecycleHandler {
    let interval: Int

    func didBootAsync(_ application: Application) async throws {
        guard interval > 0 else { return }
        let interval = interval
        let task = Task {
            while true {
                // Cancelled at shutdown (before the databases close): stop without touching them.
                do { try await Task.sleep(nanoseconds: UInt64(interval) * 1_000_000_000) } catch { return }
                do { try await application.policySearch.catchUp(on: application.db) } catch {
                    application.logger.warning("检索索引更新失败：\(String(reflecting: error))")
                }
            }
        }
        application.storage[RefresherTaskKey.self] = task
    }

    func shutdownAsync(_ application: Application) async {
        application.storage[RefresherTaskKey.self]?.cancel()
    }

    private struct RefresherTaskKey: StorageKey { typealias Value = Task<Void, Never> }
}

extension Application {
    private struct PolicySearchKey: StorageKey { typealias Value = PolicySearchIndex }

    /// Set once by `configure`.
    var policySearch: PolicySearchIndex {
        get { storage[PolicySearchKey.self]! }
        set { storage[PolicySearchKey.self] = newValue }
    }
}
