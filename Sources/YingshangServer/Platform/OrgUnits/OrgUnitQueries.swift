import Fluent
import Vapor
import YingshangCore

/// Reading org units within what the signed-in user may see.
struct OrgUnitQueries {
    let request: Request

    struct Filter {
        var text: String?
        var kind: OrgUnitKind?
        var parentID: UUID?

        init(from request: Request) throws {
            text = request.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces)
            if text?.isEmpty == true { text = nil }
            if let raw = request.query[String.self, at: "kind"], !raw.isEmpty {
                guard let kind = OrgUnitKind(rawValue: raw) else {
                    throw APIError.validation(["kind": "只能是 region / department / section"], message: "筛选条件无效")
                }
                self.kind = kind
            }
            if let raw = request.query[String.self, at: "parent_id"], !raw.isEmpty {
                guard let id = UUID(uuidString: raw) else {
                    throw APIError.validation(["parent_id": "不是有效的编号"], message: "筛选条件无效")
                }
                parentID = id
            }
        }
    }

    func query(_ filter: Filter) async throws -> QueryBuilder<OrgUnit> {
        let principal = try request.require(.readOrgUnits)
        _ = principal
        let scope = try await request.orgUnitScope()
        let query = OrgUnit.query(on: request.db).sort(\.$code)
        if let allowed = scope.allowedUnitIDs {
            query.filter(\.$id ~~ allowed.compactMap(UUID.init(uuidString:)))
        }
        if let text = filter.text {
            query.group(.or) { group in
                group.filter(\.$name, .custom("LIKE"), "%\(text)%")
                    .filter(\.$code, .custom("LIKE"), "%\(text)%")
                    .filter(\.$shortName, .custom("LIKE"), "%\(text)%")
            }
        }
        if let kind = filter.kind { query.filter(\.$kind == kind.rawValue) }
        if let parentID = filter.parentID { query.filter(\.$parent.$id == parentID) }
        return query
    }

    /// One unit the user may see, or 404 (the same answer whether it is missing or out of scope).
    func find(_ id: UUID?) async throws -> OrgUnit {
        try request.require(.readOrgUnits)
        guard let id, let unit = try await OrgUnit.find(id, on: request.db),
              try await request.orgUnitScope().allows(id.uuidString) else { throw APIError.notFound }
        return unit
    }

    /// All units in scope in depth-first order with their depth, for the tree page.
    func tree() async throws -> [(unit: OrgUnit, depth: Int)] {
        let units = try await query(Filter.none).all()
        let ids = Set(units.compactMap(\.id))
        var children: [UUID?: [OrgUnit]] = [:]
        for unit in units {
            let parent = unit.$parent.id.flatMap { ids.contains($0) ? $0 : nil }
            children[parent, default: []].append(unit)
        }
        var result: [(OrgUnit, Int)] = []
        func walk(_ parent: UUID?, _ depth: Int) {
            for unit in children[parent] ?? [] {
                result.append((unit, depth))
                if let id = unit.id { walk(id, depth + 1) }
            }
        }
        walk(nil, 0)
        return result
    }
}

extension OrgUnitQueries.Filter {
    static var none: Self { .init() }
    private init() {}
}
