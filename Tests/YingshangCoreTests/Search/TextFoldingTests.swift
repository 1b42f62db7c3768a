import Testing
@testable import YingshangCore

@Suite("Search: folding and atom kinds, from tables and from the rules")
struct TextFoldingTests {
    @Test("The tables give what the rules give for every character of the Basic Multilingual Plane and beyond")
    func tablesEqualRules() {
        var mismatches: [UInt32] = []
        for v in UInt32(0)...0x2_FFFF {
            guard let c = Unicode.Scalar(v) else { continue }
            if TextFolding.fold(c) != TextFolding.computedFold(c) || Atomizer.kind(c) != Atomizer.computedKind(c) { mismatches.append(v) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test("Full-width, upper-case and traditional characters fold; punctuation separates atoms")
    func examples() {
        #expect(TextFolding.fold("ＡＢＣ１２３有關規定") == "abc123有关规定")
        // Characters whose folded form takes more bytes than they do.
        #expect(TextFolding.fold("ȺȾ") == "ⱥⱦ")
        #expect(TextFolding.fold("繐鋂譅") == "𰬸𰾄𰶎")
        #expect(TextFolding.fold(String(repeating: "繐Ⱥ", count: 100)) == String(repeating: "𰬸ⱥ", count: 100))
        #expect(Atomizer.kind("。") == .separator)
        #expect(Atomizer.kind("“") == .separator)
        #expect(Atomizer.kind("审") == .ideograph)
        #expect(Atomizer.kind("〇") == .ideograph)
        #expect(Atomizer.kind("é") == .wordCharacter)
        #expect(Atomizer.kind("𠀀") == .ideograph)
    }
}
