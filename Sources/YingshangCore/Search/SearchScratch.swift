import Foundation

/// Per-query working arrays, one slot per unit or document of a catalogue, reused across queries: allocating and
/// zeroing them for every query cost more than the search itself. A query clears what it touched before it
/// hands them back.
final class SearchScratch {
    let units: Int
    let documents: Int
    var unitScore: [Double]
    var unitTerms: [UInt32]
    var termUnit: [Double]
    var unitMatched: [UInt8]
    var documentScore: [Double]
    var documentTerms: [UInt32]
    var termDocument: [Double]
    var documentMatched: [UInt8]
    /// 1 + the index of the last relaxed gram that matched the document's title, 0 for none.
    var documentStamp: [Int32]
    var documentBest: [Double]
    /// The final score of each unit (0: no match).
    var score: [Double]

    init(units: Int, documents: Int) {
        self.units = units
        self.documents = documents
        unitScore = Array(repeating: 0, count: units)
        unitTerms = Array(repeating: 0, count: units)
        termUnit = Array(repeating: 0, count: units)
        unitMatched = Array(repeating: 0, count: units)
        score = Array(repeating: 0, count: units)
        documentScore = Array(repeating: 0, count: documents)
        documentTerms = Array(repeating: 0, count: documents)
        termDocument = Array(repeating: 0, count: documents)
        documentMatched = Array(repeating: 0, count: documents)
        documentStamp = Array(repeating: 0, count: documents)
        documentBest = Array(repeating: 0, count: documents)
    }
}

/// The scratch sets of a catalogue, shared by its copies; a set of the wrong size (after an update) is dropped.
final class SearchScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [SearchScratch] = []

    func take(units: Int, documents: Int) -> SearchScratch {
        lock.lock()
        defer { lock.unlock() }
        while let scratch = free.popLast() {
            if scratch.units == units && scratch.documents == documents { return scratch }
        }
        return SearchScratch(units: units, documents: documents)
    }

    func give(_ scratch: SearchScratch) {
        lock.lock()
        defer { lock.unlock() }
        if free.count < 8 { free.append(scratch) }
    }
}
