import Testing
@testable import YingshangCore

@Suite("Search: documents handed out best bound first")
struct BestFirstTests {
    @Test("Batches come in bound order (ties by document), each document once, and the best left is the next one")
    func batchesInBoundOrder() {
        // Seeded, so that a failure repeats.
        var generator = SplitMix64(seed: 2026)
        for count in [1, 7, 64, 65, 1_000] {
            // Few distinct bounds, so ties are common.
            let bounds = (0..<count).map { _ in Double(Int.random(in: 1..<9, using: &generator)) / 3 }
            var queue = BestFirst()
            var ranked: [Double] = []
            for (d, bound) in bounds.enumerated() {
                let rounded = queue.add(d, bound: bound)
                #expect(rounded > bound && Double(Float(rounded)) == rounded, "a bound is rounded up to a Float above it")
                ranked.append(rounded)
            }
            let order = (0..<count).sorted { ranked[$0] != ranked[$1] ? ranked[$0] > ranked[$1] : $0 < $1 }
            var handedOut: [Int] = []
            var size = 3
            while !queue.isEmpty {
                #expect(queue.best == order[handedOut.count])
                #expect(queue.documents.sorted() == order[handedOut.count...].sorted())
                let batch = queue.take(size)
                #expect(batch.sorted() == order[handedOut.count..<min(count, handedOut.count + size)].sorted())
                handedOut += batch
                size *= 2
            }
            #expect(handedOut.count == count && queue.best == nil)
        }
    }
}
