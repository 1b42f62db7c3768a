import Fluent
import Vapor
import YingshangCore

/// Who may see and change which ledger records. Office staff (管理员) run the ledger; leaders and
/// invited supervisors read everything; department staff see the tasks their unit (or a unit below it)
/// leads or supports; enterprises see none of it.
struct LedgerAccess {
    let request: Request

    /// The signed-in user, who must be allowed to read the ledger at all.
    func reader() throws -> Principal {
        let principal = try request.requirePrincipal()
        guard principal.role != .enterprise else { throw APIError.forbidden }
        return principal
    }

    /// The office (administrators), who import, edit, review and supervise.
    func office() throws -> Principal {
        try request.require(.runLedger)
    }

    /// Task ids the user may see, or `nil` for all.
    func visibleTaskIDs() async throws -> Set<UUID>? {
        _ = try reader()
        let scope = try await request.orgUnitScope()
        guard let allowed = scope.allowedUnitIDs else { return nil }
        let unitIDs = allowed.compactMap(UUID.init(uuidString:))
        guard !unitIDs.isEmpty else { return [] }
        let links = try await TaskUnit.query(on: request.db).filter(\.$orgUnit.$id ~~ unitIDs).field(\.$task.$id).all()
        return Set(links.map { $0.$task.id })
    }

    /// A task the user may see, or 404.
    func task(_ id: UUID?) async throws -> PlanTask {
        guard let id, let task = try await PlanTask.find(id, on: request.db) else { throw APIError.notFound }
        if let visible = try await visibleTaskIDs(), !visible.contains(id) { throw APIError.notFound }
        return task
    }

    /// The units of a task in the user's own scope, by role.
    func ownUnits(of task: PlanTask, role: TaskUnitRole) async throws -> [UUID] {
        let principal = try reader()
        guard principal.role == .unitStaff else { return [] }
        let scope = try await request.orgUnitScope()
        let links = try await TaskUnit.query(on: request.db)
            .filter(\.$task.$id == task.requireID()).filter(\.$role == role.rawValue).all()
        return links.map { $0.$orgUnit.id }.filter { scope.allows($0.uuidString) }
    }
}

/// A unit's part in a task.
enum TaskUnitRole: String, Codable, Sendable {
    /// 牵头单位
    case lead
    /// 配合单位
    case co
}
