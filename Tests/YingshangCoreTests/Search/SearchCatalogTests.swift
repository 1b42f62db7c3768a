import Testing
@testable import YingshangCore

@Suite("Search: Chinese analysis, ranking, look-ups and updates")
struct SearchCatalogTests {
    static func document(_ key: String, _ title: String, number: String = "", kind: String = "行政法规", validity: String = "现行有效",
                         day: Int? = nil, _ articles: [String]) -> SearchDocument {
        let parsed = articles.enumerated().map { i, text in
            PolicyArticle(anchor: "art-\(i + 1)", label: ArticleReference.label(i + 1), number: i + 1, outline: "",
                          text: ArticleReference.label(i + 1) + " " + text)
        }
        return .policy(key: key, title: title, number: number, facets: SearchFacets(kind: kind, validity: validity, issuedDay: day),
                       history: [], preamble: "", articles: parsed)
    }

    static let documents = [
        document("a", "优化营商环境条例", number: "国务院令第722号", day: 18_000, [
            "为了持续优化营商环境，制定本条例。",
            "国家加快建立统一开放、竞争有序的现代市场体系。",
            "政府及其有关部门办理政务服务事项，应当推行当场办结、一次办结、限时办结等制度。",
            "行政审批事项应当精简，审批时限应当压缩。",
        ]),
        document("b", "粮食流通管理条例", number: "国务院令第407号", day: 12_000, [
            "国务院发展改革部门负责粮食市场供求形势的监测和预警，保持粮食价格基本稳定。",
            "粮食经营者应当遵守价格法律法规。",
        ]),
        document("c", "中华人民共和国行政许可法", kind: "法律", day: 15_000, [
            "行政许可的设定和实施，适用本法。",
            "行政机关应当在法定期限内作出审批决定。",
            "有關規定應當公開。", // traditional characters in the text
        ]),
        document("d", "某市企业登记办法", kind: "规范性文件", validity: "已废止", day: 10_000, [
            "企业登记应当在ABC系统中办理，时限为3个工作日。",
        ]),
    ]

    let catalog = SearchCatalog(documents: documents, synonyms: SynonymTable(text: "发改委\t发展改革部门|发展和改革委员会"))

    func top(_ query: String, options: SearchOptions = SearchOptions()) -> [String] {
        catalog.search(query, options: options).rankedUnits.map { "\($0.documentKey)/\($0.unit.label ?? "head")" }
    }

    @Test("A 2-character word is found as a word, not as its characters apart")
    func twoCharacters() {
        let hits = top("审批")
        #expect(hits.contains("a/第四条"))
        #expect(hits.contains("c/第二条"))
        #expect(!hits.contains("a/第一条"), "审 and 批 apart do not match")
        let snippet = catalog.search("审批").rankedUnits[0].snippet
        #expect(snippet.contains { $0.highlighted && $0.text == "审批" })
    }

    @Test("One character, a phrase in quotes, and an exclusion")
    func operators() {
        #expect(top("粮").allSatisfy { $0.hasPrefix("b/") })
        #expect(top("\"当场办结\"") == ["a/第三条"])
        #expect(!top("审批 -行政许可").contains { $0.hasPrefix("c/") }, "a document whose title has the excluded word drops out")
    }

    @Test("Document plus article finds that article first; a 文号 finds its document")
    func exactLookups() {
        #expect(top("优化营商环境条例 第三条").first == "a/第三条")
        #expect(top("优化营商环境条例第3条").first == "a/第三条")
        #expect(top("行政许可法 第二条").first == "c/第二条", "a short name finds the full title")
        #expect(top("国务院令第722号").first?.hasPrefix("a/") == true)
    }

    @Test("An abbreviation finds the full name; other terms still have to match")
    func synonyms() {
        let hits = top("发改委 价格")
        #expect(hits.first == "b/第一条")
    }

    @Test("A near-miss title is suggested and its document shown first")
    func didYouMean() {
        let results = catalog.search("优化营商环镜条例")
        #expect(results.suggestion == "优化营商环境条例")
        #expect(results.rankedUnits.first?.documentKey == "a")
    }

