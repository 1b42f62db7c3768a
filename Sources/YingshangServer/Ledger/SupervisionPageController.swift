import Fluent
import Vapor
import YingshangCore

/// Supervision orders (督办单): the list leaders and invited supervisors follow, opening one on a task,
/// the unit's response and the office's closure.
struct SupervisionPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let ledger = routes.grouped("ledger")
        ledger.get("supervision", use: index)
        ledger.get("supervision", ":id", use: show)
        ledger.post("tasks", ":id", "supervision", use: open)
        ledger.post("supervision", ":id", "respond", use: respond)
        ledger.post("supervision", ":id", "close", use: close)
    }

    /// Orders the user may see: all for office, leaders and supervisors; their own units' for department staff.
    func visible(_ req: Request) async throws -> [SupervisionOrder] {
        _ = try LedgerAccess(request: req).reader()
        let scope = try await req.orgUnitScope()
        var query = SupervisionOrder.query(on: req.db).sort(\.$createdAt, .descending)
        if let state = req.query[String.self, at: "state"], let known = SupervisionState(rawValue: state) {
            query = query.filter(\.$state == known.rawValue)
        }
        let orders = try await query.limit(2000).all()
        guard scope.allowedUnitIDs != nil else { return orders }
        return orders.filter { $0.unitIDs.contains { scope.allows($0.uuidString) } }
    }

    struct Row: Encodable {
        let id: String, source: String, sourceLink: String, level: String, levelKey: String, reason: String
        let rectifyBy: String, state: String, stateLabel: String, openedOn: String, units: String, response: String?
    }
    struct IndexView: Encodable { let rows: [Row]; let states: [FormOption] }

    func row(_ order: SupervisionOrder, unitNames: [UUID: String]) -> Row {
        Row(id: order.id?.uuidString ?? "", source: order.sourceTitle,
            sourceLink: order.sourceType == "task" ? "/ledger/tasks/\(order.sourceID)" : "/appeals/\(order.sourceID)",
            level: SupervisionLevel(rawValue: order.level)?.label ?? order.level, levelKey: order.level, reason: order.reason,
            rectifyBy: order.rectifyBy, state: order.state, stateLabel: SupervisionState(rawValue: order.state)?.label ?? order.state,
            openedOn: order.openedOn, units: order.unitIDs.compactMap { unitNames[$0] }.joined(separator: "、"), response: order.response)
    }


    func index(req: Request) async throws -> View {
        let orders = try await visible(req)
        let names = try await OrgUnitDirectory.names(on: req.db, short: true)
        let state = req.query[String.self, at: "state"] ?? ""
        return try await req.page("ledger/supervision", title: "督办单", IndexView(
            rows: orders.map { row($0, unitNames: names) },
            states: [FormOption(value: "", label: "全部", selected: state.isEmpty)]
                + SupervisionState.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == state) }))
    }

    struct ShowView: Encodable { let order: Row; let closingNote: String?; let canRespond: Bool; let canClose: Bool }

    func find(_ req: Request) async throws -> SupervisionOrder {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw APIError.notFound }
        guard let order = try await visible(req).first(where: { $0.id == id }) else { throw APIError.notFound }
        return order
    }

    func show(req: Request) async throws -> View {
        let principal = try LedgerAccess(request: req).reader()
        let order = try await find(req)
        let scope = try await req.orgUnitScope()
        let closed = order.state == SupervisionState.closed.rawValue
        return try await req.page("ledger/supervision-order", title: "督办单", ShowView(
            order: row(order, unitNames: try await OrgUnitDirectory.names(on: req.db, short: true)), closingNote: order.closingNote,
            canRespond: !closed && principal.role == .unitStaff && order.unitIDs.contains { scope.allows($0.uuidString) },
            canClose: !closed && principal.role.may(.runLedger)))
    }

    struct OpenForm: Content {
        var level: String?
        var reason: String?
        var rectifyBy: String?
        enum CodingKeys: String, CodingKey {
            case level, reason
            case rectifyBy = "rectify_by"
        }
    }

    func open(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let task = try await LedgerAccess(request: req).task(req.parameters.get("id", as: UUID.self))
        let form = try req.content.decode(OpenForm.self)
        guard let level = form.level.flatMap(SupervisionLevel.init(rawValue:)) else {
            throw APIError.validation(["level": "请选择督办级别：提醒 / 督办 / 挂牌督办"])
        }
        guard let rectifyBy = form.rectifyBy.flatMap(CivilDate.init(iso:)) else {
            throw APIError.validation(["rectify_by": "请填写整改期限（YYYY-MM-DD）"])
        }
        let leads = try await TaskUnit.query(on: req.db).filter(\.$task.$id == task.requireID())
            .filter(\.$role == TaskUnitRole.lead.rawValue).all().map { $0.$orgUnit.id }
        do {
            try await SupervisionService(db: req.db, actor: actor).open(.init(
                sourceType: "task", sourceID: try task.requireID(), sourceTitle: "\(task.number) \(task.title)", trigger: .manual,
                level: level, reason: form.reason ?? "", rectifyBy: rectifyBy, unitIDs: leads, ruleKey: nil,
                link: "/ledger/tasks/\(try task.requireID())"))
            req.flash("已开具\(level.label)单，牵头单位会收到通知")
        } catch let error as APIError where error.code == "validation_failed" {
            req.flash("未能开具督办单：" + error.fields.values.joined(separator: "；"))
        }
        return req.redirect(to: "/ledger/tasks/\(try task.requireID())")
    }

    struct TextForm: Content { var text: String? }

    func respond(req: Request) async throws -> Response {
        let principal = try LedgerAccess(request: req).reader()
        let order = try await find(req)
        let scope = try await req.orgUnitScope()
        guard principal.role == .unitStaff, order.unitIDs.contains(where: { scope.allows($0.uuidString) }) else {
            throw APIError(status: .forbidden, code: "forbidden", message: "只有被督办单位可以答复")
        }
        do {
            try await SupervisionService(db: req.db, actor: principal).respond(order, text: try req.content.decode(TextForm.self).text ?? "")
            req.flash("整改情况已答复")
        } catch let error as APIError where error.code == "validation_failed" || error.code == "conflict" {
            req.flash(error.fields.values.first ?? error.message)
        }
        return req.redirect(to: "/ledger/supervision/\(try order.requireID())")
    }

    func close(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let order = try await find(req)
        try await SupervisionService(db: req.db, actor: actor).close(order, note: try req.content.decode(TextForm.self).text ?? "")
        req.flash("督办单已办结")
        return req.redirect(to: "/ledger/supervision/\(try order.requireID())")
    }
}
