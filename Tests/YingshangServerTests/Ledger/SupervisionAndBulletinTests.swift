import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

@Suite("Ledger: jobs, supervision orders, bulletins")
struct SupervisionAndBulletinTests {
    @Test("After the deadline the jobs mark the task overdue and open one supervision order, however often they run; supervisors see it",
          arguments: TestDatabase.available)
    func overdueSupervision(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await LedgerFixtures.world(app)
            let task = try await LedgerFixtures.task(app, number: "（一）")  // due 2026-06-30
            let july = CivilDate(year: 2026, month: 7, day: 6)!
            for _ in 0..<2 {
                let outcomes = await Jobs.runAll(on: app, today: july)
                #expect(outcomes.allSatisfy { $0.outcome == "succeeded" }, "\(outcomes.map(\.message))")
            }
            #expect(try await PlanTask.find(task.requireID(), on: app.db)?.status == TaskStatus.overdue.rawValue)
            let orders = try await SupervisionOrder.query(on: app.db).filter(\.$trigger == "task_overdue").all()
            #expect(orders.count == 1)
            #expect(orders.first?.sourceID == task.id)
            #expect(try await JobRun.query(on: app.db).count() == Jobs.all.count * 2, "every job recorded each run")

            let watcher = TestBrowser(app)
            try await watcher.login("watcher1")
            let list = try await watcher.get("/ledger/supervision")
            #expect(list.status == .ok)
            #expect(list.text.contains("推进企业开办一网通办"))
            let lead = TestBrowser(app)
            try await lead.login("jia1")
            let orderID = try #require(orders.first?.id)
            #expect(try await lead.get("/inbox").text.contains("推进企业开办一网通办"))
            try await lead.post("/ledger/supervision/\(orderID)/respond", form: ["text": "已于7月10日完成全部改造"])
            #expect(try await SupervisionOrder.find(orderID, on: app.db)?.state == "responded")
            // A supervisor reads but cannot close.
            #expect(try await watcher.post("/ledger/supervision/\(orderID)/close", form: ["text": "x"]).status == .forbidden)
        }
    }

    @Test("A published bulletin is a frozen snapshot that nobody can edit; it exports to XLSX", arguments: TestDatabase.available)
    func bulletin(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await LedgerFixtures.world(app)
            let office = TestBrowser(app)
            try await office.login("office1")
            let today = Today.civil()
            let created = try await office.post("/ledger/plans/\(world.planID)/bulletins",
                                                form: ["kind": "month", "year": String(today.year), "number": String(today.month)])
            let location = try #require(created.headers.first(name: .location))
            try await office.post(location + "/notes", form: ["good_notes": "甲局按时报送", "bad_notes": "乙局进展滞后"])
            let leader = try await makeUser(app, login: "leader1", role: .leader)
            let approver = TestBrowser(app)
            try await approver.login(leader.login)
            #expect(try await approver.post(location + "/publish", form: [:]).status == .seeOther)
            func figures() async throws -> String {
                let text = try await office.get(location).text
                let start = try #require(text.range(of: "一、总体情况")), end = try #require(text.range(of: "四、工作亮点"))
                return String(text[start.lowerBound..<end.lowerBound])
            }
            let before = try await figures()
            #expect(before.contains("共有任务 3 项，已完成 0 项"))

            let task = try await LedgerFixtures.task(app, number: "（二）")
            task.status = TaskStatus.completed.rawValue
            task.completedOn = today.iso
            try await task.save(on: app.db)
            #expect(try await figures() == before, "later changes do not alter a published bulletin")
            #expect(try await office.post(location + "/notes", form: ["good_notes": "改"]).status == .conflict)

            let xlsx = try await office.get(location + "/export.xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.body.getBytes(at: 0, length: 4) == [0x50, 0x4B, 0x03, 0x04])
        }
    }

    @Test("The task list filters and exports the clerk's columns")
    func export() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await LedgerFixtures.world(app)
            let office = TestBrowser(app)
            try await office.login("office1")
            let csv = try await office.get("/ledger/tasks/export.csv")
            let lines = csv.text.split(whereSeparator: \.isNewline)
            #expect(lines.first?.contains("序号,工作任务,牵头单位,配合单位,完成时限,进展情况,状态") == true)
            #expect(lines.count == 4)
            let filtered = try await office.get("/ledger/tasks?status=not_started&q=%E7%BA%B3%E7%A8%8E")
            #expect(filtered.text.contains("优化纳税服务"))
            #expect(!filtered.text.contains("推进企业开办一网通办"))
            #expect(try await office.get("/ledger/tasks?status=bogus").status == .unprocessableEntity)
        }
    }
}

@Suite("Ledger settings")
struct LedgerSettingsTests {
    @Test("The office changes the reporting day and the rules; bad values are refused and change nothing", arguments: TestDatabase.available)
    func settings(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await LedgerFixtures.world(app)
            let office = TestBrowser(app)
            try await office.login("office1")
            var form = ["due_working_day": "3", "reminder_lead": "1", "deadline_reminder_lead": "5", "overdue_level": "listed",
                        "missed_threshold": "2", "missed_level": "supervision", "returned_threshold": "2", "returned_level": "",
                        "rectification_days": "10", "reports_on_time": "50", "tasks_on_time": "50", "supervision_penalty": "5",
                        "return_penalty": "2", "appeal_response": "0", "appeal_resolution": "0", "appeal_satisfaction": "0"]
            #expect(try await office.post("/ledger/settings", form: form).status == .seeOther)
            let saved = try await LedgerSettings.load(on: app.db)
            #expect(saved.reporting.dueWorkingDay == 3)
            #expect(saved.supervision.overdue == .listed)
            #expect(saved.supervision.returnedReportsLevel == nil)
            form["due_working_day"] = "30"
            let refused = try await office.post("/ledger/settings", form: form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("报送截止日"))
            #expect(try await LedgerSettings.load(on: app.db).reporting.dueWorkingDay == 3)
            let department = TestBrowser(app)
            try await department.login("jia1")
            #expect(try await department.post("/ledger/settings", form: form).status == .forbidden)
            #expect(try await department.get("/ledger/settings").status == .forbidden)
        }
    }
}
