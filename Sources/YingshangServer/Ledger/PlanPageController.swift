import Fluent
import Vapor
import YingshangCore

/// Importing work-point documents, reviewing the parsed plan beside its source, confirming units,
/// publishing, and confirming a revision after seeing its diff.
struct PlanPageController: RouteCollection {
    /// The largest document accepted for import.
    static let maxDocumentBytes = 20 * 1024 * 1024

    func boot(routes: any RoutesBuilder) throws {
        let ledger = routes.grouped("ledger")
        ledger.get("import", use: importForm)
        ledger.on(.POST, "import", body: .collect(maxSize: "25mb"), use: importDocument)
        ledger.get("plans", ":id", use: show)
        ledger.post("plans", ":id", "publish", use: publish)
        ledger.post("plans", ":id", "apply", use: applyRevision)
        ledger.post("plans", ":id", "discard", use: discard)
        ledger.post("plans", ":id", "units", use: confirmUnit)
        ledger.get("tasks", ":id", "edit", use: editTask)
        ledger.post("tasks", ":id", use: saveTask)
    }

    struct ImportView: Encodable {
        let error: String?
        let text: String
        let unchanged: [String]
    }

    func importForm(req: Request) async throws -> View {
        _ = try LedgerAccess(request: req).office()
        return try await req.page("ledger/import", title: "导入工作要点", ImportView(error: nil, text: "", unchanged: []))
    }

    struct ImportForm: Content {
        var file: File?
        var text: String?
        var issuedOn: String?
        enum CodingKeys: String, CodingKey {
            case file, text
            case issuedOn = "issued_on"
        }
    }

