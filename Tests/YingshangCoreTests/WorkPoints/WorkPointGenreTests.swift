import Foundation
import Testing
@testable import YingshangCore

/// Small documents exercising the forms used across the genre (not only the fixtures).
@Suite("Work points: genre forms")
struct WorkPointGenreTests {
    func items(_ text: String, _ options: WorkPointParser.Options = .init()) -> [WorkPointTask] {
        WorkPointParser(options: options).parse(text).allItems
    }

    @Test func tortoiseShellBracketAnnotation() {
        let t = items("某县2024年优化营商环境工作要点\n一、政务服务\n（一）深化审批改革。推行告知承诺制。〔牵头单位：县行政审批局；配合单位：县发改局、县司法局〕")
        #expect(t.count == 1)
        #expect(t[0].leadUnits == ["县行政审批局"])
        #expect(t[0].coUnits == ["县发改局", "县司法局"])
        #expect(t[0].text == "深化审批改革。推行告知承诺制。")
    }

    @Test func labelsOnTheirOwnLines() {
        let text = """
        某市2024年营商环境工作任务分工方案
        一、重点任务
        1.推进企业开办便利化，全程网办率达到100%。
        牵头单位：市市场监管局
        配合单位：市公安局、税务局、人社局
        完成时限：2024年6月底前
        2.优化不动产登记。
        责任单位：市自然资源局
        完成时限：长期
        """
        let t = items(text)
        #expect(t.count == 2)
        #expect(t[0].leadUnits == ["市市场监管局"])
        #expect(t[0].coUnits == ["市公安局", "市税务局", "市人社局"])
        #expect(t[0].deadline?.date == "2024-06-30")
        #expect(t[0].targets.first?.value == 100)
        #expect(t[1].leadUnits == ["市自然资源局"])
        #expect(t[1].deadline?.kind == .ongoing)
        #expect(t.allSatisfy { $0.annotated })
    }

    @Test func inlineLabelWithoutBrackets() {
        let t = items("某区2024年工作要点\n一、任务\n（一）加强监管。开展双随机抽查。责任单位：区市场监管局；完成时限：11月底前")
        #expect(t.first?.leadUnits == ["区市场监管局"])
        #expect(t.first?.deadline?.date == "2024-11-30")
        #expect(t.first?.text == "加强监管。开展双随机抽查。")
    }

    @Test func leadAndParticipateAndFirstListedRule() {
        let text = """
        某省关于优化营商环境的实施意见
        一、工作任务
        （一）优化审批。压缩时限。（省发展改革委牵头，省自然资源厅、生态环境厅参与）
        （二）规范收费。清理涉企收费。（省财政厅、省发展改革委、省市场监管局负责。列第一位者为牵头单位，下同）
        （三）公平竞争。（省市场监管局、省司法厅负责）
        （四）联合监管。（省市场监管局会同省公安厅负责）
        （五）分别推进。（省教育厅、省卫生健康委分别牵头）
        """
        let t = items(text)
        #expect(t.count == 5)
        #expect(t[0].leadUnits == ["省发展改革委"])
        #expect(t[0].coUnits == ["省自然资源厅", "省生态环境厅"])
        #expect(t[1].leadUnits == ["省财政厅"])
        #expect(t[1].coUnits == ["省发展改革委", "省市场监管局"])
        #expect(t[2].leadUnits == ["省市场监管局"])
        #expect(t[2].coUnits == ["省司法厅"])
        #expect(t[3].leadUnits == ["省市场监管局"])
        #expect(t[3].coUnits == ["省公安厅"])
        #expect(t[4].leadUnits == ["省教育厅", "省卫生健康委"])
    }

    @Test func allListedLeadWithoutRule() {
        let t = items("某市工作要点\n一、任务\n（一）推进改革。（市发改委、市财政局按职责分工负责）\n（二）推进开放。（市商务局、市外事办负责）")
        #expect(t[0].leadUnits == ["市发改委", "市财政局"])
        #expect(t[0].coUnits.isEmpty)
        #expect(t[1].leadUnits == ["市商务局", "市外事办"])
    }

