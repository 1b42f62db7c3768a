/// A fixed-size set of row numbers, 64 to a word.
public struct Bitset: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public let count: Int

    public init(count: Int) {
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
    }

    init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
    }

    public subscript(_ row: Int) -> Bool {
        get { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }
        set {
            if newValue { words[row >> 6] |= 1 << UInt64(row & 63) } else { words[row >> 6] &= ~(1 << UInt64(row & 63)) }
        }
    }

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

    /// Bytes held.
    public var byteCount: Int { words.count * 8 }
}
