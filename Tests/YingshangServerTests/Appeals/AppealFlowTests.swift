import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

@Suite("Appeals: intake to closure")
struct AppealFlowTests {
    struct World {
        let unit: OrgUnit, other: OrgUnit
    }

    func world(_ app: Application) async throws -> World {
        let region = try await makeUnit(app, code: "R", name: "自治区", kind: .region)
        let unit = try await makeUnit(app, code: "SCJG", name: "市场监管局", parent: region)
        let other = try await makeUnit(app, code: "ZJT", name: "住建厅", parent: region)
        try await makeUser(app, login: "operator", role: .admin)
        try await makeUser(app, login: "scjg1", role: .unitStaff, unit: unit)
        try await makeUser(app, login: "zjt1", role: .unitStaff, unit: other)
        try await makeUser(app, login: "watcher", role: .supervisor)
        return World(unit: unit, other: other)
    }

    static let form = ["type": "complaint", "category_code": "C01", "title": "企业开办申报反复被退回",
                       "content": "网上申报企业设立登记，材料被退回三次，没有说明原因。", "contact_name": "王先生",
                       "contact_phone": "13877771234"]

    func submit(_ app: Application, key: String = UUID().uuidString, form: [String: String] = AppealFlowTests.form,
                from address: String = "10.1.1.1") async throws -> TestingHTTPResponse {
        let public_ = TestBrowser(app)
        public_.defaultHeaders.replaceOrAdd(name: .xForwardedFor, value: address)
        var fields = form
        fields["idempotency_key"] = key
        return try await public_.post("/appeal", form: fields)
    }

