import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import YingshangCore
@testable import YingshangServer

/// Three cities compared, a market-regulation bureau that reports 开办企业 (two indicators, 电子营业执照同步制发率 with
/// a 97% target), a survey-fed 企业办事满意度, 2026Q1 already approved, and users for the office, the bureau,
/// another department and a monitoring-point enterprise.
struct EvaluationWorld {
    let places: [String: UUID]
    let bureau: OrgUnit
    let office, unit, otherUnit, firm: TestBrowser
    let enterprise: EnterpriseRecord

    static let year = 2026

    static func make(_ app: Application) async throws -> EvaluationWorld {
        let root = try await makeUnit(app, code: "GX", name: "自治区人民政府", kind: .region)
        var places: [String: UUID] = [:]
        for (code, name) in [("NN", "南宁市"), ("LZ", "柳州市"), ("GL", "桂林市")] {
            places[name] = try await makeUnit(app, code: code, name: name, kind: .region, parent: root).requireID()
        }
        let bureau = try await makeUnit(app, code: "SCJG", name: "市场监管局", parent: root)
        let other = try await makeUnit(app, code: "ZJT", name: "住建厅", parent: root)
        try await makeUser(app, login: "office1", role: .admin)
        try await makeUser(app, login: "scjg1", role: .unitStaff, unit: bureau)
        try await makeUser(app, login: "zjt1", role: .unitStaff, unit: other)
        let firmUser = try await makeUser(app, login: "firm1", role: .enterprise)
        let enterprise = EnterpriseRecord(creditCode: "91450103MA5KDEM10Q", name: "南宁某科技有限公司")
        try await enterprise.create(on: app.db)
        firmUser.enterpriseID = enterprise.id
        try await firmUser.save(on: app.db)
        let point = MonitoringPointRecord()
        point.$enterprise.id = try enterprise.requireID()
        point.$place.id = places["南宁市"]!
        try await point.create(on: app.db)

        let bureauID = try bureau.requireID().uuidString
        let indicators = [
            IndicatorDefinition(code: "YS01", name: "开办企业", unit: "分"),
            IndicatorDefinition(code: "KB01", name: "开办企业时间", unit: "天", direction: .lowerIsBetter, best: 0.5, worst: 5,
                                parentCode: "YS01", responsibleUnitID: bureauID, minimum: 0),
            IndicatorDefinition(code: "KB02", name: "电子营业执照同步制发率", unit: "%", best: 100, worst: 80, parentCode: "YS01",
                                responsibleUnitID: bureauID, minimum: 0, maximum: 100, outlierChange: 0.3),
            IndicatorDefinition(code: "ZW", name: "政务服务", unit: "分"),
            IndicatorDefinition(code: "ZW02", name: "企业办事满意度", unit: "分", best: 100, worst: 0, parentCode: "ZW",
                                dataSource: SurveyIndices.dataSource, isRequired: false),
        ]
        try await IndicatorSystemController.insert(year: year, indicators, on: app.db)
        let system = IndicatorSystem(year: year, indicators: indicators)
        try await IndicatorSystemController.setTarget(year: year, indicator: system.indicator("KB02")!, placeID: nil, value: 97,
                                                      source: "年度目标", taskID: nil, actor: nil, on: app.db)
        // 2026Q1, approved.
        for (name, kb01, kb02) in [("南宁市", 1.2, 98.0), ("柳州市", 2.5, 97.5), ("桂林市", 3.0, 98.5)] {
            for (code, value) in [("KB01", kb01), ("KB02", kb02)] {
                let record = IndicatorValueRecord()
                record.year = year
                record.indicatorCode = code
                record.$place.id = places[name]!
                record.period = "2026Q1"
                record.value = value
                record.reason = ""
                record.$unit.id = try bureau.requireID()
                try await record.create(on: app.db)
            }
        }
        let submission = SubmissionRecord()
        submission.$unit.id = try bureau.requireID()
        submission.period = "2026Q1"
        submission.status = SubmissionStatus.approved.rawValue
        submission.comment = ""
        try await submission.create(on: app.db)
        try await EvaluationRevision.bump(on: app.db)

        var browsers: [TestBrowser] = []
        for login in ["office1", "scjg1", "zjt1", "firm1"] {
            let browser = TestBrowser(app)
            try await browser.login(login)
            browsers.append(browser)
        }
        return EvaluationWorld(places: places, bureau: bureau, office: browsers[0], unit: browsers[1], otherUnit: browsers[2],
                               firm: browsers[3], enterprise: enterprise)
    }

