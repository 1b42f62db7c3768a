import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import YingshangCore
@testable import YingshangServer

/// Enterprise files, published policies and users for one test: the built-in policies published, an office user
/// and an enterprise user linked to a software firm whose asset total is missing.
struct MatchingWorld {
    let enterprise: EnterpriseRecord
    let office: TestBrowser
    let company: TestBrowser

    static let code = "91450103MA5KDEM10Q"

    static func make(_ app: Application) async throws -> MatchingWorld {
        try await makeUser(app, login: "office1", role: .admin)
        let user = try await makeUser(app, login: "firm", role: .enterprise)
        let enterprise = EnterpriseRecord(creditCode: code, name: "南宁某科技有限公司")
        try await enterprise.create(on: app.db)
        user.enterpriseID = enterprise.id
        try await user.save(on: app.db)
        var facts = EnterpriseDemoData.ownFacts
        facts[.assets] = nil
        let change = EnterpriseStore.Change(values: facts.values.mapValues { Optional($0) }, tags: facts.tags,
                                            effectiveOn: CivilDate(year: 2024, month: 1, day: 1)!, source: "测试")
        try await EnterpriseStore.apply(change, to: enterprise, actor: nil, on: app.db)
        for policy in BuiltInPolicies.all { try await publish(policy.source, app) }
        let office = TestBrowser(app)
        try await office.login("office1")
        let company = TestBrowser(app)
        try await company.login("firm")
        return MatchingWorld(enterprise: enterprise, office: office, company: company)
    }

    static func publish(_ source: String, _ app: Application) async throws {
        let record = BenefitPolicyRecord()
        record.adopt(try BenefitPolicySource.parse(source).get())
        record.status = BenefitPolicyRecord.Status.published.rawValue
        record.version = 1
        try await record.create(on: app.db)
        await app.benefitMatcher.reset()
    }
}

