import Foundation
import Testing
@testable import YingshangCore

func civil(_ s: String) -> CivilDate { CivilDate(iso: s)! }

@Suite("Appeal numbers, keys and labels")
struct AppealBasicsTests {
    @Test func numberFormatParseRoundTrip() {
        #expect(AppealNumber.format(year: 2026, sequence: 1234) == "YS2026-00001234")
        #expect(AppealNumber.format(year: 2026, sequence: 99_999_999) == "YS2026-99999999")
        for (y, s) in [(2026, 1), (2023, 1234), (9999, 99_999_999), (1000, 50)] {
            let p = AppealNumber.parse(AppealNumber.format(year: y, sequence: s))
            #expect(p?.year == y && p?.sequence == s)
        }
        for bad in ["ys2026-00001234", "YS2026-1234", "YS2026-00000000", "YS2026_00001234", "YS2026-000012345",
                    "YS2026-0000123a", "YS0999-00000001", "YS２０２６-00001234", "", AppealNumber.format(year: 2026, sequence: 100_000_000)] {
            #expect(AppealNumber.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func idempotencyKey() throws {
        #expect(AppealIdempotencyKey.problem(in: "abcd-1234") == nil)
        #expect(try AppealIdempotencyKey(validating: "A_b-0123456789").rawValue == "A_b-0123456789")
        #expect(AppealIdempotencyKey.problem(in: String(repeating: "a", count: 128)) == nil)
        #expect(AppealIdempotencyKey.problem(in: "abcdefg") == "幂等键（Idempotency-Key）长度应为 8 至 128 个字符，当前为 7 个")
        #expect(AppealIdempotencyKey.problem(in: String(repeating: "a", count: 129))?.contains("当前为 129 个") == true)
        #expect(AppealIdempotencyKey.problem(in: "") == "幂等键（Idempotency-Key）不能为空")
        for bad in ["abc def12", "abcdefg!", "诉求幂等键一二三四", "abcdefgh\n", "ａｂｃｄｅｆｇｈ"] {
            #expect(AppealIdempotencyKey.problem(in: bad) != nil, "\(bad)")
        }
        do {
            _ = try AppealIdempotencyKey(validating: "short")
            Issue.record("should throw")
        } catch {
            #expect(error.kind == .invalidInput && error.reason.contains("8 至 128"))
        }
        let key = try AppealIdempotencyKey(validating: "order-2026-0001")
        #expect(try JSONDecoder().decode(AppealIdempotencyKey.self, from: JSONEncoder().encode(key)) == key)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AppealIdempotencyKey.self, from: Data("\"x\"".utf8)) }
    }

    @Test func labels() {
        #expect(AppealType.allCases.map(\.label) == ["咨询", "求助", "投诉", "举报", "建议"])
        for t in AppealType.allCases {
            #expect(AppealType(label: t.label) == t && AppealType(label: t.rawValue) == t)
        }
        #expect(AppealType(label: " 投诉类 ") == .complaint)
        #expect(AppealType(label: "表扬") == nil)
        #expect(AppealChannel.allCases.map(\.label) == ["网上", "电话", "接口", "Open311", "微信"])
        #expect(AppealChannel(label: "电话") == .phone)
        #expect(AppealSatisfaction.allCases.map(\.label) == ["满意", "基本满意", "不满意"])
        #expect(AppealSatisfaction.basicallySatisfied.rawValue == "basically_satisfied")
        #expect(AppealOutcome.allCases.map(\.label) == ["已解决", "部分解决", "未解决", "已解释说明"])
        #expect(AppealOutcome.partiallyResolved.rawValue == "partially_resolved")
    }
}

@Suite("Appeal unit rates")
struct AppealRateTests {
    let cal = WorkingCalendar.china

    func fact(_ day: String, _ type: AppealType = .complaint, category: String = "C1", channel: AppealChannel = .phone,
              lead: String?, signedOnTime: Bool = false, outcome: AppealOutcome? = nil,
              satisfaction: AppealSatisfaction? = nil) -> AppealStatFact {
        AppealStatFact(receivedOn: civil(day), type: type, category: category, channel: channel, leadUnitID: lead,
                       dispatched: lead != nil, signedOnTime: signedOnTime, outcome: outcome, satisfaction: satisfaction)
    }

