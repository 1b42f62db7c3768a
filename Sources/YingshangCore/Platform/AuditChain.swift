import Foundation

/// One entry of the tamper-evident audit log (操作日志), as plain values.
///
/// Each entry's hash covers its own content and the previous entry's hash, so editing,
/// deleting or reordering any entry breaks the chain from that point on.
public struct AuditRecord: Sendable, Equatable {
    public var sequence: Int64
    public var occurredAt: Date
    public var actor: String
    public var action: String
    public var entityType: String
    public var entityID: String
    public var before: String?
    public var after: String?
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, occurredAt: Date, actor: String, action: String, entityType: String,
                entityID: String, before: String?, after: String?, previousHash: String, hash: String) {
        self.sequence = sequence
        self.occurredAt = occurredAt
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.before = before
        self.after = after
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The exact text that is hashed: every field in a fixed order, length-prefixed so that
    /// no two different entries can produce the same text.
    public var canonicalText: String {
        let millis = Int64((occurredAt.timeIntervalSince1970 * 1000).rounded())
        let fields = [String(sequence), String(millis), actor, action, entityType, entityID,
                      before ?? "\u{0}", after ?? "\u{0}", previousHash]
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }
}

/// Hash-chain rules for the audit log; the hash function is injected (SHA-256 on the server).
public struct AuditChain: Sendable {
    /// The `previousHash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    public let hash: @Sendable (String) -> String

    public init(hash: @escaping @Sendable (String) -> String) {
        self.hash = hash
    }

    /// Fills in `previousHash` and `hash` of a new entry that follows `previous`.
    public func seal(_ record: AuditRecord, after previous: AuditRecord?) -> AuditRecord {
        var sealed = record
        sealed.sequence = (previous?.sequence ?? 0) + 1
        sealed.previousHash = previous?.hash ?? Self.genesisHash
        sealed.hash = hash(sealed.canonicalText)
        return sealed
    }

    /// What `audit verify` found wrong first, if anything.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The entry's content no longer matches its hash: it was edited.
        case edited(sequence: Int64)
        /// A sequence number is missing: entries were deleted.
        case missing(expected: Int64, found: Int64)
        /// The entry does not point at its predecessor: entries were reordered or replaced.
        case brokenLink(sequence: Int64)

        public var description: String {
            switch self {
            case .edited(let s): "第 \(s) 条日志的内容与其哈希不符（被修改）"
            case .missing(let expected, let found): "缺少第 \(expected) 条日志（下一条为第 \(found) 条，日志被删除）"
            case .brokenLink(let s): "第 \(s) 条日志与上一条的哈希链接断开（被删除、插入或调换）"
            }
        }
    }

    /// Checks entries given in ascending sequence order, streaming: call for each batch with the
    /// last verified entry of the previous batch.
    public func firstProblem(in records: [AuditRecord], after previous: AuditRecord?) -> Problem? {
        var last = previous
        for record in records {
            let expected = (last?.sequence ?? 0) + 1
            if record.sequence != expected { return .missing(expected: expected, found: record.sequence) }
            if record.previousHash != (last?.hash ?? Self.genesisHash) { return .brokenLink(sequence: record.sequence) }
            if hash(record.canonicalText) != record.hash { return .edited(sequence: record.sequence) }
            last = record
        }
        return nil
    }
}
