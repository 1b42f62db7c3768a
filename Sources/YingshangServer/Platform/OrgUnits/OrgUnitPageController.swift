import Fluent
import Vapor
import YingshangCore

/// The org-unit pages (组织机构): tree, detail, create, edit and move, delete, CSV import and export.
struct OrgUnitPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let units = routes.grouped("orgunits")
        units.get(use: index)
        units.get("export.csv", use: export)
        units.get("new", use: newForm)
        units.post(use: create)
        units.get("import", use: importForm)
        units.post("import", use: importFile)
        units.get(":id", use: show)
        units.get(":id", "edit", use: editForm)
        units.post(":id", use: update)
        units.post(":id", "delete", use: delete)
    }

    struct Row: Encodable {
        let id: String, code: String, name: String, shortName: String?, kindLabel: String, depth: Int, aliases: String
        init(_ unit: OrgUnit, depth: Int) {
            id = unit.id?.uuidString ?? ""
            code = unit.code
            name = unit.name
            shortName = unit.shortName
            kindLabel = unit.unitKind.label
            self.depth = depth
            aliases = unit.aliases.joined(separator: "、")
        }
    }

    struct IndexView: Encodable {
        let rows: [Row]
        let q: String
        let canManage: Bool
        let pager: Pager?
    }

    func index(req: Request) async throws -> View {
        let principal = try req.require(.readOrgUnits)
        let filter = try OrgUnitQueries.Filter(from: req)
        let queries = OrgUnitQueries(request: req)
        if filter.text != nil || filter.kind != nil {
            let page = try PageRequest(from: req)
            let (items, total) = try await queries.query(filter).page(page)
            let q = filter.text ?? ""
            return try await req.page("orgunits/index", title: "组织机构", IndexView(
                rows: items.map { Row($0, depth: 0) }, q: q, canManage: principal.role.may(.manageOrgUnits),
                pager: Pager(page: page, total: total, query: "q=\(q.urlQueryEncoded)")))
        }
        let tree = try await queries.tree()
        return try await req.page("orgunits/index", title: "组织机构", IndexView(
            rows: tree.map { Row($0.unit, depth: $0.depth) }, q: "", canManage: principal.role.may(.manageOrgUnits),
            pager: nil))
    }

    func export(req: Request) async throws -> Response {
        try req.require(.readOrgUnits)
        let units = try await OrgUnitQueries(request: req).tree()
        let codeByID = Dictionary(units.compactMap { e in e.unit.id.map { ($0, e.unit.code) } }, uniquingKeysWith: { a, _ in a })
        var rows = [["编码", "全称", "简称", "上级编码", "类型", "别名"]]
        for (unit, _) in units {
            rows.append([unit.code, unit.name, unit.shortName ?? "", unit.$parent.id.flatMap { codeByID[$0] } ?? "",
                         unit.unitKind.label, unit.aliases.joined(separator: "；")])
        }
        return .csv(rows, filename: "组织机构.csv")
    }

    struct ShowView: Encodable {
        struct Person: Encodable { let id: String, displayName: String, login: String, roleLabel: String }
        let unit: Row
        let parent: Row?
        let children: [Row]
        let users: [Person]
        let canManage: Bool
    }

    func show(req: Request) async throws -> View {
        let principal = try req.require(.readOrgUnits)
        let queries = OrgUnitQueries(request: req)
        let unit = try await queries.find(req.parameters.get("id", as: UUID.self))
        let scope = try await req.orgUnitScope()
        let parent = try await unit.$parent.get(on: req.db).flatMap { scope.allows($0.id?.uuidString) ? $0 : nil }
        let children = try await OrgUnit.query(on: req.db).filter(\.$parent.$id == unit.requireID()).sort(\.$code).all()
        let users = principal.role.may(.readUsers)
            ? try await User.query(on: req.db).filter(\.$orgUnit.$id == unit.requireID()).sort(\.$login).all() : []
        return try await req.page("orgunits/show", title: unit.name, ShowView(
            unit: Row(unit, depth: 0), parent: parent.map { Row($0, depth: 0) },
            children: children.map { Row($0, depth: 0) },
            users: users.map { .init(id: $0.id?.uuidString ?? "", displayName: $0.displayName, login: $0.login,
                                     roleLabel: $0.userRole.label) },
            canManage: principal.role.may(.manageOrgUnits)))
    }

    struct FormView: Encodable {
        let action: String
        let isNew: Bool
        let code: String, name: String, shortName: String, aliases: String
        let kinds: [FormOption]
        let parents: [FormOption]
        let errors: [String: String]
    }

    func formView(req: Request, unit: OrgUnit?, input: OrgUnitInput?, errors: [String: String]) async throws -> FormView {
        // A unit cannot move under itself or below itself.
        let excluded = try await unit?.id.asyncMap { try await OrgUnitDirectory.subtree(of: $0, on: req.db) } ?? []
        let selectedParent = input?.parentID ?? unit?.$parent.id?.uuidString ?? ""
        let selectedKind = input?.kind ?? unit?.kind ?? OrgUnitKind.department.rawValue
        return FormView(
            action: unit.flatMap { $0.id.map { "/orgunits/\($0)" } } ?? "/orgunits",
            isNew: unit == nil,
            code: input?.code ?? unit?.code ?? "", name: input?.name ?? unit?.name ?? "",
            shortName: input?.shortName ?? unit?.shortName ?? "",
            aliases: (input?.aliases?.values ?? unit?.aliases ?? []).joined(separator: "；"),
            kinds: OrgUnitKind.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selectedKind) },
            parents: [FormOption(value: "", label: "（无：顶级单位）", selected: selectedParent.isEmpty)]
                + (try await OrgUnitQueries(request: req).options(selected: UUID(uuidString: selectedParent), excluding: excluded)),
            errors: errors)
    }

    func newForm(req: Request) async throws -> View {
        try req.require(.manageOrgUnits)
        var input = OrgUnitInput()
        input.parentID = req.query[String.self, at: "parent_id"]
        return try await req.page("orgunits/form", title: "新建单位", try await formView(req: req, unit: nil, input: input, errors: [:]))
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.require(.manageOrgUnits)
        let input = try req.content.decode(OrgUnitInput.self)
        do {
            let unit = try await OrgUnitService(db: req.db, actor: actor).create(input)
            req.flash("已新建单位“\(unit.name)”")
            return req.redirect(to: "/orgunits/\(try unit.requireID())")
        } catch let error as APIError where error.code == "validation_failed" {
            return try await rerender(req, unit: nil, input: input, errors: error.fields, title: "新建单位")
        }
    }

    func editForm(req: Request) async throws -> View {
        try req.require(.manageOrgUnits)
        let unit = try await OrgUnitQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        return try await req.page("orgunits/form", title: "编辑单位", try await formView(req: req, unit: unit, input: nil, errors: [:]))
    }

    func update(req: Request) async throws -> Response {
        let actor = try req.require(.manageOrgUnits)
        let unit = try await OrgUnitQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        let input = try req.content.decode(OrgUnitInput.self)
        do {
            let saved = try await OrgUnitService(db: req.db, actor: actor).update(unit, with: input)
            req.flash("已保存")
            return req.redirect(to: "/orgunits/\(try saved.requireID())")
        } catch let error as APIError where error.code == "validation_failed" {
            return try await rerender(req, unit: unit, input: input, errors: error.fields, title: "编辑单位")
        }
    }

    private func rerender(_ req: Request, unit: OrgUnit?, input: OrgUnitInput, errors: [String: String],
                          title: String) async throws -> Response {
        let response = try await req.page("orgunits/form", title: title,
                                          try await formView(req: req, unit: unit, input: input, errors: errors))
            .encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }

    func delete(req: Request) async throws -> Response {
        let actor = try req.require(.manageOrgUnits)
        let unit = try await OrgUnitQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        try await OrgUnitService(db: req.db, actor: actor).delete(unit)
        req.flash("已删除单位“\(unit.name)”")
        return req.redirect(to: "/orgunits")
    }

    struct ImportView: Encodable {
        let errors: [RowError]
        let imported: Int?
        let message: String?
    }

    func importForm(req: Request) async throws -> View {
        try req.require(.manageOrgUnits)
        return try await req.page("orgunits/import", title: "导入组织机构", ImportView(errors: [], imported: nil, message: nil))
    }

    struct UploadForm: Content {
        var file: File?
    }

    func importFile(req: Request) async throws -> Response {
        let actor = try req.require(.manageOrgUnits)
        let upload = try req.content.decode(UploadForm.self)
        let render = { (view: ImportView, status: HTTPResponseStatus) async throws -> Response in
            let response = try await req.page("orgunits/import", title: "导入组织机构", view).encodeResponse(for: req)
            response.status = status
            return response
        }
        guard let file = upload.file, file.data.readableBytes > 0 else {
            return try await render(ImportView(errors: [], imported: nil, message: "请选择要导入的 CSV 文件"), .unprocessableEntity)
        }
        let rows: [[String]]
        do { rows = try CSV.parse(data: Data(buffer: file.data)) } catch {
            return try await render(ImportView(errors: [], imported: nil, message: "无法读取文件：\(error.localizedDescription)"),
                                    .unprocessableEntity)
        }
        switch try await OrgUnitService(db: req.db, actor: actor).importRows(rows) {
        case .success(let count):
            return try await render(ImportView(errors: [], imported: count, message: nil), .ok)
        case .failure(let errors):
            return try await render(ImportView(errors: errors.rows, imported: nil,
                                               message: "文件有 \(errors.rows.count) 处错误，未导入任何记录。"), .unprocessableEntity)
        }
    }
}
