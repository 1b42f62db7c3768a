import Fluent
import Foundation
import Vapor
import YingshangCore

/// The published policies matched against every enterprise file (精准匹配), kept in memory as the core's columnar
/// matcher and derived from the database: built on first use and again each new day (rules are bound to today's
/// parameters), one enterprise's row rematched when its file changes, the full match rerun when a policy changes —
/// in this process at once, from other processes on the same database within `YINGSHANG_MATCH_REFRESH` seconds.
actor BenefitMatcher {
    /// A published policy and its place among the compiled rules.
    struct Published: Sendable {
        let recordID: UUID
        let policy: BenefitPolicy
        /// Index in the compiled rules; nil when the policy has no rule in force today.
        let rule: Int?
    }

    /// One policy's reach today.
    struct Reach: Sendable {
        let eligible: Int
        let undecided: Int
    }

    private var built: (date: CivilDate, rows: [UUID], rowOf: [UUID: Int], columns: EnterpriseColumns,
                        published: [Published], compiled: CompiledRules, full: ColumnarMatcher.FullMatch)?

    /// What the database looked like when the match was last brought up to date: other processes serving the same
    /// database change files and policies too, and the change shows here.
    struct Stamp: Equatable, Sendable {
        let enterprises: Int
        let enterprisesUpdated: Date?
        let policiesUpdated: Date?

        static func read(_ db: any Database) async throws -> Stamp {
            Stamp(enterprises: try await EnterpriseRecord.query(on: db).count(),
                  enterprisesUpdated: try await EnterpriseRecord.query(on: db).max(\.$updatedAt),
                  policiesUpdated: try await BenefitPolicyRecord.query(on: db).max(\.$updatedAt))
        }
    }

    private var stamp: Stamp?
    private var checkedAt = Date.distantPast
    /// How often a request checks the database for changes made by other processes (`YINGSHANG_MATCH_REFRESH`, s).
    private let refreshInterval: TimeInterval

    init(refreshInterval: TimeInterval = TimeInterval(Environment.get("YINGSHANG_MATCH_REFRESH") ?? "") ?? 10) {
        self.refreshInterval = refreshInterval
    }

    /// Makes sure the match is built for `today` and has caught up with changes made elsewhere: files changed since
    /// are rematched row by row; a new file or a changed policy rebuilds.
    private func ensure(on db: any Database, today: CivilDate) async throws {
        guard built?.date == today, let known = stamp else { return try await rebuild(on: db, today: today) }
        guard Date().timeIntervalSince(checkedAt) >= refreshInterval else { return }
        checkedAt = Date()
        let now = try await Stamp.read(db)
        guard now != known else { return }
        guard now.enterprises == known.enterprises, now.policiesUpdated == known.policiesUpdated else {
            return try await rebuild(on: db, today: today)
        }
        var query = EnterpriseRecord.query(on: db)
        if let since = known.enterprisesUpdated { query = query.filter(\.$updatedAt > since) }
        for id in try await query.all(\.$id) { try await rematch(id, on: db, today: today) }
        stamp = now
    }

    private func rebuild(on db: any Database, today: CivilDate) async throws {
        let all = try await EnterpriseStore.allFacts(asOf: today, on: db)
        let columns = EnterpriseColumns(all.map(\.facts))
        let rows = all.map(\.id)
        let records = try await BenefitPolicyRecord.query(on: db).filter(\.$status == BenefitPolicyRecord.Status.published.rawValue)
            .sort(\.$code).all()
        var published: [Published] = []
        var rules: [RuleExpression] = []
        for record in records {
            guard let policy = try? record.parsed() else { continue }
            let rule = (try? policy.rule(on: today)) ?? nil
            if let rule { rules.append(rule) }
            published.append(Published(recordID: try record.requireID(), policy: policy, rule: rule == nil ? nil : rules.count - 1))
        }
        let compiled = CompiledRules(rules, asOf: today)
        let full = ColumnarMatcher.matchAll(compiled, over: columns)
        built = (today, rows, Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) }), columns, published, compiled, full)
        stamp = try await Stamp.read(db)
        checkedAt = Date()
    }

    /// An enterprise's file changed (or was created) in this process: its row is rewritten and rematched.
    func enterpriseChanged(_ id: UUID, on db: any Database, today: CivilDate = Today.civil()) async throws {
        guard built?.date == today else { return try await rebuild(on: db, today: today) }
        try await rematch(id, on: db, today: today)
        stamp = try await Stamp.read(db)
    }

    private func rematch(_ id: UUID, on db: any Database, today: CivilDate) async throws {
        guard var state = built, let enterprise = try await EnterpriseRecord.find(id, on: db) else { return }
        guard let row = state.rowOf[id] else {
            // A new file: rows are append-only, and a new row needs room in every result set, so match afresh.
            return try await rebuild(on: db, today: today)
        }
        let facts = try await EnterpriseStore.history(of: enterprise, on: db).facts(asOf: today)
        let before = ColumnarMatcher.truths(row: row, of: state.compiled, over: state.columns)
        state.columns.set(row: row, facts)
        let after = ColumnarMatcher.truths(row: row, of: state.compiled, over: state.columns)
        state.full.update(row: row, truths: after, previous: before)
        built = state
    }

    /// A policy was published, changed or withdrawn: matches afresh and returns who is eligible for it now.
    func policyChanged(code: String, on db: any Database, today: CivilDate = Today.civil()) async throws -> [UUID] {
        try await rebuild(on: db, today: today)
        return try await eligible(code: code, on: db, today: today)
    }

    func published(on db: any Database, today: CivilDate = Today.civil()) async throws -> [Published] {
        try await ensure(on: db, today: today)
        return built!.published
    }

    func reach(code: String, on db: any Database, today: CivilDate = Today.civil()) async throws -> Reach? {
        try await ensure(on: db, today: today)
        guard let state = built, let rule = state.published.first(where: { $0.policy.code == code })?.rule else { return nil }
        return Reach(eligible: state.full.eligibleCount(rule: rule), undecided: state.full.unknownCounts[rule])
    }

    /// The enterprises eligible today (免申即享名单), in credit-code order.
    func eligible(code: String, on db: any Database, today: CivilDate = Today.civil()) async throws -> [UUID] {
        try await ensure(on: db, today: today)
        guard let state = built, let rule = state.published.first(where: { $0.policy.code == code })?.rule else { return [] }
        return state.full.eligible(rule: rule).rows.map { state.rows[$0] }
    }

    /// The enterprises a policy cannot decide for lack of facts (待补充信息).
    func undecided(code: String, on db: any Database, today: CivilDate = Today.civil()) async throws -> [UUID] {
        try await ensure(on: db, today: today)
        guard let state = built, let rule = state.published.first(where: { $0.policy.code == code })?.rule else { return [] }
        return ColumnarMatcher.match(rule: rule, of: state.compiled, over: state.columns).unknown.rows.map { state.rows[$0] }
    }

    /// Where a policy's eligible enterprises are: by city, industry section and size class.
    func breakdown(code: String, on db: any Database, today: CivilDate = Today.civil()) async throws -> ReachBreakdown? {
        try await ensure(on: db, today: today)
        guard let state = built, let rule = state.published.first(where: { $0.policy.code == code })?.rule else { return nil }
        return state.columns.breakdown(of: state.full.eligible(rule: rule).rows)
    }

    /// The enterprises among `ids` (in their order) that pass `filter` on today's facts.
    func filter(_ ids: [UUID], by filter: EnterpriseFilter, on db: any Database, today: CivilDate = Today.civil()) async throws -> [UUID] {
        guard !filter.isEmpty else { return ids }
        try await ensure(on: db, today: today)
        guard let state = built else { return [] }
        return ids.filter { id in state.rowOf[id].map { state.columns.matches(row: $0, filter) } ?? false }
    }

    /// How many enterprises are on file.
    func enterpriseCount(on db: any Database, today: CivilDate = Today.civil()) async throws -> Int {
        try await ensure(on: db, today: today)
        return built!.rows.count
    }

    /// Forgets everything (tests that change the clock or the database under it).
    func reset() {
        built = nil
        stamp = nil
    }
}

extension Application {
    private struct BenefitMatcherKey: StorageKey { typealias Value = BenefitMatcher }

    /// Set once by `configure`.
    var benefitMatcher: BenefitMatcher {
        get { storage[BenefitMatcherKey.self]! }
        set { storage[BenefitMatcherKey.self] = newValue }
    }
}