    /// An upload sheet: (place, code, value, reason) rows for a period.
    static func sheet(_ rows: [(String, String, String, String)], period: String) throws -> Data {
        var workbook = XLSXWorkbook()
        workbook.addSheet(name: "数据报送", rows: [EvaluationSheet.header.map(XLSXCell.text)]
            + rows.map { place, code, value, reason in [.text(code), .text(""), .text(place), .text(period), .text(value), .text(reason)] })
        let file = try Response.xlsx(workbook, filename: "报送.xlsx")
        return Data(buffer: file.body.buffer ?? ByteBuffer())
    }

    func upload(_ rows: [(String, String, String, String)], period: String = "2026Q2") async throws -> TestingHTTPResponse {
        try await unit.postMultipart("/evaluation/collect/upload", fields: ["period": period],
                                     files: [("file", "报送.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                              try Self.sheet(rows, period: period))])
    }

    func values(_ app: Application, period: String) async throws -> [IndicatorValueRecord] {
        try await IndicatorValueRecord.query(on: app.db).filter(\.$period == period).all()
    }
}

@Suite("Evaluation: collection, approval, live ranking and the loop to the ledger")
struct EvaluationFlowTests {
    @Test("A unit uploads a quarter by XLSX; a bad value is refused with a clear message; approval ranks at once and a missed target opens a linked ledger task",
          arguments: TestDatabase.available)
    func reviewerFlow(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await EvaluationWorld.make(app)
            let form = try await world.unit.get("/evaluation/collect?period=2026Q2")
            #expect(form.status == .ok)
            #expect(form.text.contains("电子营业执照同步制发率（KB02，%，≥ 0，≤ 100，必填）"))
            let template = try await world.unit.get("/evaluation/collect/template?period=2026Q2")
            #expect(template.status == .ok)
            #expect(template.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

            var rows = [("南宁市", "KB01", "1.0", ""), ("柳州市", "KB01", "2", ""), ("桂林市", "KB01", "3", ""),
                        ("南宁市", "KB02", "120", ""), ("柳州市", "KB02", "90", ""), ("桂林市", "KB02", "99", "")]
            let refused = try await world.upload(rows)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("第5行"))
            #expect(refused.text.contains("南宁市：“电子营业执照同步制发率”不能大于 100%（填写为 120）"))
            #expect(refused.text.contains("未导入任何数据"))
            #expect(try await world.values(app, period: "2026Q2").isEmpty, "a refused file writes nothing")

            rows[3] = ("南宁市", "KB02", "98.5", "")
            let accepted = try await world.upload(rows)
            #expect(accepted.status == .seeOther, "\(accepted.text.prefix(400))")
            #expect(try await world.values(app, period: "2026Q2").count == 6)
            // Not yet approved: the ranking of 2026Q2 is empty.
            var ranking = try await world.office.get("/evaluation?period=2026Q2")
            #expect(!ranking.text.contains("<td>1/3</td>"))

            let submitted = try await world.unit.post("/evaluation/collect/submit", form: ["period": "2026Q2"])
            #expect(submitted.status == .seeOther)
            let submission = try #require(try await SubmissionRecord.query(on: app.db).filter(\.$period == "2026Q2").first())
            #expect(submission.submissionStatus == .submitted)
            #expect(try await world.unit.post("/evaluation/submissions/\(submission.id!)/approve", form: [:]).status == .forbidden)

            let approved = try await world.office.post("/evaluation/submissions/\(submission.id!)/approve", form: [:])
            #expect(approved.status == .seeOther)
            // Live: KB01 1/2/3 天 of 0.5–5 → 88.89/66.67/55.56; KB02 98.5/90/99 of 80–100 → 92.5/50/95.
            let nn = world.places["南宁市"]!, lz = world.places["柳州市"]!
            ranking = try await world.office.get("/evaluation?period=2026Q2")
            #expect(ranking.text.contains("<td>1/3</td><td><a href=\"/evaluation/places/\(nn)?period=2026Q2\">南宁市</a></td><td>90.69</td>"),
                    "\(ranking.text.prefix(3000))")
            #expect(ranking.text.contains("<td>3/3</td><td><a href=\"/evaluation/places/\(lz)?period=2026Q2\">柳州市</a></td><td>58.33</td>"))
            let card = try await world.office.get("/evaluation/places/\(nn)?period=2026Q2")
            #expect(card.text.contains("得分 = 100 × (80 − 98.5) / (80 − 100) = 92.50"))

            // 柳州 missed 97%: the rule opened a rectification task for the bureau, linked both ways.
            let link = try #require(try await RectificationRecord.query(on: app.db).first())
            #expect(link.indicatorCode == "KB02" && link.$place.id == lz && link.period == "2026Q2")
            #expect(try await RectificationRecord.query(on: app.db).count() == 1)
            let task = try #require(try await PlanTask.query(on: app.db).filter(\.$id == link.$task.id).with(\.$units).first())
            #expect(task.units.map(\.$orgUnit.id) == [try world.bureau.requireID()])
            #expect(task.title == "柳州市“电子营业执照同步制发率”整改（2026年第二季度）")
            #expect(task.deadlineDate == "2026-09-30")
            let taskPage = try await world.unit.get("/ledger/tasks/\(task.id!)")
            #expect(taskPage.text.contains("来自营商环境评价（以评促改）：<a href=\"/evaluation/places/\(lz)?period=2026Q2\">柳州市 · 电子营业执照同步制发率 · 2026年第二季度</a>"))
            let lzCard = try await world.office.get("/evaluation/places/\(lz)?period=2026Q2")
            #expect(lzCard.text.contains("/ledger/tasks/\(task.id!)"))
            let inbox = try await world.unit.get("/inbox")
            #expect(inbox.text.contains("整改任务：柳州市“电子营业执照同步制发率”整改"))

            // The same numbers through the API.
            let office = try #require(try await User.query(on: app.db).filter(\.$login == "office1").first())
            let api = APIClient(app: app, token: try await makeToken(app, for: office))
            let json = try await api.send(.GET, "/api/v1/evaluation/ranking?period=2026Q2").json(EvaluationAPIController.RankingDTO.self)
            #expect(json.places.map(\.name) == ["南宁市", "桂林市", "柳州市"] && json.places.map(\.rank) == [1, 2, 3])
            #expect(abs((json.places[0].total ?? 0) - (100 * 4 / 4.5 + 92.5) / 2) < 1e-9)
            let scorecard = try await api.send(.GET, "/api/v1/evaluation/places/\(lz)?period=2026Q2").json(EvaluationAPIController.ScorecardDTO.self)
            #expect(scorecard.indicators.first { $0.code == "KB02" }?.status == "未达标")

            // Approved values are locked.
            let locked = try await world.unit.post("/evaluation/collect", form: ["period": "2026Q2", "v|KB01|\(nn)": "0.9"])
            #expect(locked.status == .conflict)
            #expect(locked.text.contains("如需修改已审核的数据请提交更正申请"))
        }
    }