    @Test func unitNamesWithInnerSeparators() {
        var problems: [String] = []
        func split(_ s: String) -> [String] { WorkPointUnitSplitter.split(Array(s.unicodeScalars)[...], problems: &problems) }
        #expect(split("各市、县人民政府") == ["各市、县人民政府"])
        #expect(split("各县（市、区）人民政府，市直有关单位") == ["各县（市、区）人民政府", "市直有关单位"])
        #expect(split("各地住房公积金管理中心〔分中心〕") == ["各地住房公积金管理中心〔分中心〕"])
        #expect(split("各省、自治区、直辖市人民政府") == ["各省、自治区、直辖市人民政府"])
        #expect(split("自治区发展改革委、自然资源厅、生态环境厅") == ["自治区发展改革委", "自治区自然资源厅", "自治区生态环境厅"])
        #expect(split("市发改委、自然资源局") == ["市发改委", "市自然资源局"])
        #expect(split("省发展改革委、市场监管局") == ["省发展改革委", "省市场监管局"])
        #expect(split("市财政局、人民银行XX中心支行、南宁海关") == ["市财政局", "人民银行XX中心支行", "南宁海关"])
        #expect(split("市发改委、南宁市统计局") == ["市发改委", "南宁市统计局"])
        #expect(split("人力资源社会保障部等有关部门和单位") == ["人力资源社会保障部", "有关部门和单位"])
        #expect(split("各区、县级市") == ["各区、县级市"])
        #expect(split("市发改委，市工信局,市商务局;市财政局") == ["市发改委", "市工信局", "市商务局", "市财政局"])
        #expect(problems.isEmpty)
    }

    @Test func jointUnitNamesWarn() {
        var problems: [String] = []
        _ = WorkPointUnitSplitter.split(Array("市发改委和市财政局".unicodeScalars)[...], problems: &problems)
        #expect(problems.count == 1)
        problems = []
        _ = WorkPointUnitSplitter.split(Array("自治区人力资源社会保障厅、市场监管局，各市、县人民政府，市政府办公室".unicodeScalars)[...], problems: &problems)
        #expect(problems.isEmpty)
    }

    @Test func unsplittableUnitListWarns() {
        let r = WorkPointParser().parse("某市工作要点\n一、任务\n（一）推进。（牵头单位：市发展改革委市财政局市商务局市工业和信息化局市自然资源局市生态环境局）")
        #expect(r.documents[0].warnings.contains { $0.code == "unit_split" && $0.item == "一、（一）" })
    }

    @Test func deadlineForms() {
        func dl(_ s: String, year: Int? = 2023) -> WorkPointDeadline? {
            let opts = WorkPointParser.Options(defaultYear: year)
            return WorkPointParser(options: opts).parse("工作要点测试文件\n一、任务\n（一）测试任务。（牵头单位：市发改委；完成时限：\(s)）").allItems.first?.deadline
        }
        #expect(dl("2023年7月底前")?.date == "2023-07-31")
        #expect(dl("2023年12月底")?.date == "2023-12-31")
        #expect(dl("11月底前")?.date == "2023-11-30")
        #expect(dl("年底前")?.date == "2023-12-31")
        #expect(dl("6月底完成")?.date == "2023-06-30")
        #expect(dl("2024年2月底前")?.date == "2024-02-29")
        #expect(dl("2023年9月30日前")?.date == "2023-09-30")
        #expect(dl("2023年上半年")?.date == "2023-06-30")
        #expect(dl("2023年第三季度")?.date == "2023-09-30")
        #expect(dl("长期坚持")?.kind == .ongoing)
        #expect(dl("持续推进")?.kind == .ongoing)
        #expect(dl("长期")?.kind == .ongoing)
        #expect(dl("长期")?.date == nil)
        #expect(dl("待定")?.kind == .unresolved)
        #expect(dl("11月底前", year: nil)?.kind == .unresolved)
        // body deadlines
        let body = WorkPointParser().parse("2023年某市工作要点\n一、任务\n（一）推进。6月底完成清理。（牵头单位：市发改委）\n（二）补贴。2019年1月1日至12月31日，返还失业保险费。（牵头单位：市人社局）").allItems
        #expect(body[0].deadline?.text == "6月底")
        #expect(body[0].deadline?.date == "2023-06-30")
        #expect(body[0].deadline?.source == "body")
        #expect(body[1].deadline == nil)
        let more = WorkPointParser().parse("2023年某市工作要点\n一、任务\n（一）统计。2022年前三季度增长5%。\n（二）建设。2025年前建成平台。\n（三）审批。（市审批局牵头，市直有关部门配合）").allItems
        #expect(more[0].deadline == nil)
        #expect(more[1].deadline?.date == "2025-12-31")
        #expect(more[2].leadUnits == ["市审批局"])
        #expect(more[2].coUnits == ["市直有关部门"])
    }

