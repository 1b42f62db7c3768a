import Testing
@testable import YingshangCore

@Suite("Policy documents: reading the corpus format and plain text")
struct PolicyTextParserTests {
    static let regulation = """
    # 优化营商环境条例

    2019年10月8日 国务院第66次常务会议通过

    2019年10月22日 中华人民共和国国务院令第722号公布

    2020年1月1日 施行

    <!-- INFO END -->

    ## 第一章 总则

    第一条 为了持续优化营商环境，制定本条例。

    第二条 本条例所称营商环境，是指企业等市场主体在市场经济活动中所涉及的体制机制性因素和条件。

    各级人民政府应当加强组织领导。

    ## 第四章 政务服务

    ### 第一节 一般规定

    第三十六条 政府及其有关部门办理政务服务事项，应当推行当场办结、一次办结、限时办结等制度。

    第三十六条之一 本条用于测试“之一”条款。

    第一百二十条 本条例自2020年1月1日起施行。
    """

    @Test("Title, dated lines, 文号, issuer, dates and articles with outline and anchors")
    func corpusMarkdown() throws {
        let draft = try PolicyTextParser.parse(Self.regulation, kind: .administrativeRegulation, topic: "行政法规",
                                               versionDate: CivilDate(iso: "2019-10-22"))
        #expect(draft.title == "优化营商环境条例")
        #expect(draft.number == "国务院令第722号")
        #expect(draft.issuer == "国务院")
        #expect(draft.history.count == 3)
        #expect(draft.issuedOn == CivilDate(iso: "2019-10-22"))
        #expect(draft.effectiveOn == CivilDate(iso: "2020-01-01"))
        #expect(draft.level == .national)
        #expect(draft.articles.map(\.label) == ["第一条", "第二条", "第三十六条", "第三十六条之一", "第一百二十条"])
        #expect(draft.articles.map(\.anchor) == ["art-1", "art-2", "art-36", "art-36-1", "art-120"])
        #expect(draft.articles[1].text.contains("各级人民政府应当加强组织领导。"), "a second paragraph belongs to its article")
        #expect(draft.articles[2].outline == "第四章 政务服务 / 第一节 一般规定")
        #expect(draft.articles[0].outline == "第一章 总则")
    }

    @Test("A law's issuer comes from its first dated line; a local regulation's level from its title")
    func issuersAndLevels() throws {
        let law = "# 中华人民共和国中小企业促进法\n\n2002年6月29日 第九届全国人民代表大会常务委员会第二十八次会议通过\n\n<!-- INFO END -->\n\n第一条 为了改善中小企业经营环境，制定本法。\n"
        let parsed = try PolicyTextParser.parse(law, kind: .law)
        #expect(parsed.issuer == "全国人民代表大会常务委员会")
        let local = "# 济南市优化营商环境条例\n\n2021年12月10日 济南市第十七届人民代表大会常务委员会第二十四次会议通过\n\n<!-- INFO END -->\n\n第一条 为了优化营商环境，制定本条例。\n"
        let city = try PolicyTextParser.parse(local, kind: .localRegulation)
        #expect(city.level == .city)
        #expect(city.issuer == "济南市人民代表大会常务委员会")
    }

    @Test("Plain text (an upload): the first line is the title, dated lines under it are history, 〔〕 文号 found")
    func plainText() throws {
        let text = "南宁市促进民营经济发展若干措施\n南府规〔2024〕3号\n2024年3月1日\n\n一、降低经营成本。\n第一条 对新开办企业免费刻制公章。\n第二条 本措施自印发之日起施行。"
        let draft = try PolicyTextParser.parse(text, kind: .normativeDocument)
        #expect(draft.title == "南宁市促进民营经济发展若干措施")
        #expect(draft.number == "南府规〔2024〕3号")
        #expect(draft.issuedOn == nil || draft.issuedOn == CivilDate(iso: "2024-03-01"))
        #expect(draft.articles.count == 2)
    }

    @Test("Empty files and files without a body are refused with a Chinese reason")
    func refusals() {
        #expect(throws: PolicyParseError.empty) { try PolicyTextParser.parse("  \n\n", kind: .law) }
        #expect(throws: PolicyParseError.noBody) {
            try PolicyTextParser.parse("# 标题\n\n2012年9月27日 通过\n\n<!-- INFO END -->\n", kind: .law)
        }
        #expect(PolicyParseError.noBody.description == "只有标题，没有正文")
    }

    @Test("A long run of digits in a dated line is not a date and does not overflow")
    func longDigits() throws {
        let text = "标题\n12345678901234567890123年1月1日 通过\n第一条 内容。"
        let draft = try PolicyTextParser.parse(text, kind: .normativeDocument)
        #expect(draft.issuedOn == nil)
        #expect(draft.articles.count == 1)
    }

    @Test("Validity follows the dates unless superseded")
    func validity() {
        let today = CivilDate(iso: "2026-11-28")!
        #expect(PolicyValidity.derive(effective: CivilDate(iso: "2020-01-01"), expired: nil, superseded: false, on: today) == .inForce)
        #expect(PolicyValidity.derive(effective: CivilDate(iso: "2027-01-01"), expired: nil, superseded: false, on: today) == .notYetEffective)
        #expect(PolicyValidity.derive(effective: nil, expired: CivilDate(iso: "2026-11-28"), superseded: false, on: today) == .repealed)
        #expect(PolicyValidity.derive(effective: nil, expired: nil, superseded: true, on: today) == .amended)
    }

    @Test("Chinese numerals both ways, up to the thousands of the civil code")
    func numerals() {
        for n in [1, 10, 12, 20, 36, 100, 105, 110, 119, 999, 1000, 1010, 1105, 1260] {
            #expect(ChineseNumerals.value(Array(ChineseNumerals.text(n).unicodeScalars)) == n, "\(n) → \(ChineseNumerals.text(n))")
        }
        #expect(ChineseNumerals.text(1260) == "一千二百六十")
        #expect(ChineseNumerals.text(110) == "一百一十")
        #expect(ChineseNumerals.value(Array("二〇二三".unicodeScalars)) == 2023)
        #expect(ArticleReference.split("优化营商环境条例第36条")! == ("优化营商环境条例", 36))
    }
}
