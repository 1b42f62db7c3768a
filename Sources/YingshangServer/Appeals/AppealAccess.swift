import Fluent
import FluentSQL
import Vapor
import YingshangCore

/// Who may see which appeals: the office, leaders and invited supervisors all of them (supervisors with
/// personal data masked); department staff those dispatched to their unit or a unit below it.
struct AppealAccess {
    let request: Request

    func reader() throws -> Principal {
        let principal = try request.requirePrincipal()
        guard principal.role != .enterprise else { throw APIError.forbidden }
        return principal
    }

    func query() async throws -> QueryBuilder<Appeal> {
        _ = try reader()
        let query = Appeal.query(on: request.db)
        let scope = try await request.orgUnitScope()
        if let allowed = scope.allowedUnitIDs {
            // A subquery, not a list of IDs: a busy unit handles more appeals than a statement may bind.
            let units = allowed.compactMap(UUID.init(uuidString:))
            query.filter(units.isEmpty ? .sql(unsafeRaw: "1 = 0")
                : .sql(embed: "\(ident: Appeal.schema).\(ident: "id") IN (SELECT appeal_id FROM appeal_units WHERE org_unit_id IN (\(binds: units)))"))
        }
        return query
    }

    /// One appeal the user may see, or 404.
    func appeal(_ id: UUID?) async throws -> Appeal {
        _ = try reader()
        guard let id, let appeal = try await Appeal.find(id, on: request.db) else { throw APIError.notFound }
        let scope = try await request.orgUnitScope()
        guard scope.allowedUnitIDs == nil || handlingUnits(of: appeal).contains(where: { scope.allows($0.uuidString) }) else {
            throw APIError.notFound
        }
        return appeal
    }

    func handlingUnits(of appeal: Appeal) -> [UUID] {
        (appeal.leadUnitID.map { [$0] } ?? []) + appeal.assistingUnitIDs
    }

    /// The signed-in department user's unit among the appeal's handling units, if any.
    func ownUnit(in appeal: Appeal) async throws -> UUID? {
        let principal = try reader()
        guard principal.role == .unitStaff else { return nil }
        let scope = try await request.orgUnitScope()
        return handlingUnits(of: appeal).first { scope.allows($0.uuidString) }
    }

    /// How this viewer sees the appellant's contact details.
    func viewer(for appeal: Appeal) async throws -> AppealViewer {
        let principal = try reader()
        if principal.role.may(.runAppeals) { return .office }
        if principal.role == .unitStaff, let unit = try await ownUnit(in: appeal) { return .unit(unit.uuidString) }
        if principal.role == .unitStaff, let unit = principal.orgUnitID { return .unit(unit.uuidString) }
        return principal.role == .supervisor ? .supervisor : .public
    }

    /// Records that the signed-in user saw an appellant's contact details unmasked.
    func recordPersonalDataView(of appeal: Appeal, contact: AppealContactView) async throws {
        guard contact.phone.isFull, !(appeal.contactPhone ?? "").isEmpty else { return }
        try await AuditLog.record(on: request.db, actor: try reader(), action: .viewPersonalData, entityType: "appeal",
                                  entityID: try appeal.requireID().uuidString, before: nil, after: ["number": appeal.number])
    }
}