    @Test func numberingStylesAndLevels() {
        let text = """
        某市2024年工作要点
        一、总体要求
        （一）目标
        1、提高效率。（牵头单位：市政府办）
        2、降低成本。（牵头单位：市财政局）
        （二）措施
        1．简化流程：
        （1）精简材料。（牵头单位：市审批局）
        （2）压缩时限。（牵头单位：市审批局）
        ①网上办。（牵头单位：市大数据局）
        ②掌上办。（牵头单位：市大数据局）
        二、保障
        （一）加强领导。（牵头单位：市委办）
        """
        let t = items(text)
        // （2） has children with their own annotations, so it is a task of its own as well
        #expect(t.map(\.number) == ["1、", "2、", "（1）", "（2）", "①", "②", "（一）"])
        #expect(t[2].path == ["一、总体要求", "（二）措施", "1.简化流程"])
        #expect(t[3].path.last == "1.简化流程")
        #expect(t[4].path.last == "（2）压缩时限")
        #expect(t[6].path == ["二、保障"])
    }

    @Test func unannotatedParagraphsAndNoise() {
        let text = """
        \u{3000}\u{3000}某市2024年工作要点
        目\u{3000}录
        一、总体要求\u{3000}\u{3000}\u{3000}1
        二、重点任务……………………2

        某市2024年工作要点
        为做好工作，制定本要点。
        一、总体要求
        \u{3000}\u{3000}坚持稳中求进。
        — 1 —
        二、重点任务
        \u{3000}\u{3000}（一）加強監管。（牽頭單位：市市場監管局；完成時限：2024年12月底前）
        第 2 页 共 3 页
        （二）優化服務。
        扫码关注公众号，获取更多资料！
        """
        let r = WorkPointParser().parse(text)
        #expect(r.documents.count == 1)
        let t = r.allItems
        #expect(t.map(\.number) == ["一、", "（一）", "（二）"])
        #expect(t[0].annotated == false)
        #expect(t[0].text == "总体要求\n坚持稳中求进。")
        #expect(t[1].leadUnits == ["市市场监管局"])
        #expect(t[1].deadline?.date == "2024-12-31")
        #expect(t[2].text == "优化服务。")
        #expect(r.documents[0].warnings.contains { $0.code == "traditional_converted" })
    }

    @Test func parentAnnotationInheritedByChildren() {
        let t = items("某市工作要点\n一、任务\n（一）推进数字政府建设。（牵头单位：市大数据局；完成时限：2024年底前）\n1.建设平台。\n2.共享数据。")
        #expect(t.count == 2)
        #expect(t.allSatisfy { $0.leadUnits == ["市大数据局"] && $0.annotated })
        #expect(t[0].deadline?.date == "2024-12-31")
    }

    @Test func jsonIsStableAndSnakeCase() throws {
        let r = WorkPointParser().parse("2023年某市工作要点\n一、任务\n（一）推进。比例达到97%以上。（牵头单位：市发改委；配合单位：市财政局；完成时限：2023年7月底前）")
        let a = r.jsonData(pretty: false)
        let b = r.jsonData(pretty: false)
        #expect(a == b)
        let s = String(decoding: a, as: UTF8.self)
        #expect(s.contains("\"lead_units\":[\"市发改委\"]"))
        #expect(s.contains("\"co_units\":[\"市财政局\"]"))
        #expect(s.contains("\"deadline\":{\"date\":\"2023-07-31\",\"kind\":\"date\",\"source\":\"annotation\",\"text\":\"2023年7月底前\"}"))
        #expect(s.contains("\"targets\":[{\"comparator\":\">=\",\"text\":\"达到97%以上\",\"unit\":\"%\",\"value\":97}]"))
        let back = try JSONDecoder().decode(WorkPointParseResult.self, from: a)
        #expect(back == r)
        let pretty = String(decoding: r.jsonData(pretty: true), as: UTF8.self)
        #expect(pretty.contains("\n"))
    }

