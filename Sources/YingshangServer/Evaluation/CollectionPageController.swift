import Fluent
import Vapor
import YingshangCore

/// 数据报送: a responsible unit fills in or uploads its values for a period and submits them; the office reviews
/// submissions and corrections. Approval makes the values count at once and, if so configured, opens the
/// rectification tasks the rule finds.
struct CollectionPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let evaluation = routes.grouped("evaluation")
        evaluation.get("collect", use: form)
        evaluation.post("collect", use: save)
        evaluation.on(.POST, "collect", "upload", body: .collect(maxSize: "10mb"), use: upload)
        evaluation.get("collect", "template", use: template)
        evaluation.post("collect", "submit", use: submit)
        evaluation.get("submissions", use: submissions)
        evaluation.post("submissions", ":id", ":decision", use: decide)
        evaluation.get("values", ":id", use: history)
        evaluation.post("values", ":id", "correction", use: requestCorrection)
        evaluation.post("corrections", ":id", ":decision", use: decideCorrection)
    }

    /// The unit and period a collection request is about; unit staff always act for their own unit.
    struct Target {
        let unitID: UUID
        let period: EvaluationPeriod
        let actor: Principal

        /// Writing is for the office and the unit's own staff (`resolve` never gives unit staff another unit); the
        /// other staff roles may look at a unit's page.
        var mayWrite: Bool { Self.mayWrite(actor.role) }
        static func mayWrite(_ role: Role) -> Bool { role == .unitStaff || role.may(.runEvaluation) }

        static func resolve(_ req: Request, unit: String?, period: String?, forWriting: Bool = true) async throws -> Target {
            let actor = try req.requirePrincipal()
            if forWriting && !mayWrite(actor.role) { throw APIError.forbidden }
            let asked = unit.flatMap(UUID.init(uuidString:))
            let unitID: UUID
            if actor.role == .unitStaff {
                guard let own = actor.orgUnitID else { throw APIError.forbidden }
                if let asked, asked != own { throw APIError.forbidden }
                unitID = own
            } else if actor.role.may(.readEvaluation) {
                let year = Today.civil().year
                var chosen = asked
                if chosen == nil { chosen = try await DataCollectionService.reportingUnits(year: year, on: req.db).first?.key }
                if chosen == nil { chosen = try await DataCollectionService.reportingUnits(year: year - 1, on: req.db).first?.key }
                guard let chosen else { throw APIError.badRequest("还没有需要报送数据的责任单位，请先在指标体系中为指标设置责任单位") }
                unitID = chosen
            } else {
                throw APIError.forbidden
            }
            let resolved: EvaluationPeriod
            if let text = period, !text.isEmpty {
                guard let parsed = EvaluationPeriod(code: text) else { throw APIError.badRequest("期间“\(text)”无法识别，应写作 2026Q3") }
                resolved = parsed
            } else {
                resolved = try await defaultPeriod(unitID: unitID, on: req.db)
            }
            return Target(unitID: unitID, period: resolved, actor: actor)
        }

        /// Last period while it is not approved yet, else the current one.
        static func defaultPeriod(unitID: UUID, on db: any Database) async throws -> EvaluationPeriod {
            let kind = try await EvaluationSettings.load(on: db).periodKind
            let current = EvaluationPeriod(kind, containing: Today.civil())
            let last = current.previous
            let submission = try await DataCollectionService.submission(unitID: unitID, period: last, on: db)
            let lastHasWork = !(try await DataCollectionService.indicators(of: unitID, year: last.year, on: db)).isEmpty
            return lastHasWork && submission?.submissionStatus != .approved ? last : current
        }
    }

    struct Cell: Encodable {
        let key, place, value, reason, previous: String
        let valueID: UUID?
    }
    struct IndicatorBlock: Encodable {
        let code, name, unit, range: String
        let required: Bool
        let cells: [Cell]
    }
    struct Problem: Encodable { let row: Int; let column, message: String }
    struct FormView: Encodable {
        let period, periodLabel, unitID, unitName, status, statusComment, deadline: String
        let editable, approved, submittable, canChooseUnit: Bool
        let periods: [FormOption]
        let units: [FormOption]
        let blocks: [IndicatorBlock]
        let problems: [Problem]
        let message: String?
        let header: [String]
    }

    func form(req: Request) async throws -> View {
        let target = try await Target.resolve(req, unit: try? req.query.get(String.self, at: "unit"),
                                              period: try? req.query.get(String.self, at: "period"), forWriting: false)
        return try await page(req, target, entered: [:], problems: [], message: nil)
    }


    private func page(_ req: Request, _ target: Target, entered: [String: (String, String)], problems: [RowError],
                      message: String?) async throws -> View {
        let db = req.db, period = target.period
        let indicators = try await DataCollectionService.indicators(of: target.unitID, year: period.year, on: db)
        let places = try await EvaluationPlace.all(on: db)
        let submission = try await DataCollectionService.submission(unitID: target.unitID, period: period, on: db)
        let status = submission?.submissionStatus ?? .draft
        let stored = try await IndicatorValueRecord.query(on: db).filter(\.$period ~~ [period.code, period.previous.code])
            .filter(\.$indicatorCode ~~ indicators.map(\.code)).all()
        let byKey = Dictionary(stored.map { ("\($0.period)|\($0.indicatorCode)|\($0.$place.id)", $0) }, uniquingKeysWith: { a, _ in a })
        let blocks = indicators.map { indicator in
            IndicatorBlock(code: indicator.code, name: indicator.name, unit: indicator.unit,
                           range: [indicator.minimum.map { "≥ \(FactValue.format($0))" }, indicator.maximum.map { "≤ \(FactValue.format($0))" }]
                               .compactMap { $0 }.joined(separator: "，"),
                           required: indicator.isRequired,
                           cells: places.map { place in
                               let key = "\(indicator.code)|\(place.id)"
                               let record = byKey["\(period.code)|\(key)"]
                               let typed = entered[key]
                               return Cell(key: key, place: place.name,
                                           value: typed?.0 ?? record?.value.map(FactValue.format) ?? "",
                                           reason: typed?.1 ?? record?.reason ?? "",
                                           previous: byKey["\(period.previous.code)|\(key)"]?.value.map(FactValue.format) ?? "",
                                           valueID: status == .approved ? record?.id : nil)
                           })
        }
        let actor = target.actor
        var units: [FormOption] = []
        if actor.role != .unitStaff {
            units = try await DataCollectionService.reportingUnits(year: period.year, on: db)
                .map { FormOption(value: $0.key.uuidString, label: $0.value, selected: $0.key == target.unitID) }
        }
        let settings = try await EvaluationSettings.load(on: db)
        let deadline = settings.schedule.deadline(of: period, calendar: try await CalendarService(db: db).calendar())
        let today = Today.civil()
        let first = EvaluationPeriod(kind: period.kind, year: today.year - 1)!
        return try await req.page("evaluation/collect", title: "指标数据报送", FormView(
            period: period.code, periodLabel: period.label, unitID: target.unitID.uuidString,
            unitName: try await OrgUnit.find(target.unitID, on: db).map { $0.shortName ?? $0.name } ?? "",
            status: status.label, statusComment: submission?.comment ?? "", deadline: deadline.iso,
            editable: target.mayWrite && status.isEditable, approved: status == .approved,
            submittable: target.mayWrite && status.isEditable && !indicators.isEmpty,
            canChooseUnit: actor.role != .unitStaff,
            periods: FormOption.periods(first.through(first.offset(by: 8)), selected: period),
            units: units, blocks: blocks,
            problems: problems.map { Problem(row: $0.row, column: $0.column ?? "", message: $0.message) },
            message: message, header: EvaluationSheet.header))
    }

    func save(req: Request) async throws -> Response {
        let fields = try req.content.decode([String: String].self)
        let target = try await Target.resolve(req, unit: fields["unit"], period: fields["period"])
        var entries: [DataCollectionService.Entry] = [], entered: [String: (String, String)] = [:]
        for (name, text) in fields where name.hasPrefix("v|") {
            let parts = name.split(separator: "|")
            guard parts.count == 3, let placeID = UUID(uuidString: String(parts[2])) else { continue }
            let key = "\(parts[1])|\(parts[2])", reason = fields["r|\(key)"] ?? ""
            entered[key] = (text, reason)
            entries.append(.init(code: String(parts[1]), placeID: placeID, text: text, reason: reason, row: nil))
        }
        let problems = try await DataCollectionService(db: req.db, actor: target.actor).save(unitID: target.unitID, period: target.period, entries: entries)
        guard problems.isEmpty else {
            return try await page(req, target, entered: entered, problems: problems, message: "有 \(problems.count) 处数据未通过校验，本次未保存任何数据，请修改后重新保存。")
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        req.flash("已保存\(target.period.label)的数据。")
        return req.redirect(to: "/evaluation/collect?period=\(target.period.code)&unit=\(target.unitID)")
    }

    struct UploadForm: Content { var file: File?; var period: String?; var unit: String? }

    func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        let target = try await Target.resolve(req, unit: form.unit, period: form.period)
        func fail(_ message: String, _ problems: [RowError] = []) async throws -> Response {
            try await page(req, target, entered: [:], problems: problems, message: message).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard let file = form.file, file.data.readableBytes > 0 else { return try await fail("请选择 CSV 或 XLSX 文件") }
        let entries: [EvaluationSheet.Entry]
        do {
            entries = try EvaluationSheet.entries(try SpreadsheetUpload.table(file))
        } catch let error as SpreadsheetUpload.Unreadable {
            return try await fail(error.message)
        } catch let problem as RowError {
            return try await fail(problem.message, [problem])
        }
        let places = try await EvaluationPlace.all(on: req.db)
        var problems: [RowError] = [], mapped: [DataCollectionService.Entry] = []
        for entry in entries {
            if let text = entry.period, !text.isEmpty, EvaluationPeriod(code: text) != target.period {
                problems.append(RowError(row: entry.row, column: "期间", message: "期间“\(text)”与本次报送的\(target.period.label)不一致"))
                continue
            }
            guard let place = places.first(where: { $0.name == entry.place || $0.code == entry.place }) else {
                problems.append(RowError(row: entry.row, column: "地区", message: "地区“\(entry.place)”不在评价范围内"))
                continue
            }
            mapped.append(.init(code: entry.code, placeID: place.id, text: entry.value, reason: entry.reason, row: entry.row))
        }
        if problems.isEmpty {
            problems = try await DataCollectionService(db: req.db, actor: target.actor).save(unitID: target.unitID, period: target.period, entries: mapped)
        }
        guard problems.isEmpty else {
            return try await fail("文件有 \(problems.count) 处错误，未导入任何数据，请修改后重新上传。", problems.sorted { $0.row < $1.row })
        }
        req.flash("已导入 \(mapped.count) 项数据（\(file.filename)）。核对无误后请点击“报送审核”。")
        return req.redirect(to: "/evaluation/collect?period=\(target.period.code)&unit=\(target.unitID)")
    }

    /// The unit's sheet for the period, every indicator × place, with the values entered so far.
    func template(req: Request) async throws -> Response {
        let target = try await Target.resolve(req, unit: try? req.query.get(String.self, at: "unit"),
                                              period: try? req.query.get(String.self, at: "period"), forWriting: false)
        let indicators = try await DataCollectionService.indicators(of: target.unitID, year: target.period.year, on: req.db)
        let places = try await EvaluationPlace.all(on: req.db)
        let values = try await DataCollectionService(db: req.db, actor: target.actor).values(period: target.period)
        var rows: [[XLSXCell]] = [EvaluationSheet.header.map(XLSXCell.text)]
        for indicator in indicators {
            for place in places {
                rows.append([.text(indicator.code), .text(indicator.name + (indicator.unit.isEmpty ? "" : "（\(indicator.unit)）")), .text(place.name),
                             .text(target.period.code), values["\(indicator.code)|\(place.id)"].map(XLSXCell.number) ?? .empty, .empty])
            }
        }
        var workbook = XLSXWorkbook()
        workbook.addSheet(name: "数据报送", rows: rows)
        return try Response.xlsx(workbook, filename: "指标数据报送-\(target.period.code).xlsx")
    }

    struct PeriodForm: Content { var period: String?; var unit: String? }

    func submit(req: Request) async throws -> Response {
        let form = try req.content.decode(PeriodForm.self)
        let target = try await Target.resolve(req, unit: form.unit, period: form.period)
        let back = "/evaluation/collect?period=\(target.period.code)&unit=\(target.unitID)"
        do {
            try await DataCollectionService(db: req.db, actor: target.actor).submit(unitID: target.unitID, period: target.period)
            req.flash("已报送\(target.period.label)的数据，等待营商办审核。")
        } catch let error as APIError where error.isCorrectable {
            req.flash(error.message)
        }
        return req.redirect(to: back)
    }

    struct SubmissionRow: Encodable {
        let id: UUID?
        let unitID: UUID
        let unit, status, submittedAt, comment: String
        let canDecide: Bool
    }
    struct CorrectionRow: Encodable {
        let id: UUID
        let indicator, place, period, oldValue, newValue, reason, requestedBy, status: String
        let pending: Bool
    }
    struct SubmissionsView: Encodable {
        let period, periodLabel: String
        let periods: [FormOption]
        let rows: [SubmissionRow]
        let corrections: [CorrectionRow]
        let isOffice: Bool
    }

    func submissions(req: Request) async throws -> View {
        let principal = try req.require(.readEvaluation)
        let settings = try await EvaluationSettings.load(on: req.db)
        let period = (try? req.query.get(String.self, at: "period")).flatMap(EvaluationPeriod.init(code:))
            ?? EvaluationPeriod(settings.periodKind, containing: Today.civil()).previous
        let system = try await EvaluationBoard.system(year: period.year, on: req.db)
        let units = try await DataCollectionService.reportingUnits(year: period.year, on: req.db)
        let records = try await SubmissionRecord.query(on: req.db).filter(\.$period == period.code).all()
        let office = principal.role.may(.runEvaluation)
        let rows = units.map { unitID, name in
            let record = records.first { $0.$unit.id == unitID }
            let status = record?.submissionStatus
            return SubmissionRow(id: record?.id, unitID: unitID, unit: name, status: status?.label ?? "未填报",
                                 submittedAt: record?.submittedAt.map(DisplayDate.minute) ?? "", comment: record?.comment ?? "",
                                 canDecide: office && status == .submitted)
        }
        let corrections = try await CorrectionRecord.query(on: req.db).with(\.$valueRecord) { $0.with(\.$place) }
            .sort(\.$createdAt, .descending).range(..<100).all()
        let first = period.offset(by: -6)
        return try await req.page("evaluation/submissions", title: "报送审核", SubmissionsView(
            period: period.code, periodLabel: period.label,
            periods: FormOption.periods(first.through(period.offset(by: 2)), selected: period),
            rows: rows,
            corrections: corrections.map { c in
                CorrectionRow(id: c.id!, indicator: system.indicator(c.valueRecord.indicatorCode)?.name ?? c.valueRecord.indicatorCode,
                              place: c.valueRecord.place.shortName ?? c.valueRecord.place.name, period: c.valueRecord.period,
                              oldValue: c.oldValue.map(FactValue.format) ?? "", newValue: c.newValue.map(FactValue.format) ?? "",
                              reason: c.reason, requestedBy: c.requestedBy, status: c.correctionStatus.label,
                              pending: office && c.correctionStatus == .pending)
            },
            isOffice: office))
    }

    struct CommentForm: Content { var comment: String? }

    func decide(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let submission = try await SubmissionRecord.find(id, on: req.db),
              let period = EvaluationPeriod(code: submission.period) else { throw APIError.notFound }
        let approve = req.parameters.get("decision") == "approve"
        let comment = (try req.content.decode(CommentForm.self).comment ?? "").trimmingCharacters(in: .whitespaces)
        do {
            try await DataCollectionService(db: req.db, actor: actor).decide(submission, approve: approve, comment: comment)
            var notice = approve ? "已审核锁定，排名和评分已更新。" : "已退回。"
            if approve {
                let settings = try await EvaluationSettings.load(on: req.db)
                if settings.openRectificationsAutomatically {
                    let scores = try await req.application.evaluationBoard.scores(year: period.year, on: req.db)
                    let opened = try await RectificationService(db: req.db, actor: nil).applyRule(period: period, scores: scores, settings: settings)
                    if opened > 0 { notice += "按规则开具了 \(opened) 项整改任务。" }
                }
            }
            req.flash(notice)
        } catch let error as APIError where error.isCorrectable {
            req.flash(error.fields.values.first ?? error.message)
        }
        return req.redirect(to: "/evaluation/submissions?period=\(period.code)")
    }

    struct HistoryEntry: Encodable { let at, actor, action, value, reason: String }
    struct HistoryView: Encodable {
        let id: UUID
        let indicator, place, period, value: String
        let entries: [HistoryEntry]
        let canCorrect: Bool
        let corrections: [String]
    }

    /// A value's history (every change, from the audit log) and, for its unit, the correction request form.
    func history(req: Request) async throws -> View {
        let principal = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await IndicatorValueRecord.query(on: req.db)
            .filter(\.$id == id).with(\.$place).first() else { throw APIError.notFound }
        guard principal.role.may(.readEvaluation) else { throw APIError.forbidden }
        if principal.role == .unitStaff, principal.orgUnitID != record.$unit.id { throw APIError.notFound }
        let changes = try await AuditEntry.query(on: req.db).filter(\.$entityType == "evaluation_value")
            .filter(\.$entityID == id.uuidString).sort(\.$occurredAt).all()
        let system = try await EvaluationBoard.system(year: record.year, on: req.db)
        let submission = try await DataCollectionService.submission(unitID: record.$unit.id, period: EvaluationPeriod(code: record.period)!, on: req.db)
        let corrections = try await CorrectionRecord.query(on: req.db).filter(\.$valueRecord.$id == id).all()
        return try await req.page("evaluation/value", title: "数据历史", HistoryView(
            id: id, indicator: system.indicator(record.indicatorCode)?.name ?? record.indicatorCode,
            place: record.place.shortName ?? record.place.name, period: EvaluationPeriod(code: record.period)?.label ?? record.period,
            value: record.value.map(FactValue.format) ?? "",
            entries: changes.map { change in
                let after = (try? JSONDecoder().decode([String: String].self, from: Data((change.after ?? "{}").utf8))) ?? [:]
                return HistoryEntry(at: DisplayDate.minute(change.occurredAt), actor: change.actor,
                                    action: AuditAction(rawValue: change.action)?.label ?? change.action,
                                    value: after["value"] ?? "", reason: after["reason"] ?? "")
            },
            canCorrect: submission?.submissionStatus == .approved && (principal.orgUnitID == record.$unit.id || principal.role.may(.runEvaluation)),
            corrections: corrections.map { "\($0.correctionStatus.label)：\($0.oldValue.map(FactValue.format) ?? "") → \($0.newValue.map(FactValue.format) ?? "")，\($0.reason)" }))
    }

    struct CorrectionForm: Content { var value: String?; var reason: String? }

    func requestCorrection(req: Request) async throws -> Response {
        let actor = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw APIError.notFound }
        let form = try req.content.decode(CorrectionForm.self)
        do {
            try await DataCollectionService(db: req.db, actor: actor).requestCorrection(valueID: id, text: form.value ?? "", reason: form.reason ?? "")
            req.flash("更正申请已提交，等待营商办审核。")
        } catch let error as APIError where error.isCorrectable {
            req.flash(error.fields.values.first ?? error.message)
        }
        return req.redirect(to: "/evaluation/values/\(id)")
    }

    func decideCorrection(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let correction = try await CorrectionRecord.find(id, on: req.db) else {
            throw APIError.notFound
        }
        let note = try req.content.decode(CommentForm.self).comment ?? ""
        do {
            try await DataCollectionService(db: req.db, actor: actor).decideCorrection(correction, accept: req.parameters.get("decision") == "accept", note: note)
            req.flash("更正申请已处理。")
        } catch let error as APIError where error.isCorrectable {
            req.flash(error.message)
        }
        return req.redirect(to: "/evaluation/submissions")
    }
}