    @Test("Anonymous submission → dispatch → sign → reply → 不满意 → reopen → reply → 满意 → close, all in the timeline",
          arguments: TestDatabase.available)
    func lifecycle(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await world(app)
            let receipt = try await submit(app)
            #expect(receipt.status == .created)
            let appeal = try #require(try await Appeal.query(on: app.db).first())
            #expect(appeal.number == "YS\(Today.civil().year)-00000001")
            let id = try appeal.requireID()
            let office = TestBrowser(app), unit = TestBrowser(app)
            try await office.login("operator")
            try await unit.login("scjg1")
            func act(_ browser: TestBrowser, _ form: [String: String]) async throws {
                let response = try await browser.post("/appeals/\(id)/actions", form: form)
                #expect(response.status == .seeOther)
            }
            func state() async throws -> String { try #require(try await Appeal.find(id, on: app.db)).state }
            func rate(_ satisfaction: String, _ comment: String) async throws {
                try await TestBrowser(app).post("/appeal/rate", form: ["number": appeal.number, "credential": "13877771234",
                                                                       "satisfaction": satisfaction, "comment": comment])
            }
            try await act(office, ["action": "dispatch", "lead": try w.unit.requireID().uuidString])
            #expect(try await state() == "dispatched")
            #expect(try await unit.get("/inbox").text.contains(appeal.number))
            try await act(unit, ["action": "sign"])
            try await act(unit, ["action": "draft_reply", "text": "已指导企业修改经营范围表述。"])
            #expect(try await state() == "replied")
            try await act(office, ["action": "approve_reply"])
            #expect(try await state() == "answered")
            try await rate("dissatisfied", "问题仍未解决")
            try await act(office, ["action": "reopen", "lead": try w.unit.requireID().uuidString])
            #expect(try await state() == "dispatched")
            try await act(unit, ["action": "sign"])
            try await act(unit, ["action": "draft_reply", "text": "已安排专人帮办，企业今日完成登记。"])
            try await act(office, ["action": "approve_reply"])
            try await rate("satisfied", "")
            try await act(office, ["action": "close", "outcome": "resolved"])
            let closed = try #require(try await Appeal.find(id, on: app.db))
            #expect(closed.state == "closed" && closed.outcome == "resolved" && closed.satisfaction == "satisfied")

            let events = try await AppealEventRecord.query(on: app.db).filter(\.$appeal.$id == id).sort(\.$createdAt).all().map(\.kind)
            #expect(events == ["receive", "dispatch", "sign", "draft_reply", "answer", "rate", "reopen", "sign", "draft_reply", "answer",
                               "rate", "close"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "appeal").count() >= 12)
            let query = try await TestBrowser(app).get("/appeal/query?number=\(appeal.number)&credential=13877771234")
            #expect(query.text.contains("已安排专人帮办"))
            #expect(!query.text.contains("承办单位提交答复"), "internal steps stay off the public page")
            let wrong = try await TestBrowser(app).get("/appeal/query?number=\(appeal.number)&credential=13800000000")
            #expect(wrong.text.contains("没有找到"))
        }
    }

    @Test("A retried submission with the same key creates nothing new; the public form is limited per address",
          arguments: TestDatabase.available)
    func idempotencyAndLimit(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await world(app)
            #expect(try await submit(app, key: "retry-key-0001").status == .created)
            #expect(try await submit(app, key: "retry-key-0001").status == .ok)
            #expect(try await Appeal.query(on: app.db).count() == 1)
            for index in 2...AppealIntake.publicLimit { #expect(try await submit(app, key: "key-\(index)-abcdefgh").status == .created) }
            let limited = try await submit(app, key: "key-over-limit-1")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.text.contains("提交过于频繁"))
            #expect(try await submit(app, key: "key-other-address", from: "10.9.9.9").status == .created)
            #expect(try await Appeal.query(on: app.db).count() == AppealIntake.publicLimit + 1)
        }
    }

    @Test("Bad input gets Chinese field messages and stores nothing; content is shown escaped")
    func badInput() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await world(app)
            var form = Self.form
            form["type"] = "praise"
            form["content"] = String(repeating: "长", count: AppealSubmission.maxContent + 1)
            form["enterprise_code"] = "91110000802100433X"
            form["contact_phone"] = ""
            let response = try await submit(app, form: form)
            #expect(response.status == .unprocessableEntity)
            for message in ["诉求类型只能是", "不能超过 5000 个字", "校验位不正确", "请填写联系电话"] {
                #expect(response.text.contains(message), "\(message)")
            }
            #expect(try await Appeal.query(on: app.db).count() == 0)
            var script = Self.form
            script["title"] = "<script>alert(1)</script>"
            #expect(try await submit(app, form: script).status == .created)
            let office = TestBrowser(app)
            try await office.login("operator")
            let list = try await office.get("/appeals")
            #expect(list.text.contains("&lt;script&gt;") && !list.text.contains("<script>alert(1)"))
        }
    }

    @Test("Privacy: a supervisor sees the phone masked, another unit cannot open the appeal, unmasked views are audited",
          arguments: TestDatabase.available)
    func privacy(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await world(app)
            _ = try await submit(app)
            let id = try #require(try await Appeal.query(on: app.db).first()?.requireID())
            let office = TestBrowser(app)
            try await office.login("operator")
            try await office.post("/appeals/\(id)/actions", form: ["action": "dispatch", "lead": try w.unit.requireID().uuidString])
            let watcher = TestBrowser(app)
            try await watcher.login("watcher")
            let masked = try await watcher.get("/appeals/\(id)")
            #expect(masked.text.contains("138****1234") && !masked.text.contains("13877771234"))
            let outsider = TestBrowser(app)
            try await outsider.login("zjt1")
            #expect(try await outsider.get("/appeals/\(id)").status == .notFound)
            #expect(!(try await outsider.get("/appeals").text.contains("企业开办申报反复被退回")))
            let handler = TestBrowser(app)
            try await handler.login("scjg1")
            #expect(try await handler.get("/appeals/\(id)").text.contains("13877771234"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "view_personal_data").count() == 1)
        }
    }

    @Test("A duplicate is offered for 并单 and, once merged, answered by the other appeal's reply", arguments: TestDatabase.available)
    func merge(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await world(app)
            _ = try await submit(app)
            var second = Self.form
            second["content"] = "网上申报企业设立登记，材料被退回了三次，一直没有说明原因。"
            second["contact_phone"] = "13877775678"
            _ = try await submit(app, form: second)
            let appeals = try await Appeal.query(on: app.db).sort(\.$sequence).all()
            let (first, duplicate) = (appeals[0], appeals[1])
            let office = TestBrowser(app)
            try await office.login("operator")
            // While entering a third report of the same matter, the operator is shown the open ones (without the page's
            // script, through its “查找相似诉求” button) and nothing is registered by looking.
            var entering = Self.form
            entering["action"] = "check"
            entering["channel"] = "phone"
            let check = try await office.post("/appeals/new", form: entering)
            #expect(check.status == .ok)
            #expect(check.text.contains(first.number) && check.text.contains(duplicate.number))
            #expect(check.text.contains("可能为重复诉求"))
            #expect(try await Appeal.query(on: app.db).count() == 2)
            let live = try await office.get("/api/v1/appeals/similar?title=\(Self.form["title"]!.urlQueryEncoded)")
            #expect(live.status == .ok && live.text.contains(first.number), "the page's script asks the API while typing")
            let page = try await office.get("/appeals/\(try duplicate.requireID())")
            #expect(page.text.contains("<option value=\"\(first.number)\">"), "the similar open appeal is offered")
            try await office.post("/appeals/\(try duplicate.requireID())/actions", form: ["action": "merge", "text": first.number])
            #expect(try await Appeal.find(duplicate.requireID(), on: app.db)?.state == "merged")
            let actor = try Principal(user: try #require(try await User.query(on: app.db).filter(\.$login == "operator").first()), viaToken: false)
            let unitID = try w.unit.requireID().uuidString
            let service = AppealService(db: app.db, actor: actor)
            var current = try #require(try await Appeal.find(first.requireID(), on: app.db))
            current = try await service.perform(.dispatch(units: [unitID]), on: current, as: .office)
            current = try await service.perform(.sign(unit: unitID), on: current, as: .unit(unitID))
            current = try await service.perform(.draftReply(unit: unitID, text: "已统一指导修改经营范围表述。"), on: current, as: .unit(unitID))
            _ = try await service.perform(.approveReply, on: current, as: .office)
            let query = try await TestBrowser(app).get("/appeal/query?number=\(duplicate.number)&credential=13877775678")
            #expect(query.text.contains("已统一指导修改经营范围表述"))
        }
    }

    @Test("An appeal not signed in time gets one supervision order however often the job runs", arguments: TestDatabase.available)
    func overdue(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let w = try await world(app)
            _ = try await submit(app)
            let appeal = try #require(try await Appeal.query(on: app.db).first())
            let office = try Principal(user: try #require(try await User.query(on: app.db).filter(\.$login == "operator").first()), viaToken: false)
            try await AppealService(db: app.db, actor: office).perform(.dispatch(units: [try w.unit.requireID().uuidString]), on: appeal, as: .office)
            let calendar = try await CalendarService(db: app.db).calendar()
            let later = calendar.addingWorkingDays(20, to: Today.civil())
            for _ in 0..<2 { _ = await Jobs.runAll(on: app, today: later) }
            let orders = try await SupervisionOrder.query(on: app.db).filter(\.$sourceType == "appeal").all()
            #expect(!orders.isEmpty)
            #expect(Set(orders.compactMap(\.ruleKey)).count == orders.count)
            let count = orders.count
            _ = await Jobs.runAll(on: app, today: later)
            #expect(try await SupervisionOrder.query(on: app.db).filter(\.$sourceType == "appeal").count() == count)
            let watcher = TestBrowser(app)
            try await watcher.login("watcher")
            #expect(try await watcher.get("/ledger/supervision").text.contains(appeal.number))
        }
    }
}

