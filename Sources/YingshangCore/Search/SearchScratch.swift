import Foundation

/// Per-query working arrays, one slot per unit or document of a catalogue, reused across queries: allocating and
/// zeroing them for every query cost more than the search itself. A query clears what it touched before it
/// hands them back.
final class SearchScratch {
    let units: Int
    let documents: Int
    // Buffers rather than arrays: stored `let`, so the hot loops pay no exclusivity checks.
    let unitScore: UnsafeMutableBufferPointer<Double>
    let unitTerms: UnsafeMutableBufferPointer<UInt32>
    let termUnit: UnsafeMutableBufferPointer<Double>
    let unitMatched: UnsafeMutableBufferPointer<UInt8>
    let documentScore: UnsafeMutableBufferPointer<Double>
    let documentTerms: UnsafeMutableBufferPointer<UInt32>
    let termDocument: UnsafeMutableBufferPointer<Double>
    let documentMatched: UnsafeMutableBufferPointer<UInt8>
    /// A per-document number one step of a query uses and clears: the near-miss title's shared bigrams, the strict
    /// match's documents-seen flag, the relaxed pass's last gram matching the title (1 + its index).
    let documentStamp: UnsafeMutableBufferPointer<Int32>
    let documentBest: UnsafeMutableBufferPointer<Double>
    /// The final score of each unit (0: no match).
    let score: UnsafeMutableBufferPointer<Double>
    /// One bit per unit, all clear between queries: the units a further term is read for (small enough to stay in
    /// cache, where testing a unit's terms and its document's took two scattered loads per posting).
    let unitBits: UnsafeMutableBufferPointer<UInt64>

    init(units: Int, documents: Int) {
        self.units = units
        self.documents = documents
        func zeroed<T: Numeric>(_ count: Int) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0)
            return buffer
        }
        unitScore = zeroed(units)
        unitTerms = zeroed(units)
        termUnit = zeroed(units)
        unitMatched = zeroed(units)
        score = zeroed(units)
        documentScore = zeroed(documents)
        documentTerms = zeroed(documents)
        termDocument = zeroed(documents)
        documentMatched = zeroed(documents)
        documentStamp = zeroed(documents)
        documentBest = zeroed(documents)
        unitBits = zeroed((units + 63) / 64)
    }

    deinit {
        for buffer in [unitScore, termUnit, score, documentScore, termDocument, documentBest] { buffer.deallocate() }
        unitTerms.deallocate()
        documentTerms.deallocate()
        unitMatched.deallocate()
        documentMatched.deallocate()
        documentStamp.deallocate()
        unitBits.deallocate()
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
