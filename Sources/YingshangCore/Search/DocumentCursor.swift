/// Finds the documents of units from the unit ranges (`unitStart`: one entry per document, a few kilobytes that stay
/// in cache) rather than from the array of each unit's document: a phrase's candidates lie thinly spread over
/// 150,000 units, so reading that array missed the cache once per candidate. Fastest for ascending units, as the
/// search goes on from the document found last.
struct DocumentCursor {
    /// Units of document d are `unitStart[d]..<unitStart[d + 1]`.
    private let unitStart: [Int32]
    private var document = 0

    init(_ unitStart: [Int32]) { self.unitStart = unitStart }

    /// The document holding `unit`.
    @inline(__always)
    mutating func document(of unit: Int32) -> Int32 {
        if unitStart[document] > unit { document = 0 }
        var low = document
        // The last document starting at or before `unit` (an empty one shares its start with the next): ahead in
        // doubling steps to a document starting after it, then halving. The end of the last range lies after every unit.
        if unitStart[low + 1] <= unit {
            var step = 1
            let last = unitStart.count - 1
            while low + step < last, unitStart[low + step] <= unit {
                low += step
                step *= 2
            }
            var high = min(low + step, last)
            while high - low > 1 {
                let mid = (low + high) / 2
                if unitStart[mid] <= unit { low = mid } else { high = mid }
            }
        }
        document = low
        return Int32(low)
    }
}
