import Crypto
import Fluent
import Vapor
import YingshangCore

/// Appends to and verifies the tamper-evident audit log (操作日志).
enum AuditLog {
    static let chain = AuditChain(hash: { SHA256.hash(data: Data($0.utf8)).hex })

    /// One change to record.
    struct Change {
        var actor: Principal?
        var action: AuditAction
        var entityType: String
        var entityID: String
        var before: (any Encodable)?
        var after: (any Encodable)?
    }

    /// Records one change. Call inside the transaction that makes the change, so both land or neither.
    static func record(on db: any Database, actor: Principal?, action: AuditAction, entityType: String,
                       entityID: String, before: (any Encodable)?, after: (any Encodable)?) async throws {
        try await record(on: db, [Change(actor: actor, action: action, entityType: entityType, entityID: entityID,
                                         before: before, after: after)])
    }

    /// Records several changes in order with one read of the chain's end and one insert.
    static func record(on db: any Database, _ changes: [Change]) async throws {
        try await sealed(changes, on: db).create(on: db)
    }

    /// The entries for `changes`, sealed in order after the chain's current end, not yet stored (group-committed
    /// intake stores them with its own insert, in the same transaction).
    static func sealed(_ changes: [Change], on db: any Database) async throws -> [AuditEntry] {
        guard !changes.isEmpty else { return [] }
        // Writers queue for the chain's end instead of racing for the next sequence number and retrying.
        try await AdvisoryLocks.lock("audit-chain", on: db)
        var last = try await AuditEntry.query(on: db).sort(\.$sequence, .descending).first()?.record
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        var entries: [AuditEntry] = []
        for change in changes {
            let draft = AuditRecord(
                sequence: 0, occurredAt: now, actor: change.actor?.auditLabel ?? "系统", action: change.action.rawValue,
                entityType: change.entityType, entityID: change.entityID, before: try change.before.map(snapshot),
                after: try change.after.map(snapshot), previousHash: "", hash: "")
            let sealed = chain.seal(draft, after: last)
            entries.append(AuditEntry(record: sealed, actorID: change.actor?.userID))
            last = sealed
        }
        return entries
    }

    /// A stable JSON text of a value (sorted keys, ISO-8601 dates).
    static func snapshot(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Walks the whole log in sequence order, in batches; returns the first problem and how many entries were read.
    static func verify(on db: any Database, batchSize: Int = 1000,
                       progress: (Int) -> Void = { _ in }) async throws -> (problem: AuditChain.Problem?, checked: Int) {
        var previous: AuditRecord?
        var checked = 0
        while true {
            var query = AuditEntry.query(on: db).sort(\.$sequence, .ascending).limit(batchSize)
            if let previous { query = query.filter(\.$sequence > previous.sequence) }
            let batch = try await query.all().map(\.record)
            if batch.isEmpty { return (nil, checked) }
            if let problem = chain.firstProblem(in: batch, after: previous) { return (problem, checked) }
            checked += batch.count
            previous = batch.last
            progress(checked)
        }
    }
}

/// What was done, as stored in the log.
enum AuditAction: String, Codable, Sendable, CaseIterable {
    case create, update, delete, move, `import`, login, logout, passwordChange = "password_change",
         passwordReset = "password_reset", revoke, viewPersonalData = "view_personal_data", archive, publish,
         submit, `return` = "return", accept, open, respond, close

    var label: String {
        switch self {
        case .create: "新建"
        case .update: "修改"
        case .delete: "删除"
        case .move: "移动"
        case .import: "导入"
        case .login: "登录"
        case .logout: "退出"
        case .passwordChange: "修改密码"
        case .passwordReset: "重置密码"
        case .revoke: "撤销"
        case .viewPersonalData: "查看个人信息"
        case .archive: "归档"
        case .publish: "发布"
        case .submit: "报送"
        case .return: "退回"
        case .accept: "通过"
        case .open: "开具"
        case .respond: "答复"
        case .close: "办结"
        }
    }
}

/// Runs `body` in a transaction, retrying when it lost a race with another writer
/// (the audit log's unique sequence number, a busy SQLite file).
enum Transactions {
    static func run<T: Sendable>(on db: any Database, attempts: Int = 8,
                                 _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await db.transaction { tx in try await body(tx) }
            } catch where attempt < attempts && DatabaseErrors.isRetryableConflict(error) && !(error is APIError) {
                try await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...(5_000_000 * UInt64(attempt))))
            }
        }
    }
}
