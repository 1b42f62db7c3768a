import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor
import YingshangCore

/// Group commit for intake. Submissions that arrive while a commit is in flight wait and are written together in
/// the next transaction, so 64 concurrent appeals cost a handful of durable commits instead of 64. Each caller is
/// answered only after the transaction that holds its appeal has committed: an acknowledgement still means "stored".
actor AppealIntakeQueue {
    /// The most appeals one transaction writes (keeps statements well inside SQLite's bound-parameter limit).
    /// `YINGSHANG_INTAKE_BATCH=1` turns group commit off (one transaction per appeal), for comparison.
    let maxBatch: Int

    private typealias Waiter = (pending: AppealIntake.Pending, continuation: CheckedContinuation<AppealIntake.Receipt, any Error>)
    private let database: @Sendable () -> any Database
    private var waiting: [Waiter] = []
    private var draining = false

    init(maxBatch: Int = 128, database: @escaping @Sendable () -> any Database) {
        self.maxBatch = min(max(maxBatch, 1), 128)
        self.database = database
    }

    func submit(_ pending: AppealIntake.Pending) async throws -> AppealIntake.Receipt {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((pending, continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    /// The categories, time limits and calendar every appeal is checked against, re-read at most once a second
    /// (a changed setting applies to appeals received a second later).
    private var cachedContext: (loaded: ContinuousClock.Instant, value: AppealIntakeBatch.Context)?

    private func context(on db: any Database) async throws -> AppealIntakeBatch.Context {
        if let cachedContext, ContinuousClock.now - cachedContext.loaded < .seconds(1) { return cachedContext.value }
        let loaded = try await AppealIntakeBatch.Context.load(on: db)
        cachedContext = (ContinuousClock.now, loaded)
        return loaded
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(maxBatch))
            waiting.removeFirst(batch.count)
            let started = ContinuousClock.now
            let db = database()
            let results: [AppealIntakeBatch.Outcome]
            do {
                let context = try await context(on: db)
                let pending = batch.map(\.pending)
                // A commit stuck on a connection the database dropped (a restart) must not hold every later appeal:
                // after the limit its callers get a 503 and the queue moves on. Should it commit after all, a retry
                // with the same idempotency key finds the stored appeal.
                results = try await Self.within(Self.commitLimit) {
                    await AppealIntakeBatch.commit(pending, context: context, on: db)
                }
            } catch {
                results = batch.map { _ in .failure(error) }
            }
            Self.batchSizes.record(Double(batch.count))
            Self.commitDurations.record(ContinuousClock.now - started)
            for (waiter, result) in zip(batch, results) { waiter.continuation.resume(with: result) }
        }
        draining = false
    }

    static let commitLimit: Duration = .seconds(5)

    /// The result of `work`, or a 503 when it takes longer than `limit` (the work itself keeps running).
    private static func within<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let answered = NIOLockedValueBox(false)
            let answer: @Sendable (Result<T, any Error>) -> Void = { result in
                if answered.withLockedValue({ done in defer { done = true }; return !done }) { continuation.resume(with: result) }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                answer(.failure(APIError(status: .serviceUnavailable, code: "timeout",
                                         message: "服务暂时繁忙或数据库不可用，请稍后重试（重试时请使用相同的幂等键）")))
            }
            Task {
                answer(.success(await work()))
                timer.cancel()
            }
        }
    }

    /// On `/metrics`: how many appeals each commit carried and how long it took.
    static let batchSizes = Metrics.registry.makeValueHistogram(
        name: "yingshang_appeal_intake_batch_size", buckets: [1, 2, 4, 8, 16, 32, 64, 128],
        help: "Appeals written per intake transaction (group commit)")
    static let commitDurations = Metrics.registry.makeDurationHistogram(
        name: "yingshang_appeal_intake_commit_seconds",
        buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
                  .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1)],
        help: "Time to write and commit one intake batch")
}

extension Application {
    private struct AppealIntakeQueueKey: StorageKey { typealias Value = AppealIntakeQueue }

    /// The process's intake writer; created by `configure`.
    var appealIntakeQueue: AppealIntakeQueue {
        get {
            guard let queue = storage[AppealIntakeQueueKey.self] else { fatalError("configure(_:) creates the intake queue") }
            return queue
        }
        set { storage[AppealIntakeQueueKey.self] = newValue }
    }
}