    @Test func ratesWithNumeratorsDenominators() {
        let facts = [
            fact("2023-09-28", lead: "tax", signedOnTime: true, outcome: .resolved, satisfaction: .satisfied),
            fact("2023-10-09", .help, lead: "tax", outcome: .explained, satisfaction: .dissatisfied),
            fact("2023-10-09", lead: "tax", signedOnTime: true, satisfaction: .basicallySatisfied),
            fact("2023-10-10", .suggestion, category: "", channel: .web, lead: "park"),
            // Direct answer: no unit.
            fact("2023-10-10", .consultation, lead: nil, outcome: .resolved, satisfaction: .satisfied),
        ]
        // Kept per day and dimension, then summed (here over everything) the way the dashboard sums months.
        let rows = AppealStatistics.rows(of: facts)
        #expect(rows.filter { $0.period == "2023-10-09" && $0.dimension == .unit }
                == [AppealStatRow(period: "2023-10-09", dimension: .unit, key: "tax",
                                  counts: AppealStatCounts(received: 2, dispatched: 2, signedOnTime: 1, closed: 1, rated: 2, satisfied: 1))])
        let monthly = rows.map { AppealStatRow(period: String($0.period.prefix(7)), dimension: $0.dimension, key: $0.key, counts: $0.counts) }
        let (volume, units) = AppealStatistics.summary(monthly, categoryNames: ["C1": "政务服务"])
        #expect(volume.total == 5)
        #expect(volume.byMonth == ["2023-09": 1, "2023-10": 4])
        #expect(volume.byType == [.complaint: 2, .help: 1, .suggestion: 1, .consultation: 1])
        #expect(volume.byCategory == ["政务服务": 4, "其他": 1])
        #expect(volume.byChannel == [.phone: 4, .web: 1])
        #expect(volume.byUnit == ["tax": 3, "park": 1])
        #expect(units == [
            AppealUnitFacts(unitID: "park", dispatched: 1, signedOnTime: 0),
            AppealUnitFacts(unitID: "tax", dispatched: 3, signedOnTime: 2, closed: 2, resolved: 1, rated: 3, satisfied: 2),
        ])
        let rates = units.map(AppealRates.init(facts:))
        let tax = rates[1]
        #expect(tax.response.numerator == 2 && tax.response.denominator == 3)
        #expect(tax.response.percentText == "66.7%")
        #expect(tax.response.explanation == "响应率 66.7%：按时签收 2 件 / 派单 3 件")
        #expect(tax.resolution.value == 0.5 && tax.resolution.explanation == "解决率 50.0%：已解决 1 件 / 办结 2 件")
        #expect(tax.satisfaction.explanation == "满意率 66.7%：满意及基本满意 2 件 / 参评 3 件")
        let park = rates[0]
        #expect(park.response.value == 0 && park.response.percentText == "0.0%")
        // Zero denominators: nil, "—", and a Chinese explanation.
        #expect(park.resolution.value == nil && park.resolution.percentText == "—")
        #expect(park.resolution.explanation == "解决率：本期无办结诉求，暂无法计算")
        #expect(park.satisfaction.value == nil && park.satisfaction.explanation == "满意率：本期无诉求人评价，暂无法计算")
        let empty = AppealRates(facts: AppealUnitFacts(unitID: "x"))
        #expect(empty.response.value == nil && empty.response.explanation == "响应率：本期无派单，暂无法计算")
        #expect(AppealRate.percent(1) == "100.0%" && AppealRate.percent(0.8571) == "85.7%")
    }
}

