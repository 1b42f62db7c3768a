import Testing
@testable import YingshangCore

@Suite("DocumentCursor: the document of a unit from the unit ranges")
struct DocumentCursorTests {
    /// Unit ranges of documents with 0 to 40 units (every fifth empty, some runs of empty ones) and each unit's document.
    private func ranges(_ generator: inout SplitMix64) -> (unitStart: [Int32], unitDocument: [Int32]) {
        var unitStart: [Int32] = [0], unitDocument: [Int32] = []
        for d in 0..<500 {
            let units = Int.random(in: 0..<5, using: &generator) == 0 ? 0 : Int.random(in: 1...40, using: &generator)
            unitDocument += [Int32](repeating: Int32(d), count: units)
            unitStart.append(Int32(unitDocument.count))
        }
        return (unitStart, unitDocument)
    }

    @Test("units ascending, thinly or densely spread, as a phrase's candidates come")
    func ascending() {
        var generator = SplitMix64(seed: 2026)
        let (unitStart, unitDocument) = ranges(&generator)
        for density in [1, 3, 40, 800] {
            var cursor = DocumentCursor(unitStart)
            for unit in unitDocument.indices where Int.random(in: 0..<density, using: &generator) == 0 {
                #expect(cursor.document(of: Int32(unit)) == unitDocument[unit], "unit \(unit), one in \(density)")
            }
        }
    }

    @Test("units in any order, and the first and last unit")
    func anyOrder() {
        var generator = SplitMix64(seed: 2026)
        let (unitStart, unitDocument) = ranges(&generator)
        var cursor = DocumentCursor(unitStart)
        let units = [0, unitDocument.count - 1] + (0..<2_000).map { _ in Int.random(in: unitDocument.indices, using: &generator) }
        for unit in units {
            #expect(cursor.document(of: Int32(unit)) == unitDocument[unit], "unit \(unit)")
        }
    }
}
