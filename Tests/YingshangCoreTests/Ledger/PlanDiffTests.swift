import Foundation
import Testing
@testable import YingshangCore

private func s(_ id: String?, _ number: String, _ text: String, section: String = "一、优化市场准入环境",
               lead: [String] = ["市发展改革委"], co: [String] = [], deadline: TaskDeadline = .ongoing) -> PlanTaskSnapshot {
    PlanTaskSnapshot(id: id, number: number, path: [section], title: text.prefix(8).description, text: text,
                     leadUnits: lead, coUnits: co, deadline: deadline)
}

private let texts = [
    "全面落实市场准入负面清单制度，清理违规设置的准入壁垒",
    "推进企业开办全程网上办理，将开办时间压缩至1个工作日以内",
    "深化工程建设项目审批制度改革，推行告知承诺制审批",
    "优化不动产登记流程，实现一般登记业务5个工作日内办结",
    "完善企业简易注销程序，扩大简易注销适用范围",
]

private func oldPlan() -> [PlanTaskSnapshot] {
    texts.enumerated().map { s("id\($0.offset + 1)", "\($0.offset + 1)", $0.element) }
}

private func renumbered(_ list: [PlanTaskSnapshot]) -> [PlanTaskSnapshot] {
    list.enumerated().map { var t = $0.element; t.id = nil; t.number = "\($0.offset + 1)"; return t }
}

@Suite("Ledger plan diff")
struct PlanDiffTests {
    @Test func identicalIsEmpty() {
        let result = PlanDiff.diff(old: oldPlan(), new: renumbered(oldPlan()))
        #expect(result.isEmpty)
        #expect(result.unchanged.count == 5)
        #expect(result.unchanged.map { $0.old.id } == ["id1", "id2", "id3", "id4", "id5"])
        #expect(result.unchanged.allSatisfy { !$0.isRenumbered })
        #expect(PlanDiff.diff(old: [], new: []).isEmpty)
    }

    @Test func whitespaceAndPunctuationDoNotCount() {
        var new = renumbered(oldPlan())
        new[0].text = " 全面落实市场准入负面清单制度 , 清理违规设置的准入壁垒。"
        #expect(PlanDiff.diff(old: oldPlan(), new: new).isEmpty)
    }

    @Test func oneTextEdited() {
        var new = renumbered(oldPlan())
        new[2].text = "深化工程建设项目审批制度改革，全面推行告知承诺制审批"
        let result = PlanDiff.diff(old: oldPlan(), new: new)
        #expect(result.changed.count == 1)
        #expect(result.changed.first?.fields == ["任务内容"])
        #expect(result.changed.first?.old.id == "id3")
        #expect(result.unchanged.count == 4 && result.added.isEmpty && result.removed.isEmpty)
        #expect(!result.isEmpty)
    }

    @Test func otherFieldsEdited() {
        var new = renumbered(oldPlan())
        new[1].leadUnits = ["市市场监管局"]
        new[1].coUnits = ["市税务局"]
        new[3].deadline = .date(CivilDate(iso: "2023-12-31")!)
        new[4].leadUnits = ["市发展改革委 "]   // whitespace only: not a change
        let result = PlanDiff.diff(old: oldPlan(), new: new)
        #expect(result.changed.map(\.fields) == [["牵头单位", "配合单位"], ["完成时限"]])
        #expect(result.changed.map { $0.old.id } == ["id2", "id4"])
        // Unit order is not a change.
        var reordered = oldPlan()
        reordered[0].leadUnits = ["甲", "乙"]
        var reorderedNew = renumbered(reordered)
        reorderedNew[0].leadUnits = ["乙", "甲"]
        #expect(PlanDiff.diff(old: reordered, new: reorderedNew).isEmpty)
    }

    @Test func insertionInTheMiddleIsOneAddition() {
        var list = oldPlan()
        list.insert(s(nil, "?", "建立健全政务服务“好差评”制度，差评整改率达到100%"), at: 2)
        let new = renumbered(list)
        let result = PlanDiff.diff(old: oldPlan(), new: new)
        #expect(result.added.map(\.number) == ["3"])
        #expect(result.changed.isEmpty && result.removed.isEmpty)
        #expect(result.unchanged.map { $0.old.id } == ["id1", "id2", "id3", "id4", "id5"])
        #expect(result.unchanged.map(\.new.number) == ["1", "2", "4", "5", "6"])
        #expect(result.unchanged.filter(\.isRenumbered).count == 3)
    }

    @Test func insertionPlusEditOfAShiftedTask() {
        var list = oldPlan()
        list.insert(s(nil, "?", "建立健全政务服务“好差评”制度，差评整改率达到100%"), at: 1)
        list[3].text = "深化工程建设项目审批制度改革，推行告知承诺制审批，压减审批时限"   // old #3, now #4
        let result = PlanDiff.diff(old: oldPlan(), new: renumbered(list))
        #expect(result.added.map(\.number) == ["2"])
        #expect(result.changed.count == 1)
        #expect(result.changed.first?.old.id == "id3" && result.changed.first?.new.number == "4")
        #expect(result.changed.first?.fields == ["任务内容"])
        #expect(result.removed.isEmpty && result.unchanged.count == 4)
    }

