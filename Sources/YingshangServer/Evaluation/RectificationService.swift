import Fluent
import Vapor
import YingshangCore

/// 以评促改: a weak result becomes a rectification task (整改任务) in the ledger for the indicator's responsible
/// unit, in the year's plan "YYYY年营商环境评价整改任务". The task is an ordinary ledger task (monthly progress,
/// reminders, overdue supervision); a ``RectificationRecord`` links it to the result, and the next period's value
/// shows whether it worked.
struct RectificationService {
    let db: any Database
    let actor: Principal?

    /// Opens the tasks the rule finds in a period that are not open yet; returns how many it opened.
    @discardableResult
    func applyRule(period: EvaluationPeriod, scores: YearScores, settings: EvaluationSettings) async throws -> Int {
        guard let result = scores.result, let t = scores.periodIndex(period) else { return 0 }
        let findings = settings.rectification.findings(in: result, period: t) { p, i in
            scores.target(code: scores.system.indicators[i].code, place: p)
        }
        var opened = 0
        for finding in findings {
            let indicator = scores.system.indicators[finding.indicator]
            let reason = finding.reasons.map { $0.label(unit: indicator.unit) }.joined(separator: "；")
            if try await open(code: indicator.code, placeID: scores.places[finding.place].id, period: period,
                              reason: reason, scores: scores) != nil { opened += 1 }
        }
        return opened
    }

    /// Opens one task; nil when the result already has one.
    @discardableResult
    func open(code: String, placeID: UUID, period: EvaluationPeriod, reason: String, scores: YearScores) async throws -> RectificationRecord? {
        guard let indicator = scores.system.indicator(code), let p = scores.placeIndex(placeID) else { throw APIError.notFound }
        let reason = reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw APIError.validation(["reason": "请填写整改原因"]) }
        if try await existing(code: code, placeID: placeID, period: period) != nil { return nil }
        let place = scores.places[p]
        let unitID = indicator.responsibleUnitID.flatMap(UUID.init(uuidString:))
        let unitName = unitID.flatMap { scores.unitNames[$0] }
        let target = scores.target(code: code, place: p)
        let actor = actor
        let record = try await Transactions.run(on: db) { tx in
            let plan = try await plan(year: period.year, on: tx)
            let planID = try plan.requireID()
            let count = try await PlanTask.query(on: tx).filter(\.$plan.$id == planID).count()
            let task = PlanTask()
            task.$plan.id = planID
            task.position = count
            task.number = "整改\(count + 1)"
            task.path = [scores.system.indicator(indicator.parentCode ?? "")?.name ?? "营商环境评价"]
            task.title = "\(place.name)“\(indicator.name)”整改（\(period.label)）"
            task.text = "\(period.label)营商环境监测：\(place.name)“\(indicator.name)”\(reason)。请\(unitName ?? "责任单位")牵头分析原因、制定整改措施，于\(period.next.lastDay.iso)前完成整改；\(period.next.label)数据将检验整改成效。"
            task.leadUnitNames = unitName.map { [$0] } ?? []
            task.coUnitNames = []
            task.setDeadline(.date(period.next.lastDay), text: "\(period.next.label)末")
            task.status = TaskStatus.notStarted.rawValue
            let targets = target.map { [WorkPointTarget(text: $0.label(unit: indicator.unit), value: $0.value, unit: indicator.unit,
                                                        comparator: $0.direction == .higherIsBetter ? .ge : .le)] } ?? []
            task.targetsJSON = try AuditLog.snapshot(targets)
            task.archived = false
            try await task.create(on: tx)
            let taskID = try task.requireID()
            if let unitID { try await TaskUnit(taskID: taskID, orgUnitID: unitID, role: "lead").create(on: tx) }
            let record = RectificationRecord()
            record.indicatorCode = code
            record.$place.id = placeID
            record.period = period.code
            record.$task.id = taskID
            record.reason = reason
            record.openedBy = actor?.auditLabel
            try await record.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .open, entityType: "evaluation_rectification",
                                      entityID: try record.requireID().uuidString, before: nil,
                                      after: ["task": task.title, "reason": reason, "opened_by": actor == nil ? "规则自动" : "手工"])
            if let unitID {
                try await Notifier(db: tx).notify(orgUnitID: unitID, title: "整改任务：\(task.title)", body: task.text,
                                                  link: "/ledger/tasks/\(taskID)")
            }
            return record
        }
        return record
    }

    func existing(code: String, placeID: UUID, period: EvaluationPeriod) async throws -> RectificationRecord? {
        try await RectificationRecord.query(on: db).filter(\.$indicatorCode == code).filter(\.$place.$id == placeID)
            .filter(\.$period == period.code).first()
    }

    /// For a ledger task opened by the evaluation: which result it answers, and the scorecard to see it on.
    static func origin(ofTask taskID: UUID, on db: any Database) async throws -> (title: String, reason: String, href: String)? {
        guard let record = try await RectificationRecord.query(on: db).filter(\.$task.$id == taskID).with(\.$place).first(),
              let period = EvaluationPeriod(code: record.period) else { return nil }
        let name = try await EvaluationBoard.system(year: period.year, on: db).indicator(record.indicatorCode)?.name ?? record.indicatorCode
        return ("\(record.place.shortName ?? record.place.name) · \(name) · \(period.label)", record.reason,
                "/evaluation/places/\(record.$place.id)?period=\(period.code)")
    }

    /// The year's rectification plan, created (published) on first use.
    private func plan(year: Int, on tx: any Database) async throws -> WorkPlan {
        let title = "\(year)年营商环境评价整改任务"
        if let plan = try await WorkPlan.query(on: tx).filter(\.$title == title).filter(\.$year == year).first() { return plan }
        let plan = WorkPlan()
        plan.title = title
        plan.year = year
        plan.issuer = "营商环境评价（以评促改）"
        plan.state = PlanState.published.rawValue
        plan.sourceText = "由营商环境评价结果生成的整改任务：指标未达目标值或排名靠后时开具，下一期数据检验整改成效。"
        plan.sourceName = "营商环境评价"
        plan.documentIndex = 0
        plan.publishedAt = Date()
        try await plan.create(on: tx)
        return plan
    }
}