@Suite("Appeal statistics from stored appeals")
struct AppealStatFactTests {
    @Test func signedOnTimeAgainstTheDeadlineSetAtDispatch() throws {
        func fact(signedOn: String?, signBy: String? = "2026-03-06") throws -> AppealStatFact {
            try #require(AppealStatFact(receivedOn: "2026-03-05", type: "complaint", categoryID: nil, channel: "phone",
                                        leadUnitID: "tax", dispatchedOn: "2026-03-05", signedOn: signedOn, signBy: signBy,
                                        outcome: "resolved", satisfaction: "basically_satisfied"))
        }
        #expect(try fact(signedOn: "2026-03-06").signedOnTime)
        #expect(try !fact(signedOn: "2026-03-09").signedOnTime)
        #expect(try !fact(signedOn: nil).signedOnTime)
        #expect(try !fact(signedOn: "2026-03-05", signBy: nil).signedOnTime)
        let stored = try fact(signedOn: "2026-03-05")
        #expect(stored.category == "" && stored.dispatched && stored.outcome == .resolved && stored.satisfaction == .basicallySatisfied)
        #expect(AppealStatFact(receivedOn: "2026-03-05", type: "petition", categoryID: nil, channel: "phone", leadUnitID: nil,
                               dispatchedOn: nil, signedOn: nil, signBy: nil, outcome: nil, satisfaction: nil) == nil)
    }
}

@Suite("Appeal statistics ranges")
struct AppealStatisticsRangeTests {
    @Test func wholeMonthsAndEdgeDays() {
        let a = AppealStatistics.split(from: civil("2025-11-29"), to: civil("2026-11-28"))
        #expect(a.months.map(\.key) == ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
                                        "2026-07", "2026-08", "2026-09", "2026-10"])
        #expect(a.days == [civil("2025-11-29")...civil("2025-11-30"), civil("2026-11-01")...civil("2026-11-28")])
        let year = AppealStatistics.split(from: civil("2025-01-01"), to: civil("2025-12-31"))
        #expect(year.months.count == 12 && year.days.isEmpty)
        let inside = AppealStatistics.split(from: civil("2024-02-10"), to: civil("2024-02-20"))
        #expect(inside.months.isEmpty && inside.days == [civil("2024-02-10")...civil("2024-02-20")])
        let leap = AppealStatistics.split(from: civil("2024-02-01"), to: civil("2024-02-29"))
        #expect(leap.months.map(\.key) == ["2024-02"] && leap.days.isEmpty)
        #expect(AppealStatistics.split(from: civil("2024-03-01"), to: civil("2024-02-01")) == ([], []))
    }
}

@Suite("Appeal duplicates and repeats")
struct AppealSimilarityTests {
    let original = AppealSimilarityEntry(number: "YS2026-00000101", enterpriseCode: "91340100MA2N0XXXX1",
                                         title: "出口退税迟迟未到账", content: "我公司3月申报的出口退税至今已两个月仍未到账，请税务部门尽快办理。")
    let unrelated = AppealSimilarityEntry(number: "YS2026-00000102", enterpriseCode: "91340100MA2N0YYYY2",
                                          title: "园区道路施工噪音扰民", content: "夜间施工噪音严重，影响员工休息，希望规范施工时间。")
    let reworded = AppealDraftText(title: "出口退税两个月未到账", content: "3月份申报出口退税，已经两个多月了还没到账，请尽快办理退税。")

    @Test func normalization() {
        #expect(AppealSimilarity.normalize("ＡＢＣ　１２３，退税！") == "abc123退税")
        #expect(AppealSimilarity.normalize(" 退 税 ... ") == "退税")
        #expect(AppealSimilarity.jaccard("退税到账", "退税到账") == 1)
        #expect(AppealSimilarity.jaccard("ＡＢＣＤ", "abcd") == 1)
        #expect(AppealSimilarity.jaccard("", "abc") == 0)
        // 退税到账 {退税,税到,到账} vs 退税延迟 {退税,税延,延迟}: 1 / 5.
        #expect(AppealSimilarity.jaccard("退税到账", "退税延迟") == 0.2)
    }

