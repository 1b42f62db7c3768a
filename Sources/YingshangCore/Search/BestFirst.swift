/// Documents handed out in batches, highest bound first, without sorting all of them: a bounded match reads a few
/// batches of the thousands of documents a broad query reaches (sorting every one was a tenth of such a query's time).
struct BestFirst {
    /// Keys packing a bound and a document so that key order is best first: the bound's Float bits negated, then
    /// the document.
    private var rest: [UInt64] = []

    /// Adds document `d` with `bound` (non-negative), returning the bound as it is ranked: rounded up to a Float,
    /// so that a score summed in another order cannot pass it by a rounding.
    mutating func add(_ d: Int, bound: Double) -> Double {
        var rounded = Float(bound)
        if Double(rounded) <= bound { rounded = rounded.nextUp }
        rest.append(UInt64(UInt32.max - rounded.bitPattern) << 32 | UInt64(d))
        return Double(rounded)
    }

    var count: Int { rest.count }
    var isEmpty: Bool { rest.isEmpty }

    /// Removes and returns the `k` best documents left (in no particular order).
    mutating func take(_ k: Int) -> [Int] {
        if rest.count <= k {
            defer { rest = [] }
            return rest.map(Self.document)
        }
        let chosen = TopSelection.first(k, of: rest.count) { rest[$0] < rest[$1] }
        var taken = [Bool](repeating: false, count: rest.count)
        for i in chosen { taken[i] = true }
        let documents = chosen.map { Self.document(rest[$0]) }
        var kept = 0
        for i in rest.indices where !taken[i] {
            rest[kept] = rest[i]
            kept += 1
        }
        rest.removeLast(rest.count - kept)
        return documents
    }

    /// The best document left.
    var best: Int? { rest.min().map(Self.document) }

    /// The documents left.
    var documents: [Int] { rest.map(Self.document) }

    private static func document(_ key: UInt64) -> Int { Int(key & 0xFFFF_FFFF) }
}
