import Fluent
import Vapor
import YingshangCore

/// Filtering the ledger's tasks (plan, unit, status, deadline, overdue, text) within the user's scope.
struct TaskQueries {
    let request: Request

    struct Filter {
        var planID: UUID?
        var unitID: UUID?
        var status: TaskStatus?
        var overdueOnly = false
        var deadlineFrom: CivilDate?
        var deadlineTo: CivilDate?
        var text: String?

        init(from request: Request) throws {
            var errors: [String: String] = [:]
            func uuid(_ key: String) -> UUID? {
                guard let raw = request.query[String.self, at: key], !raw.isEmpty else { return nil }
                guard let id = UUID(uuidString: raw) else { errors[key] = "不是有效的编号"; return nil }
                return id
            }
            func date(_ key: String) -> CivilDate? {
                guard let raw = request.query[String.self, at: key], !raw.isEmpty else { return nil }
                guard let d = CivilDate(iso: raw) else { errors[key] = "日期格式应为 YYYY-MM-DD"; return nil }
                return d
            }
            planID = uuid("plan_id")
            unitID = uuid("unit_id")
            if let raw = request.query[String.self, at: "status"], !raw.isEmpty {
                if let status = TaskStatus(rawValue: raw) { self.status = status } else {
                    errors["status"] = "只能是 " + TaskStatus.allCases.map(\.rawValue).joined(separator: " / ")
                }
            }
            overdueOnly = ["1", "true", "on"].contains(request.query[String.self, at: "overdue"] ?? "")
            deadlineFrom = date("deadline_from")
            deadlineTo = date("deadline_to")
            text = request.query[String.self, at: "q"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            guard errors.isEmpty else { throw APIError.validation(errors, message: "筛选条件无效") }
        }

        var queryString: String {
            [("plan_id", planID?.uuidString), ("unit_id", unitID?.uuidString), ("status", status?.rawValue),
             ("overdue", overdueOnly ? "1" : nil), ("deadline_from", deadlineFrom?.iso), ("deadline_to", deadlineTo?.iso), ("q", text)]
                .compactMap { key, value in value.map { "\(key)=\($0.urlQueryEncoded)" } }.joined(separator: "&")
        }
    }

    func query(_ filter: Filter) async throws -> QueryBuilder<PlanTask> {
        let access = LedgerAccess(request: request)
        let visible = try await access.visibleTaskIDs()
        let published = try await WorkPlan.query(on: request.db).filter(\.$state == PlanState.published.rawValue).all().compactMap(\.id)
        let query = PlanTask.query(on: request.db).filter(\.$plan.$id ~~ published).filter(\.$archived == false)
            .sort(\.$plan.$id).sort(\.$position)
        if let visible { query.filter(\.$id ~~ Array(visible)) }
        if let planID = filter.planID { query.filter(\.$plan.$id == planID) }
        if let unitID = filter.unitID {
            let ids = try await TaskUnit.query(on: request.db).filter(\.$orgUnit.$id == unitID).all().map { $0.$task.id }
            query.filter(\.$id ~~ ids)
        }
        if let status = filter.status { query.filter(\.$status == status.rawValue) }
        if filter.overdueOnly { query.filter(\.$status == TaskStatus.overdue.rawValue) }
        if let from = filter.deadlineFrom { query.filter(\.$deadlineDate >= from.iso) }
        if let to = filter.deadlineTo { query.filter(\.$deadlineDate <= to.iso) }
        if let text = filter.text {
            query.group(.or) { $0.filter(\.$title, .custom("LIKE"), "%\(text)%").filter(\.$text, .custom("LIKE"), "%\(text)%") }
        }
        return query
    }

    /// The latest report per task, for the 进展情况 column.
    func latestReports(for tasks: [PlanTask]) async throws -> [UUID: ProgressReport] {
        var latest: [UUID: ProgressReport] = [:]
        for chunk in tasks.compactMap(\.id).chunked(500) {
            for report in try await ProgressReport.query(on: request.db).filter(\.$task.$id ~~ chunk).all() {
                let key = report.$task.id
                if let current = latest[key], (current.periodYear, current.periodMonth) >= (report.periodYear, report.periodMonth) { continue }
                latest[key] = report
            }
        }
        return latest
    }
}
