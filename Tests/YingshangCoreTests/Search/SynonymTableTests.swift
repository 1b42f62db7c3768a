import Testing
@testable import YingshangCore

@Suite("Synonym table: the office's abbreviations expand query terms")
struct SynonymTableTests {
    let table = SynonymTable(text: "发改委\t发展和改革委员会|发展改革委\n发改\t发展改革\n市监局\t市场监督管理局")

    @Test("Each abbreviation a term contains is replaced in turn, the longest first, each expansion once")
    func expansions() {
        // 发改 inside 发改委 gives 发展改革委 again: listed once.
        #expect(table.expansions(of: "发改委 价格") == ["发展和改革委员会 价格", "发展改革委 价格"])
        #expect(table.expansions(of: "市发改委和市监局") == ["市发展和改革委员会和市监局", "市发展改革委和市监局", "市发改委和市场监督管理局"])
        #expect(table.expansions(of: "营商环境").isEmpty)
        #expect(table.expansions(of: "").isEmpty)
    }

    @Test("Tab, = or spaces separate the sides; lines without a full name are reported by number")
    func parsing() {
        let parsed = SynonymTable.parse("发改委\t发展和改革委员会\n\n坏行\n# 注释\n市监局 = 市场监督管理局\n住建局=住房和城乡建设局|住建部门")
        #expect(parsed.badLines == [3])
        #expect(parsed.entries.map(\.0) == ["发改委", "市监局", "住建局"])
        #expect(parsed.entries.map(\.1) == [["发展和改革委员会"], ["市场监督管理局"], ["住房和城乡建设局", "住建部门"]])
    }
}