@Suite("Enterprise files and policy matching")
struct PolicyMatchingTests {
    @Test("Missing asset total: 待补充信息 naming 资产总额; filled in, 符合 or 不符合 with reasons", arguments: TestDatabase.available)
    func missingAssets(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await MatchingWorld.make(app)
            let id = try world.enterprise.requireID()
            let before = try await world.company.get("/my/benefits")
            #expect(before.status == .ok)
            let pending = try #require(before.text.range(of: "待补充信息（")).upperBound
            let pendingSection = String(before.text[pending...])
            #expect(pendingSection.contains("小型微利企业所得税优惠"))
            #expect(pendingSection.contains("<strong>资产总额</strong>"))

            let page = try await world.office.get("/enterprises/\(id)")
            #expect(page.text.contains("待补充信息（缺少：资产总额）"))

            var filled = try await world.company.post("/enterprises/\(id)/facts", form: ["assets_wan": "4000"])
            #expect(filled.status == .seeOther)
            let yes = try await world.office.get("/enterprises/\(id)")
            #expect(yes.text.contains("<dd id=\"small-low-profit\">是</dd>"))
            #expect(yes.text.contains("资产总额 &lt;= 5000万元</td><td>4000万元</td><td>符合"))

            filled = try await world.office.post("/enterprises/\(id)/facts", form: ["assets_wan": "6000万元"])
            #expect(filled.status == .seeOther)
            let no = try await world.office.get("/enterprises/\(id)")
            #expect(no.text.contains("<dd id=\"small-low-profit\">否</dd>"))
            #expect(no.text.contains("资产总额 &lt;= 5000万元</td><td>6000万元</td><td>不符合"))
            #expect(no.text.contains("资产总额需不超过5000万元（现为 6000万元）"), "a near miss says what would make it eligible")

            // The file keeps history: the view as of an earlier date still lacks the asset total.
            let earlier = try await world.office.get("/enterprises/\(id)?as_of=2024-06-30")
            #expect(earlier.text.contains("待补充信息（缺少：资产总额）"))
            let garbled = try await world.office.get("/enterprises/\(id)?as_of=昨天")
            #expect(garbled.text.contains("日期“昨天”应写成 2024-01-01"))
            #expect(try await EnterpriseFactRecord.query(on: app.db).filter(\.$field == "assets_wan").count() == 2)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "enterprise").count() >= 2)
        }
    }

    @Test("A change made by another server process on the same database reaches this process's matches")
    func otherProcess() async throws {
        try await withTestApp(.sqlite) { app in
            let world = try await MatchingWorld.make(app)
            app.benefitMatcher = BenefitMatcher(refreshInterval: 0)
            let id = try world.enterprise.requireID()
            #expect(try await app.benefitMatcher.eligible(code: "XWWL", on: app.db).contains(id) == false)
            // Another process: writes the file through the store, without telling this process's matcher.
            let change = EnterpriseStore.Change(values: [.assets: .number(3000)], effectiveOn: CivilDate(year: 2024, month: 1, day: 1)!, source: "测试")
            try await EnterpriseStore.apply(change, to: world.enterprise, actor: nil, on: app.db)
            #expect(try await app.benefitMatcher.eligible(code: "XWWL", on: app.db).contains(id))
            let policy = try #require(try await BenefitPolicyRecord.query(on: app.db).filter(\.$code == "XWWL").first())
            policy.status = BenefitPolicyRecord.Status.withdrawn.rawValue
            try await policy.save(on: app.db)
            #expect(try await app.benefitMatcher.eligible(code: "XWWL", on: app.db).isEmpty)
        }
    }

    @Test("Bad input changes nothing: a negative revenue or an unknown tag is refused field by field")
    func badFacts() async throws {
        try await withTestApp(.sqlite) { app in
            let world = try await MatchingWorld.make(app)
            let id = try world.enterprise.requireID()
            let rows = try await EnterpriseFactRecord.query(on: app.db).count()
            let response = try await world.office.post("/enterprises/\(id)/facts", form: ["revenue_wan": "-5", "tags": "金牌企业", "employees": "12.5"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("营业收入不能为负数"))
            #expect(response.text.contains("未知的资质标签“金牌企业”"))
            #expect(try await EnterpriseFactRecord.query(on: app.db).count() == rows)
        }
    }

    static let header = "统一社会信用代码,企业名称,行业代码,从业人数,营业收入（万元）,资产总额（万元）,资质标签\n"

    @Test("A CSV with one bad credit code imports nothing and names the row; valid rows only when asked", arguments: TestDatabase.available)
    func importCSV(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await makeUser(app, login: "office1", role: .admin)
            let office = TestBrowser(app)
            try await office.login("office1")
            var generator = SyntheticEnterprises(seed: 1)
            let good = generator.make(2)
            let csv = Self.header
                + "\(good[0].creditCode),甲公司,C3911,120,3000,2000,高新技术企业、一般纳税人\n"
                + "91450103MA5KDEM10X,乙公司,5211,8,300,,\n"
                + "\(good[1].creditCode),丙公司,99,5,-1,100,\n"
            let refused = try await office.postMultipart("/enterprises/import", fields: [:],
                                                         files: [("file", "企业.csv", "text/csv", Data(csv.utf8))])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("未导入任何企业"))
            #expect(refused.text.contains("<td>3</td><td>统一社会信用代码</td><td>统一社会信用代码校验位不正确"))
            #expect(refused.text.contains("<td>4</td><td>行业代码</td>"))
            #expect(refused.text.contains("<td>4</td><td>营业收入（万元）</td><td>营业收入不能为负数"))
            #expect(try await EnterpriseRecord.query(on: app.db).count() == 0)

            let partial = try await office.postMultipart("/enterprises/import", fields: ["valid_only": "1", "effective_on": "2024-01-01"],
                                                         files: [("file", "企业.csv", "text/csv", Data(csv.utf8))])
            #expect(partial.status == .ok)
            #expect(partial.text.contains("新建 1 家"))
            let imported = try #require(try await EnterpriseRecord.query(on: app.db).first())
            let facts = try await EnterpriseStore.history(of: imported, on: app.db).facts(asOf: CivilDate(year: 2024, month: 6, day: 1)!)
            #expect(facts[.employees] == .number(120))
            #expect(facts.tags == ["高新技术企业", "一般纳税人"])

            // Re-import updates rather than duplicates; export gives back the same columns.
            _ = try await office.postMultipart("/enterprises/import", fields: ["valid_only": "1"],
                                               files: [("file", "企业.csv", "text/csv", Data(csv.utf8))])
            #expect(try await EnterpriseRecord.query(on: app.db).count() == 1)
            let export = try await office.get("/enterprises/export")
            #expect(export.text.contains("统一社会信用代码,企业名称,行业代码"))
            #expect(export.text.contains(good[0].creditCode))
        }
    }

    @Test("An XLSX file imports like a CSV: the export read back creates the same files")
    func importXLSX() async throws {
        try await withTestApp(.sqlite) { app in
            try await makeUser(app, login: "office1", role: .admin)
            let office = TestBrowser(app)
            try await office.login("office1")
            var generator = SyntheticEnterprises(seed: 3)
            let made = generator.make(3)
            var workbook = XLSXWorkbook()
            let rows = [EnterpriseSheet.columns.map(\.header)] + made.map {
                EnterpriseSheet.cells(creditCode: $0.creditCode, name: $0.name, facts: $0.facts, asOf: CivilDate(year: 2024, month: 1, day: 1)!)
            }
            workbook.addSheet(name: "企业档案", rows: rows.map { $0.map(XLSXCell.text) })
            let file = try Response.xlsx(workbook, filename: "企业.xlsx")
            let data = Data(buffer: file.body.buffer ?? ByteBuffer())
            let response = try await office.postMultipart("/enterprises/import", fields: [:],
                                                          files: [("file", "企业.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)])
            #expect(response.status == .ok, "\(response.text.prefix(600))")
            #expect(try await EnterpriseRecord.query(on: app.db).count() == 3)
            let first = try #require(try await EnterpriseRecord.query(on: app.db).filter(\.$creditCode == made[0].creditCode).first())
            let facts = try await EnterpriseStore.history(of: first, on: app.db).facts(asOf: CivilDate(year: 2024, month: 6, day: 1)!)
            #expect(facts == made[0].facts)
        }
    }

    @Test("The editor points at errors; publishing needs passing cases and tells newly eligible enterprises", arguments: TestDatabase.available)
    func editAndPublish(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await MatchingWorld.make(app)
            let bad = try await world.office.post("/benefits/new", form: ["source": "编号：T1\n名称：测试\n条件：从业人数 <= 300万元", "intent": "save"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("第 3 行第 12 列：从业人数的单位是“人”，不能与“万元”比较"))

            let source = """
            编号：RJQY
            名称：软件企业奖励
            方式：申请兑现
            办理单位：测试单位
            依据：测试文件
            有效期：2024-01-01 至 2030-12-31
            条件：行业 属于 [65] 且 从业人数 >= 100
            金额：20万元
            用例（软件企业）：行业=I6510，从业人数=120 => 不符合
            """
            let saved = try await world.office.post("/benefits/new", form: ["source": source, "intent": "save"])
            #expect(saved.status == .seeOther)
            let record = try #require(try await BenefitPolicyRecord.query(on: app.db).filter(\.$code == "RJQY").first())
            #expect(record.policyStatus == .draft)
            _ = try await world.office.post("/benefits/\(record.id!)/publish", form: [:])
            #expect(try await BenefitPolicyRecord.find(record.id, on: app.db)?.policyStatus == .draft, "a failing case blocks publishing")

            let fixed = try await world.office.post("/benefits/\(record.id!)/edit",
                                                    form: ["source": source.replacingOccurrences(of: "=> 不符合", with: "=> 符合"), "intent": "save"])
            #expect(fixed.status == .seeOther)
            _ = try await world.office.post("/benefits/\(record.id!)/publish", form: [:])
            #expect(try await BenefitPolicyRecord.find(record.id, on: app.db)?.policyStatus == .published)
            let firm = try #require(try await User.query(on: app.db).filter(\.$login == "firm").first())
            let inbox = try await InboxMessage.query(on: app.db).filter(\.$user.$id == firm.requireID()).all()
            #expect(inbox.contains { $0.title.contains("软件企业奖励") })

            let roster = try await world.office.get("/benefits/\(record.id!)/roster")
            #expect(roster.status == .ok)
            #expect(roster.headers.contentType?.description.contains("spreadsheetml") == true)
            #expect(try await app.benefitMatcher.eligible(code: "RJQY", on: app.db) == [world.enterprise.id!])
        }
    }

    @Test("Redemption: apply, approve, pay; a reason to reject; everything audited", arguments: TestDatabase.available)
    func redemption(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await MatchingWorld.make(app)
            let policy = try #require(try await BenefitPolicyRecord.query(on: app.db).filter(\.$code == "GXJS").first())
            let applied = try await world.company.post("/my/benefits/\(policy.id!)/apply", form: [:])
            #expect(applied.status == .seeOther)
            let redemption = try #require(try await RedemptionRecord.query(on: app.db).first())
            #expect(redemption.redemptionStatus == .applied)
            #expect(redemption.amountWan == 18)
            _ = try await world.company.post("/my/benefits/\(policy.id!)/apply", form: [:])
            #expect(try await RedemptionRecord.query(on: app.db).count() == 1, "a second application is refused")

            #expect(try await world.company.post("/redemptions/\(redemption.id!)/approve", form: [:]).status == .forbidden)
            _ = try await world.office.post("/redemptions/\(redemption.id!)/reject", form: ["reason": " "])
            #expect(try await RedemptionRecord.find(redemption.id, on: app.db)?.redemptionStatus == .applied, "no reason, no rejection")
            _ = try await world.office.post("/redemptions/\(redemption.id!)/approve", form: ["amount": "15"])
            _ = try await world.office.post("/redemptions/\(redemption.id!)/pay", form: [:])
            let paid = try #require(try await RedemptionRecord.find(redemption.id, on: app.db))
            #expect(paid.redemptionStatus == .paid)
            #expect(paid.amountWan == 15)
            let totals = try await world.office.get("/redemptions")
            #expect(totals.text.contains("<td>自治区科学技术厅</td><td>1</td><td>15</td>"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "redemption").count() == 3)
            let export = try await world.office.get("/redemptions/export?status=paid")
            #expect(export.headers.contentType?.description.contains("spreadsheetml") == true)
            #expect(try await world.company.get("/redemptions/export").status == .forbidden)

            // 免申即享: confirming the roster creates approved entries without applications.
            let automatic = try #require(try await BenefitPolicyRecord.query(on: app.db).filter(\.$code == "YFJJ").first())
            _ = try await world.office.post("/benefits/\(automatic.id!)/confirm", form: [:])
            let confirmed = try await RedemptionRecord.query(on: app.db).filter(\.$policy.$id == automatic.requireID()).all()
            #expect(confirmed.count == 1)
            #expect(confirmed.first?.redemptionStatus == .approved)
            #expect(confirmed.first?.amountWan == 52.5)
        }
    }

    @Test("Permissions: an enterprise user sees only its own file; staff read, only the office writes")
    func permissions() async throws {
        try await withTestApp(.sqlite) { app in
            let world = try await MatchingWorld.make(app)
            var generator = SyntheticEnterprises(seed: 9)
            let other = EnterpriseRecord(creditCode: generator.next().creditCode, name: "别家公司")
            try await other.create(on: app.db)
            let unit = try await makeUnit(app, code: "U1", name: "市场监管局")
            try await makeUser(app, login: "staff", role: .unitStaff, unit: unit)
            let staff = TestBrowser(app)
            try await staff.login("staff")
            #expect(try await world.company.get("/enterprises/\(other.id!)").status == .forbidden)
            #expect(try await world.company.get("/enterprises").status == .forbidden)
            #expect(try await world.company.get("/redemptions").status == .forbidden)
            #expect(try await world.company.post("/enterprises/\(other.id!)/facts", form: ["employees": "1"]).status == .forbidden)
            #expect(try await staff.get("/enterprises/\(other.id!)").status == .ok)
            #expect(try await staff.post("/enterprises/\(other.id!)/facts", form: ["employees": "1"]).status == .forbidden)
            let policy = try #require(try await BenefitPolicyRecord.query(on: app.db).first())
            #expect(try await staff.post("/benefits/\(policy.id!)/withdraw", form: [:]).status == .forbidden)
            #expect(try await staff.get("/benefits/new").status == .forbidden)
            // Where a newcomer finds the feature: the home page's cards.
            #expect(try await world.office.get("/").text.contains("惠企政策直达"))
            #expect(try await world.company.get("/").text.contains("查看可享政策"))
            let anonymous = try await TestBrowser(app).get("/my/benefits")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }
}

@Suite("Policy matching API")
struct PolicyMatchingAPITests {
    @Test("Evaluate facts sent in the request; an enterprise's results; bad facts are a 422 naming the field")
    func api() async throws {
        try await withTestApp(.sqlite) { app in
            let world = try await MatchingWorld.make(app)
            let office = try #require(try await User.query(on: app.db).filter(\.$login == "office1").first())
            let client = APIClient(app: app, token: try await makeToken(app, for: office))
            let unknown = try await client.send(.POST, "/api/v1/eligibility/evaluate",
                                                json: #"{"policy":"XWWL","facts":{"employees":100,"taxable_income_wan":200},"as_of":"2023-12-31"}"#)
            #expect(unknown.status == .ok)
            let result = try unknown.json(EvaluationDTO.self)
            #expect(result.result == "待补充信息")
            #expect(result.missing == ["资产总额"])
            #expect(result.parameters.contains { $0.name == "资产总额上限" && $0.reference.contains("财税〔2019〕13号") })
            let bad = try await client.send(.POST, "/api/v1/eligibility/evaluate", json: #"{"policy":"XWWL","facts":{"assets_wan":-3}}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("资产总额不能为负数"))
            let missing = try await client.send(.POST, "/api/v1/eligibility/evaluate", json: #"{"policy":"NOPE","facts":{}}"#)
            #expect(missing.status == .notFound)
            let all = try await client.send(.GET, "/api/v1/enterprises/\(world.enterprise.id!)/eligibility")
            let list = try all.json([EvaluationDTO].self)
            #expect(list.count == BuiltInPolicies.all.count)
            #expect(list.first { $0.policy == "XWWL" }?.missing == ["资产总额"])
        }
    }
}
