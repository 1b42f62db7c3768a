import Fluent
import Vapor
import YingshangCore

/// The evaluation's scheduled work: reminders before a period's deadline to units that have not submitted, sent
/// through the ledger's reminder log (one per unit and period, never twice) and inboxes.
enum EvaluationJobs {
    static func sendReminders(on db: any Database, today: CivilDate) async throws -> String {
        let settings = try await EvaluationSettings.load(on: db)
        let schedule = settings.schedule
        let calendar = try await CalendarService(db: db).calendar()
        var sent = 0
        for period in schedule.periodsToRemind(today: today, kind: settings.periodKind, calendar: calendar) {
            let units = Set(try await DataCollectionService.reportingUnits(year: period.year, on: db).map(\.key.uuidString))
            let done = Set(try await SubmissionRecord.query(on: db).filter(\.$period == period.code)
                .filter(\.$status ~~ [SubmissionStatus.submitted.rawValue, SubmissionStatus.approved.rawValue]).all().map { $0.$unit.id.uuidString })
            let due = schedule.deadline(of: period, calendar: calendar)
            for unit in units.subtracting(done).sorted() {
                guard let unitID = UUID(uuidString: unit) else { continue }
                guard try await SentReminder.sendOnce(
                    key: "evaluation:\(unit):\(period.code)", to: [unitID], title: "指标数据报送提醒",
                    body: "\(period.label)的营商环境指标数据请于 \(due.iso) 前报送。", link: "/evaluation/collect?period=\(period.code)",
                    on: db) else { continue }
                sent += 1
            }
        }
        return "发送了 \(sent) 条指标报送提醒"
    }
}
