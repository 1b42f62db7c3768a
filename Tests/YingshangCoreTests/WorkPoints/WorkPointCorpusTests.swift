import Foundation
import Testing
@testable import YingshangCore

@Suite("Work points: founding document and corpus")
struct WorkPointCorpusTests {
    func parse(_ base: String) throws -> WorkPointParseResult {
        WorkPointParser().parse(try WorkPointFixtures.text(base + ".txt"))
    }

    func key(_ base: String) throws -> WorkPointKey {
        try JSONDecoder().decode(WorkPointKey.self, from: WorkPointFixtures.data(base + ".key.json"))
    }

    @Test func seedDocumentsAndTitles() throws {
        let r = try parse(WorkPointFixtures.seed)
        #expect(r.documents.map(\.title) == [
            "2023年XX优化营商环境工作要点",
            "XX省2023年优化营商环境工作要点",
            "XX市2023年优化营商环境工作要点",
            "XX市营商环境建设局2023年政务公开工作要点",
        ])
        #expect(r.documents.allSatisfy { $0.year == 2023 })
        #expect(r.documents.map { $0.items.filter(\.annotated).count } == [24, 0, 19, 4])
        #expect(r.documents[0].preamble.hasPrefix("为深入贯彻落实"))
        // outline tree: 3 sections, 12 + 7 + 5 items in the first document
        #expect(r.documents[0].outline.map(\.number) == ["一、", "二、", "三、"])
        #expect(r.documents[0].outline.map(\.children.count) == [12, 7, 5])
        #expect(r.documents[0].outline[0].children[0].title == "市场准入退出")
        #expect(r.documents[0].outline[0].children[0].level == 2)
        #expect(r.documents[0].outline[0].children[0].style == "cn_paren")
        #expect(r.documents[2].outline[1].children.map(\.number) == ["1.", "2.", "3.", "4."])
        // Noise never becomes a task.
        for t in r.allItems {
            #expect(!t.text.contains("哒哒"))
            #expect(!t.text.contains("paidbegin"))
            #expect(!t.text.contains("##"))
        }
    }

    @Test func seedAllAnnotatedItemsExact() throws {
        let r = try parse(WorkPointFixtures.seed)
        let score = WorkPointKeyScore.evaluate(try key(WorkPointFixtures.seed), r)
        print("[seed] \(score)")
        for m in score.mismatches { print("  [seed] \(m)") }
        #expect(score.total == 47)
        #expect(score.matched == 47)
        #expect(score.exactItems == 47)
    }

    @Test func seedSecondDocumentUnannotatedTasksWithTargets() throws {
        let r = try parse(WorkPointFixtures.seed)
        let doc = r.documents[1]
        let tasks = doc.items.filter { $0.path.first == "二、重点任务" }
        #expect(tasks.count == 20)
        #expect(tasks.allSatisfy { !$0.annotated && $0.leadUnits.isEmpty })
        #expect(tasks.first?.title == "便利市场准入退出")
        #expect(tasks.first?.targets == [WorkPointTarget(text: "97%以上", value: 97, unit: "%", comparator: .ge)])
        let t16 = tasks.first { $0.number == "（十六）" }
        #expect(t16?.targets.contains { $0.text == "进入全国前十" && $0.value == 10 && $0.comparator == .le } == true)
        let t19 = tasks.first { $0.number == "（十九）" }
        #expect(t19?.deadline == WorkPointDeadline(text: "年底前", kind: .date, date: "2023-12-31", source: "body"))
        let goal = doc.items.first { $0.number == "一、" }
        #expect(goal?.targets.contains { $0.text == "增长7%" && $0.value == 7 } == true)
        #expect(goal?.targets.contains { $0.text == "25%以上" && $0.comparator == .ge } == true)
        // 不少于60亿元 in the third document
        let t7 = r.documents[2].items.first { $0.number == "七、" }
        #expect(t7?.targets.contains(WorkPointTarget(text: "不少于60亿元", value: 60, unit: "亿元", comparator: .ge)) == true)
    }

    @Test(arguments: WorkPointFixtures.corpus)
    func corpusKeyedItems(_ base: String) throws {
        let r = try parse(base)
        let score = WorkPointKeyScore.evaluate(try key(base), r)
        print("[\(base)] \(score)")
        for m in score.mismatches { print("  [\(base)] \(m)") }
        #expect(score.recall >= 0.95)
        #expect(score.leadF1 >= 0.95)
        #expect(score.coF1 >= 0.95)
        #expect(score.deadlineAccuracy >= 0.95)
    }

    @Test func relativeDeadlineUsesSignatureDate() throws {
        let r = try parse("guowuyuan-cujin-jiuye-2018")
        #expect(r.documents.count == 1)
        #expect(r.documents[0].issuedOn == WorkPointDate(year: 2018, month: 11, day: 16))
        let t = r.documents[0].items.first { $0.number == "（十二）" }
        #expect(t?.deadline?.kind == .relative)
        #expect(t?.deadline?.days == 30)
        #expect(t?.deadline?.date == "2018-12-16")
        // policy periods are not deadlines
        #expect(r.documents[0].items.first { $0.number == "（一）" }?.deadline == nil)
        #expect(r.documents[0].items.first { $0.number == "（五）" }?.deadline == nil)
    }

    @Test func relativeDeadlineWithoutIssueDateWarns() {
        let text = "某市关于促进就业的实施意见\n一、总体\n（一）落实责任。各县要在本意见印发之日起30日内出台实施办法。（各县人民政府负责）"
        let r = WorkPointParser().parse(text)
        let t = r.allItems.first
        #expect(t?.deadline?.kind == .relative)
        #expect(t?.deadline?.date == nil)
        #expect(r.documents.first?.warnings.contains { $0.code == "deadline_relative_no_issue_date" } == true)
        let r2 = WorkPointParser(options: .init(issuedOn: WorkPointDate(year: 2024, month: 1, day: 10))).parse(text)
        #expect(r2.allItems.first?.deadline?.date == "2024-02-09")
    }

    @Test func continuousNumberingAcrossSections() throws {
        let r = try parse("guowuyuan-zimaoqu-gaige-cuoshi-2018")
        let items = r.documents[0].items.filter(\.annotated)
        #expect(items.count == 53)
        #expect(items.first { $0.number == "（十七）" }?.path == ["二、提升贸易便利化水平"])
        #expect(items.first { $0.number == "（一）" }?.scope?.hasPrefix("所有自贸试验区") == true)
    }

    @Test func lineEndingsAndIndentationDoNotMatter() throws {
        let text = try WorkPointFixtures.text(WorkPointFixtures.seed + ".txt")
        let base = WorkPointParser().parse(text)
        let crlf = WorkPointParser().parse(text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(crlf == base)
        let indented = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "\u{3000}\u{3000}" + $0 + "  " }.joined(separator: "\n\n")
        let r = WorkPointParser().parse(indented)
        #expect(r.documents.count == 4)
        let score = WorkPointKeyScore.evaluate(try key(WorkPointFixtures.seed), r)
        #expect(score.exactItems == 47)
    }
}