    @Test func findsRewordedDuplicateNotUnrelated() throws {
        let index = AppealSimilarityIndex([original, unrelated])
        let matches = AppealSimilarity.similar(to: reworded, among: index, limit: 5)
        #expect(matches.map(\.number) == ["YS2026-00000101"])
        try #require(matches.count == 1)
        #expect(matches[0].textSimilarity >= 0.2 && !matches[0].sameEnterprise)
        #expect(matches[0].explanation.hasPrefix("与在办诉求 YS2026-00000101 文本相似度"))
        // The unrelated one scores far below the threshold.
        #expect(AppealSimilarity.jaccard(reworded.title + reworded.content, unrelated.title + unrelated.content) < 0.1)
        // Excluding itself.
        var same = reworded
        same.excludeNumber = "YS2026-00000101"
        #expect(AppealSimilarity.similar(to: same, among: index).isEmpty)
        #expect(AppealSimilarity.similar(to: reworded, among: index, limit: 0).isEmpty)
        #expect(AppealSimilarity.similar(to: AppealDraftText(title: "！！"), among: index).isEmpty)
    }

    @Test func sameEnterpriseBoost() throws {
        let other = AppealSimilarityEntry(number: "YS2026-00000201", enterpriseCode: "OTHER", title: original.title, content: original.content)
        let mine = AppealSimilarityEntry(number: "YS2026-00000202", enterpriseCode: "91340100ma2n0xxxx1 ", title: original.title,
                                         content: original.content)
        let index = AppealSimilarityIndex([other, mine])
        var draft = reworded
        draft.enterpriseCode = "９１３４０１００ＭＡ２Ｎ０ＸＸＸＸ１" // full-width, folded
        let all = AppealSimilarity.similar(to: draft, among: index, threshold: 0)
        #expect(all.map(\.number) == ["YS2026-00000202", "YS2026-00000201"], "same text: the same enterprise ranks first")
        try #require(all.count == 2)
        let jac = all[1].textSimilarity
        #expect(all[0].sameEnterprise && abs(all[0].score - (jac + 0.15)) < 1e-9 && all[1].score == jac)
        #expect(all[0].explanation.contains("同一企业"))
        // A threshold between the plain and boosted score keeps only the same enterprise's appeal.
        let only = AppealSimilarity.similar(to: draft, among: index, threshold: jac + 0.075)
        #expect(only.map(\.number) == ["YS2026-00000202"])
        // The boost alone does not make an unrelated appeal of the same enterprise a match.
        let unrelatedMine = AppealSimilarityEntry(number: "YS2026-00000203", enterpriseCode: draft.enterpriseCode,
                                                  title: unrelated.title, content: unrelated.content)
        #expect(AppealSimilarity.similar(to: draft, among: AppealSimilarityIndex([unrelatedMine])).isEmpty)
    }

    @Test func largeIndex() {
        var entries: [AppealSimilarityEntry] = []
        let topics = ["道路积水", "供电不稳", "招聘补贴", "消防验收", "营业执照", "食品许可", "公积金", "社保缴费", "物业纠纷", "停车收费"]
        for i in 0..<5000 {
            let t = topics[i % topics.count]
            entries.append(AppealSimilarityEntry(number: AppealNumber.format(year: 2026, sequence: i + 1), enterpriseCode: "E\(i % 97)",
                                                 title: "\(t)问题第\(i)号", content: "关于\(t)的诉求，编号\(i)，请相关部门尽快处理。"))
        }
        entries.append(AppealSimilarityEntry(number: "YS2026-09999999", enterpriseCode: nil, title: original.title, content: original.content))
        let index = AppealSimilarityIndex(entries)
        #expect(index.count == 5001)
        let clock = ContinuousClock()
        let start = clock.now
        var top: [AppealMatch] = []
        for _ in 0..<20 { top = AppealSimilarity.similar(to: reworded, among: index, limit: 3) }
        #expect(top.first?.number == "YS2026-09999999")
        #expect(clock.now - start < .seconds(5))
    }

    func fact(_ n: Int, _ date: String, code: String = "91340100MA2N0XXXX1", category: String = "tax") -> AppealRepeatFact {
        AppealRepeatFact(number: AppealNumber.format(year: 2026, sequence: n), enterpriseCode: code, category: category, receivedOn: civil(date))
    }

