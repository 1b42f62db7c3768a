import Fluent
import Vapor
import YingshangCore

/// The appeals line's scheduled work: an appeal not signed or not answered in time gets a supervision
/// order through the same service the ledger uses (one per appeal, deadline and kind, however often it runs).
enum AppealJobs {
    static func openSupervision(on db: any Database, today: CivilDate) async throws -> String {
        let settings = try await AppealSettings.load(on: db)
        let calendar = try await CalendarService(db: db).calendar()
        let open = try await Appeal.query(on: db)
            .filter(\.$state ~~ [AppealState.dispatched, .signed, .extensionRequested].map(\.rawValue)).all()
        let service = SupervisionService(db: db, actor: nil)
        var opened = 0
        for appeal in open {
            guard let lifecycle = AppealService.lifecycleCase(of: appeal), let received = CivilDate(iso: appeal.receivedOn) else { continue }
            let proposals = AppealSupervision.proposals(
                appeal: lifecycle, title: appeal.title, receivedOn: received, dispatchedOn: appeal.dispatchedOn.flatMap(CivilDate.init(iso:)),
                today: today, limits: settings.limits, rules: settings.supervision, calendar: calendar)
            for proposal in proposals {
                let opening = SupervisionService.Opening(
                    sourceType: "appeal", sourceID: try appeal.requireID(), sourceTitle: "\(appeal.number) \(appeal.title)",
                    trigger: .appealOverdue, level: proposal.level, reason: proposal.reason, rectifyBy: proposal.rectifyBy,
                    unitIDs: proposal.unitIDs.compactMap(UUID.init(uuidString:)), ruleKey: proposal.key,
                    link: "/appeals/\(try appeal.requireID())")
                guard !opening.unitIDs.isEmpty, try await service.open(opening, today: today) != nil else { continue }
                try await AppealTimeline.add(appeal, kind: "supervise", actor: "系统", unitID: nil,
                                             text: "\(proposal.level.label)：\(proposal.reason)", isPublic: false, on: db)
                opened += 1
            }
        }
        return "开具了 \(opened) 张督办单"
    }

    /// Recomputes the statistics of days whose appeals changed and warms this month's hot topics.
    static func refreshStatistics(on db: any Database, today: CivilDate) async throws -> String {
        let days = try await AppealStatisticsStore.refresh(on: db)
        let names = try await AppealCategory.namesByID(on: db)
        _ = try await AppealHotTopicsCache.report(month: ReportPeriod(containing: today), categoryNames: names, on: db, maxAge: 0)
        return "重新统计了 \(days) 天的诉求"
    }
}
