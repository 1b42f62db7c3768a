import Fluent
import Vapor
import YingshangCore

/// The ledger's scheduled work: mark overdue tasks, send reminders, open automatic supervision orders.
/// Each is idempotent: running it again the same day changes nothing.
enum LedgerJobs {
    static func markOverdue(on db: any Database, today: CivilDate) async throws -> String {
        let snapshot = try await LedgerSnapshot.load(on: db)
        var changed = 0
        for fact in snapshot.facts {
            let status = TaskStatusRules.status(for: fact, hasReports: snapshot.tasksWithReports.contains(fact.taskID), today: today)
            guard status != fact.status, let id = UUID(uuidString: fact.taskID), let task = try await PlanTask.find(id, on: db) else { continue }
            let before = task.status
            task.status = status.rawValue
            try await task.save(on: db)
            try await AuditLog.record(on: db, actor: nil, action: .update, entityType: "plan_task", entityID: fact.taskID,
                                      before: ["status": before], after: ["status": status.rawValue])
            changed += 1
        }
        return "更新了 \(changed) 个任务的状态"
    }

    static func sendReminders(on db: any Database, today: CivilDate, settings: LedgerSettings) async throws -> String {
        let snapshot = try await LedgerSnapshot.load(on: db)
        let reminders = ReminderPlanner.reminders(tasks: snapshot.facts, titles: snapshot.titles, submissions: snapshot.submissions,
                                                  today: today, policy: settings.reporting, calendar: try await CalendarService(db: db).calendar())
        var sent = 0
        for reminder in reminders where try await SentReminder.sendOnce(
            key: reminder.key, to: reminder.unitIDs.compactMap(UUID.init(uuidString:)), title: reminder.kind.label,
            body: reminder.message, link: "/ledger/tasks/\(reminder.taskID)", on: db) {
            sent += 1
        }
        return "发送了 \(sent) 条提醒"
    }

    static func openSupervision(on db: any Database, today: CivilDate, settings: LedgerSettings) async throws -> String {
        let snapshot = try await LedgerSnapshot.load(on: db)
        let calendar = try await CalendarService(db: db).calendar()
        let service = SupervisionService(db: db, actor: nil)
        var opened = 0
        for fact in snapshot.facts {
            let missed = ReportingRules.missedPeriods(task: fact, submissions: snapshot.submissions[fact.taskID] ?? [:], today: today,
                                                      policy: settings.reporting, calendar: calendar)
            let proposals = SupervisionRules.proposals(task: fact, title: snapshot.titles[fact.taskID] ?? "", missedPeriods: missed,
                                                       returnedCount: snapshot.returnedCounts[fact.taskID] ?? 0, today: today,
                                                       rules: settings.supervision, calendar: calendar)
            for proposal in proposals {
                let opening = SupervisionService.Opening(
                    sourceType: "task", sourceID: UUID(uuidString: proposal.taskID) ?? UUID(),
                    sourceTitle: snapshot.titles[proposal.taskID] ?? "", trigger: proposal.trigger, level: proposal.level,
                    reason: proposal.reason, rectifyBy: proposal.rectifyBy,
                    unitIDs: proposal.unitIDs.compactMap(UUID.init(uuidString:)), ruleKey: proposal.key,
                    link: "/ledger/tasks/\(proposal.taskID)")
                guard !opening.unitIDs.isEmpty else { continue }
                if try await service.open(opening, today: today) != nil { opened += 1 }
            }
        }
        return "开具了 \(opened) 张督办单"
    }
}
