import Fluent
import Vapor
import YingshangCore

/// Re-importing a revised document: the difference to the published plan, and applying it in place.
/// Unchanged tasks keep their history, changed tasks are updated, new ones added, removed ones archived.
enum PlanRevision {
    static func liveTasks(of planID: UUID, on db: any Database) async throws -> [PlanTask] {
        try await PlanTask.query(on: db).filter(\.$plan.$id == planID).filter(\.$archived == false).sort(\.$position).all()
    }

    static func diff(published: WorkPlan, document: WorkPointDocument, on db: any Database) async throws -> PlanDiffResult {
        let old = try await liveTasks(of: published.requireID(), on: db).map(PlanTaskMapping.snapshot)
        return PlanDiff.diff(old: old, new: document.items.map(PlanTaskMapping.snapshot))
    }

    /// The difference between a pending revision (a draft) and the plan it revises.
    static func diff(revision: WorkPlan, on db: any Database) async throws -> PlanDiffResult {
        guard let targetID = revision.$revisionOf.id else { throw APIError.notFound }
        let old = try await liveTasks(of: targetID, on: db).map(PlanTaskMapping.snapshot)
        let new = try await liveTasks(of: revision.requireID(), on: db).map { task -> PlanTaskSnapshot in
            var snapshot = PlanTaskMapping.snapshot(task)
            snapshot.id = nil
            return snapshot
        }
        return PlanDiff.diff(old: old, new: new)
    }

    /// Applies a pending revision to its published plan and removes the revision.
    static func apply(revision: WorkPlan, actor: Principal, on db: any Database) async throws -> UUID {
        guard let targetID = revision.$revisionOf.id else { throw APIError.notFound }
        let diff = try await diff(revision: revision, on: db)
        let revisionID = try revision.requireID()
        let newTasks = try await liveTasks(of: revisionID, on: db)
        return try await Transactions.run(on: db) { tx in
            let resolver = try await UnitDirectory.resolver(on: tx)
            // Positions follow the revised document.
            let positionByText = Dictionary(newTasks.map { ($0.number + "\u{1}" + $0.text, $0.position) }, uniquingKeysWith: { a, _ in a })
            func position(_ snapshot: PlanTaskSnapshot) -> Int? { positionByText[snapshot.number + "\u{1}" + snapshot.text] }

            for pair in diff.unchanged {
                guard let id = pair.old.id.flatMap(UUID.init(uuidString:)), let task = try await PlanTask.find(id, on: tx) else { continue }
                task.number = pair.new.number
                task.path = pair.new.path
                task.position = position(pair.new) ?? task.position
                try await task.save(on: tx)
            }
            for change in diff.changed {
                guard let id = change.old.id.flatMap(UUID.init(uuidString:)), let task = try await PlanTask.find(id, on: tx) else { continue }
                let before = PlanTaskMapping.snapshot(task)
                task.number = change.new.number
                task.path = change.new.path
                task.title = change.new.title
                task.text = change.new.text
                task.leadUnitNames = change.new.leadUnits
                task.coUnitNames = change.new.coUnits
                if task.deadline != change.new.deadline { task.setDeadline(change.new.deadline, text: nil) }
                task.position = position(change.new) ?? task.position
                try await task.save(on: tx)
                try await TaskUnitLinks.link(task, resolver: resolver, on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "plan_task",
                                          entityID: id.uuidString, before: before, after: change.new)
            }
            for added in diff.added {
                let task = PlanTask()
                task.$plan.id = targetID
                task.position = position(added) ?? Int.max / 2
                task.number = added.number
                task.path = added.path
                task.title = added.title
                task.text = added.text
                task.leadUnitNames = added.leadUnits
                task.coUnitNames = added.coUnits
                task.setDeadline(added.deadline, text: nil)
                task.status = TaskStatus.notStarted.rawValue
                task.targetsJSON = newTasks.first { $0.number == added.number && $0.text == added.text }?.targetsJSON ?? "[]"
                task.archived = false
                try await task.create(on: tx)
                try await TaskUnitLinks.link(task, resolver: resolver, on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "plan_task",
                                          entityID: try task.requireID().uuidString, before: nil, after: added)
            }
            for removed in diff.removed {
                guard let id = removed.id.flatMap(UUID.init(uuidString:)), let task = try await PlanTask.find(id, on: tx) else { continue }
                task.archived = true
                try await task.save(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .archive, entityType: "plan_task",
                                          entityID: id.uuidString, before: ["archived": false], after: ["archived": true])
            }
            try await WorkPlan.query(on: tx).filter(\.$id == revisionID).delete()
            return targetID
        }
    }
}
