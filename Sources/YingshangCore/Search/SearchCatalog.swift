/// The searchable collection: a base segment, a small segment of documents changed since the base was built, and
/// the keys the base must no longer show. A change rebuilds only the small segment; `compacted()` folds it into the
/// base when it grows.
public struct SearchCatalog: Sendable {
    var segments: [SearchSegment]
    /// Per segment, the documents hidden because a newer segment replaced them or they were removed.
    var hidden: [Set<Int32>]
    public var synonyms: SynonymTable
    /// Working arrays for queries, reused (see `SearchScratch`).
    let scratch = SearchScratchPool()
    /// The document of every unit, numbered across segments (as `SearchRun` numbers them).
    private(set) var unitDocuments: [Int32] = []

    /// Grams in at least this many units get document summaries (see `DocumentSummaries`; tests lower it).
    let summaryMinimum: Int

    /// The catalogue of `documents`, read once in order (a lazy sequence may make each one as it is read).
    public init<Documents: Sequence<SearchDocument>>(documents: Documents, synonyms: SynonymTable = .standard) {
        self.init(documents: documents, synonyms: synonyms, summaryMinimum: DocumentSummaries.minimumUnits)
    }

    init<Documents: Sequence<SearchDocument>>(documents: Documents, synonyms: SynonymTable, summaryMinimum: Int) {
        self.summaryMinimum = summaryMinimum
        segments = [SearchSegment(documents: documents, summaryMinimum: summaryMinimum)]
        hidden = [[]]
        self.synonyms = synonyms
        unitDocuments = Self.unitDocuments(segments)
    }

    private static func unitDocuments(_ segments: [SearchSegment]) -> [Int32] {
        // One segment numbers its units as the catalogue does: its array is shared, not copied (half the memory, and
        // a query reading both touches one array in cache).
        if segments.count == 1 { return segments[0].unitDocument }
        var result: [Int32] = []
        var base: Int32 = 0
        for segment in segments {
            result += segment.unitDocument.map { $0 + base }
            base += Int32(segment.documents.count)
        }
        return result
    }

    public var documentCount: Int { zip(segments, hidden).reduce(0) { $0 + $1.0.documents.count - $1.1.count } }
    public var unitCount: Int { segments.reduce(0) { $0 + $1.unitDocument.count } }
    /// Bytes the postings and their tables take.
    public var indexBytes: Int { segments.reduce(0) { $0 + $1.byteSize } }
    /// Bytes the stored unit texts take (for snippets and hits).
    public var textBytes: Int { segments.reduce(0) { $0 + $1.textBytes } }
    /// Documents in the recent-changes segment.
    public var pendingDocuments: Int { segments.count > 1 ? segments[1].documents.count : 0 }

    /// Adds or replaces documents (by key) and removes `removedKeys`.
    public func updating(_ changed: [SearchDocument], removing removedKeys: Set<String> = []) -> SearchCatalog {
        var recent: [String: SearchDocument] = [:]
        if segments.count > 1 {
            for d in segments[1].documents.indices where !hidden[1].contains(Int32(d)) {
                recent[segments[1].documents[d].key] = segments[1].document(d)
            }
        }
        for key in removedKeys { recent[key] = nil }
        for document in changed { recent[document.key] = document }
        let replaced = Set(changed.map(\.key)).union(removedKeys)
        var baseHidden = hidden[0]
        for (d, document) in segments[0].documents.enumerated() where replaced.contains(document.key) { baseHidden.insert(Int32(d)) }
        var next = self
        next.segments = [segments[0], SearchSegment(documents: recent.values.sorted { $0.key < $1.key }, summaryMinimum: summaryMinimum)]
        next.hidden = [baseHidden, []]
        next.unitDocuments = Self.unitDocuments(next.segments)
        return next
    }

    /// One segment holding every live document.
    public func compacted() -> SearchCatalog {
        SearchCatalog(documents: liveDocuments, synonyms: synonyms, summaryMinimum: summaryMinimum)
    }

    public var liveDocuments: [SearchDocument] {
        zip(segments, hidden).flatMap { segment, hidden in
            segment.documents.indices.filter { !hidden.contains(Int32($0)) }.map(segment.document)
        }
    }

    public func search(_ text: String, options: SearchOptions = SearchOptions()) -> SearchResults {
        SearchRun(catalog: self, query: SearchQuery(text, synonyms: synonyms), options: options).results()
    }
}
