import Fluent
import Vapor
import YingshangCore

/// Bulletins (通报) and the unit assessment (绩效考评) built from the same figures.
struct BulletinService {
    let db: any Database

    /// The figures of a plan for a period, as of now (for drafts and the assessment).
    func facts(planID: UUID, period: BulletinPeriod) async throws -> BulletinFacts {
        let snapshot = try await LedgerSnapshot.load(on: db, planID: planID)
        let settings = try await LedgerSettings.load(on: db)
        let calendar = try await CalendarService(db: db).calendar()
        var reports: [BulletinReport] = []
        for (taskID, periods) in snapshot.submissions {
            for (reportPeriod, submitted) in periods { reports.append((taskID: taskID, period: reportPeriod, submittedOn: submitted)) }
        }
        let taskIDs = snapshot.facts.compactMap { UUID(uuidString: $0.taskID) }
        let orders = taskIDs.isEmpty ? [] : try await SupervisionOrder.query(on: db).filter(\.$sourceType == "task")
            .filter(\.$sourceID ~~ taskIDs).all()
        let supervision: [BulletinSupervision] = orders.compactMap { order in
            guard let opened = CivilDate(iso: order.openedOn) else { return nil }
            return (taskID: order.sourceID.uuidString, unitIDs: order.unitIDs.map(\.uuidString), openedOn: opened,
                    closedOn: order.closedAt.map { Today.civil($0) })
        }
        return BulletinBuilder.build(period: period, tasks: snapshot.facts, titles: snapshot.titles, unitNames: snapshot.unitNames,
                                     reports: reports, supervision: supervision, policy: settings.reporting, calendar: calendar)
    }

    /// Scores per unit for the plan and period, with the calculation line by line.
    func assessment(planID: UUID, period: BulletinPeriod) async throws -> [UnitAssessment] {
        let bulletin = try await facts(planID: planID, period: period)
        let settings = try await LedgerSettings.load(on: db)
        let taskIDs = try await PlanTask.query(on: db).filter(\.$plan.$id == planID).all().compactMap(\.id)
        let orders = taskIDs.isEmpty ? [] : try await SupervisionOrder.query(on: db).filter(\.$sourceType == "task")
            .filter(\.$sourceID ~~ taskIDs).all()
        let reports = taskIDs.isEmpty ? [] : try await ProgressReport.query(on: db).filter(\.$task.$id ~~ taskIDs).all()
        let leads = taskIDs.isEmpty ? [] : try await TaskUnit.query(on: db).filter(\.$task.$id ~~ taskIDs)
            .filter(\.$role == TaskUnitRole.lead.rawValue).all()
        var returned: [String: Int] = [:]
        for report in reports where report.returnedCount > 0 {
            let reportPeriod = ReportPeriod(year: report.periodYear, month: report.periodMonth)
            guard let reportPeriod, bulletin.period.reportPeriods.contains(reportPeriod) else { continue }
            for link in leads where link.$task.id == report.$task.id {
                returned[link.$orgUnit.id.uuidString, default: 0] += report.returnedCount
            }
        }
        var levels: [String: [SupervisionLevel]] = [:]
        for order in orders {
            guard let opened = CivilDate(iso: order.openedOn), opened >= bulletin.period.start, opened <= bulletin.period.end,
                  let level = SupervisionLevel(rawValue: order.level) else { continue }
            for unit in order.unitIDs { levels[unit.uuidString, default: []].append(level) }
        }
        // The appeals line feeds the same assessment: the rates of the appeals each unit led, received in the period.
        let appealRows = try await AppealStatisticsStore.monthlyRows(from: bulletin.period.start, to: bulletin.period.end, on: db)
        let appeals = Dictionary(AppealStatistics.summary(appealRows, categoryNames: [:]).units.map { ($0.unitID, $0) },
                                 uniquingKeysWith: { first, _ in first })
        let facts = bulletin.rows.map { row in
            UnitPeriodFacts(row: row, supervisionOrders: levels[row.unitID] ?? [], reportsReturned: returned[row.unitID] ?? 0,
                            appeals: appeals[row.unitID])
        }
        return Assessment.score(facts, weights: settings.assessment)
    }

    /// Publishing freezes the figures: later changes to tasks do not alter a published bulletin.
    func publish(_ bulletin: Bulletin, actor: Principal) async throws {
        guard bulletin.state == "draft" else { throw APIError.conflict("通报已发布，不能再修改") }
        guard let period = bulletin.period else { throw APIError.notFound }
        let facts = try await facts(planID: bulletin.$plan.id, period: period)
        let json = try AuditLog.snapshot(facts)
        let id = try bulletin.requireID()
        try await Transactions.run(on: db) { tx in
            guard let fresh = try await Bulletin.find(id, on: tx), fresh.state == "draft" else { throw APIError.conflict("通报已发布") }
            fresh.snapshotJSON = json
            fresh.state = "published"
            fresh.publishedAt = Date()
            fresh.publishedBy = actor.userID
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .publish, entityType: "bulletin", entityID: id.uuidString,
                                      before: ["state": "draft"], after: ["state": "published", "period": period.label])
        }
    }

    /// The figures shown for a bulletin: frozen once published, live while a draft.
    func figures(of bulletin: Bulletin) async throws -> BulletinFacts {
        if let json = bulletin.snapshotJSON, let frozen = try? JSONDecoder().decode(BulletinFacts.self, from: Data(json.utf8)) {
            return frozen
        }
        guard let period = bulletin.period else { throw APIError.notFound }
        return try await facts(planID: bulletin.$plan.id, period: period)
    }
}

extension Bulletin {
    var period: BulletinPeriod? {
        periodKind == "quarter" ? .quarter(year: periodYear, quarter: periodNumber) : .month(year: periodYear, month: periodNumber)
    }
    var isPublished: Bool { state == "published" }
}