    @Test("Of two versions with the same title, the near-miss suggestion shows the latest, whatever the index order")
    func didYouMeanLatestVersion() {
        let text = ["机关、事业单位从中小企业采购货物，应当按照约定支付款项。"]
        for keys in [["old", "new"], ["new", "old"]] {
            let versions = keys.map { key in
                Self.document(key, "保障中小企业款项支付条例", day: key == "new" ? 20_000 : 18_000, text)
            }
            let results = SearchCatalog(documents: versions).search("保障中小企业款项支符条例")
            #expect(results.suggestion == "保障中小企业款项支付条例")
            #expect(results.rankedUnits.first?.documentKey == "new", "index order \(keys)")
        }
    }

    @Test("A title is suggested from a bigram similarity of 0.6 on, not below, however long the title")
    func didYouMeanThreshold() {
        // 政务服务中新 (a slip for 政务服务中心) shares 政务, 务服 and 服务 with each title: 2 × 3 / (5 + 5) = 0.6 for the
        // six-character title, 2 × 3 / (5 + 6) and 2 × 3 / (5 + 7) for the longer ones.
        let text = ["政府应当优化办事流程。"]
        for (title, suggested) in [("政务服务条例", true), ("政务服务管理法", false), ("政务服务管理条例", false)] {
            let results = SearchCatalog(documents: [Self.document("x", title, text)]).search("政务服务中新")
            #expect(results.suggestion == (suggested ? title : nil), "\(title)")
        }
    }

    @Test("Full-width, upper-case and traditional characters fold to their plain forms")
    func folding() {
        #expect(top("ＡＢＣ系统").first == "d/第一条")
        #expect(top("abc").first == "d/第一条")
        #expect(top("有关规定").first == "c/第三条")
        #expect(top("３个工作日").first == "d/第一条")
    }

    @Test("Filters and date order")
    func filters() {
        var options = SearchOptions()
        options.validities = ["现行有效"]
        #expect(!top("企业", options: options).contains { $0.hasPrefix("d/") })
        options = SearchOptions()
        options.kinds = ["法律"]
        #expect(top("审批", options: options).allSatisfy { $0.hasPrefix("c/") })
        options = SearchOptions()
        options.order = .newest
        let groups = catalog.search("应当", options: options).groups.map(\.document.key)
        #expect(groups == ["a", "c", "b", "d"].filter(groups.contains))
    }

    @Test("Pages of one query follow each other without gaps or repeats, in relevance and in date order")
    func paging() {
        for order in [SearchOptions().order, .newest] {
            var options = SearchOptions()
            options.order = order
            options.limit = 100
            let all = catalog.search("应当", options: options).groups.map(\.document.key)
            #expect(all.count >= 3)
            options.limit = 1
            let pages = all.indices.map { offset in
                options.offset = offset
                return catalog.search("应当", options: options).groups.map(\.document.key)
            }
            #expect(pages.flatMap { $0 } == all)
        }
    }

    @Test("Grouped by document with the best articles under each; a question without spaces still finds articles")
    func groupingAndRelaxed() {
        let results = catalog.search("审批")
        #expect(Set(results.groups.map(\.document.key)).count == results.groups.count)
        #expect(catalog.search("办理政务服务需要多长时间").rankedUnits.contains { $0.documentKey == "a" && $0.unit.label == "第三条" })
    }

    @Test("Updates replace and remove documents; results equal a catalogue built from scratch")
    func updates() {
        var changed = Self.documents[1]
        changed.units[1].text = "第二条 粮食经营者应当执行政府定价。"
        let updated = catalog.updating([changed, Self.document("e", "新办法", ["审批应当一次办结。"])], removing: ["d"])
        let rebuilt = SearchCatalog(documents: [Self.documents[0], changed, Self.documents[2], Self.document("e", "新办法", ["审批应当一次办结。"])],
                                    synonyms: catalog.synonyms)
        for query in ["审批", "价格", "政府定价", "企业", "发改委 价格", "应当", "粮"] {
            let a = updated.search(query).rankedUnits.map { "\($0.documentKey)/\($0.unit.label ?? "")" }
            let b = rebuilt.search(query).rankedUnits.map { "\($0.documentKey)/\($0.unit.label ?? "")" }
            #expect(Set(a) == Set(b), "\(query)")
        }
        #expect(updated.search("ABC").groups.isEmpty)
        #expect(updated.documentCount == 4)
        #expect(updated.compacted().search("政府定价").rankedUnits.first?.documentKey == "b")
    }
}
