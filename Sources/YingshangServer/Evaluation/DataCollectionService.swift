import Fluent
import Vapor
import YingshangCore

/// Data collection (数据采集): a responsible unit enters or uploads its values for a period, submits them, the
/// office approves (which locks them and makes them count) or returns them; approved values change only by
/// correction requests. Every value change is audited (that is each value's history); nothing is half-written.
struct DataCollectionService {
    let db: any Database
    let actor: Principal

    /// One value as entered on the form or in a sheet row.
    struct Entry: Sendable {
        var code: String
        var placeID: UUID
        var text: String
        var reason: String
        /// "第3行" for a sheet row, nil on the form.
        var row: Int?
    }

    /// The indicators `unitID` enters for the period's year (collected ones it is responsible for).
    static func indicators(of unitID: UUID, year: Int, on db: any Database) async throws -> [IndicatorDefinition] {
        try await EvaluationBoard.system(year: year, on: db).indicators
            .filter { $0.isReportedByUnit && $0.responsibleUnitID == unitID.uuidString }
    }

    /// The units that report values in a year, by short name.
    static func reportingUnits(year: Int, on db: any Database) async throws -> [(key: UUID, value: String)] {
        let system = try await EvaluationBoard.system(year: year, on: db)
        let ids = Set(system.indicators.filter { $0.isReportedByUnit }.compactMap(\.responsibleUnitID))
        return try await OrgUnitDirectory.names(on: db, short: true).filter { ids.contains($0.key.uuidString) }.sorted { $0.value < $1.value }
    }

    static func submission(unitID: UUID, period: EvaluationPeriod, on db: any Database) async throws -> SubmissionRecord? {
        try await SubmissionRecord.query(on: db).filter(\.$unit.$id == unitID).filter(\.$period == period.code).first()
    }

    /// Saves the entries of one unit and period, all or nothing. Returns the problems (empty when saved).
    @discardableResult
    func save(unitID: UUID, period: EvaluationPeriod, entries: [Entry]) async throws -> [RowError] {
        if let submission = try await Self.submission(unitID: unitID, period: period, on: db), !submission.submissionStatus.isEditable {
            throw APIError.conflict("\(period.label)的数据\(submission.submissionStatus.label)，不能再修改；如需修改已审核的数据请提交更正申请")
        }
        let indicators = Dictionary(uniqueKeysWithValues: try await Self.indicators(of: unitID, year: period.year, on: db).map { ($0.code, $0) })
        let places = Dictionary(uniqueKeysWithValues: try await EvaluationPlace.all(on: db).map { ($0.id, $0) })
        let previous = try await values(period: period.previous)
        var problems: [RowError] = [], accepted: [(Entry, Double?)] = []
        for entry in entries {
            let row = entry.row ?? 0
            guard let indicator = indicators[entry.code] else {
                problems.append(RowError(row: row, column: "指标编码", message: "指标“\(entry.code)”不是本单位\(period.year)年负责报送的指标"))
                continue
            }
            guard let place = places[entry.placeID] else {
                problems.append(RowError(row: row, column: "地区", message: "地区不在评价范围内"))
                continue
            }
            guard let parsed = ValueCheck.number(entry.text) else {
                problems.append(RowError(row: row, column: "数值", message: "\(place.name)“\(indicator.name)”的数值“\(entry.text)”不是数字"))
                continue
            }
            // Blanks are allowed while filling in; "required" is checked when the unit submits.
            let checks = parsed == nil ? [] : ValueCheck.problems(parsed, for: indicator, previous: previous["\(entry.code)|\(entry.placeID)"],
                                                                  reason: entry.reason)
            for check in checks { problems.append(RowError(row: row, column: check.needsReason ? "说明" : "数值", message: "\(place.name)：\(check.message)")) }
            if checks.isEmpty { accepted.append((entry, parsed)) }
        }
        guard problems.isEmpty else { return problems }
        let actor = actor, saving = accepted
        try await Transactions.run(on: db) { tx in
            let existing = try await IndicatorValueRecord.query(on: tx).filter(\.$period == period.code)
                .filter(\.$indicatorCode ~~ Array(Set(saving.map { $0.0.code }))).all()
            let byKey = Dictionary(existing.map { ("\($0.indicatorCode)|\($0.$place.id)", $0) }, uniquingKeysWith: { a, _ in a })
            var changes: [AuditLog.Change] = []
            for (entry, value) in saving {
                let record = byKey["\(entry.code)|\(entry.placeID)"] ?? IndicatorValueRecord()
                let before = record.id == nil ? nil : ValueSnapshot(record)
                // Unchanged, or a blank cell never filled in: nothing to write.
                if record.id != nil ? record.value == value && record.reason == entry.reason : value == nil && entry.reason.isEmpty { continue }
                record.year = period.year
                record.indicatorCode = entry.code
                record.$place.id = entry.placeID
                record.period = period.code
                record.value = value
                record.reason = entry.reason
                record.$unit.id = unitID
                try await record.save(on: tx)
                changes.append(AuditLog.Change(actor: actor, action: before == nil ? .create : .update, entityType: "evaluation_value",
                                               entityID: try record.requireID().uuidString, before: before, after: ValueSnapshot(record)))
            }
            if try await Self.submission(unitID: unitID, period: period, on: tx) == nil {
                let submission = SubmissionRecord()
                submission.$unit.id = unitID
                submission.period = period.code
                submission.status = SubmissionStatus.draft.rawValue
                submission.comment = ""
                try await submission.create(on: tx)
            }
            if !changes.isEmpty { try await AuditLog.record(on: tx, changes) }
        }
        return []
    }

