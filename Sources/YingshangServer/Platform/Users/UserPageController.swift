import Fluent
import Vapor
import YingshangCore

/// The user pages (用户管理): list, create, edit, reset password, CSV export.
struct UserPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("users")
        users.get(use: index)
        users.get("export.csv", use: export)
        users.get("new", use: newForm)
        users.post(use: create)
        users.get(":id", "edit", use: editForm)
        users.post(":id", use: update)
        users.post(":id", "reset-password", use: resetPassword)
    }

    struct Row: Encodable {
        let id: String, login: String, displayName: String, roleLabel: String, unitName: String, phone: String,
            isActive: Bool
    }

    struct IndexView: Encodable {
        let rows: [Row]
        let q: String
        let roles: [FormOption]
        let canManage: Bool
        let pager: Pager
    }

    func rows(_ users: [User], req: Request) async throws -> [Row] {
        let unitIDs = Set(users.compactMap { $0.$orgUnit.id })
        let units = unitIDs.isEmpty ? [] : try await OrgUnit.query(on: req.db).filter(\.$id ~~ unitIDs).all()
        let names = Dictionary(units.compactMap { u in u.id.map { ($0, u.name) } }, uniquingKeysWith: { a, _ in a })
        let masked = try req.requirePrincipal().role.seesMaskedPersonalData
        return users.map { user in
            Row(id: user.id?.uuidString ?? "", login: user.login, displayName: user.displayName,
                roleLabel: user.userRole.label, unitName: user.$orgUnit.id.flatMap { names[$0] } ?? "—",
                phone: (masked ? user.phone.map(PersonalDataMask.phone) : user.phone) ?? "", isActive: user.isActive)
        }
    }

    func index(req: Request) async throws -> View {
        let principal = try req.require(.readUsers)
        let page = try PageRequest(from: req)
        let (users, total) = try await UserQueries(request: req).query().page(page)
        let q = req.query[String.self, at: "q"] ?? ""
        let role = req.query[String.self, at: "role"] ?? ""
        return try await req.page("users/index", title: "用户", IndexView(
            rows: try await rows(users, req: req), q: q,
            roles: Role.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == role) },
            canManage: principal.role.may(.manageUsers),
            pager: Pager(page: page, total: total, query: "q=\(q.urlQueryEncoded)&role=\(role.urlQueryEncoded)")))
    }

    func export(req: Request) async throws -> Response {
        try req.require(.readUsers)
        let users = try await UserQueries(request: req).query().all()
        var table = [["登录名", "姓名", "角色", "所属单位", "电话", "状态"]]
        for row in try await rows(users, req: req) {
            table.append([row.login, row.displayName, row.roleLabel, row.unitName, row.phone, row.isActive ? "启用" : "停用"])
        }
        return .csv(table, filename: "用户.csv")
    }

    struct FormView: Encodable {
        let action: String
        let isNew: Bool
        let login: String, displayName: String, phone: String, email: String, isActive: Bool
        let roles: [FormOption]
        let units: [FormOption]
        let errors: [String: String]
        let oneTimePassword: String?
    }

    func formView(req: Request, user: User?, input: UserInput?, errors: [String: String],
                  oneTimePassword: String? = nil) async throws -> FormView {
        let role = input?.role ?? user?.role ?? Role.unitStaff.rawValue
        let unit = input?.orgUnitID ?? user?.$orgUnit.id?.uuidString ?? ""
        return FormView(
            action: user.flatMap { $0.id.map { "/users/\($0)" } } ?? "/users", isNew: user == nil,
            login: input?.login ?? user?.login ?? "", displayName: input?.displayName ?? user?.displayName ?? "",
            phone: input?.phone ?? user?.phone ?? "", email: input?.email ?? user?.email ?? "",
            isActive: input?.isActive ?? user?.isActive ?? true,
            roles: Role.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == role) },
            units: [FormOption(value: "", label: "（无）", selected: unit.isEmpty)]
                + (try await OrgUnitQueries(request: req).options(selected: UUID(uuidString: unit))),
            errors: errors, oneTimePassword: oneTimePassword)
    }

    func newForm(req: Request) async throws -> View {
        try req.require(.manageUsers)
        return try await req.page("users/form", title: "新建用户", try await formView(req: req, user: nil, input: nil, errors: [:]))
    }

    /// Checkbox forms send "on" (or nothing) rather than a Boolean.
    struct UserForm: Content {
        var login: String?, displayName: String?, role: String?, orgUnitID: String?, phone: String?, email: String?, isActive: String?
        enum CodingKeys: String, CodingKey {
            case login, role, phone, email
            case displayName = "display_name", orgUnitID = "org_unit_id", isActive = "is_active"
        }
        func input(editing: Bool) -> UserInput {
            UserInput(login: login, displayName: displayName, role: role, orgUnitID: orgUnitID, phone: phone, email: email,
                      isActive: editing ? (isActive != nil) : nil)
        }
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.require(.manageUsers)
        let input = try req.content.decode(UserForm.self).input(editing: false)
        do {
            let (user, password) = try await UserService(db: req.db, app: req.application, actor: actor).create(input)
            return try await req.page("users/form", title: "编辑用户",
                                      try await formView(req: req, user: user, input: nil, errors: [:], oneTimePassword: password))
                .encodeResponse(status: .created, for: req)
        } catch let error as APIError where error.code == "validation_failed" {
            return try await req.page("users/form", title: "新建用户",
                                      try await formView(req: req, user: nil, input: input, errors: error.fields))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func editForm(req: Request) async throws -> View {
        try req.require(.manageUsers)
        let user = try await UserQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        return try await req.page("users/form", title: "编辑用户", try await formView(req: req, user: user, input: nil, errors: [:]))
    }

    func update(req: Request) async throws -> Response {
        let actor = try req.require(.manageUsers)
        let user = try await UserQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        let input = try req.content.decode(UserForm.self).input(editing: true)
        do {
            _ = try await UserService(db: req.db, app: req.application, actor: actor).update(user, with: input)
            req.flash("已保存用户“\(user.login)”")
            return req.redirect(to: "/users")
        } catch let error as APIError where error.code == "validation_failed" {
            return try await req.page("users/form", title: "编辑用户",
                                      try await formView(req: req, user: user, input: input, errors: error.fields))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func resetPassword(req: Request) async throws -> View {
        let actor = try req.require(.manageUsers)
        let user = try await UserQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        let password = try await UserService(db: req.db, app: req.application, actor: actor).resetPassword(user)
        return try await req.page("users/form", title: "编辑用户",
                                  try await formView(req: req, user: user, input: nil, errors: [:], oneTimePassword: password))
    }
}
