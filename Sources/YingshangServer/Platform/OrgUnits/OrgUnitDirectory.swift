import Fluent
import Foundation
import YingshangCore

/// The org-unit directory in the shapes other features need: names by id, and parent links.
enum OrgUnitDirectory {
    /// Every unit's display name by id: the short name where one exists (`short`), else the full name.
    static func names(on db: any Database, short: Bool = false) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for unit in try await OrgUnit.query(on: db).all() {
            if let id = unit.id { names[id] = short ? (unit.shortName ?? unit.name) : unit.name }
        }
        return names
    }

    /// Every unit's parent, by id string, with `nil` for top-level units (the shape `OrgUnitRules.canMove` reads).
    static func parents(on db: any Database) async throws -> [String: String?] {
        var map: [String: String?] = [:]
        for unit in try await OrgUnit.query(on: db).field(\.$id).field(\.$parent.$id).all() {
            if let id = unit.id { map[id.uuidString] = .some(unit.$parent.id?.uuidString) }
        }
        return map
    }

    /// Child → parent for units that have one (the shape `OrgUnitScope` reads).
    static func parentLinks(on db: any Database) async throws -> [String: String] {
        try await parents(on: db).compactMapValues { $0 }
    }

    /// `root` and every unit below it.
    static func subtree(of root: UUID, on db: any Database) async throws -> Set<UUID> {
        Set(OrgUnitScope.subtree(of: root.uuidString, parentOf: try await parentLinks(on: db)).compactMap(UUID.init(uuidString:)))
    }
}

extension OrgUnitQueries {
    /// The units the user may see as `<option>`s, indented by depth, in tree order.
    func options(selected: UUID? = nil, excluding: Set<UUID> = []) async throws -> [FormOption] {
        try await tree().compactMap { entry in
            guard let id = entry.unit.id, !excluding.contains(id) else { return nil }
            return FormOption(value: id.uuidString, label: String(repeating: "　", count: entry.depth) + entry.unit.name,
                              selected: id == selected)
        }
    }
}
