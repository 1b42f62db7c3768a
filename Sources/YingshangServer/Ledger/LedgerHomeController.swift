import Fluent
import Vapor
import YingshangCore

/// `/ledger`: the plans, with their task counts by status.
struct LedgerHomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("ledger", use: index)
    }

    struct PlanRow: Encodable {
        let id: String, title: String, year: Int?, stateLabel: String, isDraft: Bool, isRevision: Bool
        let total: Int, completed: Int, overdue: Int, inProgress: Int
    }
    struct IndexView: Encodable {
        let plans: [PlanRow]
        let canImport: Bool
        /// Completion across plans (the leader's view), drawn on the server.
        let chart: String
    }

    func index(req: Request) async throws -> View {
        let access = LedgerAccess(request: req)
        let principal = try access.reader()
        let isOffice = principal.role.may(.runLedger)
        let query = WorkPlan.query(on: req.db).sort(\.$year, .descending).sort(\.$createdAt, .descending)
        if !isOffice { query.filter(\.$state == PlanState.published.rawValue) }
        let plans = try await query.all()
        let visible = try await access.visibleTaskIDs()
        var rows: [PlanRow] = []
        for plan in plans {
            var tasks = try await PlanTask.query(on: req.db).filter(\.$plan.$id == plan.requireID())
                .filter(\.$archived == false).field(\.$id).field(\.$status).all()
            if let visible { tasks = tasks.filter { visible.contains($0.id ?? UUID()) } }
            if visible != nil && tasks.isEmpty { continue }
            let count = { (status: TaskStatus) in tasks.filter { $0.status == status.rawValue }.count }
            rows.append(PlanRow(id: plan.id?.uuidString ?? "", title: plan.title, year: plan.year,
                                stateLabel: plan.$revisionOf.id != nil ? "修订待确认" : (PlanState(rawValue: plan.state) ?? .draft).label,
                                isDraft: !plan.isPublished, isRevision: plan.$revisionOf.id != nil, total: tasks.count,
                                completed: count(.completed), overdue: count(.overdue), inProgress: count(.inProgress)))
        }
        let published = rows.filter { !$0.isDraft && $0.total > 0 }
        let chart = published.isEmpty ? "" : SVGChart.horizontalBars(published.map { row in
            .init(label: row.title, value: Double(row.completed) / Double(row.total) * 100,
                  valueLabel: "\(row.completed)/\(row.total)", highlight: nil)
        }, maximum: 100, title: "各计划任务完成情况")
        return try await req.page("ledger/index", title: "工作台账", IndexView(plans: rows, canImport: isOffice, chart: chart))
    }
}
