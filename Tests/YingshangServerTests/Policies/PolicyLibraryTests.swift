import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import YingshangCore
@testable import YingshangServer

/// A small corpus folder: four real documents from the demo subset, one file with only a title, one not UTF-8.
func policyFixture() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("policies-\(UUID().uuidString)")
    let demo = URL(fileURLWithPath: "Resources/Demo/policies")
    for path in ["行政法规/优化营商环境条例(2019-10-22).md", "行政法规/粮食流通管理条例(2021-02-15).md",
                 "行政法/行政许可法(2019-04-23).md", "经济法/价格法(1997-12-29).md"] {
        let target = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: demo.appendingPathComponent(path), to: target)
    }
    try Data("# 只有标题的办法\n\n2012年9月27日 通过\n\n<!-- INFO END -->\n".utf8)
        .write(to: root.appendingPathComponent("行政法规/只有标题的办法(2012-09-27).md"))
    try Data([0xB9, 0xFA, 0xCE, 0xF1, 0xD4, 0xBA, 0xFF, 0xFE]).write(to: root.appendingPathComponent("行政法规/乱码(2000-01-01).md"))
    return root
}

struct SearchResponse: Decodable {
    struct Part: Decodable { let text: String; let highlighted: Bool }
    struct Hit: Decodable { let article: String?; let anchor: String?; let snippet: [Part] }
    struct Group: Decodable { let id: String; let title: String; let number: String; let validity: String; let hits: [Hit] }
    let total_documents: Int
    let total_is_estimate: Bool
    let suggestion: String?
    let groups: [Group]
}