    @Test func repeatFlagAtExactlyTheThreshold() {
        let now = fact(10, "2026-04-30")
        // 90 days before 04-30 is 01-30 (inclusive).
        let one = [fact(1, "2026-01-30")]
        #expect(AppealRepeat.check(now, earlier: one) == nil)
        let two = one + [fact(2, "2026-04-01")]
        let flag = AppealRepeat.check(now, earlier: two, categoryName: "税费服务")
        #expect(flag?.earlierNumbers == ["YS2026-00000001", "YS2026-00000002"])
        #expect(flag?.reason == "该企业近 90 天内已就“税费服务”事项提出 2 件诉求（YS2026-00000001、YS2026-00000002），本件为重复诉求，请关联办理")
        // One day outside the window, other enterprise, other category, the appeal itself, and later ones don't count.
        let noise = [fact(1, "2026-01-29"), fact(2, "2026-04-01"), fact(3, "2026-04-02", code: "OTHER"),
                     fact(4, "2026-04-03", category: "power"), fact(10, "2026-04-30"), fact(11, "2026-05-01")]
        #expect(AppealRepeat.check(now, earlier: noise) == nil)
        // Codes compare normalized.
        #expect(AppealRepeat.check(now, earlier: [fact(1, "2026-04-01", code: " 91340100ma2n0xxxx1"), fact(2, "2026-04-02")]) != nil)
        #expect(AppealRepeat.check(now, earlier: two, threshold: 3) == nil)
    }
}

@Suite("Appeal privacy")
struct AppealPrivacyTests {
    enum Expect: Equatable { case full, masked, hidden }

    func kind(_ v: AppealFieldView) -> Expect {
        switch v {
        case .full: return .full
        case .masked: return .masked
        case .hidden: return .hidden
        }
    }

