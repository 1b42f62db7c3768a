import Fluent
import Vapor
import YingshangCore

/// Every change to org units goes through here: validated by the core rules, audited, atomic.
struct OrgUnitService {
    let db: any Database
    let actor: Principal

    /// A draft from user input, with field-level Chinese errors.
    func draft(from input: OrgUnitInput, existing: OrgUnit? = nil) async throws -> (OrgUnitDraft, UUID?) {
        var errors: [String: String] = [:]
        let kind: OrgUnitKind? = {
            guard let raw = input.kind?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
                return existing?.unitKind
            }
            return OrgUnitKind(rawValue: raw) ?? OrgUnitKind.allCases.first { $0.label == raw }
        }()
        if kind == nil { errors["kind"] = input.kind == nil ? "请选择类型" : "类型只能是 区域 / 部门 / 科室" }

        var parentID: UUID? = existing?.$parent.id
        var parentCode: String?
        if let raw = input.parentID {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                parentID = nil
            } else if let id = UUID(uuidString: trimmed), let parent = try await OrgUnit.find(id, on: db) {
                parentID = id
                parentCode = parent.code
            } else {
                errors["parent_id"] = "上级单位不存在"
            }
        } else if let parentID, let parent = try await OrgUnit.find(parentID, on: db) {
            parentCode = parent.code
        }

        let draft = OrgUnitDraft(
            code: (input.code ?? existing?.code ?? "").trimmingCharacters(in: .whitespaces),
            name: (input.name ?? existing?.name ?? "").trimmingCharacters(in: .whitespaces),
            shortName: (input.shortName ?? existing?.shortName).flatMap { $0.trimmingCharacters(in: .whitespaces) }
                .flatMap { $0.isEmpty ? nil : $0 },
            parentCode: parentCode,
            kind: kind ?? .department,
            aliases: (input.aliases?.values ?? existing?.aliases ?? [])
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let apiField = ["shortName": "short_name", "parentCode": "parent_id"]
        for (field, message) in OrgUnitRules.validate(draft) where errors[apiField[field] ?? field] == nil {
            errors[apiField[field] ?? field] = message
        }
        if let parentID, let existingID = existing?.id {
            let parents = try await OrgUnitDirectory.parents(on: db)
            if !OrgUnitRules.canMove(unit: existingID.uuidString, to: parentID.uuidString, parentOf: parents) {
                errors["parent_id"] = "不能把单位移到它自己或它的下级单位之下"
            }
        }
        let duplicate = try await OrgUnit.query(on: db).filter(\.$code == draft.code).first()
        if let duplicate, duplicate.id != existing?.id { errors["code"] = "编码“\(draft.code)”已被“\(duplicate.name)”使用" }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        return (draft, parentID)
    }

    func create(_ input: OrgUnitInput) async throws -> OrgUnit {
        let (draft, parentID) = try await draft(from: input)
        let actor = actor
        return try await Transactions.run(on: db) { tx in
            let unit = OrgUnit(draft: draft, parentID: parentID)
            try await unit.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "org_unit",
                                      entityID: try unit.requireID().uuidString, before: nil,
                                      after: OrgUnitDTO.snapshot(unit))
            return unit
        }
    }

    func update(_ unit: OrgUnit, with input: OrgUnitInput) async throws -> OrgUnit {
        let (draft, parentID) = try await draft(from: input, existing: unit)
        let before = OrgUnitDTO.snapshot(unit)
        let moved = parentID != unit.$parent.id
        let actor = actor
        let id = try unit.requireID()
        return try await Transactions.run(on: db) { tx in
            guard let fresh = try await OrgUnit.find(id, on: tx) else { throw APIError.notFound }
            fresh.apply(draft, parentID: parentID)
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: moved ? .move : .update, entityType: "org_unit",
                                      entityID: id.uuidString, before: before, after: OrgUnitDTO.snapshot(fresh))
            return fresh
        }
    }

    func delete(_ unit: OrgUnit) async throws {
        let id = try unit.requireID()
        if try await OrgUnit.query(on: db).filter(\.$parent.$id == id).count() > 0 {
            throw APIError.conflict("该单位还有下级单位，不能删除")
        }
        if try await User.query(on: db).filter(\.$orgUnit.$id == id).count() > 0 {
            throw APIError.conflict("该单位还有用户，不能删除")
        }
        let actor = actor
        let before = OrgUnitDTO.snapshot(unit)
        try await Transactions.run(on: db) { tx in
            try await OrgUnit.query(on: tx).filter(\.$id == id).delete()
            try await AuditLog.record(on: tx, actor: actor, action: .delete, entityType: "org_unit",
                                      entityID: id.uuidString, before: before, after: nil)
        }
    }

    /// Imports CSV rows: every row valid, or nothing imported and every bad row reported.
    func importRows(_ rows: [[String]]) async throws -> Result<Int, RowErrors> {
        let existing = try await OrgUnit.query(on: db).all()
        let idByCode = Dictionary(existing.compactMap { unit in unit.id.map { (unit.code, $0) } }, uniquingKeysWith: { a, _ in a })
        switch OrgUnitImport.validate(rows: rows, existingCodes: Set(idByCode.keys)) {
        case .failure(let errors):
            return .failure(errors)
        case .success(let drafts):
            let actor = actor
            try await Transactions.run(on: db) { tx in
                var ids = idByCode
                for draft in drafts {
                    let unit = OrgUnit(draft: draft, parentID: draft.parentCode.flatMap { ids[$0] })
                    try await unit.create(on: tx)
                    ids[draft.code] = try unit.requireID()
                    try await AuditLog.record(on: tx, actor: actor, action: .import, entityType: "org_unit",
                                              entityID: try unit.requireID().uuidString, before: nil,
                                              after: OrgUnitDTO.snapshot(unit))
                }
            }
            return .success(drafts.count)
        }
    }
}
