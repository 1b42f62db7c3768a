import Fluent
import Vapor
import YingshangCore

/// `/api/v1`: plans, tasks, reports, supervision orders and the assessment, for machine clients.
/// Every operation goes through the same services and access rules as the pages.
struct LedgerAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", use: plans)
        routes.on(.POST, "plans", "import", body: .collect(maxSize: "25mb"), use: importPlan)
        routes.get("plans", ":id", use: plan)
        routes.post("plans", ":id", "publish", use: publish)
        routes.get("plans", ":id", "assessment", use: assessment)
        routes.get("tasks", use: tasks)
        routes.get("tasks", ":id", use: task)
        routes.get("tasks", ":id", "reports", use: reports)
        routes.post("tasks", ":id", "reports", use: fileReport)
        routes.post("tasks", ":id", "supervision-orders", use: openOrder)
        routes.post("reports", ":id", "review", use: review)
        routes.get("supervision-orders", use: orders)
        routes.post("supervision-orders", ":id", "respond", use: respond)
        routes.post("supervision-orders", ":id", "close", use: close)
        routes.post("jobs", "run", use: runJobs)
    }

    func plans(req: Request) async throws -> PageOf<PlanDTO> {
        let principal = try LedgerAccess(request: req).reader()
        let page = try PageRequest(from: req)
        let query = WorkPlan.query(on: req.db).sort(\.$createdAt, .descending)
        if !principal.role.may(.runLedger) { query.filter(\.$state == PlanState.published.rawValue) }
        let (items, total) = try await query.page(page)
        return PageOf(items: try items.map(PlanDTO.init), total: total, limit: page.limit, offset: page.offset)
    }

    func findPlan(_ req: Request) async throws -> WorkPlan {
        let principal = try LedgerAccess(request: req).reader()
        guard let id = req.parameters.get("id", as: UUID.self), let plan = try await WorkPlan.find(id, on: req.db),
              plan.isPublished || principal.role.may(.runLedger) else { throw APIError.notFound }
        return plan
    }

    func plan(req: Request) async throws -> PlanDTO { try PlanDTO(try await findPlan(req)) }

    struct ImportOutcome: Content {
        var drafts: [UUID]
        var revisions: [UUID]
        var unchanged: [String]
    }

    /// The body is the document: `text/plain` (UTF-8 or GB18030) or a `.docx` file.
    func importPlan(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        guard let buffer = req.body.data, buffer.readableBytes > 0 else { throw APIError.badRequest("请求体为空：请提交文件内容") }
        let text: String
        do { text = try WorkPointFile.text(from: Data(buffer: buffer)) } catch {
            throw APIError(status: .unprocessableEntity, code: "unreadable_document", message: error.localizedDescription)
        }
        let outcome = try await PlanImport(db: req.db, actor: actor).run(text: text, sourceName: req.query[String.self, at: "name"])
        return try await ImportOutcome(drafts: outcome.drafts, revisions: outcome.revisions, unchanged: outcome.unchanged)
            .encodeResponse(status: .created, for: req)
    }

    struct PublishInput: Content { var title: String?; var year: Int?; var issuer: String? }

    func publish(req: Request) async throws -> PlanDTO {
        let actor = try LedgerAccess(request: req).office()
        let plan = try await findPlan(req)
        let input = (try? req.content.decode(PublishInput.self)) ?? PublishInput()
        if plan.$revisionOf.id != nil {
            let target = try await PlanRevision.apply(revision: plan, actor: actor, on: req.db)
            return try PlanDTO(try await WorkPlan.find(target, on: req.db) ?? plan)
        }
        try await PlanService(db: req.db, actor: actor).publish(plan, title: input.title, year: input.year, issuer: input.issuer)
        return try PlanDTO(try await WorkPlan.find(plan.requireID(), on: req.db) ?? plan)
    }

    func assessment(req: Request) async throws -> [UnitAssessment] {
        let plan = try await findPlan(req)
        return try await BulletinService(db: req.db).assessment(planID: plan.requireID(), period: try BulletinPageController().period(req))
    }

    func tasks(req: Request) async throws -> PageOf<TaskDTO> {
        let page = try PageRequest(from: req)
        let (items, total) = try await TaskQueries(request: req).query(try .init(from: req)).page(page)
        return PageOf(items: try items.map(TaskDTO.init), total: total, limit: page.limit, offset: page.offset)
    }

    func task(req: Request) async throws -> TaskDTO {
        try TaskDTO(try await LedgerAccess(request: req).task(req.parameters.get("id", as: UUID.self)))
    }

    func reports(req: Request) async throws -> [ReportDTO] {
        let task = try await LedgerAccess(request: req).task(req.parameters.get("id", as: UUID.self))
        return try await ProgressReport.query(on: req.db).filter(\.$task.$id == task.requireID())
            .sort(\.$periodYear).sort(\.$periodMonth).all().map(ReportDTO.init)
    }

    struct ReportInput: Content {
        var period: String?
        var progressStatus: String?
        var summary: String?
        var percent: Int?
        enum CodingKeys: String, CodingKey {
            case period, summary, percent
            case progressStatus = "progress_status"
        }
    }

    func fileReport(req: Request) async throws -> Response {
        let access = LedgerAccess(request: req)
        let actor = try access.reader()
        let task = try await access.task(req.parameters.get("id", as: UUID.self))
        guard !(try await access.ownUnits(of: task, role: .lead)).isEmpty else {
            throw APIError(status: .forbidden, code: "forbidden", message: "只有牵头单位可以报送进展")
        }
        let input = try req.content.decode(ReportInput.self)
        let settings = try await LedgerSettings.load(on: req.db)
        let period: ReportPeriod
        if let raw = input.period {
            guard let parsed = ReportPeriod(key: raw) else { throw APIError.validation(["period": "报告期格式应为 YYYY-MM"]) }
            period = parsed
        } else {
            period = ReportingRules.currentPeriod(today: Today.civil(), policy: settings.reporting,
                                                  calendar: try await CalendarService(db: req.db).calendar())
        }
        let report = try await ReportService(db: req.db, actor: actor, app: req.application).submit(
            task: task, period: period,
            filing: .init(progressStatus: input.progressStatus, summary: input.summary, percent: input.percent, files: nil),
            today: Today.civil())
        return try await ReportDTO(report).encodeResponse(status: .created, for: req)
    }

    struct ReviewInput: Content { var decision: String; var comment: String? }

    func review(req: Request) async throws -> ReportDTO {
        let actor = try LedgerAccess(request: req).office()
        guard let id = req.parameters.get("id", as: UUID.self), let report = try await ProgressReport.find(id, on: req.db) else {
            throw APIError.notFound
        }
        let input = try req.content.decode(ReviewInput.self)
        guard ["accept", "return"].contains(input.decision) else {
            throw APIError.validation(["decision": "只能是 accept（通过）或 return（退回）"])
        }
        try await ReportService(db: req.db, actor: actor, app: req.application)
            .review(report, accept: input.decision == "accept", comment: input.comment)
        return try ReportDTO(try await ProgressReport.find(id, on: req.db) ?? report)
    }

    func orders(req: Request) async throws -> [SupervisionOrderDTO] {
        try await SupervisionPageController().visible(req).map(SupervisionOrderDTO.init)
    }

    struct OrderInput: Content {
        var level: String
        var reason: String
        var rectifyBy: String
        enum CodingKeys: String, CodingKey {
            case level, reason
            case rectifyBy = "rectify_by"
        }
    }

    func openOrder(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let task = try await LedgerAccess(request: req).task(req.parameters.get("id", as: UUID.self))
        let input = try req.content.decode(OrderInput.self)
        guard let level = SupervisionLevel(rawValue: input.level) else {
            throw APIError.validation(["level": "只能是 reminder / supervision / listed"])
        }
        guard let rectifyBy = CivilDate(iso: input.rectifyBy) else { throw APIError.validation(["rectify_by": "日期格式应为 YYYY-MM-DD"]) }
        let leads = try await TaskUnit.query(on: req.db).filter(\.$task.$id == task.requireID())
            .filter(\.$role == TaskUnitRole.lead.rawValue).all().map { $0.$orgUnit.id }
        guard let order = try await SupervisionService(db: req.db, actor: actor).open(.init(
            sourceType: "task", sourceID: try task.requireID(), sourceTitle: "\(task.number) \(task.title)", trigger: .manual,
            level: level, reason: input.reason, rectifyBy: rectifyBy, unitIDs: leads, ruleKey: nil, link: ""))
        else { throw APIError.conflict("督办单已存在") }
        return try await SupervisionOrderDTO(order).encodeResponse(status: .created, for: req)
    }

    struct TextInput: Content { var text: String }

    func findOrder(_ req: Request) async throws -> SupervisionOrder {
        guard let id = req.parameters.get("id", as: UUID.self),
              let order = try await SupervisionPageController().visible(req).first(where: { $0.id == id }) else { throw APIError.notFound }
        return order
    }

    func respond(req: Request) async throws -> SupervisionOrderDTO {
        let principal = try LedgerAccess(request: req).reader()
        let order = try await findOrder(req)
        let scope = try await req.orgUnitScope()
        guard principal.role == .unitStaff, order.unitIDs.contains(where: { scope.allows($0.uuidString) }) else {
            throw APIError(status: .forbidden, code: "forbidden", message: "只有被督办单位可以答复")
        }
        try await SupervisionService(db: req.db, actor: principal).respond(order, text: try req.content.decode(TextInput.self).text)
        return try SupervisionOrderDTO(try await SupervisionOrder.find(order.requireID(), on: req.db) ?? order)
    }

    func close(req: Request) async throws -> SupervisionOrderDTO {
        let actor = try LedgerAccess(request: req).office()
        let order = try await findOrder(req)
        try await SupervisionService(db: req.db, actor: actor).close(order, note: (try? req.content.decode(TextInput.self).text) ?? "")
        return try SupervisionOrderDTO(try await SupervisionOrder.find(order.requireID(), on: req.db) ?? order)
    }

    struct JobOutcomeDTO: Content { var job: String; var outcome: String; var message: String }

    func runJobs(req: Request) async throws -> [JobOutcomeDTO] {
        _ = try LedgerAccess(request: req).office()
        return await Jobs.runAll(on: req.application).map { JobOutcomeDTO(job: $0.job, outcome: $0.outcome, message: $0.message) }
    }
}
