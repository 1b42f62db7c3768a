import Foundation
import Testing
@testable import YingshangCore

@Suite("Work points: unit resolution")
struct WorkPointResolverTests {
    let directory: [WorkPointUnitDirectoryEntry] = [
        .init(id: "fgw", fullName: "自治区发展和改革委员会", shortName: "自治区发展改革委"),
        .init(id: "scj", fullName: "自治区市场监督管理局", shortName: "自治区市场监管局"),
        .init(id: "rst", fullName: "自治区人力资源和社会保障厅", shortName: nil, aliases: ["自治区人社厅"]),
        .init(id: "city-fgw", fullName: "南宁市发展和改革委员会", shortName: "市发改委"),
        .init(id: "city-zrzy", fullName: "南宁市自然资源局"),
        .init(id: "county-zrzy", fullName: "武鸣区自然资源局"),
        .init(id: "pbc", fullName: "中国人民银行南宁中心支行", aliases: ["人民银行南宁中心支行"]),
    ]

    @Test func exactShortAliasAndAbbreviation() {
        let r = WorkPointUnitResolver(directory: directory)
        #expect(r.resolve("自治区发展和改革委员会") == .matched(id: "fgw", fullName: "自治区发展和改革委员会"))
        #expect(r.resolve("自治区发展改革委").matchedID == "fgw")
        #expect(r.resolve("自治区发改委").matchedID == "fgw")
        #expect(r.resolve("自治区市场监管局").matchedID == "scj")
        #expect(r.resolve("自治区人力资源社会保障厅").matchedID == "rst")
        #expect(r.resolve("自治区人社厅").matchedID == "rst")
        #expect(r.resolve("人民银行南宁中心支行").matchedID == "pbc")
    }

    @Test func levelPrefixStrippedOrAdded() {
        let r = WorkPointUnitResolver(directory: directory)
        #expect(r.resolve("市发展和改革委员会").matchedID == "city-fgw")
        #expect(r.resolve("南宁市发改委").matchedID == "city-fgw")
        #expect(r.resolve("发展改革委") != .matched(id: "fgw", fullName: "自治区发展和改革委员会")) // ambiguous: region or city
        #expect(r.resolve("市自然资源局").matchedID == "city-zrzy")
        // level mismatch is never matched
        #expect(r.resolve("自治区自然资源厅").matchedID == nil)
    }

    @Test func ambiguousGivesCandidates() {
        let r = WorkPointUnitResolver(directory: directory)
        guard case .unmatched(let name, let candidates) = r.resolve("发改委") else {
            Issue.record("expected unmatched")
            return
        }
        #expect(name == "发改委")
        #expect(Set(candidates.map(\.id)) == ["fgw", "city-fgw"])
        #expect(r.resolve("自治区大数据发展局") == .unmatched(name: "自治区大数据发展局", candidates: []))
    }

    @Test func resolvesAllUnitsOfAParse() throws {
        let r = WorkPointParser().parse(try WorkPointFixtures.text(WorkPointFixtures.seed + ".txt"))
        let res = WorkPointUnitResolver(directory: directory).resolveAll(r)
        #expect(res["自治区市场监管局"]?.matchedID == "scj")
        #expect(res["自治区发展改革委"]?.matchedID == "fgw")
        #expect(res["各市、县人民政府"]?.matchedID == nil)
        // never creates anything: the directory is unchanged and every other unit is unmatched
        #expect(res.values.filter { $0.matchedID != nil }.count <= directory.count + 3)
    }
}
