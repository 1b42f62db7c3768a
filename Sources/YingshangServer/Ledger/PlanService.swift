import Fluent
import Vapor
import YingshangCore

/// The office's edits to plans and tasks: correct a task, confirm units, publish. All audited.
struct PlanService {
    let db: any Database
    let actor: Principal

    struct TaskEdit: Content {
        var number: String?
        var title: String?
        var text: String?
        /// Units separated by 、，, or new lines.
        var leadUnits: String?
        var coUnits: String?
        /// date / ongoing / none
        var deadlineKind: String?
        var deadlineDate: String?

        enum CodingKeys: String, CodingKey {
            case number, title, text
            case leadUnits = "lead_units", coUnits = "co_units", deadlineKind = "deadline_kind", deadlineDate = "deadline_date"
        }
    }

    static func unitNames(_ text: String?) -> [String]? {
        text.map { $0.split(whereSeparator: { "、，,；;\n\r".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty } }
    }

    func edit(_ task: PlanTask, with edit: TaskEdit) async throws -> PlanTask {
        var errors: [String: String] = [:]
        let title = (edit.title ?? task.title).trimmingCharacters(in: .whitespaces)
        let text = (edit.text ?? task.text).trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors["title"] = "任务名称不能为空" }
        if text.isEmpty { errors["text"] = "任务内容不能为空" }
        var deadline = task.deadline
        switch edit.deadlineKind {
        case nil: break
        case "date":
            guard let date = edit.deadlineDate.flatMap(CivilDate.init(iso:)) else {
                errors["deadline_date"] = "请填写完成时限日期（YYYY-MM-DD）"
                break
            }
            deadline = .date(date)
        case "ongoing": deadline = .ongoing
        case "none": deadline = .none
        default: errors["deadline_kind"] = "完成时限类型只能是 日期 / 长期 / 无"
        }
        let lead = Self.unitNames(edit.leadUnits) ?? task.leadUnitNames
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let newDeadline = deadline
        let before = PlanTaskMapping.snapshot(task)
        let id = try task.requireID()
        let actor = actor
        return try await Transactions.run(on: db) { tx in
            guard let fresh = try await PlanTask.find(id, on: tx) else { throw APIError.notFound }
            fresh.number = edit.number?.trimmingCharacters(in: .whitespaces) ?? fresh.number
            fresh.title = title
            fresh.text = text
            fresh.leadUnitNames = lead
            fresh.coUnitNames = Self.unitNames(edit.coUnits) ?? fresh.coUnitNames
            if newDeadline != fresh.deadline { fresh.setDeadline(newDeadline, text: newDeadline.label) }
            try await fresh.save(on: tx)
            try await TaskUnitLinks.link(fresh, resolver: try await UnitDirectory.resolver(on: tx), on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "plan_task", entityID: id.uuidString,
                                      before: before, after: PlanTaskMapping.snapshot(fresh))
            return fresh
        }
    }

    /// Confirms an unmatched unit name: map it to an existing unit (remembering the name as an alias),
    /// or create the unit. Every task of the plan is re-linked afterwards.
    func confirmUnit(name: String, planID: UUID, existingUnitID: UUID?, newUnit: OrgUnitInput?) async throws {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw APIError.validation(["name": "缺少单位名称"]) }
        if let existingUnitID {
            guard let unit = try await OrgUnit.find(existingUnitID, on: db) else {
                throw APIError.validation(["org_unit_id": "所选单位不存在"])
            }
            let before = OrgUnitDTO.snapshot(unit)
            if !unit.aliases.contains(name) && unit.name != name {
                unit.aliases.append(name)
                let actor = actor
                try await Transactions.run(on: db) { tx in
                    try await unit.save(on: tx)
                    try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "org_unit",
                                              entityID: try unit.requireID().uuidString, before: before,
                                              after: OrgUnitDTO.snapshot(unit))
                }
            }
        } else if var input = newUnit {
            input.name = input.name?.isEmpty == false ? input.name : name
            _ = try await OrgUnitService(db: db, actor: actor).create(input)
        } else {
            throw APIError.validation(["org_unit_id": "请选择对应的已有单位，或新建单位"])
        }
        try await TaskUnitLinks.relink(planID: planID, on: db)
    }

    func publish(_ plan: WorkPlan, title: String?, year: Int?, issuer: String?) async throws {
        guard !plan.isPublished else { throw APIError.conflict("该计划已发布") }
        guard plan.$revisionOf.id == nil else { throw APIError.conflict("这是已发布计划的修订稿，请确认差异后应用") }
        var errors: [String: String] = [:]
        let title = (title ?? plan.title).trimmingCharacters(in: .whitespaces)
        if title.isEmpty { errors["title"] = "请填写计划名称" }
        if let year, !(2000...2100).contains(year) { errors["year"] = "年份应在 2000–2100 之间" }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let id = try plan.requireID()
        let actor = actor
        try await Transactions.run(on: db) { tx in
            guard let fresh = try await WorkPlan.find(id, on: tx) else { throw APIError.notFound }
            fresh.title = title
            fresh.year = year ?? fresh.year
            fresh.issuer = issuer.flatMap { $0.isEmpty ? nil : $0 } ?? fresh.issuer
            fresh.state = PlanState.published.rawValue
            fresh.publishedAt = Date()
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .publish, entityType: "work_plan", entityID: id.uuidString,
                                      before: ["state": "draft"], after: ["state": "published", "title": title])
        }
    }

    func discard(_ plan: WorkPlan) async throws {
        guard !plan.isPublished else { throw APIError.conflict("已发布的计划不能删除") }
        let id = try plan.requireID()
        let actor = actor
        try await Transactions.run(on: db) { tx in
            try await WorkPlan.query(on: tx).filter(\.$id == id).delete()
            try await AuditLog.record(on: tx, actor: actor, action: .delete, entityType: "work_plan", entityID: id.uuidString,
                                      before: ["title": plan.title], after: nil)
        }
    }
}