    /// Submits the unit's period for approval: every required value must be there.
    func submit(unitID: UUID, period: EvaluationPeriod) async throws {
        let indicators = try await Self.indicators(of: unitID, year: period.year, on: db)
        guard !indicators.isEmpty else { throw APIError.badRequest("本单位\(period.year)年没有需要报送的指标") }
        let places = try await EvaluationPlace.all(on: db)
        let current = try await values(period: period)
        var missing: [String] = []
        for indicator in indicators where indicator.isRequired {
            for place in places where current["\(indicator.code)|\(place.id)"] == nil { missing.append("\(place.name)“\(indicator.name)”") }
        }
        guard missing.isEmpty else {
            throw APIError.badRequest("还有 \(missing.count) 项必填数据未填写：\(missing.prefix(5).joined(separator: "、"))\(missing.count > 5 ? "等" : "")")
        }
        let submission = try await Self.submission(unitID: unitID, period: period, on: db)
        try await transition(submission, unitID: unitID, period: period, .submit, comment: nil)
        try await Notifier(db: db).notifyOffice(title: "指标数据待审核", body: "\(try await unitName(unitID))报送了\(period.label)的指标数据，请审核。",
                                                link: "/evaluation/submissions?period=\(period.code)")
    }

    /// The office approves (locks) or returns a submission; approval makes the values count at once.
    func decide(_ submission: SubmissionRecord, approve: Bool, comment: String) async throws {
        guard let period = EvaluationPeriod(code: submission.period) else { throw APIError.notFound }
        if !approve && comment.trimmingCharacters(in: .whitespaces).isEmpty {
            throw APIError.validation(["comment": "请填写退回原因"])
        }
        try await transition(submission, unitID: submission.$unit.id, period: period, approve ? .approve : .returnForChanges, comment: comment)
        try await Notifier(db: db).notify(orgUnitID: submission.$unit.id, title: approve ? "指标数据已审核" : "指标数据被退回",
                                          body: "\(period.label)的指标数据\(approve ? "已审核锁定" : "被退回：\(comment)")",
                                          link: "/evaluation/collect?period=\(period.code)&unit=\(submission.$unit.id)")
    }