    @Test func removedTask() {
        var list = oldPlan()
        list.remove(at: 1)
        let result = PlanDiff.diff(old: oldPlan(), new: renumbered(list))
        #expect(result.removed.map { $0.id } == ["id2"])
        #expect(result.added.isEmpty && result.changed.isEmpty && result.unchanged.count == 4)
    }

    @Test func replacedTaskAtSameNumberIsRemovedPlusAdded() {
        var new = renumbered(oldPlan())
        new[1].text = "加强知识产权保护，建立快速维权中心"
        let result = PlanDiff.diff(old: oldPlan(), new: new)
        #expect(result.removed.map { $0.id } == ["id2"])
        #expect(result.added.map(\.number) == ["2"])
        #expect(result.changed.isEmpty)
    }

    @Test func identicalTextWinsOverSimilarTextAtTheSameNumber() {
        let base = "推进企业开办全程网上办理，将开办时间压缩至1个工作日以内"
        let similar = "推进企业开办全程网上办理，将开办时间压缩至半个工作日以内"
        #expect(PlanDiff.similarity(base, similar) >= 0.6)
        let old = [s("a", "1", texts[0]), s("b", "2", base)]
        let new = [s(nil, "1", texts[0]), s(nil, "2", similar), s(nil, "3", base)]
        let result = PlanDiff.diff(old: old, new: new)
        #expect(result.unchanged.map { "\($0.old.id!)>\($0.new.number)" } == ["a>1", "b>3"])
        #expect(result.added.map(\.number) == ["2"])
    }

    @Test func movedToAnotherSectionAndStoredIDs() {
        var new = renumbered(oldPlan())
        new[4].path = ["二、优化政务服务"]
        new[4].number = "1"
        let moved = PlanDiff.diff(old: oldPlan(), new: new)
        #expect(moved.isEmpty)
        #expect(moved.unchanged.last?.isRenumbered == true)
        // A re-imported export carrying IDs matches by ID even when the text was rewritten.
        var withIDs = oldPlan()
        withIDs[0].text = "完全不同的文字"
        #expect(PlanDiff.diff(old: oldPlan(), new: withIDs).changed.map { $0.old.id } == ["id1"])
    }

    @Test func similarity() {
        #expect(PlanDiff.similarity("优化营商环境", "优化营商环境") == 1)
        #expect(PlanDiff.similarity("优化营商环境", "加强知识产权") == 0)
        // {优化, 化营, 营商, 商环, 环境} vs {优化, 化营, 营商, 商服, 服务}: 3 / 7.
        #expect(abs(PlanDiff.similarity("优化营商环境", "优化营商服务") - 3.0 / 7.0) < 1e-12)
        #expect(PlanDiff.similarity("", "") == 1)
    }

    @Test func thousandsOfTasksStayFast() {
        // Deterministic pseudo-random Chinese texts, 40 sections × 75 tasks.
        var seed: UInt64 = 42
        func nextChar() -> Character {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Character(Unicode.Scalar(0x4E00 + UInt32((seed >> 33) % 800))!)
        }
        var old: [PlanTaskSnapshot] = []
        for section in 0..<40 {
            for i in 0..<75 {
                let text = String((0..<40).map { _ in nextChar() })
                old.append(s("o\(section)-\(i)", "\(i + 1)", text, section: "第\(section)部分"))
            }
        }
        var new: [PlanTaskSnapshot] = []
        for (index, task) in old.enumerated() {
            var t = task
            t.id = nil
            if index % 100 == 7 { t.text = String(t.text.dropLast(3)) + "并抓好落实" }   // edited
            if index % 500 == 3 { new.append(s(nil, "x", String((0..<40).map { _ in nextChar() }), section: t.path[0])) }
            if index % 700 == 5 { continue }                                               // removed
            new.append(t)
        }
        // Renumber within sections after insertions/removals.
        var counters: [String: Int] = [:]
        for i in new.indices {
            counters[new[i].path[0], default: 0] += 1
            new[i].number = "\(counters[new[i].path[0]]!)"
        }
        let start = ContinuousClock.now
        let result = PlanDiff.diff(old: old, new: new)
        let elapsed = ContinuousClock.now - start
        #expect(result.added.count == 6)
        #expect(result.removed.count == 5)
        #expect(result.changed.count == 30)
        #expect(result.changed.allSatisfy { $0.fields == ["任务内容"] })
        #expect(result.unchanged.count == 3000 - 5 - 30)
        #expect(elapsed < .seconds(10))
    }

    @Test func codableRoundTrip() throws {
        var new = renumbered(oldPlan())
        new[0].text = "全面落实市场准入负面清单制度"
        let result = PlanDiff.diff(old: oldPlan(), new: new)
        let data = try JSONEncoder().encode(result)
        #expect(try JSONDecoder().decode(PlanDiffResult.self, from: data) == result)
    }
}
