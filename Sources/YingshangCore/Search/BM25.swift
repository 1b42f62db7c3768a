import Foundation

/// Okapi BM25, split so that the index can rank a document's units for a gram before any query is known: a unit's
/// score is `idf × saturation`, and only `saturation` depends on the unit (its term frequency and length).
enum BM25 {
    static let k1 = 1.2
    static let b = 0.75

    /// How much `tf` occurrences in an entry of `length` atoms count, for a field whose entries average `average`.
    static func saturation(_ tf: UInt32, length: UInt32, average: Double) -> Double {
        let f = Double(tf)
        return f * (k1 + 1) / (f + k1 * (1 - b + b * Double(length) / average))
    }

    /// Inverse document frequency of a gram found in `df` of `total` entries.
    static func idf(_ df: Int, of total: Int) -> Double {
        log(1 + (Double(total) - Double(df) + 0.5) / (Double(df) + 0.5))
    }

    static func score(_ tf: UInt32, length: UInt32, average: Double, idf: Double) -> Double {
        idf * saturation(tf, length: length, average: average)
    }
}
