import Testing
@testable import YingshangCore

/// A summary's cursor jumps through its skip entries; wherever it lands it must find the record a walk through every
/// record finds.
@Suite("Document summaries: seeking a document finds what walking finds")
struct DocumentSummariesTests {
    @Test("seek from the start and in ascending runs, for every document and every summarised gram")
    func seekEqualsWalk() throws {
        let segment = try #require(SearchShortcutTests.catalog.segments.first)
        let summaries = segment.summaries
        var checked = 0
        for term in segment.body.keys.indices.map(Int32.init) {
            var all: [DocumentSummaries.Record] = []
            guard summaries.records(term, unitStart: segment.unitStart, { all.append($0); return true }) else { continue }
            #expect(all.map(\.document) == all.map(\.document).sorted())
            // The first record at or after each document, read alone from a fresh cursor.
            func expected(_ d: Int32) -> Int32? { all.first { $0.document >= d }?.document }
            for d in Int32(0)..<Int32(segment.documents.count) {
                _ = summaries.reading(term, unitStart: segment.unitStart) { cursor in
                    let found = cursor.seek(d)
                    #expect(found?.document == expected(d), "term \(term) document \(d)")
                    if let found, let record = all.first(where: { $0.document == found.document }) {
                        #expect((found.offset, found.firstUnit, found.bestUnit, found.bestFrequency)
                                == (record.offset, record.firstUnit, record.bestUnit, record.bestFrequency))
                    }
                }
            }
            // Every third document in one pass, as the readers ask: each answer equals the fresh one.
            _ = summaries.reading(term, unitStart: segment.unitStart) { cursor in
                for d in stride(from: Int32(0), to: Int32(segment.documents.count), by: 3) {
                    #expect(cursor.seek(d)?.document == expected(d), "term \(term) document \(d) in a run")
                }
            }
            checked += 1
        }
        // Enough lists long enough to have skip entries (one per 32 records).
        #expect(checked > 50)
        #expect(segment.documents.count > 2 * DocumentSummaries.skipInterval)
    }
}
