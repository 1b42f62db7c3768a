import Testing
@testable import YingshangCore

@Suite("Search: the first k results without sorting them all")
struct TopSelectionTests {
    @Test("Equals the first k of a full sort, ties broken the same way, for every k and many inputs")
    func equalsFullSort() {
        // Seeded, so that a failure repeats.
        var generator = SplitMix64(seed: 2026)
        for count in [0, 1, 2, 5, 19, 20, 21, 100, 1_000] {
            // Few distinct scores, so ties are common and the tie-break (lower index first) matters.
            let scores = (0..<count).map { _ in Double(Int.random(in: 0..<7, using: &generator)) }
            let precedes = { (a: Int, b: Int) in scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
            let sorted = (0..<count).sorted(by: precedes)
            for k in [0, 1, 3, 10, 50, 260, 2_000] {
                #expect(TopSelection.first(k, of: count, by: precedes) == Array(sorted.prefix(k)), "count \(count), k \(k)")
            }
        }
    }
}
