import Fluent
import Foundation
import Testing
import Vapor
import YingshangCore
@testable import YingshangServer

/// The kept statistics follow every change to an appeal, and the appeals line's rates reach the ledger's assessment.
@Suite("Appeals: kept statistics and the assessment feed")
struct AppealStatisticsTests {
    @Test("Intake and handling mark their day; the next read recomputes it; a unit's rates reach its assessment",
          arguments: TestDatabase.available)
    func followsChanges(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await LedgerFixtures.world(app)
            let today = Today.civil()
            let intake = AppealIntake(app: app, actor: nil)
            var appeals: [Appeal] = []
            for index in 1...3 {
                appeals.append(try await intake.submit(AppealSubmission(type: "complaint", title: "统计测试 \(index)",
                                                                         content: "统计测试内容 \(index)", contactPhone: "13800000000"),
                                                       idempotencyKey: nil, clientAddress: nil).appeal)
            }
            var rows = try await AppealStatisticsStore.monthlyRows(from: today, to: today, on: app.db)
            var summary = AppealStatistics.summary(rows, categoryNames: [:])
            #expect(summary.volume.total == 3)
            #expect(summary.volume.byType[.complaint] == 3)
            #expect(summary.units.isEmpty)

            // Dispatched to 甲局, which signs on the day: 响应率 1/1.
            let office = AppealService(db: app.db, actor: try Principal(user: world.office, viaToken: false))
            let jiaID = try world.jia.requireID().uuidString
            let dispatched = try await office.perform(.dispatch(units: [jiaID]), on: appeals[0], as: .office)
            let staff = AppealService(db: app.db, actor: try Principal(user: world.staffJia, viaToken: false))
            _ = try await staff.perform(.sign(unit: jiaID), on: dispatched, as: .unit(jiaID))
            rows = try await AppealStatisticsStore.monthlyRows(from: today, to: today, on: app.db)
            summary = AppealStatistics.summary(rows, categoryNames: [:])
            #expect(summary.units == [AppealUnitFacts(unitID: jiaID, dispatched: 1, signedOnTime: 1)])
            #expect(summary.volume.byUnit[jiaID] == 1)
            // The whole month reads the monthly rows, summed from the days: the same figures.
            let month = ReportPeriod(containing: today)
            let whole = AppealStatistics.summary(try await AppealStatisticsStore.monthlyRows(from: month.start, to: month.end, on: app.db),
                                                 categoryNames: [:])
            #expect(whole.volume == summary.volume)
            #expect(whole.units == summary.units)

            // The same figures in the ledger's assessment of 甲局 for this month.
            let period = try #require(BulletinPeriod.month(year: today.year, month: today.month))
            let scores = try await BulletinService(db: app.db).assessment(planID: world.planID, period: period)
            let jia = try #require(scores.first { $0.unitID == jiaID })
            #expect(jia.lines.contains(AssessmentLine(item: "诉求响应", detail: "按时签收 1/1 = 100.0% × 5 分 = 5.0 分", points: 5)))
            let yi = try #require(scores.first { $0.unitID == (try? world.yi.requireID().uuidString) })
            #expect(yi.lines.contains(AssessmentLine(item: "诉求响应", detail: "本期无派单诉求，按满分计 5 分", points: 5)))
        }
    }
}