    private func transition(_ submission: SubmissionRecord?, unitID: UUID, period: EvaluationPeriod,
                            _ action: SubmissionStatus.Action, comment: String?) async throws {
        let status = submission?.submissionStatus ?? .draft
        let next: SubmissionStatus
        switch status.after(action) {
        case .success(let value): next = value
        case .failure(let refusal): throw APIError.conflict(refusal.message)
        }
        let actor = actor
        try await Transactions.run(on: db) { tx in
            let record = try await Self.submission(unitID: unitID, period: period, on: tx) ?? SubmissionRecord()
            guard record.id == nil || record.submissionStatus == status else { throw APIError.conflict("报送状态已被他人更改，请刷新后重试") }
            record.$unit.id = unitID
            record.period = period.code
            record.status = next.rawValue
            record.comment = comment ?? record.comment
            if action == .submit { record.submittedAt = Date() } else { record.decidedAt = Date() }
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: action == .submit ? .submit : action == .approve ? .accept : .return,
                                      entityType: "evaluation_submission", entityID: try record.requireID().uuidString,
                                      before: ["status": status.label], after: ["status": next.label, "period": period.code, "comment": comment ?? ""])
            if next == .approved { try await EvaluationRevision.bump(on: tx) }
        }
    }

    /// A unit asks to change an approved value (更正申请), with a reason.
    func requestCorrection(valueID: UUID, text: String, reason: String) async throws {
        guard let record = try await IndicatorValueRecord.find(valueID, on: db) else { throw APIError.notFound }
        guard actor.role.may(.runEvaluation) || actor.orgUnitID == record.$unit.id else { throw APIError.forbidden }
        guard let parsed = ValueCheck.number(text) else { throw APIError.validation(["value": "“\(text)”不是数字"]) }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw APIError.validation(["reason": "请填写更正原因"]) }
        let system = try await EvaluationBoard.system(year: record.year, on: db)
        if let indicator = system.indicator(record.indicatorCode),
           let problem = ValueCheck.problems(parsed, for: indicator, previous: nil, reason: reason).first {
            throw APIError.validation(["value": problem.message])
        }
        let actor = actor
        try await Transactions.run(on: db) { tx in
            let correction = CorrectionRecord()
            correction.$valueRecord.id = valueID
            correction.oldValue = record.value
            correction.newValue = parsed
            correction.reason = reason
            correction.status = CorrectionStatus.pending.rawValue
            correction.requestedBy = actor.auditLabel
            try await correction.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "evaluation_correction",
                                      entityID: try correction.requireID().uuidString, before: ["value": record.value.map(FactValue.format) ?? ""],
                                      after: ["value": parsed.map(FactValue.format) ?? "", "reason": reason])
        }
        try await Notifier(db: db).notifyOffice(title: "指标数据更正申请", body: "\(record.indicatorCode)（\(record.period)）：\(reason)",
                                                link: "/evaluation/submissions")
    }

    /// The office accepts (the value changes, its history keeps both) or rejects a correction.
    func decideCorrection(_ correction: CorrectionRecord, accept: Bool, note: String) async throws {
        guard correction.correctionStatus == .pending else { throw APIError.conflict("该更正申请已处理") }
        let actor = actor
        try await Transactions.run(on: db) { tx in
            guard let fresh = try await CorrectionRecord.find(correction.id, on: tx), fresh.correctionStatus == .pending,
                  let value = try await IndicatorValueRecord.find(fresh.$valueRecord.id, on: tx) else {
                throw APIError.conflict("该更正申请已处理")
            }
            fresh.status = (accept ? CorrectionStatus.accepted : .rejected).rawValue
            fresh.decisionNote = note
            fresh.decidedAt = Date()
            try await fresh.save(on: tx)
            var changes = [AuditLog.Change(actor: actor, action: accept ? .accept : .return, entityType: "evaluation_correction",
                                           entityID: try fresh.requireID().uuidString, before: nil, after: ["note": note])]
            if accept {
                let before = ValueSnapshot(value)
                value.value = fresh.newValue
                value.reason = "更正：\(fresh.reason)"
                try await value.save(on: tx)
                changes.append(AuditLog.Change(actor: actor, action: .update, entityType: "evaluation_value",
                                               entityID: try value.requireID().uuidString, before: before, after: ValueSnapshot(value)))
                try await EvaluationRevision.bump(on: tx)
            }
            try await AuditLog.record(on: tx, changes)
        }
    }

    /// Stored values of a period (any status), by "code|placeID".
    func values(period: EvaluationPeriod) async throws -> [String: Double] {
        var result: [String: Double] = [:]
        for record in try await IndicatorValueRecord.query(on: db).filter(\.$period == period.code).all() {
            if let value = record.value { result["\(record.indicatorCode)|\(record.$place.id)"] = value }
        }
        return result
    }

    private func unitName(_ id: UUID) async throws -> String {
        try await OrgUnit.find(id, on: db).map { $0.shortName ?? $0.name } ?? "责任单位"
    }
}

extension IndicatorDefinition {
    /// Entered by its responsible unit: not computed by a formula, not fed by surveys.
    var isReportedByUnit: Bool { isCollected && !SurveyIndices.isSurveyFed(self) }
}

/// What the audit log keeps of a value: its history.
struct ValueSnapshot: Codable, Sendable {
    let indicator: String
    let place: String
    let period: String
    let value: String
    let reason: String

    init(_ record: IndicatorValueRecord) {
        indicator = record.indicatorCode
        place = record.$place.id.uuidString
        period = record.period
        value = record.value.map(FactValue.format) ?? ""
        reason = record.reason
    }
}