    @Test("privacy matrix: every viewer × (anonymous, 举报, ordinary)")
    func matrix() {
        let viewers: [(String, AppealViewer)] = [("office", .office), ("handling", .unit("h")), ("other", .unit("o")),
                                                 ("reported", .unit("r")), ("supervisor", .supervisor), ("public", .public)]
        let flagSets: [(String, AppealPrivacyFlags)] = [
            ("anonymous", AppealPrivacyFlags(anonymous: true, type: .complaint, handlingUnitIDs: ["h"], reportedUnitIDs: ["r"])),
            ("report", AppealPrivacyFlags(anonymous: false, type: .report, handlingUnitIDs: ["h"], reportedUnitIDs: ["r"])),
            ("ordinary", AppealPrivacyFlags(anonymous: false, type: .complaint, handlingUnitIDs: ["h"], reportedUnitIDs: ["r"])),
        ]
        // (name, phone) per viewer and flags.
        let expected: [String: [String: (Expect, Expect)]] = [
            "anonymous": ["office": (.hidden, .full), "handling": (.hidden, .hidden), "other": (.hidden, .hidden),
                          "reported": (.hidden, .hidden), "supervisor": (.hidden, .hidden), "public": (.hidden, .hidden)],
            "report": ["office": (.full, .full), "handling": (.full, .full), "other": (.hidden, .hidden),
                       "reported": (.hidden, .hidden), "supervisor": (.hidden, .hidden), "public": (.hidden, .hidden)],
            "ordinary": ["office": (.full, .full), "handling": (.full, .full), "other": (.masked, .masked),
                         "reported": (.masked, .masked), "supervisor": (.masked, .masked), "public": (.masked, .hidden)],
        ]
        for (fname, flags) in flagSets {
            for (vname, viewer) in viewers {
                let v = AppealPrivacy.view(name: "张三丰", phone: "13812345678", flags: flags, viewer: viewer)
                let e = expected[fname]![vname]!
                #expect(kind(v.name) == e.0 && kind(v.phone) == e.1, "\(fname) × \(vname): \(v)")
                if e.0 == .masked { #expect(v.name.text == "张**") }
                if e.1 == .masked { #expect(v.phone.text == "138****5678") }
                if e.0 == .full { #expect(v.name.text == "张三丰") }
                if e.0 == .hidden { #expect(!v.name.text.contains("张")) }
                if e.1 == .hidden { #expect(!v.phone.text.contains("5678")) }
                if fname == "anonymous" { #expect(v.name.text == "匿名") }
                if fname == "report", e.0 == .hidden { #expect(v.name.text == "举报人信息保密") }
            }
        }
    }

    @Test func reportedUnitNeverSeesReporterEvenIfHandling() {
        let flags = AppealPrivacyFlags(type: .report, handlingUnitIDs: ["r"], reportedUnitIDs: ["r"])
        let v = AppealPrivacy.view(name: "李四", phone: "13900001111", flags: flags, viewer: .unit("r"))
        #expect(v.name == .hidden("举报人信息保密") && v.phone == .hidden("举报人信息保密"))
        #expect(!AppealPrivacy.revealsAuthor(flags: flags, viewer: .unit("r")))
        #expect(AppealPrivacy.revealsAuthor(flags: flags, viewer: .office))
        #expect(!AppealPrivacy.revealsAuthor(flags: AppealPrivacyFlags(anonymous: true, type: .help), viewer: .office))
        // A complaint naming a unit does not hide the contact from it when it handles the appeal.
        let c = AppealPrivacyFlags(type: .complaint, handlingUnitIDs: ["r"], reportedUnitIDs: ["r"])
        #expect(AppealPrivacy.view(name: "李四", phone: "1", flags: c, viewer: .unit("r")).name == .full("李四"))
    }
}

@Suite("Appeal analysis")
struct AppealAnalysisTests {
    func recs(_ n: Int, _ date: String, _ cat: String, _ title: String) -> [AppealTopicRecord] {
        Array(repeating: AppealTopicRecord(receivedOn: civil(date), category: cat, title: title), count: n)
    }

    var sample: [AppealTopicRecord] {
        // February: 4 退税 titles, 3 电费 titles.
        recs(2, "2026-02-03", "tax", "出口退税到账慢") + recs(2, "2026-02-10", "tax", "留抵退税材料多")
            + recs(3, "2026-02-12", "power", "电费发票开具")
            // March: 12 退税 titles, 3 new 停电 titles, 2 招聘 titles (below support).
            + recs(5, "2026-03-02", "tax", "出口退税到账慢") + recs(4, "2026-03-05", "tax", "留抵退税材料多")
            + recs(3, "2026-03-31", "tax", "退税申报系统卡顿") + recs(3, "2026-03-09", "power", "园区频繁停电")
            + recs(2, "2026-03-09", "hr", "招聘补贴发放")
            // Outside the two months: ignored.
            + recs(9, "2026-01-15", "power", "停电") + recs(9, "2026-04-01", "tax", "退税")
    }

    @Test func termsFromTitles() {
        let t = AppealHotTopics.terms(in: "关于出口退税的问题，ABC")
        #expect(t.contains("退税") && t.contains("出口退") && t.contains("出口"))
        #expect(!t.contains("关于") && !t.contains("问题") && !t.contains("税的") && !t.contains("ab"))
        #expect(AppealHotTopics.terms(in: "企业") == [])
    }

    @Test func handBuiltTwoMonthExample() throws {
        let march = try #require(ReportPeriod(year: 2026, month: 3))
        let report = AppealHotTopics.report(sample, month: march, categoryNames: ["tax": "税费服务", "power": "用电保障"],
                                            options: AppealHotTopicOptions(limit: 50))
        #expect(report.month == "2026-03")
        #expect(report.categories.count == 1)
        let tax = try #require(report.categories.first)
        #expect(tax.key == "tax" && tax.current == 12 && tax.previous == 4 && tax.increase == 8 && tax.growth == 2)
        #expect(tax.label == "“税费服务”类诉求 3 月 12 件，较上月增加 8 件（+200%）")

        let top = try #require(report.terms.first)
        #expect(top.key == "退税" && top.current == 12 && top.previous == 4)
        #expect(top.label == "“退税”相关诉求 3 月 12 件，较上月增加 8 件（+200%）")
        let keys = Set(report.terms.map(\.key))
        let stopped = try #require(report.terms.first { $0.key == "停电" })
        #expect(stopped.previous == 0 && stopped.growth == nil)
        #expect(stopped.label == "“停电”相关诉求 3 月 3 件，上月无此类诉求（新增 3 件）")
        // Overlapping fragments of 退税 are collapsed; falling, steady and rare terms are not reported.
        for k in ["口退", "出口退", "口退税", "留抵退", "抵退税", "退税申", "税申报", "电费", "发票", "招聘", "补贴"] {
            #expect(!keys.contains(k), "\(k)")
        }
        #expect(keys.contains("出口") && keys.contains("留抵"))
        let chuKou = try #require(report.terms.first { $0.key == "出口" })
        #expect(chuKou.label == "“出口”相关诉求 3 月 5 件，较上月增加 3 件（+150%）")
        // Ranked by increase, new topics first among equal increases.
        #expect(zip(report.terms, report.terms.dropFirst()).allSatisfy { $0.increase >= $1.increase })
        #expect(report.terms.firstIndex { $0.key == "停电" }! < report.terms.firstIndex { $0.key == "出口" }!)
        // Limit and support.
        let small = AppealHotTopics.report(sample, month: march, options: AppealHotTopicOptions(minSupport: 13, limit: 50))
        #expect(small.categories.isEmpty && small.terms.isEmpty)
        #expect(AppealHotTopics.report(sample, month: march, options: AppealHotTopicOptions(limit: 2)).terms.count == 2)
    }

    @Test func volumeByDimension() {
        let v = AppealVolume.tally([
            AppealVolumeRecord(type: .complaint, category: "tax", unitID: "u1", channel: .phone, receivedOn: civil("2026-03-01")),
            AppealVolumeRecord(type: .complaint, category: "tax", unitID: nil, channel: .web, receivedOn: civil("2026-03-31")),
            AppealVolumeRecord(type: .consultation, category: "power", unitID: "u2", channel: .open311, receivedOn: civil("2026-04-01")),
        ])
        #expect(v.total == 3 && v.byType == [.complaint: 2, .consultation: 1])
        #expect(v.byCategory == ["tax": 2, "power": 1] && v.byUnit == ["u1": 1, "u2": 1])
        #expect(v.byChannel == [.phone: 1, .web: 1, .open311: 1] && v.byMonth == ["2026-03": 2, "2026-04": 1])
    }

    @Test func open311Mapping() throws {
        for s in AppealState.allCases {
            #expect(Open311Mapping.status(for: s) == ([.closed, .merged, .withdrawn].contains(s) ? "closed" : "open"))
        }
        let due = AppealDeadlines.replyBy(type: .complaint, receivedOn: civil("2023-09-27"), limits: AppealTimeLimits(),
                                          calendar: WorkingCalendar.china)
        #expect(Open311Mapping.expectedDatetime(replyBy: due) == "2023-10-24T23:59:59+08:00")
        let instant = Open311Mapping.expectedDate(replyBy: due)
        #expect(Open311Mapping.datetime(instant) == "2023-10-24T23:59:59+08:00")
        #expect(Open311Mapping.datetime(instant.addingTimeInterval(1)) == "2023-10-25T00:00:00+08:00")
        #expect(Open311Mapping.datetime(Date(timeIntervalSince1970: 0)) == "1970-01-01T08:00:00+08:00")
        let iso = ISO8601DateFormatter()
        #expect(iso.date(from: "2023-10-24T15:59:59Z") == instant)

        let map = Open311ServiceMap(entries: [
            .init(serviceCode: "001", category: "tax", serviceName: "税费服务"),
            .init(serviceCode: "002", category: "power", serviceName: "用电保障"),
        ])
        #expect(map.category(forServiceCode: "002") == "power" && map.serviceCode(forCategory: "tax") == "001")
        #expect(map.category(forServiceCode: "999") == nil && map.validate().isEmpty)
        let dup = Open311ServiceMap(entries: map.entries + [.init(serviceCode: "001", category: "tax", serviceName: "x")])
        #expect(dup.validate() == ["服务代码 001 重复", "诉求分类 tax 对应了多个服务代码"])
    }
}
