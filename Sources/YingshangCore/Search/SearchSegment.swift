/// An immutable index over a list of documents: title and number fields per document, body per unit.
/// The catalogue (`SearchCatalog`) combines a large base segment with a small one for recent changes.
///
/// It keeps what results show — each document's summary, each unit's anchor, label and number (`UnitLabels`), and
/// the unit texts (`UnitTexts`) — rather than the documents it was given, so that they can be read one at a time
/// while it is built (a whole corpus need not be in memory twice).
final class SearchSegment: Sendable {
    let documents: [SearchDocument.Summary]
    /// Unit ranges per document: units of document d are `unitStart[d]..<unitStart[d + 1]`.
    let unitStart: [Int32]
    /// Document of each unit.
    let unitDocument: [Int32]
    /// Each unit's anchor, label and number; its text is in `texts`.
    let labels: UnitLabels
    let texts: UnitTexts
    let title: FieldIndex
    let number: FieldIndex
    let body: FieldIndex
    /// The body's common grams per document (see `DocumentSummaries`).
    let summaries: DocumentSummaries
    private let vocabulary: Vocabulary

    init<Documents: Sequence<SearchDocument>>(documents: Documents, summaryMinimum: Int) {
        var summaries: [SearchDocument.Summary] = []
        var starts: [Int32] = [0]
        var owners: [Int32] = []
        var labels = UnitLabels()
        var texts = UnitTexts()
        for document in documents {
            for unit in document.units {
                owners.append(Int32(summaries.count))
                texts.append(unit.text)
                labels.append(unit)
            }
            summaries.append(document.summary)
            starts.append(Int32(owners.count))
        }
        self.documents = summaries
        unitStart = starts
        unitDocument = owners
        self.labels = labels
        self.texts = texts
        let vocabulary = Vocabulary()
        self.vocabulary = vocabulary
        let add = { (word: String) -> UInt32? in vocabulary.add(word) }
        title = FieldIndex(count: summaries.count) { Atomizer.atoms(summaries[$0].title, word: add) }
        number = FieldIndex(count: summaries.count) { Atomizer.atoms(summaries[$0].number, word: add) }
        body = FieldIndex(count: texts.count, skipsBelow: summaryMinimum) { Atomizer.atoms(texts[$0], word: add) }
        self.summaries = DocumentSummaries(of: body, unitStart: starts, unitDocument: owners, titles: [title, number],
                                           minimumUnits: summaryMinimum)
    }

    /// The atoms of a query phrase in this segment's vocabulary.
    func atoms(_ phrase: String) -> [UInt32] {
        Atomizer.atoms(phrase) { vocabulary.find($0) }.map(\.id)
    }

    /// Unit `u` with its text.
    func unit(_ u: Int) -> SearchUnit {
        var unit = labels[u]
        unit.text = texts[u]
        return unit
    }

    /// Document `d` as it was given.
    func document(_ d: Int) -> SearchDocument {
        let summary = documents[d]
        return SearchDocument(key: summary.key, source: summary.source, title: summary.title, number: summary.number,
                              facets: summary.facets, units: (Int(unitStart[d])..<Int(unitStart[d + 1])).map(unit))
    }

    var byteSize: Int { title.byteSize + number.byteSize + body.byteSize + summaries.byteSize + unitStart.count * 8 }
    var textBytes: Int { texts.byteSize }
}