@Suite("Policy library: import, search, knowledge base")
struct PolicyLibraryTests {
    @Test("Import reads every file or names it with the reason; a second run changes nothing", arguments: TestDatabase.available)
    func importTwice(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let root = try policyFixture()
            defer { try? FileManager.default.removeItem(at: root) }
            let first = try await PolicyImport.run(root, actor: nil, on: app.db)
            #expect(first.created == 4)
            #expect(first.failures.count == 2)
            #expect(first.failures.contains { $0.path.contains("只有标题") && $0.reason == "只有标题，没有正文" })
            #expect(first.failures.contains { $0.path.contains("乱码") && $0.reason.contains("UTF-8") })
            let articles = try await PolicyArticleRecord.query(on: app.db).count()
            let audit = try await AuditEntry.query(on: app.db).count()
            let second = try await PolicyImport.run(root, actor: nil, on: app.db)
            #expect(second.unchanged == 4 && second.created == 0 && second.updated == 0)
            #expect(try await PolicyRecord.query(on: app.db).count() == 4)
            #expect(try await PolicyArticleRecord.query(on: app.db).count() == articles)
            #expect(try await AuditEntry.query(on: app.db).count() == audit, "an unchanged file writes nothing")
            let regulation = try #require(try await PolicyRecord.query(on: app.db).filter(\.$title == "优化营商环境条例").first())
            #expect(regulation.number == "国务院令第722号")
            #expect(regulation.effectiveOn == "2020-01-01")
        }
    }

    @Test("The reviewer's searches find the expected documents and articles at the top, with snippets", arguments: TestDatabase.available)
    func reviewerSearches(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let root = try policyFixture()
            defer { try? FileManager.default.removeItem(at: root) }
            _ = try await PolicyImport.run(root, actor: nil, on: app.db)
            func search(_ q: String) async throws -> SearchResponse {
                let response = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/search?q=" + q.urlQueryEncoded)
                #expect(response.status == .ok)
                return try response.json(SearchResponse.self)
            }
            let approval = try await search("审批")
            // A small library's totals are counted, not estimated.
            #expect(!approval.total_is_estimate && approval.total_documents == approval.groups.count)
            #expect(Set(approval.groups.prefix(2).map(\.title)) == ["优化营商环境条例", "中华人民共和国行政许可法"])
            for group in approval.groups {
                #expect(group.hits[0].snippet.contains { $0.highlighted && $0.text == "审批" }, "\(group.title)")
            }
            let article = try await search("优化营商环境条例 第三十六条")
            #expect(article.groups.first?.title == "优化营商环境条例")
            #expect(article.groups.first?.hits.first?.article == "第三十六条")
            #expect(article.groups.first?.hits.first?.anchor == "art-36")
            let number = try await search("国务院令第722号")
            #expect(number.groups.first?.title == "优化营商环境条例")
            #expect(number.groups.first?.number == "国务院令第722号")
            let abbreviation = try await search("发改委 价格")
            #expect(abbreviation.groups.first?.title == "粮食流通管理条例")
            let parts = abbreviation.groups[0].hits[0].snippet.filter(\.highlighted).map(\.text)
            #expect(parts.contains("发展改革部门") && parts.contains("价格"))
            let misspelled = try await search("优化营商环镜条例")
            #expect(misspelled.suggestion == "优化营商环境条例")
            let bad = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/search?q=%E5%AE%A1%E6%89%B9&validity=%E5%A4%B1%E6%95%88")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.apiError?.fields?["validity"] != nil)
        }
    }

    @Test("A Q&A citing an article is flagged, and its owner unit told, once that document is marked 已废止",
          arguments: TestDatabase.available)
    func repealFlagsKnowledge(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let root = try policyFixture()
            defer { try? FileManager.default.removeItem(at: root) }
            _ = try await PolicyImport.run(root, actor: nil, on: app.db)
            let unit = try await makeUnit(app, code: "FGW", name: "发展改革委")
            let admin = try await makeUser(app, login: "office1", role: .admin)
            let staff = try await makeUser(app, login: "fgw1", role: .unitStaff, unit: unit)
            let api = APIClient(app: app, token: try await makeToken(app, for: admin))
            let created = try await api.send(.POST, "/api/v1/knowledge", json: """
                {"question":"粮食价格由谁监测？","answer":"国务院发展改革部门负责监测和预警。","owner_unit_id":"\(unit.id!.uuidString)",
                 "citations":["粮食流通管理条例 第三十条"]}
                """)
            #expect(created.status == .created)
            let entry = try created.json(KnowledgeDTO.self)
            #expect(entry.citations.first?.article == "第三十条")
            #expect(entry.citations.first?.text?.contains("发展改革部门") == true)
            #expect(entry.flags == [])
            let wrong = try await api.send(.POST, "/api/v1/knowledge", json: #"{"question":"问","answer":"答","citations":["粮食流通管理条例 第九百条"]}"#)
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.apiError?.fields?["citations"]?.contains("没有第九百条") == true)

            let grain = try #require(try await PolicyRecord.query(on: app.db).filter(\.$title == "粮食流通管理条例").first())
            let browser = TestBrowser(app)
            try await browser.login("fgw1")
            let refused = try await browser.post("/policies/\(grain.id!)/edit", form: ["validity": "已废止"])
            #expect(refused.status == .forbidden, "a department cannot change the library")
            let office = TestBrowser(app)
            try await office.login("office1")
            let saved = try await office.post("/policies/\(grain.id!)/edit", form: ["validity": "已废止", "beneficiaries": "粮食经营者"])
            #expect(saved.status == .seeOther)
            let flagged = try await api.send(.GET, "/api/v1/knowledge/\(entry.id)").json(KnowledgeDTO.self)
            #expect(flagged.flags == ["引用的《粮食流通管理条例》已废止"])
            let inbox = try await InboxMessage.query(on: app.db).filter(\.$user.$id == staff.id!).all()
            #expect(inbox.contains { $0.title == "知识库条目待复核" })
            #expect(try await office.get("/knowledge?flagged=1").text.contains("粮食价格由谁监测？"))
            let page = try await TestBrowser(app).get("/policies/\(grain.id!)")
            #expect(page.text.contains("已废止"))
            #expect(page.text.contains("粮食经营者"), "core clauses are shown first on the public page")
            #expect(page.text.contains("id=\"art-30\""))
            var options = SearchOptions()
            options.validities = ["现行有效"]
            let current = try await app.policySearch.current(on: app.db).search("粮食 价格", options: options)
            #expect(!current.groups.contains { $0.document.title == "粮食流通管理条例" }, "the index knows the new validity at once")
        }
    }

    @Test("An office user uploads a .txt normative document; it is parsed, audited and searchable at once")
    func upload() async throws {
        try await withTestApp(.sqlite) { app in
            try await makeUser(app, login: "office1", role: .admin)
            let office = TestBrowser(app)
            try await office.login("office1")
            let text = "南宁市促进民营经济发展若干措施\n南府规〔2024〕3号\n\n第一条 对新开办企业免费刻制公章。\n第二条 本措施自印发之日起施行。\n"
            let response = try await office.postMultipart("/policies/upload", fields: ["kind": "规范性文件", "topic": "民营经济"],
                                                          files: [("file", "措施.txt", "text/plain", Data(text.utf8))])
            #expect(response.status == .seeOther)
            let record = try #require(try await PolicyRecord.query(on: app.db).filter(\.$number == "南府规〔2024〕3号").first())
            #expect(record.kind == "规范性文件")
            let results = try await app.policySearch.current(on: app.db).search("免费刻制公章")
            #expect(results.groups.first?.document.key == record.id!.uuidString)
            let pdf = try await office.postMultipart("/policies/upload", fields: ["kind": "规范性文件"],
                                                     files: [("file", "a.pdf", "application/pdf", Data("%PDF".utf8))])
            #expect(pdf.status == .unprocessableEntity)
            #expect(pdf.text.contains("只支持 .txt"))
            #expect(try await PolicyRecord.query(on: app.db).count() == 1)
        }
    }

    @Test("Only the office edits the library: every editing page refuses other roles and changes nothing")
    func editingPermissions() async throws {
        try await withTestApp(.sqlite) { app in
            let root = try policyFixture()
            defer { try? FileManager.default.removeItem(at: root) }
            _ = try await PolicyImport.run(root, actor: nil, on: app.db)
            let unit = try await makeUnit(app, code: "A", name: "甲局")
            try await makeUser(app, login: "staff1", role: .unitStaff, unit: unit)
            try await makeUser(app, login: "firm1", role: .enterprise)
            try await makeUser(app, login: "leader1", role: .leader)
            let document = try #require(try await PolicyRecord.query(on: app.db).first())
            let entry = KnowledgeEntry()
            let valid = try await KnowledgeBase.validate(KnowledgeBase.Input(question: "问", answer: "答", citations: ""), on: app.db).get()
            try await KnowledgeBase.save(entry, valid, actor: nil, on: app.db)
            let libraryEntries = { try await AuditEntry.query(on: app.db).filter(\.$entityType ~~ ["policy", "knowledge", "search_synonyms"]).count() }
            let audit = try await libraryEntries()
            for login in ["staff1", "firm1", "leader1"] {
                let browser = TestBrowser(app)
                try await browser.login(login)
                for (path, form) in [("/policies/\(document.id!)/edit", ["validity": "已废止"]), ("/policies/synonyms", ["text": "甲\t乙"]),
                                     ("/knowledge/new", ["question": "问", "answer": "答"]), ("/knowledge/\(entry.id!)/edit", ["question": "改", "answer": "改"])] {
                    #expect(try await browser.post(path, form: form).status == .forbidden, "\(login) \(path)")
                }
                #expect(try await browser.get("/policies/upload").status == .forbidden)
            }
            #expect(try await libraryEntries() == audit)
            #expect(try await PolicyRecord.find(document.id, on: app.db)?.validityOverride == nil)
        }
    }

    @Test("The synonyms a browser sends (CRLF lines) are saved line by line, a bad line is named, and search uses them at once")
    func synonymsEditor() async throws {
        try await withTestApp(.sqlite) { app in
            let root = try policyFixture()
            defer { try? FileManager.default.removeItem(at: root) }
            _ = try await PolicyImport.run(root, actor: nil, on: app.db)
            try await makeUser(app, login: "office1", role: .admin)
            let office = TestBrowser(app)
            try await office.login("office1")
            let bad = try await office.post("/policies/synonyms", form: ["text": "粮食局\t粮食和储备\r\n只有一列\r\n"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("第 2 行格式不对"))
            #expect(try await SearchSynonymRecord.query(on: app.db).count() == 0)
            let saved = try await office.post("/policies/synonyms", form: ["text": "粮食局\t粮食和储备\r\n营商办 优化营商环境\r\n"])
            #expect(saved.status == .seeOther)
            #expect(try await SearchSynonymRecord.query(on: app.db).sort(\.$abbreviation).all().map(\.abbreviation) == ["粮食局", "营商办"])
            let catalog = try await app.policySearch.current(on: app.db)
            #expect(catalog.search("营商办条例").groups.first?.document.title == "优化营商环境条例")
        }
    }

    @Test("Hostile search input is refused or answered, never a crash")
    func hostileInput() async throws {
        try await withTestApp(.sqlite) { app in
            let root = try policyFixture()
            defer { try? FileManager.default.removeItem(at: root) }
            _ = try await PolicyImport.run(root, actor: nil, on: app.db)
            let client = APIClient(app: app, token: nil)
            let many = String(repeating: "一 ", count: 62) + "条例第三条"
            #expect(try await client.send(.GET, "/api/v1/search?q=" + many.urlQueryEncoded).status == .ok)
            #expect(try await client.send(.GET, "/api/v1/search?q=%E5%AE%A1%E6%89%B9&offset=9223372036854775807").status == .unprocessableEntity)
            #expect(try await client.send(.GET, "/policies?offset=9223372036854775807").status == .ok)
            #expect(try await client.send(.GET, "/api/v1/policies/not-a-uuid").status == .notFound)
            #expect(try await client.send(.GET, "/api/v1/search?q=" + String(repeating: "审", count: 201).urlQueryEncoded).status == .unprocessableEntity)
        }
    }

    @Test("The office attaches a file to a document; everyone downloads it; others cannot attach or delete", arguments: TestDatabase.available)
    func attachments(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let root = try policyFixture()
            defer { try? FileManager.default.removeItem(at: root) }
            _ = try await PolicyImport.run(root, actor: nil, on: app.db)
            let document = try #require(try await PolicyRecord.query(on: app.db).filter(\.$title == "优化营商环境条例").first())
            try await makeUser(app, login: "office1", role: .admin)
            try await makeUser(app, login: "firm1", role: .enterprise)
            let pdf = Data("%PDF-1.4 附件".utf8)
            let firm = TestBrowser(app)
            try await firm.login("firm1")
            let refused = try await firm.postMultipart("/policies/\(document.id!)/attachments", fields: [:],
                                                       files: [("file", "表格.pdf", "application/pdf", pdf)])
            #expect(refused.status == .forbidden)
            let office = TestBrowser(app)
            try await office.login("office1")
            let wrong = try await office.postMultipart("/policies/\(document.id!)/attachments", fields: [:],
                                                       files: [("file", "表格.exe", "application/octet-stream", pdf)])
            #expect(wrong.status == .seeOther)
            #expect(try await Attachment.query(on: app.db).count() == 0, "a refused type stores nothing")
            let uploaded = try await office.postMultipart("/policies/\(document.id!)/attachments", fields: [:],
                                                          files: [("file", "申报表格.pdf", "application/pdf", pdf)])
            #expect(uploaded.status == .seeOther)
            let detail = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/policies/\(document.id!)").json(PolicyDetailDTO.self)
            let link = try #require(detail.attachments.first)
            #expect(link.fileName == "申报表格.pdf")
            let download = try await TestBrowser(app).get(link.href)
            #expect(download.status == .ok)
            #expect(Data(buffer: download.body) == pdf)
            #expect(try await TestBrowser(app).get("/policies/\(UUID())/attachments/\(link.id)").status == .notFound)
            #expect(try await firm.post(link.href + "/delete", form: [:]).status == .forbidden)
            #expect(try await office.post(link.href + "/delete", form: [:]).status == .seeOther)
            #expect(try await TestBrowser(app).get(link.href).status == .notFound)
        }
    }

    @Test("The appeal handling page suggests a matching knowledge-base entry")
    func appealSuggestions() async throws {
        try await withTestApp(.sqlite) { app in
            let flow = AppealFlowTests()
            _ = try await flow.world(app)
            let valid = try await KnowledgeBase.validate(KnowledgeBase.Input(question: "企业开办申报被退回怎么办？",
                                                                              answer: "请按退回说明补正材料后重新申报。", citations: ""), on: app.db).get()
            let entry = KnowledgeEntry()
            try await KnowledgeBase.save(entry, valid, actor: nil, on: app.db)
            #expect(try await flow.submit(app).status == .created)
            let appeal = try #require(try await Appeal.query(on: app.db).first())
            let operator_ = TestBrowser(app)
            try await operator_.login("operator")
            let page = try await operator_.get("/appeals/\(appeal.id!)")
            #expect(page.status == .ok)
            #expect(page.text.contains("知识库参考"))
            #expect(page.text.contains("/knowledge/\(entry.id!)"))
        }
    }
}