/// Writes a batch of validated submissions in one transaction: one idempotency look-up, one counter update per
/// year, one insert each for the appeals, their first timeline steps and their audit entries.
enum AppealIntakeBatch {
    typealias Outcome = Result<AppealIntake.Receipt, any Error>

    static func commit(_ items: [AppealIntake.Pending], context: Context, on db: any Database) async -> [Outcome] {
        do {
            var outcomes = [Outcome?](repeating: nil, count: items.count)
            var accepted: [(item: AppealIntake.Pending, categoryID: UUID?)] = []
            var positions: [Int] = []
            for (index, item) in items.enumerated() {
                switch context.category(for: item.submission.categoryCode) {
                case .success(let id):
                    accepted.append((item, id))
                    positions.append(index)
                case .failure(let error):
                    outcomes[index] = .failure(error)
                }
            }
            let toWrite = accepted
            let written = try await Transactions.run(on: db) { tx in try await write(toWrite, context: context, on: tx) }
            for (position, receipt) in zip(positions, written) { outcomes[position] = .success(receipt) }
            return outcomes.map { $0! }
        } catch where items.count > 1 && (error as? any DatabaseError)?.isConstraintFailure == true {
            // A constraint one submission broke must not sink the others: write each on its own. Any other failure
            // (the database restarting, a pool timeout) fails the whole batch at once: retrying item by item would
            // hold every later submission behind it.
            var outcomes: [Outcome] = []
            for item in items { outcomes.append(contentsOf: await commit([item], context: context, on: db)) }
            return outcomes
        } catch {
            return items.map { _ in .failure(error) }
        }
    }

    /// What every appeal of a batch is checked and timed against (the queue re-reads it at most once a second).
    struct Context: Sendable {
        let limits: AppealTimeLimits
        let calendar: WorkingCalendar
        let categoriesByCodeOrName: [String: UUID]
        let codesByID: [UUID: String]
        let otherCategoryID: UUID?

        static func load(on db: any Database) async throws -> Context {
            // Three columns through SQL: decoding whole category models (with their unit lists) on every commit
            // cost more CPU than the rest of intake together.
            guard let sql = db as? any SQLDatabase else { throw APIError.conflict("数据库不支持受理") }
            let categories = try await sql.raw("SELECT id, code, name FROM appeal_categories").all().map { row in
                (id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
                 name: try row.decode(column: "name", as: String.self))
            }
            var byCodeOrName: [String: UUID] = [:]
            for category in categories { byCodeOrName[category.name] = byCodeOrName[category.name] ?? category.id }
            for category in categories { byCodeOrName[category.code] = category.id }
            return Context(limits: try await AppealSettings.load(on: db).limits,
                           calendar: try await CalendarService(db: db).calendar(),
                           categoriesByCodeOrName: byCodeOrName,
                           codesByID: Dictionary(categories.map { ($0.id, $0.code) }, uniquingKeysWith: { first, _ in first }),
                           otherCategoryID: categories.first { $0.name == "其他" }?.id)
        }

        /// The category a submission names by code or name; none named means 其他.
        func category(for code: String?) -> Result<UUID?, any Error> {
            guard let code, !code.isEmpty else { return .success(otherCategoryID) }
            if let id = categoriesByCodeOrName[code] { return .success(id) }
            return .failure(APIError.validation(["category_code": "未知的诉求类别“\(code)”"]))
        }
    }

