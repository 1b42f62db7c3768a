import Testing
@testable import YingshangCore

@Suite("Varint: skipping many at once lands where reading them one by one does")
struct VarintTests {
    @Test("every count from every start, over values of one to five bytes")
    func skipEqualsRead() {
        // Seeded, so that a failure repeats.
        var generator = SplitMix64(seed: 2026)
        let values = (0..<300).map { _ in
            [Int.random(in: 0..<0x80, using: &generator), Int.random(in: 0x80..<0x4000, using: &generator),
             Int.random(in: 0..<(1 << 35), using: &generator)][Int.random(in: 0..<3, using: &generator)]
        }
        var bytes: [UInt8] = []
        for value in values { Varint.append(value, to: &bytes) }
        bytes.withUnsafeBufferPointer { buffer in
            var starts: [Int] = []
            var at = 0
            while at < buffer.count { starts.append(at); _ = Varint.read(buffer, at: &at) }
            for first in stride(from: 0, to: values.count, by: 7) {
                for count in 0...min(40, values.count - first) {
                    var skipped = starts[first]
                    Varint.skip(count, in: buffer, at: &skipped)
                    #expect(skipped == (first + count < starts.count ? starts[first + count] : buffer.count), "skip \(count) from \(first)")
                }
            }
        }
    }
}
