/// A fixed-size set of row numbers, 64 to a word.
public struct Bitset: Sendable, Equatable {
    public let words: [UInt64]
    public let count: Int

    init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
    }

    public subscript(_ row: Int) -> Bool { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }

    /// How many rows are in the set.
    public var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The rows in the set, ascending.
    public var rows: [Int] {
        var result: [Int] = []
        result.reserveCapacity(cardinality)
        for (index, word) in words.enumerated() {
            var w = word
            while w != 0 {
                result.append(index << 6 + w.trailingZeroBitCount)
                w &= w - 1
            }
        }
        return result
    }
}