    private static func write(_ items: [(item: AppealIntake.Pending, categoryID: UUID?)], context: Context,
                              on tx: any Database) async throws -> [AppealIntake.Receipt] {
        let keys = Set(items.compactMap(\.item.idempotencyKey))
        var byKey: [String: Appeal] = [:]
        if !keys.isEmpty {
            for appeal in try await Appeal.query(on: tx).filter(\.$idempotencyKey ~~ Array(keys)).all() {
                if let key = appeal.idempotencyKey { byKey[key] = appeal }
            }
        }
        // Which submissions are new (a key seen earlier in this batch is a retry of that one), and how many per year.
        var isNew: [Bool] = []
        var newPerYear: [Int: Int] = [:]
        var seenKeys = Set(byKey.keys)
        for (item, _) in items {
            if let key = item.idempotencyKey, !seenKeys.insert(key).inserted {
                isNew.append(false)
            } else {
                isNew.append(true)
                newPerYear[item.receivedOn.year, default: 0] += 1
            }
        }
        var nextSequence: [Int: Int] = [:]
        for (year, count) in newPerYear.sorted(by: { $0.key < $1.key }) {
            nextSequence[year] = try await AppealNumbering.reserve(count, year: year, on: tx)
        }

        var receipts: [AppealIntake.Receipt?] = []
        var appeals: [Appeal] = []
        var events: [AppealEventRecord] = []
        var changes: [AuditLog.Change] = []
        for ((item, categoryID), new) in zip(items, isNew) {
            guard new else {
                receipts.append(nil)
                continue
            }
            let year = item.receivedOn.year
            let sequence = nextSequence[year]!
            nextSequence[year] = sequence + 1
            let appeal = try makeAppeal(item, categoryID: categoryID, sequence: sequence, context: context)
            appeals.append(appeal)
            if let key = item.idempotencyKey { byKey[key] = appeal }
            receipts.append(AppealIntake.Receipt(appeal: appeal, created: true, categoryCode: categoryID.flatMap { context.codesByID[$0] }))
            events.append(try AppealTimeline.event(appeal, kind: "receive", actor: item.actor?.auditLabel ?? "诉求人", unitID: nil,
                                                   text: "已受理，编号 \(appeal.number)，请于 \(appeal.replyBy ?? "") 前答复", isPublic: true))
            changes.append(AuditLog.Change(actor: item.actor, action: .create, entityType: "appeal",
                                           entityID: try appeal.requireID().uuidString, before: nil,
                                           after: ["number": appeal.number, "type": item.submission.type.label,
                                                   "title": item.submission.title, "channel": item.submission.channel.label]))
        }
        try await AppealIntakeRows.insert(appeals: appeals, events: events, audit: try await AuditLog.sealed(changes, on: tx), on: tx)
        try await AppealStatisticsStore.markDirty(Set(appeals.map(\.receivedOn)), on: tx)
        return zip(items, receipts).map { entry, receipt in
            receipt ?? byKey[entry.item.idempotencyKey!].map { existing in
                AppealIntake.Receipt(appeal: existing, created: false, categoryCode: existing.$category.id.flatMap { context.codesByID[$0] })
            }!
        }
    }

    private static func makeAppeal(_ item: AppealIntake.Pending, categoryID: UUID?, sequence: Int,
                                   context: Context) throws -> Appeal {
        let valid = item.submission
        let replyBy = AppealDeadlines.replyBy(type: valid.type, receivedOn: item.receivedOn, limits: context.limits,
                                              calendar: context.calendar)
        let appeal = Appeal()
        appeal.id = UUID()
        appeal.year = item.receivedOn.year
        appeal.sequence = sequence
        appeal.number = AppealNumber.format(year: appeal.year, sequence: sequence)
        appeal.type = valid.type.rawValue
        appeal.$category.id = categoryID
        appeal.title = valid.title
        appeal.content = valid.content
        appeal.channel = valid.channel.rawValue
        appeal.state = AppealState.received.rawValue
        appeal.enterpriseCode = valid.enterpriseCode
        appeal.enterpriseName = valid.enterpriseName
        appeal.contactName = valid.contactName
        appeal.contactPhone = valid.contactPhone
        appeal.anonymous = valid.anonymous
        appeal.reportedUnitIDs = []
        appeal.submittedBy = item.actor?.role == .enterprise ? item.actor?.userID : nil
        appeal.receivedOn = item.receivedOn.iso
        appeal.replyBy = replyBy.iso
        appeal.extensionDays = 0
        appeal.assistingUnitIDs = []
        appeal.idempotencyKey = item.idempotencyKey
        appeal.clientAddress = item.clientAddress
        let code = String(Int.random(in: 0..<1_000_000))
        appeal.queryCode = String(repeating: "0", count: 6 - code.count) + code
        appeal.caseJSON = try AuditLog.snapshot(AppealCase(number: appeal.number, type: valid.type))
        return appeal
    }
}
