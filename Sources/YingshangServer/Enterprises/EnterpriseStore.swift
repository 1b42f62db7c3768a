import Fluent
import Foundation
import Vapor
import YingshangCore

/// Reads and writes enterprise files: rows to ``EnterpriseHistory`` and back. Every change is one transaction with
/// its audit entry.
enum EnterpriseStore {
    /// A change to one file: new values from a date (nil clears a fact), and optionally the full set of tags held.
    struct Change: Sendable {
        var values: [FactField: FactValue?] = [:]
        var tags: Set<String>?
        var effectiveOn: CivilDate
        var source: String
    }

    static func history(of enterprise: EnterpriseRecord, on db: any Database) async throws -> EnterpriseHistory {
        let id = try enterprise.requireID()
        let facts = try await EnterpriseFactRecord.query(on: db).filter(\.$enterprise.$id == id).all()
        let tags = try await EnterpriseTagRecord.query(on: db).filter(\.$enterprise.$id == id).all()
        return history(enterprise, facts: facts, tags: tags)
    }

    static func history(_ enterprise: EnterpriseRecord, facts: [EnterpriseFactRecord], tags: [EnterpriseTagRecord]) -> EnterpriseHistory {
        let entries = facts.enumerated().compactMap { index, row -> EnterpriseHistory.Entry? in
            guard let field = FactField(rawValue: row.field), let date = CivilDate(iso: row.effectiveOn) else { return nil }
            let value = row.value.isEmpty ? nil : try? field.parse(row.value).get()
            let sequence = Int((row.recordedAt?.timeIntervalSince1970 ?? 0) * 1000) * 1000 + index
            return EnterpriseHistory.Entry(field: field, value: value, effectiveOn: date, sequence: sequence)
        }
        let spans = tags.compactMap { row -> EnterpriseHistory.TagSpan? in
            guard let from = CivilDate(iso: row.validFrom) else { return nil }
            return EnterpriseHistory.TagSpan(tag: row.tag, from: from, until: row.validUntil.flatMap(CivilDate.init(iso:)))
        }
        return EnterpriseHistory(entries: entries, tags: spans, tagsRecorded: enterprise.tagsRecorded)
    }

    /// Every enterprise with its facts as of `date`, in a stable order (for the matcher): three queries in all.
    static func allFacts(asOf date: CivilDate, on db: any Database) async throws -> [(id: UUID, facts: EnterpriseFacts)] {
        let enterprises = try await EnterpriseRecord.query(on: db).sort(\.$creditCode).all()
        return try await facts(of: enterprises, asOf: date, on: db, everyRow: true)
    }

    /// The facts of `enterprises` as of `date`, in their order, reading the fact and tag rows in bulk (lists and
    /// exports of thousands of files stay a handful of queries).
    static func facts(of enterprises: [EnterpriseRecord], asOf date: CivilDate, on db: any Database,
                      everyRow: Bool = false) async throws -> [(id: UUID, facts: EnterpriseFacts)] {
        let ids = try enterprises.map { try $0.requireID() }
        var factRows: [UUID: [EnterpriseFactRecord]] = [:]
        var tagRows: [UUID: [EnterpriseTagRecord]] = [:]
        for chunk in (everyRow ? [ArraySlice(ids)] : ids.chunked(1_000)) {
            var facts = EnterpriseFactRecord.query(on: db)
            var tags = EnterpriseTagRecord.query(on: db)
            if !everyRow {
                facts = facts.filter(\.$enterprise.$id ~~ Array(chunk))
                tags = tags.filter(\.$enterprise.$id ~~ Array(chunk))
            }
            for row in try await facts.all() { factRows[row.$enterprise.id, default: []].append(row) }
            for row in try await tags.all() { tagRows[row.$enterprise.id, default: []].append(row) }
        }
        return zip(enterprises, ids).map { enterprise, id in
            (id, history(enterprise, facts: factRows[id] ?? [], tags: tagRows[id] ?? []).facts(asOf: date))
        }
    }