    func importDocument(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let form = try req.content.decode(ImportForm.self)
        let fail = { (message: String) async throws -> Response in
            try await req.page("ledger/import", title: "导入工作要点", ImportView(error: message, text: form.text ?? "", unchanged: []))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let text: String
        let sourceName: String?
        if let file = form.file, file.data.readableBytes > 0 {
            guard file.data.readableBytes <= Self.maxDocumentBytes else { return try await fail("文件过大（上限 20 MB）") }
            let allowed = ["txt", "docx", "text", ""]
            guard allowed.contains((file.filename as NSString).pathExtension.lowercased()) else {
                return try await fail("只支持 .txt（UTF-8 或 GBK 编码）和 .docx 文件；.doc 和 PDF 请先另存为 .docx")
            }
            do { text = try WorkPointFile.text(from: Data(buffer: file.data)) } catch { return try await fail(error.localizedDescription) }
            sourceName = file.filename
        } else if let pasted = form.text?.trimmingCharacters(in: .whitespacesAndNewlines), !pasted.isEmpty {
            text = pasted
            sourceName = nil
        } else {
            return try await fail("请选择文件，或把文件内容粘贴到文本框中")
        }
        let issuedOn: CivilDate?
        if let raw = form.issuedOn, !raw.isEmpty {
            guard let date = CivilDate(iso: raw) else { return try await fail("印发日期格式应为 YYYY-MM-DD") }
            issuedOn = date
        } else { issuedOn = nil }
        let outcome: PlanImport.Outcome
        do {
            outcome = try await PlanImport(db: req.db, actor: actor).run(text: text, sourceName: sourceName, issuedOn: issuedOn)
        } catch let error as APIError where error.code == "validation_failed" {
            return try await fail(error.fields.values.first ?? error.message)
        }
        if let first = outcome.drafts.first ?? outcome.revisions.first {
            let count = outcome.drafts.count + outcome.revisions.count
            req.flash("已解析 \(count) 份文件" + (outcome.unchanged.isEmpty ? "" : "，\(outcome.unchanged.count) 份与已发布的计划相同，无需更新")
                      + "。请逐一核对后发布。")
            return req.redirect(to: "/ledger/plans/\(first)")
        }
        return try await req.page("ledger/import", title: "导入工作要点", ImportView(error: nil, text: "", unchanged: outcome.unchanged))
            .encodeResponse(for: req)
    }

    // MARK: The plan page

    struct TaskRow: Encodable {
        let id: String, number: String, path: String, title: String, text: String
        let leadUnits: [UnitName], coUnits: [UnitName]
        let deadline: String, statusLabel: String, status: String, archived: Bool
    }
    struct UnitName: Encodable { let name: String, matched: Bool }
    struct Unresolved: Encodable { let name: String, candidates: [FormOption] }
    struct DiffView: Encodable {
        struct Change: Encodable { let number: String, title: String, fields: String, oldText: String, newText: String }
        let changed: [Change]
        let added: [String]
        let removed: [String]
        let renumbered: Int
        let unchanged: Int
    }
    struct PlanView: Encodable {
        let id: String, title: String, year: Int?, issuer: String, state: String, stateLabel: String
        let isDraft: Bool, isRevision: Bool, revisionOf: String?, canEdit: Bool
        let sourceName: String, sourceText: String
        let tasks: [TaskRow]
        let unresolved: [Unresolved]
        let units: [FormOption]
        let diff: DiffView?
        let counts: [String: Int]
    }

    func show(req: Request) async throws -> View {
        let access = LedgerAccess(request: req)
        let principal = try access.reader()
        guard let id = req.parameters.get("id", as: UUID.self), let plan = try await WorkPlan.find(id, on: req.db) else {
            throw APIError.notFound
        }
        let isOffice = principal.role.may(.runLedger)
        if !plan.isPublished && !isOffice { throw APIError.notFound }
        var tasks = try await PlanTask.query(on: req.db).filter(\.$plan.$id == id).sort(\.$position).all()
        if let visible = try await access.visibleTaskIDs() { tasks = tasks.filter { visible.contains($0.id ?? UUID()) } }
        let resolver = try await UnitDirectory.resolver(on: req.db)
        let unresolved = plan.isPublished && !isOffice ? [] : try await TaskUnitLinks.unresolved(planID: id, on: req.db)
        let diff = plan.$revisionOf.id == nil ? nil : try await PlanRevision.diff(revision: plan, on: req.db)
        var counts: [String: Int] = [:]
        for task in tasks where !task.archived { counts[task.status, default: 0] += 1 }
        let unitOptions = isOffice && !unresolved.isEmpty ? try await OrgUnitQueries(request: req).options() : []
        return try await req.page("ledger/plan", title: plan.title, PlanView(
            id: id.uuidString, title: plan.title, year: plan.year, issuer: plan.issuer ?? "", state: plan.state,
            stateLabel: (PlanState(rawValue: plan.state) ?? .draft).label, isDraft: !plan.isPublished,
            isRevision: plan.$revisionOf.id != nil, revisionOf: plan.$revisionOf.id?.uuidString, canEdit: isOffice,
            sourceName: plan.sourceName ?? "粘贴的文本", sourceText: plan.isPublished ? "" : plan.sourceText,
            tasks: tasks.map { task in
                TaskRow(id: task.id?.uuidString ?? "", number: task.number, path: task.path.joined(separator: " › "),
                        title: task.title, text: task.text,
                        leadUnits: task.leadUnitNames.map { UnitName(name: $0, matched: resolver.resolve($0).matchedID != nil) },
                        coUnits: task.coUnitNames.map { UnitName(name: $0, matched: resolver.resolve($0).matchedID != nil) },
                        deadline: task.deadlineLabel, statusLabel: task.taskStatus.label, status: task.status, archived: task.archived)
            },
            unresolved: unresolved.map { entry in
                var candidates: [FormOption] = []
                if case .unmatched(_, let found) = entry.resolution {
                    candidates = found.map { FormOption(value: $0.id, label: $0.fullName, selected: false) }
                }
                return Unresolved(name: entry.name, candidates: candidates)
            },
            units: unitOptions,
            diff: diff.map { diff in
                DiffView(changed: diff.changed.map { change in
                    .init(number: change.new.number, title: change.new.title, fields: change.fields.joined(separator: "、"),
                          oldText: change.old.text, newText: change.new.text)
                }, added: diff.added.map { "\($0.number) \($0.title)" }, removed: diff.removed.map { "\($0.number) \($0.title)" },
                         renumbered: diff.unchanged.filter(\.isRenumbered).count, unchanged: diff.unchanged.count)
            },
            counts: counts))
    }

    struct PublishForm: Content {
        var title: String?
        /// Text, as a form sends it: empty means "not given".
        var year: String?
        var issuer: String?
    }

    func publish(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let plan = try await draftPlan(req)
        let form = try req.content.decode(PublishForm.self)
        let yearText = form.year?.trimmingCharacters(in: .whitespaces) ?? ""
        guard yearText.isEmpty || Int(yearText) != nil else { throw APIError.validation(["year": "年度应为数字，例如 2026"]) }
        try await PlanService(db: req.db, actor: actor).publish(plan, title: form.title, year: Int(yearText), issuer: form.issuer)
        req.flash("计划已发布，任务开始运行")
        return req.redirect(to: "/ledger/plans/\(try plan.requireID())")
    }

    func applyRevision(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let plan = try await draftPlan(req)
        let target = try await PlanRevision.apply(revision: plan, actor: actor, on: req.db)
        req.flash("修订已应用：未变的任务保留原有进展，删去的任务已归档")
        return req.redirect(to: "/ledger/plans/\(target)")
    }

    func discard(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let plan = try await draftPlan(req)
        try await PlanService(db: req.db, actor: actor).discard(plan)
        req.flash("已放弃导入“\(plan.title)”")
        return req.redirect(to: "/ledger")
    }

    struct UnitForm: Content {
        var name: String
        var action: String
        var orgUnitID: String?
        var parentID: String?
        var kind: String?
        var code: String?
        enum CodingKeys: String, CodingKey {
            case name, action, kind, code
            case orgUnitID = "org_unit_id", parentID = "parent_id"
        }
    }

    func confirmUnit(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        guard let id = req.parameters.get("id", as: UUID.self), try await WorkPlan.find(id, on: req.db) != nil else {
            throw APIError.notFound
        }
        let form = try req.content.decode(UnitForm.self)
        let service = PlanService(db: req.db, actor: actor)
        do {
            if form.action == "create" {
                var input = OrgUnitInput()
                input.name = form.name
                input.code = form.code
                input.kind = form.kind ?? OrgUnitKind.department.rawValue
                input.parentID = form.parentID
                try await service.confirmUnit(name: form.name, planID: id, existingUnitID: nil, newUnit: input)
                req.flash("已新建单位“\(form.name)”")
            } else {
                try await service.confirmUnit(name: form.name, planID: id, existingUnitID: form.orgUnitID.flatMap(UUID.init(uuidString:)),
                                              newUnit: nil)
                req.flash("已把“\(form.name)”对应到已有单位，并记为该单位的别名")
            }
        } catch let error as APIError where error.code == "validation_failed" {
            req.flash("“\(form.name)”未能确认：" + error.fields.values.joined(separator: "；"))
        }
        return req.redirect(to: "/ledger/plans/\(id)#units")
    }

    private func draftPlan(_ req: Request) async throws -> WorkPlan {
        guard let id = req.parameters.get("id", as: UUID.self), let plan = try await WorkPlan.find(id, on: req.db) else {
            throw APIError.notFound
        }
        return plan
    }

    // MARK: Correcting a task

    struct TaskForm: Encodable {
        let id: String, planID: String, number: String, title: String, text: String
        let leadUnits: String, coUnits: String, deadlineKind: String, deadlineDate: String
        let errors: [String: String]
    }

    func taskForm(_ task: PlanTask, edit: PlanService.TaskEdit? = nil, errors: [String: String] = [:]) -> TaskForm {
        TaskForm(id: task.id?.uuidString ?? "", planID: task.$plan.id.uuidString, number: edit?.number ?? task.number,
                 title: edit?.title ?? task.title, text: edit?.text ?? task.text,
                 leadUnits: edit?.leadUnits ?? task.leadUnitNames.joined(separator: "、"),
                 coUnits: edit?.coUnits ?? task.coUnitNames.joined(separator: "、"),
                 deadlineKind: edit?.deadlineKind ?? task.deadlineKind, deadlineDate: edit?.deadlineDate ?? task.deadlineDate ?? "",
                 errors: errors)
    }

    func editTask(req: Request) async throws -> View {
        _ = try LedgerAccess(request: req).office()
        let task = try await LedgerAccess(request: req).task(req.parameters.get("id", as: UUID.self))
        return try await req.page("ledger/task-edit", title: "修改任务", taskForm(task))
    }

    func saveTask(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let task = try await LedgerAccess(request: req).task(req.parameters.get("id", as: UUID.self))
        let edit = try req.content.decode(PlanService.TaskEdit.self)
        do {
            _ = try await PlanService(db: req.db, actor: actor).edit(task, with: edit)
            req.flash("任务已保存")
            return req.redirect(to: "/ledger/plans/\(task.$plan.id)#task-\(try task.requireID())")
        } catch let error as APIError where error.code == "validation_failed" {
            return try await req.page("ledger/task-edit", title: "修改任务", taskForm(task, edit: edit, errors: error.fields))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}

extension PlanTask {
    /// The deadline as the ledger shows it: the document's words where it gave some, else the date.
    var deadlineLabel: String {
        switch deadline {
        case .date(let date): date.iso
        case .ongoing: deadlineText ?? "长期"
        case .none: deadlineText.map { "（未识别：\($0)）" } ?? "—"
        }
    }
}