    @Test("Outliers need a reason, corrections change approved values through the office, and every change stays in the history",
          arguments: TestDatabase.available)
    func outliersAndCorrections(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await EvaluationWorld.make(app)
            let nn = world.places["南宁市"]!
            var response = try await world.unit.post("/evaluation/collect", form: ["period": "2026Q2", "v|KB02|\(nn)": "50"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("“电子营业执照同步制发率”较上期（98%）变化 -49.0%，超过 30%，请填写变化原因"))
            response = try await world.unit.post("/evaluation/collect", form: ["period": "2026Q2", "v|KB02|\(nn)": "九十"])
            #expect(response.text.contains("的数值“九十”不是数字"))
            #expect(try await world.values(app, period: "2026Q2").isEmpty)
            response = try await world.unit.post("/evaluation/collect", form: ["period": "2026Q2", "v|KB02|\(nn)": "50", "r|KB02|\(nn)": "系统切换，部分办件改为线下"])
            #expect(response.status == .seeOther)
            // Submitting needs every required value.
            response = try await world.unit.post("/evaluation/collect/submit", form: ["period": "2026Q2"])
            #expect(response.status == .seeOther)
            #expect(try await SubmissionRecord.query(on: app.db).filter(\.$period == "2026Q2").first()?.submissionStatus == .draft)

            let value = try #require(try await IndicatorValueRecord.query(on: app.db).filter(\.$period == "2026Q1")
                .filter(\.$indicatorCode == "KB02").filter(\.$place.$id == nn).first())
            #expect(try await world.otherUnit.post("/evaluation/values/\(value.id!)/correction", form: ["value": "99", "reason": "x"]).status == .forbidden)
            // The board has read the year; the accepted correction reaches it by catching up on the changed row.
            let before = try await app.evaluationBoard.scores(year: EvaluationWorld.year, on: app.db)
            #expect(before.result?.value(period: 1, place: before.placeIndex(nn)!, indicator: before.indicatorIndex("KB02")!) == 98)
            response = try await world.unit.post("/evaluation/values/\(value.id!)/correction", form: ["value": "98.8", "reason": "漏统计 3 户"])
            #expect(response.status == .seeOther)
            let correction = try #require(try await CorrectionRecord.query(on: app.db).first())
            #expect(try await IndicatorValueRecord.find(value.id, on: app.db)?.value == 98, "a request changes nothing until accepted")
            response = try await world.office.post("/evaluation/corrections/\(correction.id!)/accept", form: [:])
            #expect(response.status == .seeOther)
            #expect(try await IndicatorValueRecord.find(value.id, on: app.db)?.value == 98.8)
            let history = try await world.office.get("/evaluation/values/\(value.id!)")
            #expect(history.text.contains("<td>98.8</td><td>更正：漏统计 3 户</td>"))
            #expect(history.text.contains("已采纳：98 → 98.8，漏统计 3 户"))
            let scores = try await app.evaluationBoard.scores(year: EvaluationWorld.year, on: app.db)
            #expect(scores.result?.value(period: 1, place: scores.placeIndex(nn)!, indicator: scores.indicatorIndex("KB02")!) == 98.8)
        }
    }

    @Test("An enterprise answers its survey, the answer scores its city, and a fifth survey in a quarter is not sent",
          arguments: TestDatabase.available)
    func surveysAndTheCap(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await EvaluationWorld.make(app)
            for n in 1...5 {
                let created = try await world.office.post("/evaluation/surveys", form: [
                    "title": "第\(n)次满意度调查", "indicator": "ZW02", "period": "2026Q2",
                    "questions": "办事效率是否满意？\n窗口服务态度（1-10）\n文字：有什么建议？",
                ])
                #expect(created.status == .seeOther)
                let survey = try #require(try await SurveyRecord.query(on: app.db).filter(\.$title == "第\(n)次满意度调查").first())
                let sent = try await world.office.post("/evaluation/surveys/\(survey.id!)/send", form: [:])
                #expect(sent.status == .seeOther)
                let page = try await world.office.get("/evaluation/surveys/\(survey.id!)")
                if n <= 4 {
                    #expect(page.text.contains("已发送给 1 家监测点企业。"))
                } else {
                    #expect(page.text.contains("已发送给 0 家监测点企业；1 家企业本季度已收到 4 份问卷，为不增加企业负担未发送：南宁某科技有限公司"))
                }
            }
            #expect(try await SurveyInvitationRecord.query(on: app.db).count() == 4)
            let mine = try await world.firm.get("/my/surveys")
            #expect(mine.text.contains("第1次满意度调查") && !mine.text.contains("第5次满意度调查"))
            let invitation = try #require(try await SurveyInvitationRecord.query(on: app.db).with(\.$survey).all()
                .first { $0.survey.title == "第1次满意度调查" })
            var answer = try await world.firm.post("/my/surveys/\(invitation.id!)", form: ["q0": "4", "q2": "再快一些"])
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.text.contains("请为“窗口服务态度”选择 1–10 分"))
            answer = try await world.firm.post("/my/surveys/\(invitation.id!)", form: ["q0": "4", "q1": "10", "q2": "再快一些"])
            #expect(answer.status == .seeOther)
            // (4 − 1) / 4 × 100 = 75 and (10 − 1) / 9 × 100 = 100 → 87.5, the value of 企业办事满意度 for 南宁.
            let scores = try await app.evaluationBoard.scores(year: EvaluationWorld.year, on: app.db)
            let t = try #require(scores.periodIndex(.quarter(2026, 2)))
            #expect(scores.result?.value(period: t, place: scores.placeIndex(world.places["南宁市"]!)!, indicator: scores.indicatorIndex("ZW02")!) == 87.5)
            // Another enterprise's copy is not reachable.
            #expect(try await world.office.get("/my/surveys/\(invitation.id!)").status == .forbidden)
        }
    }

    @Test("Editing the indicator system refuses what cannot be scored and never touches stored values", arguments: TestDatabase.available)
    func indicatorEditor(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await EvaluationWorld.make(app)
            let count = try await IndicatorRecord.query(on: app.db).count()
            var response = try await world.office.post("/evaluation/system/2026/indicators", form: [
                "code": "KB09", "name": "网办差额", "parent": "YS01", "formula": "#{KB02} / #{NOPE}", "direction": "higher",
            ])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("指标“网办差额”的公式引用了不存在的指标“NOPE”"))
            #expect(try await IndicatorRecord.query(on: app.db).count() == count)
            response = try await world.office.post("/evaluation/system/2026/indicators", form: [
                "code": "KB09", "name": "制发率折算", "parent": "YS01", "formula": "#{KB02} - 90", "direction": "higher", "best": "10", "worst": "0",
            ])
            #expect(response.status == .seeOther)
            let scores = try await app.evaluationBoard.scores(year: EvaluationWorld.year, on: app.db)
            let nn = scores.placeIndex(world.places["南宁市"]!)!
            #expect(scores.result?.value(period: 1, place: nn, indicator: scores.indicatorIndex("KB09")!) == 8)
            #expect(scores.result?.score(period: 1, place: nn, indicator: scores.indicatorIndex("KB09")!) == 80)
            #expect(try await IndicatorValueRecord.query(on: app.db).count() == 6, "a formula is computed, never stored")
            #expect(try await world.unit.post("/evaluation/system/2026/indicators", form: ["code": "X", "name": "X"]).status == .forbidden)
        }
    }

    @Test("The office chooses which level is compared: a city's districts instead of the province's cities", arguments: TestDatabase.available)
    func comparisonLevel(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await EvaluationWorld.make(app)
            let nanning = try #require(try await OrgUnit.query(on: app.db).filter(\.$code == "NN").first())
            try await makeUnit(app, code: "NN-QX", name: "青秀区", kind: .region, parent: nanning)
            #expect(try await EvaluationPlace.all(on: app.db).map(\.name) == ["桂林市", "柳州市", "南宁市"], "by code: GL, LZ, NN")
            let form = ["cap": "4", "near": "5", "bottom": "0", "submission_days": "10", "reminder_days": "3", "kind": "quarter",
                        "on_missed": "1", "automatic": "1"]
            var response = try await world.office.post("/evaluation/settings", form: form.merging(["places_under": "NN"]) { $1 })
            #expect(response.status == .seeOther)
            #expect(try await EvaluationPlace.all(on: app.db).map(\.name) == ["青秀区"])
            response = try await world.office.post("/evaluation/settings", form: form.merging(["places_under": "SCJG"]) { $1 })
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("比较范围应为一个地区"))
        }
    }

    @Test("Units that have not submitted are reminded before the deadline, once", arguments: TestDatabase.available)
    func reminders(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await EvaluationWorld.make(app)
            let settings = try await EvaluationSettings.load(on: app.db)
            let due = settings.schedule.deadline(of: .quarter(2026, 2), calendar: try await CalendarService(db: app.db).calendar())
            #expect(try await EvaluationJobs.sendReminders(on: app.db, today: due) == "发送了 1 条指标报送提醒")
            #expect(try await EvaluationJobs.sendReminders(on: app.db, today: due) == "发送了 0 条指标报送提醒")
            let inbox = try await world.unit.get("/inbox")
            #expect(inbox.text.contains("2026年第二季度的营商环境指标数据请于 \(due.iso) 前报送。"))
            // The day after the deadline the window has closed.
            #expect(try await EvaluationJobs.sendReminders(on: app.db, today: due.adding(days: 1)) == "发送了 0 条指标报送提醒")
        }
    }

    @Test("Who may see and do what", arguments: TestDatabase.available)
    func permissions(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await EvaluationWorld.make(app)
            let anonymous = try await TestBrowser(app).get("/evaluation")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await world.firm.get("/evaluation").status == .forbidden)
            #expect(try await world.firm.get("/evaluation/collect").status == .forbidden)
            #expect(try await world.unit.get("/evaluation").status == .ok)
            #expect(try await world.otherUnit.get("/evaluation/collect?unit=\(try world.bureau.requireID())").status == .forbidden)
            #expect(try await world.unit.post("/evaluation/settings", form: ["cap": "1"]).status == .forbidden)
            #expect(try await world.unit.post("/evaluation/rectifications/run", form: ["period": "2026Q1"]).status == .forbidden)
            // A leader looks at a unit's collection page, read-only, and cannot write its values.
            try await makeUser(app, login: "leader1", role: .leader)
            let leader = TestBrowser(app)
            try await leader.login("leader1")
            let page = try await leader.get("/evaluation/collect?unit=\(try world.bureau.requireID())&period=2026Q3")
            #expect(page.status == .ok)
            #expect(page.text.contains("电子营业执照同步制发率"))
            #expect(!page.text.contains("name=\"v|KB02|"))
            let nn = try #require(world.places["南宁市"])
            #expect(try await leader.post("/evaluation/collect", form: ["period": "2026Q3", "v|KB02|\(nn)": "99"]).status == .forbidden)
            #expect(try await IndicatorValueRecord.query(on: app.db).filter(\.$period == "2026Q3").count() == 0)
            let bad = try await world.office.post("/evaluation/settings", form: ["cap": "0", "near": "5", "bottom": "0", "submission_days": "10", "reminder_days": "3"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("每季度问卷上限应在 1–20 份之间"))
        }
    }
}
