import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

@Suite("Ledger: import, review, publish, revise")
struct PlanImportTests {
    static let founding: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/workpoints/00-seed-2023-yingshang-gongzuo-yaodian-huibian.txt")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    @Test("The founding document becomes 4 plans; importing it again changes nothing", arguments: TestDatabase.available)
    func foundingDocument(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let office = try Principal(user: try await makeUser(app, login: "office1", role: .admin), viaToken: false)
            let first = try await PlanImport(db: app.db, actor: office).run(text: Self.founding, sourceName: "seed.txt")
            #expect(first.drafts.count == 4)
            for id in first.drafts {
                let plan = try #require(try await WorkPlan.find(id, on: app.db))
                try await PlanService(db: app.db, actor: office).publish(plan, title: nil, year: nil, issuer: nil)
            }
            // Every leaf item becomes a task: 24 + 24 + 19 + 7, of which 47 carry responsibility annotations.
            #expect(try await PlanTask.query(on: app.db).count() == 74)
            let titles = try await WorkPlan.query(on: app.db).all().map(\.title)
            #expect(titles.contains("XX市营商环境建设局2023年政务公开工作要点"))
            let auditBefore = try await AuditEntry.query(on: app.db).count()
            let again = try await PlanImport(db: app.db, actor: office).run(text: Self.founding, sourceName: "seed.txt")
            #expect(again.drafts.isEmpty && again.revisions.isEmpty)
            #expect(again.unchanged.count == 4)
            #expect(try await WorkPlan.query(on: app.db).count() == 4)
            #expect(try await AuditEntry.query(on: app.db).count() == auditBefore)
        }
    }

    @Test("A copy with one task's text edited shows exactly that change, and applying keeps the task's history",
          arguments: TestDatabase.available)
    func revision(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await LedgerFixtures.world(app)
            let office = try Principal(user: world.office, viaToken: false)
            let original = try await LedgerFixtures.task(app, number: "（二）")
            let edited = LedgerFixtures.miniDocument.replacingOccurrences(of: "推行非接触式办税", with: "推行全程网上办税")
            let outcome = try await PlanImport(db: app.db, actor: office).run(text: edited, sourceName: "mini-v2.txt")
            let revisionID = try #require(outcome.revisions.first)
            let revision = try #require(try await WorkPlan.find(revisionID, on: app.db))
            let diff = try await PlanRevision.diff(revision: revision, on: app.db)
            #expect(diff.changed.count == 1)
            #expect(diff.changed.first?.fields == ["任务内容"])
            #expect(diff.added.isEmpty && diff.removed.isEmpty)
            #expect(diff.unchanged.count == 2)

            let browser = TestBrowser(app)
            try await browser.login("office1")
            let page = try await browser.get("/ledger/plans/\(revisionID)")
            #expect(page.text.contains("修改 1 项，新增 0 项，删除 0 项"))
            let applied = try await browser.post("/ledger/plans/\(revisionID)/apply", form: [:])
            #expect(applied.headers.first(name: .location) == "/ledger/plans/\(world.planID)")
            let updated = try await LedgerFixtures.task(app, number: "（二）")
            #expect(updated.id == original.id)
            #expect(updated.text.contains("推行全程网上办税"))
            #expect(try await WorkPlan.find(revisionID, on: app.db) == nil)
            #expect(try await PlanTask.query(on: app.db).filter(\.$plan.$id == world.planID).count() == 3)
        }
    }

    @Test("Units resolve by name and alias; an unknown unit is listed to confirm, never created", arguments: TestDatabase.available)
    func unitResolution(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await LedgerFixtures.world(app)
            let first = try await LedgerFixtures.task(app, number: "（一）")
            let links = try await TaskUnit.query(on: app.db).filter(\.$task.$id == first.requireID()).all()
            #expect(Set(links.map { "\($0.role):\($0.$orgUnit.id)" })
                    == ["lead:\(try world.jia.requireID())", "co:\(try world.yi.requireID())"])
            let unitsBefore = try await OrgUnit.query(on: app.db).count()
            let office = try Principal(user: world.office, viaToken: false)
            let text = LedgerFixtures.miniDocument.replacingOccurrences(of: "测试市优化", with: "测试市深化")
                .replacingOccurrences(of: "配合单位：市乙局", with: "配合单位：市丁中心")
            let outcome = try await PlanImport(db: app.db, actor: office).run(text: text, sourceName: nil)
            let draft = try #require(outcome.drafts.first)
            #expect(try await OrgUnit.query(on: app.db).count() == unitsBefore)
            let unresolved = try await TaskUnitLinks.unresolved(planID: draft, on: app.db)
            #expect(unresolved.map(\.name) == ["市丁中心"])
            // Mapping it to an existing unit remembers the alias and links the task.
            try await PlanService(db: app.db, actor: office).confirmUnit(name: "市丁中心", planID: draft,
                                                                         existingUnitID: try world.bing.requireID(), newUnit: nil)
            #expect(try await OrgUnit.find(world.bing.requireID(), on: app.db)?.aliases == ["市丁中心"])
            #expect(try await TaskUnitLinks.unresolved(planID: draft, on: app.db).isEmpty)
        }
    }

    @Test("Import page: a binary or unsupported file is refused with a clear message and creates nothing; the flow publishes")
    func importPage() async throws {
        try await withTestApp(.sqlite) { app in
            try await makeUser(app, login: "office1", role: .admin)
            let browser = TestBrowser(app)
            try await browser.login("office1")
            let binary = try await browser.postMultipart("/ledger/import", fields: [:], files: [
                (field: "file", name: "plan.txt", type: "text/plain", data: Data([0, 1, 2, 0, 0xFF, 0xFE, 0, 7]))])
            #expect(binary.status == .unprocessableEntity)
            #expect(binary.text.contains("不是文本文件"))
            let pdf = try await browser.postMultipart("/ledger/import", fields: [:], files: [
                (field: "file", name: "plan.pdf", type: "application/pdf", data: Data("%PDF-1.4".utf8))])
            #expect(pdf.status == .unprocessableEntity)
            #expect(pdf.text.contains("只支持"))
            #expect(try await WorkPlan.query(on: app.db).count() == 0)

            let imported = try await browser.postMultipart("/ledger/import", fields: [:], files: [
                (field: "file", name: "mini.txt", type: "text/plain", data: Data(LedgerFixtures.miniDocument.utf8))])
            #expect(imported.status == .seeOther)
            let location = try #require(imported.headers.first(name: .location))
            let review = try await browser.get(location)
            #expect(review.text.contains("推进企业开办一网通办"))
            #expect(review.text.contains("待确认的单位"))
            let published = try await browser.post(location + "/publish", form: ["title": "测试计划", "year": "2026", "issuer": "测试市"])
            #expect(published.status == .seeOther)
            let plan = try #require(try await WorkPlan.query(on: app.db).first())
            #expect(plan.isPublished && plan.title == "测试计划")
        }
    }
}
