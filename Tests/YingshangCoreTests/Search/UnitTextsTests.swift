import Testing
@testable import YingshangCore

@Suite("Search: unit texts come back exactly as stored")
struct UnitTextsTests {
    @Test("Chinese, Latin, accents, emoji (surrogate pairs), line breaks and empty texts, across chunks")
    func roundTrip() {
        let samples = ["第一条 为了优化营商环境，制定本条例。", "", "ABC 123 café\n第二行", "𠀋𡈽𡌛 😀 end", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"]
        var texts = UnitTexts()
        var expected: [String] = []
        // Enough text to fill several chunks.
        for i in 0..<(3 * UnitTexts.chunkSize / 40) {
            let text = samples[i % samples.count] + String(i)
            texts.append(text)
            expected.append(text)
        }
        texts.append(String(repeating: "长", count: UnitTexts.chunkSize + 5))
        expected.append(String(repeating: "长", count: UnitTexts.chunkSize + 5))
        #expect(texts.count == expected.count)
        #expect((0..<texts.count).allSatisfy { texts[$0] == expected[$0] })
    }
}