    @Test func dateArithmetic() {
        #expect(WorkPointDate(year: 2018, month: 11, day: 16).adding(days: 30).iso == "2018-12-16")
        #expect(WorkPointDate(year: 2023, month: 12, day: 31).adding(days: 1).iso == "2024-01-01")
        #expect(WorkPointDate(year: 2024, month: 1, day: 31).adding(months: 1).iso == "2024-02-29")
        #expect(WorkPointDate(iso: "2023-02-29") == nil)
        #expect(WorkPointDate(year: 2023, month: 1, day: 1) < WorkPointDate(year: 2023, month: 1, day: 2))
    }

    @Test func explicitLeadMakesOthersCooperate() {
        let t = items("某市工作要点\n一、任务\n（一）推进改革。（市发展改革委牵头，市直有关部门按职责分工负责）")
        #expect(t[0].leadUnits == ["市发展改革委"])
        #expect(t[0].coUnits == ["市直有关部门"])
    }

    @Test func transmittalNoticeAndCompilationWithoutBlankLines() {
        let text = """
        某市人民政府办公室关于印发
        某市2024年优化营商环境工作要点的通知
        各县（市、区）人民政府，市直各单位：
        《某市2024年优化营商环境工作要点》已经市政府同意，现印发给你们，请认真贯彻落实。
        某市人民政府办公室
        二〇二四年三月一日
        附件
        某市2024年优化营商环境工作要点
        一、重点任务
        （一）开展评价。自本通知印发之日起3个月内完成。（牵头单位：市发展改革委）
        （二）加强宣传。（牵头单位：市委宣传部）
        某区2024年政务公开工作要点
        一、工作任务
        1.公开政策文件。（责任单位：区政府办）
        """
        let r = WorkPointParser().parse(text)
        #expect(r.documents.map(\.title) == ["某市2024年优化营商环境工作要点", "某区2024年政务公开工作要点"])
        #expect(r.documents[0].issuedOn == WorkPointDate(year: 2024, month: 3, day: 1))
        let first = r.documents[0].items[0]
        #expect(first.deadline?.kind == .relative)
        #expect(first.deadline?.months == 3)
        #expect(first.deadline?.date == "2024-06-01")
        #expect(r.documents[0].items.count == 2)
        #expect(r.documents[1].items.first?.leadUnits == ["区政府办"])
    }

    @Test func leadLabelTurnsResponsibleIntoCooperating() {
        let text = """
        某州2020年优化营商环境工作计划
        一、提升政务服务效能
        1.推进相对集中许可权改革。（牵头单位：州行政审批服务局；责任单位：州司法局、州委编办及州直相关单位，各县市人民政府、某经开区管委会，6月底完成）
        2.规范备案管理。〔牵头单位：区政府办公室，责任单位：区政府有关部门，各街道（功能区）〕
        """
        let t = items(text)
        #expect(t[0].leadUnits == ["州行政审批服务局"])
        #expect(t[0].coUnits == ["州司法局", "州委编办", "州直相关单位", "各县市人民政府", "某经开区管委会"])
        #expect(t[0].deadline?.text == "6月底完成")
        #expect(t[0].deadline?.date == "2020-06-30")
        #expect(t[1].leadUnits == ["区政府办公室"])
        #expect(t[1].coUnits == ["区政府有关部门", "各街道（功能区）"])
    }

    @Test func traditionalCharactersAndHalfWidthPunctuation() {
        let text = "某市2022年深化改革工作要點\n一、堅持系統集成\n1.全面實施清單管理。2022年10月底前編制並公布清單。(市政府辦公室、市審批制度改革領導小組辦公室牽頭,市級各有關部門及各縣市區政府按職責分工負責)"
        let t = items(text)
        #expect(t.count == 1)
        #expect(t[0].leadUnits == ["市政府办公室", "市审批制度改革领导小组办公室"])
        #expect(t[0].coUnits == ["市级各有关部门", "各县市区政府"])
        #expect(t[0].deadline?.date == "2022-10-31")
    }

