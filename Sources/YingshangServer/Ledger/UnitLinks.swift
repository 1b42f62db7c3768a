import Fluent
import Vapor
import YingshangCore

/// The org-unit directory as the work-point resolver sees it.
enum UnitDirectory {
    static func resolver(on db: any Database) async throws -> WorkPointUnitResolver {
        let units = try await OrgUnit.query(on: db).all()
        return WorkPointUnitResolver(directory: units.compactMap { unit in
            unit.id.map { WorkPointUnitDirectoryEntry(id: $0.uuidString, fullName: unit.name, shortName: unit.shortName,
                                                      aliases: unit.aliases) }
        })
    }
}

/// Keeps a task's ``TaskUnit`` links in step with the unit names it carries.
enum TaskUnitLinks {
    /// Replaces the task's links with those its names resolve to; unresolved names stay names only
    /// (listed for the office to confirm — never created silently).
    static func link(_ task: PlanTask, resolver: WorkPointUnitResolver, on db: any Database) async throws {
        let taskID = try task.requireID()
        try await TaskUnit.query(on: db).filter(\.$task.$id == taskID).delete()
        var seen: Set<String> = []
        for (names, role) in [(task.leadUnitNames, TaskUnitRole.lead), (task.coUnitNames, .co)] {
            for name in names {
                guard let id = resolver.resolve(name).matchedID, let unitID = UUID(uuidString: id),
                      seen.insert("\(role.rawValue):\(id)").inserted else { continue }
                try await TaskUnit(taskID: taskID, orgUnitID: unitID, role: role.rawValue).create(on: db)
            }
        }
    }

    /// Re-links every task of a plan (after a unit was created or an alias remembered).
    static func relink(planID: UUID, on db: any Database) async throws {
        let resolver = try await UnitDirectory.resolver(on: db)
        for task in try await PlanTask.query(on: db).filter(\.$plan.$id == planID).all() {
            try await link(task, resolver: resolver, on: db)
        }
    }

    /// Unit names in a plan that match no org unit, with the candidates the resolver suggests.
    static func unresolved(planID: UUID, on db: any Database) async throws -> [(name: String, resolution: WorkPointUnitResolution)] {
        let resolver = try await UnitDirectory.resolver(on: db)
        var seen: Set<String> = []
        var result: [(String, WorkPointUnitResolution)] = []
        for task in try await PlanTask.query(on: db).filter(\.$plan.$id == planID).sort(\.$position).all() {
            for name in task.leadUnitNames + task.coUnitNames where seen.insert(name).inserted {
                let resolution = resolver.resolve(name)
                if resolution.matchedID == nil { result.append((name, resolution)) }
            }
        }
        return result
    }
}
