/// An immutable index over a list of documents: title and number fields per document, body per unit.
/// The catalogue (`SearchCatalog`) combines a large base segment with a small one for recent changes.
struct SearchSegment: Sendable {
    let documents: [SearchDocument]
    /// Unit ranges per document: units of document d are `unitStart[d]..<unitStart[d + 1]`.
    let unitStart: [Int32]
    /// Document of each unit.
    let unitDocument: [Int32]
    let title: FieldIndex
    let number: FieldIndex
    let body: FieldIndex
    /// The body's common grams per document (see `DocumentSummaries`).
    let summaries: DocumentSummaries
    private let vocabulary: Vocabulary

    init(documents: [SearchDocument]) {
        self.documents = documents
        var starts: [Int32] = [0]
        var owners: [Int32] = []
        var texts: [String] = []
        for (d, document) in documents.enumerated() {
            for unit in document.units {
                owners.append(Int32(d))
                texts.append(unit.text)
            }
            starts.append(Int32(owners.count))
        }
        unitStart = starts
        unitDocument = owners
        let vocabulary = Vocabulary()
        self.vocabulary = vocabulary
        let add = { (word: String) -> UInt32? in vocabulary.add(word) }
        title = FieldIndex(count: documents.count) { Atomizer.atoms(documents[$0].title, word: add) }
        number = FieldIndex(count: documents.count) { Atomizer.atoms(documents[$0].number, word: add) }
        body = FieldIndex(count: texts.count) { Atomizer.atoms(texts[$0], word: add) }
        summaries = DocumentSummaries(of: body, unitStart: starts, unitDocument: owners)
    }

    /// The atoms of a query phrase in this segment's vocabulary.
    func atoms(_ phrase: String) -> [UInt32] {
        Atomizer.atoms(phrase) { vocabulary.find($0) }.map(\.id)
    }

    func unit(_ u: Int) -> SearchUnit {
        let d = Int(unitDocument[u])
        return documents[d].units[u - Int(unitStart[d])]
    }

    var byteSize: Int { title.byteSize + number.byteSize + body.byteSize + summaries.byteSize + unitStart.count * 8 }
}
