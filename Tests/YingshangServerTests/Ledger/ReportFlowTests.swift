import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

@Suite("Ledger: monthly reports, review, contributions, attachments")
struct ReportFlowTests {
    @Test("Lead files with evidence; office returns with a comment; lead revises; office accepts — all in the timeline and audit log",
          arguments: TestDatabase.available)
    func fileReturnReviseAccept(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await LedgerFixtures.world(app)
            let task = try await LedgerFixtures.task(app, number: "（一）")
            let taskID = try task.requireID()
            let lead = TestBrowser(app)
            try await lead.login("jia1")
            let my = try await lead.get("/ledger/my")
            #expect(my.text.contains("/ledger/tasks/\(taskID)/report"))

            let filed = try await lead.postMultipart("/ledger/tasks/\(taskID)/report", fields: [
                "period": "2026-05", "progress_status": "on_track", "summary": "完成系统改造，开办时间压缩至1天", "percent": "60",
            ], files: [(field: "files[]", name: "佐证.pdf", type: "application/pdf", data: Data("%PDF-1.4 evidence".utf8))])
            #expect(filed.status == .seeOther)
            let report = try #require(try await ProgressReport.query(on: app.db).first())
            #expect(report.state == "submitted")
            #expect(try await PlanTask.find(taskID, on: app.db)?.status == TaskStatus.inProgress.rawValue)

            let office = TestBrowser(app)
            try await office.login("office1")
            let missingComment = try await office.post("/ledger/reports/\(try report.requireID())/review", form: ["decision": "return"])
            #expect(missingComment.status == .seeOther)
            #expect(try await ProgressReport.find(report.requireID(), on: app.db)?.state == "submitted", "a return needs a comment")
            try await office.post("/ledger/reports/\(try report.requireID())/review", form: ["decision": "return", "comment": "请补充办件量"])
            #expect(try await ProgressReport.find(report.requireID(), on: app.db)?.state == "returned")
            let inbox = try await lead.get("/inbox")
            #expect(inbox.text.contains("进展报告被退回"))

            try await lead.postMultipart("/ledger/tasks/\(taskID)/report", fields: [
                "period": "2026-05", "progress_status": "on_track", "summary": "本月办件 1200 件，平均 0.8 天", "percent": "70",
            ], files: [])
            try await office.post("/ledger/reports/\(try report.requireID())/review", form: ["decision": "accept"])
            let final = try #require(try await ProgressReport.find(report.requireID(), on: app.db))
            #expect(final.state == "accepted")
            #expect(final.returnedCount == 1)
            #expect(final.summary.contains("1200"))

            let page = try await office.get("/ledger/tasks/\(taskID)")
            #expect(page.text.contains("佐证.pdf"), "\(page.text.components(separatedBy: "进展时间线").last ?? "")")
            #expect(page.text.contains("请补充办件量"))
            let actions = try await AuditEntry.query(on: app.db).filter(\.$entityType == "progress_report").all().map(\.action)
            #expect(actions == ["submit", "return", "submit", "accept"])
            _ = world
        }
    }

    @Test("A co-unit cannot file the lead's report but can add its contribution; other units see nothing", arguments: TestDatabase.available)
    func roles(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await LedgerFixtures.world(app)
            let taskID = try await LedgerFixtures.task(app, number: "（一）").requireID()
            let co = TestBrowser(app)
            try await co.login("yi1")
            let refused = try await co.postMultipart("/ledger/tasks/\(taskID)/report", fields: [
                "period": "2026-05", "progress_status": "on_track", "summary": "代报", "percent": "10"], files: [])
            #expect(refused.status == .forbidden)
            #expect(try await ProgressReport.query(on: app.db).count() == 0)

            let lead = TestBrowser(app)
            try await lead.login("jia1")
            try await lead.postMultipart("/ledger/tasks/\(taskID)/report", fields: [
                "period": "2026-05", "progress_status": "behind", "summary": "系统对接延迟", "percent": "30"],
                files: [(field: "files[]", name: "说明.pdf", type: "application/pdf", data: Data("%PDF-1.4 x".utf8))])
            let report = try #require(try await ProgressReport.query(on: app.db).first())
            try await co.post("/ledger/reports/\(try report.requireID())/contributions", form: ["text": "已完成数据接口联调"])
            #expect(try await ReportContribution.query(on: app.db).count() == 1)

            let outsider = TestBrowser(app)
            try await outsider.login("bing1")
            #expect(try await outsider.get("/ledger/tasks/\(taskID)").status == .notFound)
            let attachment = try #require(try await Attachment.query(on: app.db).first())
            #expect(try await outsider.get("/ledger/attachments/\(try attachment.requireID())").status == .notFound)
            #expect(try await co.get("/ledger/attachments/\(try attachment.requireID())").status == .ok)
            let list = try await outsider.get("/ledger/tasks")
            #expect(!list.text.contains("推进企业开办一网通办"))
        }
    }

    @Test("A bad attachment (wrong type or content) is refused and nothing is written")
    func badAttachment() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await LedgerFixtures.world(app)
            let taskID = try await LedgerFixtures.task(app, number: "（一）").requireID()
            let lead = TestBrowser(app)
            try await lead.login("jia1")
            for file in [(name: "run.exe", data: Data([0x4D, 0x5A, 0, 0])), (name: "fake.pdf", data: Data("not a pdf".utf8))] {
                let response = try await lead.postMultipart("/ledger/tasks/\(taskID)/report", fields: [
                    "period": "2026-05", "progress_status": "on_track", "summary": "进展", "percent": "10"],
                    files: [(field: "files[]", name: file.name, type: "application/octet-stream", data: file.data)])
                #expect(response.status == .unprocessableEntity)
            }
            #expect(try await ProgressReport.query(on: app.db).count() == 0)
            #expect(try await Attachment.query(on: app.db).count() == 0)
        }
    }
}
