import Fluent
import Vapor
import YingshangCore

/// Turns a work-point document into draft plans: one per document in the file, tasks with their
/// units resolved against the org-unit directory. A document whose published plan already exists
/// becomes a pending revision of it (shown as a diff before it applies).
struct PlanImport {
    let db: any Database
    let actor: Principal?

    struct Outcome: Sendable {
        /// Draft plans created (new documents) — to review and publish.
        var drafts: [UUID] = []
        /// Pending revisions of published plans — to confirm after seeing the diff.
        var revisions: [UUID] = []
        /// Documents identical to their published plan: nothing to do.
        var unchanged: [String] = []
    }

    func run(text: String, sourceName: String?, issuedOn: CivilDate? = nil) async throws -> Outcome {
        var options = WorkPointParser.Options()
        if let issuedOn { options.issuedOn = WorkPointDate(year: issuedOn.year, month: issuedOn.month, day: issuedOn.day) }
        let result = WorkPointParser(options: options).parse(text)
        guard !result.documents.isEmpty, result.documents.contains(where: { !$0.items.isEmpty }) else {
            throw APIError.validation(["file": "没有从文件中识别出工作任务：请确认这是一份工作要点或任务分工文件"],
                                      message: "未识别出任何工作任务")
        }
        let resolver = try await UnitDirectory.resolver(on: db)
        var outcome = Outcome()
        for (index, document) in result.documents.enumerated() where !document.items.isEmpty {
            let existing = try await WorkPlan.query(on: db)
                .filter(\.$title == document.title).filter(\.$state == PlanState.published.rawValue)
                .filter(\.$revisionOf.$id == nil).first()
            if let existing {
                let diff = try await PlanRevision.diff(published: existing, document: document, on: db)
                if diff.isEmpty {
                    outcome.unchanged.append(document.title)
                    continue
                }
            }
            let plan = try await createDraft(document, index: index, text: text, sourceName: sourceName,
                                             revisionOf: existing, resolver: resolver)
            if existing == nil { outcome.drafts.append(plan) } else { outcome.revisions.append(plan) }
        }
        return outcome
    }

    private func createDraft(_ document: WorkPointDocument, index: Int, text: String, sourceName: String?,
                             revisionOf: WorkPlan?, resolver: WorkPointUnitResolver) async throws -> UUID {
        let actor = actor
        return try await Transactions.run(on: db) { tx in
            // A document imported again before it was published replaces its earlier draft.
            try await WorkPlan.query(on: tx).filter(\.$title == document.title)
                .filter(\.$state == PlanState.draft.rawValue).delete()
            let plan = WorkPlan()
            plan.title = document.title
            plan.year = document.year
            plan.issuer = revisionOf?.issuer
            plan.state = PlanState.draft.rawValue
            plan.sourceText = text
            plan.sourceName = sourceName
            plan.documentIndex = index
            plan.$revisionOf.id = revisionOf?.id
            try await plan.create(on: tx)
            let planID = try plan.requireID()
            for (position, item) in document.items.enumerated() {
                let task = PlanTaskMapping.task(from: item, planID: planID, position: position)
                try await task.create(on: tx)
                try await TaskUnitLinks.link(task, resolver: resolver, on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: .import, entityType: "work_plan",
                                      entityID: planID.uuidString, before: nil,
                                      after: ["title": document.title, "tasks": String(document.items.count),
                                              "source": sourceName ?? "粘贴文本"])
            return planID
        }
    }
}

/// How a parsed task becomes a stored one.
enum PlanTaskMapping {
    static func task(from item: WorkPointTask, planID: UUID, position: Int) -> PlanTask {
        let task = PlanTask()
        task.$plan.id = planID
        task.position = position
        task.number = item.number
        task.path = item.path
        task.title = item.title
        task.text = item.text
        task.leadUnitNames = item.leadUnits
        task.coUnitNames = item.coUnits
        task.setDeadline(deadline(of: item), text: item.deadline?.text)
        task.status = TaskStatus.notStarted.rawValue
        task.targetsJSON = (try? AuditLog.snapshot(item.targets)) ?? "[]"
        task.archived = false
        return task
    }

    static func deadline(of item: WorkPointTask) -> TaskDeadline {
        guard let deadline = item.deadline else { return .none }
        switch deadline.kind {
        case .ongoing: return .ongoing
        case .date, .relative, .unresolved:
            return deadline.date.flatMap(CivilDate.init(iso:)).map(TaskDeadline.date) ?? .none
        }
    }

    /// The snapshot the core's diff compares.
    static func snapshot(_ task: PlanTask) -> PlanTaskSnapshot {
        PlanTaskSnapshot(id: task.id?.uuidString, number: task.number, path: task.path, title: task.title, text: task.text,
                         leadUnits: task.leadUnitNames, coUnits: task.coUnitNames, deadline: task.deadline)
    }

    static func snapshot(_ item: WorkPointTask) -> PlanTaskSnapshot {
        PlanTaskSnapshot(id: nil, number: item.number, path: item.path, title: item.title, text: item.text,
                         leadUnits: item.leadUnits, coUnits: item.coUnits, deadline: deadline(of: item))
    }
}

extension PlanTask {
    var deadline: TaskDeadline {
        switch deadlineKind {
        case "date": deadlineDate.flatMap(CivilDate.init(iso:)).map(TaskDeadline.date) ?? .none
        case "ongoing": .ongoing
        default: .none
        }
    }

    func setDeadline(_ deadline: TaskDeadline, text: String?) {
        switch deadline {
        case .date(let date):
            deadlineKind = "date"
            deadlineDate = date.iso
        case .ongoing:
            deadlineKind = "ongoing"
            deadlineDate = nil
        case .none:
            deadlineKind = "none"
            deadlineDate = nil
        }
        deadlineText = text
    }

    var taskStatus: TaskStatus { TaskStatus(rawValue: status) ?? .notStarted }
}