    /// Records a change: a row for each value that differs from what the file says for that date, tag spans opened
    /// and closed, and one audit entry with the facts before and after. Returns whether anything changed.
    @discardableResult
    static func apply(_ change: Change, to enterprise: EnterpriseRecord, actor: Principal?, on db: any Database) async throws -> Bool {
        let id = try enterprise.requireID()
        let history = try await self.history(of: enterprise, on: db)
        let before = history.facts(asOf: change.effectiveOn)
        var changed = false
        for (field, value) in change.values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where before[field] != value {
            try await EnterpriseFactRecord(enterpriseID: id, field: field, value: value?.plain ?? "", effectiveOn: change.effectiveOn,
                                           source: change.source, recordedBy: actor?.userID).create(on: db)
            changed = true
        }
        if let held = change.tags {
            let (open, close) = history.tagChanges(to: held, on: change.effectiveOn)
            for tag in open {
                try await EnterpriseTagRecord(enterpriseID: id, tag: tag, validFrom: change.effectiveOn, validUntil: nil).create(on: db)
            }
            if !close.isEmpty {
                let rows = try await EnterpriseTagRecord.query(on: db).filter(\.$enterprise.$id == id).filter(\.$tag ~~ close)
                    .filter(\.$validUntil == nil).all()
                for row in rows {
                    row.validUntil = change.effectiveOn.adding(days: -1).iso
                    try await row.save(on: db)
                }
            }
            if !enterprise.tagsRecorded {
                enterprise.tagsRecorded = true
                try await enterprise.save(on: db)
            }
            changed = changed || !open.isEmpty || !close.isEmpty || before.tags == nil
        }
        guard changed else { return false }
        // Touch the file, so that other server processes see it changed and rematch it.
        enterprise.updatedAt = Date()
        try await enterprise.save(on: db)
        let after = try await self.history(of: enterprise, on: db).facts(asOf: change.effectiveOn)
        try await AuditLog.record(on: db, actor: actor, action: .update, entityType: "enterprise", entityID: id.uuidString,
                                  before: FactsSnapshot(before, date: change.effectiveOn), after: FactsSnapshot(after, date: change.effectiveOn))
        return true
    }

    /// Imports checked sheet rows in one transaction: a file per new credit code, the name updated, each row's facts
    /// recorded from its 数据日期 (or `defaultDate`) through ``apply(_:to:actor:on:)``; one audit entry for the file.
    static func importRows(_ rows: [EnterpriseSheet.Row], defaultDate: CivilDate, file: String, skippedLines: Int, actor: Principal,
                           on db: any Database) async throws -> (created: Int, updated: Int, ids: [UUID]) {
        try await Transactions.run(on: db) { tx in
            var created = 0, updated = 0
            var ids: [UUID] = []
            for row in rows {
                let existing = try await EnterpriseRecord.query(on: tx).filter(\.$creditCode == row.creditCode).first()
                let record = existing ?? EnterpriseRecord(creditCode: row.creditCode, name: row.name)
                if existing == nil {
                    try await record.create(on: tx)
                    created += 1
                } else if record.name != row.name {
                    record.name = row.name
                    try await record.save(on: tx)
                }
                let change = Change(values: row.facts.mapValues { Optional($0) }, tags: row.tags.map(Set.init),
                                    effectiveOn: row.asOf ?? defaultDate, source: "导入")
                if try await apply(change, to: record, actor: actor, on: tx), existing != nil { updated += 1 }
                ids.append(try record.requireID())
            }
            try await AuditLog.record(on: tx, actor: actor, action: .import, entityType: "enterprise", entityID: "import",
                                      before: nil, after: ["file": file, "created": "\(created)", "updated": "\(updated)",
                                                           "skipped_rows": "\(skippedLines)"])
            return (created, updated, ids)
        }
    }

    /// Facts as the audit log stores them: field name → plain value, tags listed, the date they hold for.
    struct FactsSnapshot: Encodable {
        let date: String
        let facts: [String: String]
        let tags: [String]?

        init(_ facts: EnterpriseFacts, date: CivilDate) {
            self.date = date.iso
            self.facts = Dictionary(uniqueKeysWithValues: facts.values.map { ($0.key.label, $0.value.plain) })
            tags = facts.tags?.sorted()
        }
    }

    /// The enterprise a request may see: staff see all files, an enterprise user only its own.
    static func find(_ req: Request) async throws -> EnterpriseRecord {
        let principal = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self), let enterprise = try await EnterpriseRecord.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        if !principal.role.may(.readEnterpriseFiles) {
            guard try await User.find(principal.userID, on: req.db)?.enterpriseID == id else { throw APIError.forbidden }
        }
        return enterprise
    }
}