@Suite("Appeals: analysis")
struct AppealAnalysisTests {
    @Test("The analysis shows volumes and rates from the demo year without any personal data", arguments: TestDatabase.available)
    func analysis(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await DemoData.load(on: app)
            let supervisor = TestBrowser(app)
            let secret = try await DemoData.demoSecret(on: app.db)
            try await supervisor.login("jiandu", password: DemoData.password(for: "jiandu", secret: secret))
            let page = try await supervisor.get("/appeals/analysis")
            #expect(page.status == .ok)
            #expect(page.text.contains("共受理诉求 <strong>\(AppealDemoData.count)</strong> 件"))
            #expect(page.text.contains("响应率"))
            #expect(page.text.contains("<svg"))
            #expect(page.text.range(of: #"1387\d{7}"#, options: .regularExpression) == nil)
        }
    }
}

@Suite("Appeals: settings and catalogue")
struct AppealSettingsTests {
    @Test("The office sets time limits and the catalogue; bad values change nothing; departments cannot", arguments: TestDatabase.available)
    func settings(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let unit = try await makeUnit(app, code: "U", name: "市场监管局", kind: .region)
            try await makeUser(app, login: "operator", role: .admin)
            try await makeUser(app, login: "staff", role: .unitStaff, unit: unit)
            let office = TestBrowser(app)
            try await office.login("operator")
            var form = ["signing": "1", "warning_lead": "1", "max_extension": "15", "return_days": "1", "limit_consultation": "2",
                        "limit_help": "5", "limit_complaint": "10", "limit_report": "15", "limit_suggestion": "15",
                        "signing_level": "reminder", "reply_level": "supervision", "listed_after": "5", "rectification": "3"]
            #expect(try await office.post("/appeals/settings", form: form).status == .seeOther)
            #expect(try await AppealSettings.load(on: app.db).limits.replyLimit(for: .complaint) == 10)
            form["limit_complaint"] = "abc"
            #expect(try await office.post("/appeals/settings", form: form).status == .unprocessableEntity)
            #expect(try await AppealSettings.load(on: app.db).limits.replyLimit(for: .complaint) == 10)
            try await office.post("/appeals/catalogue", form: ["unit_C01": try unit.requireID().uuidString])
            #expect(try await AppealCategory.query(on: app.db).filter(\.$code == "C01").first()?.unitIDs == [try unit.requireID()])
            let staff = TestBrowser(app)
            try await staff.login("staff")
            #expect(try await staff.post("/appeals/settings", form: form).status == .forbidden)
        }
    }
}

@Suite("Appeals: monthly report")
struct AppealReportTests {
    @Test("The monthly report prints and exports the month's figures")
    func report() async throws {
        try await withTestApp(.sqlite) { app in
            try await DemoData.load(on: app)
            let office = TestBrowser(app)
            let secret = try await DemoData.demoSecret(on: app.db)
            try await office.login("office", password: DemoData.password(for: "office", secret: secret))
            let month = ReportPeriod(containing: Today.civil())
            let page = try await office.get("/appeals/report?month=\(month.key)")
            let count = try await Appeal.query(on: app.db).filter(\.$receivedOn >= month.start.iso).filter(\.$receivedOn <= month.end.iso).count()
            #expect(page.text.contains("共受理营商环境诉求 <strong>\(count)</strong> 件"))
            let xlsx = try await office.get("/appeals/report.xlsx?month=\(month.key)")
            #expect(xlsx.body.getBytes(at: 0, length: 4) == [0x50, 0x4B, 0x03, 0x04])
            #expect(try await office.get("/appeals/report?month=2026-13").status == .unprocessableEntity)
        }
    }
}
