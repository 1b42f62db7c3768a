import Fluent
import Vapor
import YingshangCore

/// Bulletins (通报: draft → reviewed → published, printable and XLSX), the unit assessment (绩效考评)
/// and the plan dashboard with server-drawn charts.
struct BulletinPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let ledger = routes.grouped("ledger")
        ledger.get("plans", ":id", "bulletins", use: index)
        ledger.post("plans", ":id", "bulletins", use: create)
        ledger.get("plans", ":id", "assessment", use: assessment)
        ledger.get("plans", ":id", "dashboard", use: dashboard)
        ledger.get("bulletins", ":id", use: show)
        ledger.get("bulletins", ":id", "export.xlsx", use: exportXLSX)
        ledger.post("bulletins", ":id", "notes", use: saveNotes)
        ledger.post("bulletins", ":id", "publish", use: publish)
    }

    func plan(_ req: Request) async throws -> WorkPlan {
        _ = try LedgerAccess(request: req).reader()
        guard let id = req.parameters.get("id", as: UUID.self), let plan = try await WorkPlan.find(id, on: req.db), plan.isPublished else {
            throw APIError.notFound
        }
        return plan
    }

    /// The period named by `kind`, `year` and `number` in the query, or the last complete month.
    func period(_ req: Request) throws -> BulletinPeriod {
        let today = Today.civil()
        let lastMonth = ReportPeriod(containing: today).previous
        let kind = req.query[String.self, at: "kind"] ?? "month"
        let year = req.query[Int.self, at: "year"] ?? lastMonth.year
        let number = req.query[Int.self, at: "number"] ?? (kind == "quarter" ? (lastMonth.month - 1) / 3 + 1 : lastMonth.month)
        guard let period = kind == "quarter" ? BulletinPeriod.quarter(year: year, quarter: number) : BulletinPeriod.month(year: year, month: number)
        else { throw APIError.validation(["number": kind == "quarter" ? "季度应为 1–4" : "月份应为 1–12"]) }
        return period
    }

    struct BulletinRow: Encodable { let id: String, label: String, stateLabel: String, publishedAt: String }
    struct IndexView: Encodable {
        let planID: String, planTitle: String
        let bulletins: [BulletinRow]
        let canCreate: Bool
        let year: Int, month: Int, quarter: Int
    }

    func index(req: Request) async throws -> View {
        let principal = try req.requirePrincipal()
        let plan = try await plan(req)
        let bulletins = try await Bulletin.query(on: req.db).filter(\.$plan.$id == plan.requireID())
            .sort(\.$periodYear, .descending).sort(\.$periodNumber, .descending).all()
        let isOffice = principal.role.may(.runLedger)
        let lastMonth = ReportPeriod(containing: Today.civil()).previous
        return try await req.page("ledger/bulletins", title: "\(plan.title) · 通报", IndexView(
            planID: plan.id?.uuidString ?? "", planTitle: plan.title,
            bulletins: bulletins.filter { isOffice || principal.role.may(.approve) || $0.isPublished }.map {
                BulletinRow(id: $0.id?.uuidString ?? "", label: $0.period?.label ?? "", stateLabel: $0.isPublished ? "已发布" : "草稿",
                            publishedAt: $0.publishedAt.map(DisplayDate.minute) ?? "")
            },
            canCreate: isOffice, year: lastMonth.year, month: lastMonth.month, quarter: (lastMonth.month - 1) / 3 + 1))
    }

    struct CreateForm: Content { var kind: String?; var year: String?; var number: String? }

    func create(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let plan = try await plan(req)
        let form = try req.content.decode(CreateForm.self)
        guard let year = form.year.flatMap({ Int($0) }), let number = form.number.flatMap({ Int($0) }),
              let period = form.kind == "quarter" ? BulletinPeriod.quarter(year: year, quarter: number)
                : BulletinPeriod.month(year: year, month: number) else {
            throw APIError.validation(["number": "请填写有效的年份和月份（1–12）或季度（1–4）"])
        }
        let planID = try plan.requireID()
        if let existing = try await Bulletin.query(on: req.db).filter(\.$plan.$id == planID).filter(\.$periodKind == period.kind.rawValue)
            .filter(\.$periodYear == period.year).filter(\.$periodNumber == period.number).first() {
            return req.redirect(to: "/ledger/bulletins/\(try existing.requireID())")
        }
        let bulletin = try await Transactions.run(on: req.db) { tx in
            let bulletin = Bulletin()
            bulletin.$plan.id = planID
            bulletin.periodKind = period.kind.rawValue
            bulletin.periodYear = period.year
            bulletin.periodNumber = period.number
            bulletin.state = "draft"
            bulletin.goodNotes = ""
            bulletin.badNotes = ""
            try await bulletin.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "bulletin",
                                      entityID: try bulletin.requireID().uuidString, before: nil, after: ["period": period.label])
            return bulletin
        }
        return req.redirect(to: "/ledger/bulletins/\(try bulletin.requireID())")
    }

    struct UnitLine: Encodable {
        let name: String, tasks: Int, completed: Int, completedOnTime: Int, overdue: Int
        let completionRate: String, onTimeRate: String, reports: String, supervision: String
    }
    struct OverdueLine: Encodable { let title: String, deadline: String, days: Int, units: String }
    struct ShowView: Encodable {
        let id: String, planID: String, planTitle: String, periodLabel: String, isDraft: Bool
        let canEdit: Bool, canPublish: Bool
        let units: [UnitLine]
        let totals: UnitLine
        let overdue: [OverdueLine]
        let supervisionOpened: Int, supervisionClosed: Int
        let goodNotes: String, badNotes: String
        let chart: String
        let publishedAt: String
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    static func line(_ row: BulletinUnitRow) -> UnitLine {
        UnitLine(name: row.unitName, tasks: row.tasks, completed: row.completed, completedOnTime: row.completedOnTime, overdue: row.overdue,
                 completionRate: percent(row.completionRate), onTimeRate: percent(row.onTimeRate),
                 reports: "\(row.reportsOnTime)/\(row.reportsDue)", supervision: "\(row.supervisionOpened)/\(row.supervisionClosed)")
    }

    func bulletin(_ req: Request) async throws -> (Bulletin, WorkPlan) {
        let principal = try LedgerAccess(request: req).reader()
        guard let id = req.parameters.get("id", as: UUID.self), let bulletin = try await Bulletin.find(id, on: req.db),
              let plan = try await WorkPlan.find(bulletin.$plan.id, on: req.db) else { throw APIError.notFound }
        if !bulletin.isPublished && !(principal.role.may(.runLedger) || principal.role.may(.approve)) { throw APIError.notFound }
        return (bulletin, plan)
    }

    func show(req: Request) async throws -> View {
        let principal = try req.requirePrincipal()
        let (bulletin, plan) = try await bulletin(req)
        let facts = try await BulletinService(db: req.db).figures(of: bulletin)
        let chart = SVGChart.horizontalBars(facts.rows.map {
            .init(label: $0.unitName, value: ($0.completionRate ?? 0) * 100, valueLabel: Self.percent($0.completionRate),
                  highlight: $0.tasks == 0 ? nil : Double($0.completedOnTime) / Double($0.tasks) * 100)
        }, maximum: 100, title: "各单位任务完成率（深色为按时完成）")
        return try await req.page("ledger/bulletin", title: "\(plan.title) \(facts.period.label)通报", ShowView(
            id: bulletin.id?.uuidString ?? "", planID: plan.id?.uuidString ?? "", planTitle: plan.title, periodLabel: facts.period.label,
            isDraft: !bulletin.isPublished, canEdit: !bulletin.isPublished && principal.role.may(.runLedger),
            canPublish: !bulletin.isPublished && principal.role.may(.approve),
            units: facts.rows.map(Self.line), totals: Self.line(facts.totals),
            overdue: facts.overdueTasks.map { OverdueLine(title: $0.title, deadline: $0.deadline.iso, days: $0.workingDaysOverdue,
                                                          units: $0.leadUnitNames.joined(separator: "、")) },
            supervisionOpened: facts.supervisionOpened, supervisionClosed: facts.supervisionClosed,
            goodNotes: bulletin.goodNotes, badNotes: bulletin.badNotes, chart: chart,
            publishedAt: bulletin.publishedAt.map(DisplayDate.minute) ?? ""))
    }

    struct NotesForm: Content {
        var goodNotes: String?
        var badNotes: String?
        enum CodingKeys: String, CodingKey {
            case goodNotes = "good_notes", badNotes = "bad_notes"
        }
    }

    func saveNotes(req: Request) async throws -> Response {
        let actor = try LedgerAccess(request: req).office()
        let (bulletin, _) = try await bulletin(req)
        guard !bulletin.isPublished else { throw APIError.conflict("通报已发布，不能再修改") }
        let form = try req.content.decode(NotesForm.self)
        let id = try bulletin.requireID()
        try await Transactions.run(on: req.db) { tx in
            guard let fresh = try await Bulletin.find(id, on: tx), !fresh.isPublished else { throw APIError.conflict("通报已发布，不能再修改") }
            let before = ["good": fresh.goodNotes, "bad": fresh.badNotes]
            fresh.goodNotes = form.goodNotes ?? fresh.goodNotes
            fresh.badNotes = form.badNotes ?? fresh.badNotes
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "bulletin", entityID: id.uuidString,
                                      before: before, after: ["good": fresh.goodNotes, "bad": fresh.badNotes])
        }
        req.flash("通报说明已保存")
        return req.redirect(to: "/ledger/bulletins/\(id)")
    }

    func publish(req: Request) async throws -> Response {
        let actor = try req.require(.approve)
        let (bulletin, _) = try await bulletin(req)
        try await BulletinService(db: req.db).publish(bulletin, actor: actor)
        req.flash("通报已发布，其中的数字已固定，不再随数据变化")
        return req.redirect(to: "/ledger/bulletins/\(try bulletin.requireID())")
    }

    func exportXLSX(req: Request) async throws -> Response {
        let (bulletin, plan) = try await bulletin(req)
        let facts = try await BulletinService(db: req.db).figures(of: bulletin)
        var workbook = XLSXWorkbook()
        let header = ["单位", "任务数", "已完成", "按时完成", "逾期", "完成率", "按时完成率", "按时报送/应报送", "督办开具/办结"]
        func cells(_ row: BulletinUnitRow) -> [XLSXCell] {
            [.text(row.unitName), .integer(row.tasks), .integer(row.completed), .integer(row.completedOnTime), .integer(row.overdue),
             row.completionRate.map(XLSXCell.percent) ?? .empty, row.onTimeRate.map(XLSXCell.percent) ?? .empty,
             .text("\(row.reportsOnTime)/\(row.reportsDue)"), .text("\(row.supervisionOpened)/\(row.supervisionClosed)")]
        }
        workbook.addSheet(name: "各单位情况", rows: [header.map(XLSXCell.text)] + facts.rows.map(cells) + [cells(facts.totals)],
                          columnWidths: [28, 8, 8, 10, 8, 10, 12, 16, 14])
        workbook.addSheet(name: "逾期任务", rows: [["任务", "完成时限", "逾期工作日", "牵头单位"].map(XLSXCell.text)] + facts.overdueTasks.map {
            [.text($0.title), .date($0.deadline), .integer($0.workingDaysOverdue), .text($0.leadUnitNames.joined(separator: "、"))]
        }, columnWidths: [50, 12, 12, 30])
        workbook.addSheet(name: "说明", rows: [[.text("计划"), .text(plan.title)], [.text("期别"), .text(facts.period.label)],
                                              [.text("状态"), .text(bulletin.isPublished ? "已发布" : "草稿")],
                                              [.text("工作亮点"), .text(bulletin.goodNotes)], [.text("存在问题"), .text(bulletin.badNotes)]],
                          columnWidths: [12, 80], headerRows: 0)
        return try .xlsx(workbook, filename: "\(plan.title)\(facts.period.label)通报.xlsx")
    }

    // MARK: Assessment and dashboard

    struct AssessmentView: Encodable {
        struct Unit: Encodable { let rank: Int, name: String, total: String, lines: [Line] }
        struct Line: Encodable { let item: String, detail: String, points: String }
        let planID: String, planTitle: String, periodLabel: String, kind: String, year: Int, number: Int
        let units: [Unit]
        let chart: String
    }

    func assessment(req: Request) async throws -> View {
        let plan = try await plan(req)
        let period = try period(req)
        let scores = try await BulletinService(db: req.db).assessment(planID: plan.requireID(), period: period)
        return try await req.page("ledger/assessment", title: "\(plan.title) · 绩效考评", AssessmentView(
            planID: plan.id?.uuidString ?? "", planTitle: plan.title, periodLabel: period.label, kind: period.kind.rawValue,
            year: period.year, number: period.number,
            units: scores.map { score in
                .init(rank: score.rank, name: score.unitName, total: String(format: "%.1f", score.total),
                      lines: score.lines.map { .init(item: $0.item, detail: $0.detail, points: String(format: "%+.1f", $0.points)) })
            },
            chart: SVGChart.horizontalBars(scores.map { .init(label: $0.unitName, value: $0.total, valueLabel: String(format: "%.1f", $0.total)) },
                                           maximum: 100, title: "绩效考评得分")))
    }

    struct DashboardView: Encodable {
        let planID: String, planTitle: String
        let statusChart: String, unitChart: String, monthChart: String
        let total: Int, overdue: Int, completed: Int, openOrders: Int
    }

    func dashboard(req: Request) async throws -> View {
        let plan = try await plan(req)
        let planID = try plan.requireID()
        var tasks = try await PlanTask.query(on: req.db).filter(\.$plan.$id == planID).filter(\.$archived == false).all()
        if let visible = try await LedgerAccess(request: req).visibleTaskIDs() { tasks = tasks.filter { visible.contains($0.id ?? UUID()) } }
        let statusChart = SVGChart.horizontalBars(TaskStatus.allCases.map { status in
            let count = tasks.filter { $0.status == status.rawValue }.count
            return .init(label: status.label, value: Double(count), valueLabel: "\(count)")
        }, title: "任务状态")
        let year = plan.year ?? Today.civil().year
        let facts = try await BulletinService(db: req.db).facts(planID: planID, period: .month(year: Today.civil().year, month: Today.civil().month)!)
        let unitChart = SVGChart.horizontalBars(facts.rows.sorted { ($0.completionRate ?? 0) > ($1.completionRate ?? 0) }.prefix(20).map {
            .init(label: $0.unitName, value: ($0.completionRate ?? 0) * 100, valueLabel: Self.percent($0.completionRate),
                  highlight: $0.tasks == 0 ? nil : Double($0.completedOnTime) / Double($0.tasks) * 100)
        }, maximum: 100, title: "各牵头单位完成率")
        let reports = try await ProgressReport.query(on: req.db).filter(\.$task.$id ~~ tasks.compactMap(\.id)).filter(\.$periodYear == year).all()
        let monthChart = SVGChart.columns((1...12).map { month in
            let inMonth = reports.filter { $0.periodMonth == month }
            return .init(label: "\(month)月", value: Double(inMonth.count), valueLabel: "\(inMonth.count)",
                         highlight: Double(inMonth.filter { $0.state == ReportState.accepted.rawValue }.count))
        }, title: "\(year)年各月进展报告（深色为已通过）")
        let openOrders = try await SupervisionOrder.query(on: req.db).filter(\.$sourceType == "task")
            .filter(\.$sourceID ~~ tasks.compactMap(\.id)).filter(\.$state != SupervisionState.closed.rawValue).count()
        return try await req.page("ledger/dashboard", title: "\(plan.title) · 概览", DashboardView(
            planID: planID.uuidString, planTitle: plan.title, statusChart: statusChart, unitChart: unitChart, monthChart: monthChart,
            total: tasks.count, overdue: tasks.filter { $0.status == TaskStatus.overdue.rawValue }.count,
            completed: tasks.filter { $0.status == TaskStatus.completed.rawValue }.count, openOrders: openOrders))
    }
}
