import Fluent
import Foundation
import YingshangCore

/// The ledger's live tasks and reports as the core's plain values, loaded in a few queries.
struct LedgerSnapshot: Sendable {
    var tasks: [UUID: PlanTask] = [:]
    var facts: [TaskFacts] = []
    var titles: [String: String] = [:]
    /// First submission date per task and period.
    var submissions: [String: [ReportPeriod: CivilDate]] = [:]
    var returnedCounts: [String: Int] = [:]
    var tasksWithReports: Set<String> = []
    var unitNames: [String: String] = [:]

    /// Published, non-archived tasks (of one plan, if given).
    static func load(on db: any Database, planID: UUID? = nil) async throws -> LedgerSnapshot {
        var snapshot = LedgerSnapshot()
        let plansQuery = WorkPlan.query(on: db).filter(\.$state == PlanState.published.rawValue)
        if let planID { plansQuery.filter(\.$id == planID) }
        let plans = try await plansQuery.all()
        let publishedOn = Dictionary(plans.compactMap { plan in plan.id.map { ($0, plan.publishedAt ?? plan.createdAt ?? Date()) } },
                                     uniquingKeysWith: { a, _ in a })
        guard !publishedOn.isEmpty else { return snapshot }
        let tasks = try await PlanTask.query(on: db).filter(\.$plan.$id ~~ Array(publishedOn.keys))
            .filter(\.$archived == false).all()
        let taskIDs = tasks.compactMap(\.id)
        var leads: [UUID: [String]] = [:], cos: [UUID: [String]] = [:]
        for chunk in taskIDs.chunked(500) {
            for link in try await TaskUnit.query(on: db).filter(\.$task.$id ~~ chunk).all() {
                if link.role == TaskUnitRole.lead.rawValue {
                    leads[link.$task.id, default: []].append(link.$orgUnit.id.uuidString)
                } else {
                    cos[link.$task.id, default: []].append(link.$orgUnit.id.uuidString)
                }
            }
            for report in try await ProgressReport.query(on: db).filter(\.$task.$id ~~ chunk).all() {
                let key = report.$task.id.uuidString
                snapshot.tasksWithReports.insert(key)
                snapshot.returnedCounts[key, default: 0] += report.returnedCount
                if let period = ReportPeriod(year: report.periodYear, month: report.periodMonth),
                   let first = report.firstSubmittedOn.flatMap(CivilDate.init(iso:)) {
                    snapshot.submissions[key, default: [:]][period] = first
                }
            }
        }
        for task in tasks {
            guard let id = task.id else { continue }
            let entered = max(task.createdAt ?? Date(), publishedOn[task.$plan.id] ?? Date())
            snapshot.tasks[id] = task
            snapshot.titles[id.uuidString] = "\(task.number) \(task.title)"
            snapshot.facts.append(TaskFacts(
                taskID: id.uuidString, deadline: task.deadline, status: task.taskStatus,
                completedOn: task.completedOn.flatMap(CivilDate.init(iso:)),
                createdOn: CivilDate(date: entered, timeZone: DisplayDate.timeZone),
                leadUnitIDs: leads[id] ?? [], coUnitIDs: cos[id] ?? []))
        }
        for (id, name) in try await OrgUnitDirectory.names(on: db, short: true) { snapshot.unitNames[id.uuidString] = name }
        return snapshot
    }
}

extension Array {
    /// The array in consecutive pieces of at most `size` elements (for `IN (…)` lists).
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// Today in the platform's time zone.
enum Today {
    static func civil(_ date: Date = Date()) -> CivilDate { CivilDate(date: date, timeZone: DisplayDate.timeZone) }
}