    @Test func multiLineTitleWithPeriodSuffix() {
        let text = """
        某区全力打响服务品牌
        加快建设国际化城区三年行动计划
        （2018—2020年）
        为贯彻落实有关部署，特制定本行动计划。
        一、主要任务
        1.提升服务能级。到2020年，新建平台15个以上。（区发展改革委牵头，区商务委配合）
        """
        let r = WorkPointParser().parse(text)
        #expect(r.documents.count == 1)
        #expect(r.documents[0].title == "某区全力打响服务品牌加快建设国际化城区三年行动计划（2018—2020年）")
        #expect(r.documents[0].year == 2018)
        let t = r.allItems[0]
        #expect(t.leadUnits == ["区发展改革委"])
        #expect(t.coUnits == ["区商务委"])
        #expect(t.deadline?.text == "到2020年")
        #expect(t.targets.first?.text == "15个以上")
    }

    @Test func labelsSeparatedOnlyBySpacesAndLatestAnnotationDate() {
        let t = items("某市2024年工作要点\n一、任务\n1.推进改革。（牵头单位：市发展改革委 配合单位：市财政局 完成时限：4月启动，12月底前完成）")
        #expect(t[0].leadUnits == ["市发展改革委"])
        #expect(t[0].coUnits == ["市财政局"])
        #expect(t[0].deadline?.date == "2024-12-31")
        #expect(t[0].deadline?.text == "4月启动，12月底前完成")
    }

    @Test func bareUnitListInBracketsAndInlineLeadMarker() {
        let text = """
        某省2024年重点工作任务分工方案
        一、重点任务
        1.推进项目建设。加快重大项目落地。（省发展改革委、省自然资源厅、省生态环境厅）
        2.支持技工院校（含技师学院）发展，落实《条例》（国令第722号）。
        3.优化营商环境。（责任单位：省市场监管局（牵头）、省商务厅、省税务局）
        """
        let t = items(text)
        #expect(t.count == 3)
        #expect(t[0].annotated)
        #expect(t[0].leadUnits == ["省发展改革委", "省自然资源厅", "省生态环境厅"])
        #expect(t[1].annotated == false)
        #expect(t[1].text.contains("（含技师学院）"))
        #expect(t[2].leadUnits == ["省市场监管局"])
        #expect(t[2].coUnits == ["省商务厅", "省税务局"])
    }

    @Test func tabSeparatedTaskTable() {
        let text = "某县2024年重点任务分工方案\n一、重点任务\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n1\t推进企业开办“一网通办”。\t县市场监管局\t县税务局、县公安局\t2024年6月底前\n2\t开展营商环境评价。\t县发展改革局\t\t长期坚持\n二、保障措施\n加强组织领导。"
        let t = items(text)
        #expect(t.count == 3)
        #expect(t[0].number == "1.")
        #expect(t[0].text == "推进企业开办“一网通办”。")
        #expect(t[0].leadUnits == ["县市场监管局"])
        #expect(t[0].coUnits == ["县税务局", "县公安局"])
        #expect(t[0].deadline?.date == "2024-06-30")
        #expect(t[1].leadUnits == ["县发展改革局"])
        #expect(t[1].deadline?.kind == .ongoing)
        #expect(t[2].annotated == false)
    }

    @Test func yearInferredFromPreambleWithWarning() {
        let r = WorkPointParser().parse("某市优化营商环境工作要点\n2024年是全面深化改革的关键一年，制定本要点。\n一、任务\n（一）推进。（牵头单位：市发改委；完成时限：6月底前）")
        #expect(r.documents[0].year == 2024)
        #expect(r.allItems[0].deadline?.date == "2024-06-30")
        #expect(r.documents[0].warnings.contains { $0.code == "year_inferred" })
        let none = WorkPointParser().parse("某市优化营商环境工作要点\n一、任务\n（一）推进。（牵头单位：市发改委；完成时限：6月底前）")
        #expect(none.documents[0].year == nil)
        #expect(none.allItems[0].deadline?.kind == .unresolved)
        #expect(none.documents[0].warnings.contains { $0.code == "deadline_year_missing" })
        #expect(none.documents[0].warnings.contains { $0.code == "year_missing" })
    }
}
