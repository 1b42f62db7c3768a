/// How to search: filters, order and how much to return.
public struct SearchOptions: Sendable {
    public enum Order: String, Sendable, CaseIterable { case relevance, newest }

    public var limit = 10
    public var offset = 0
    /// Articles listed under each document.
    public var unitsPerDocument = 3
    public var order = Order.relevance
    public var sources: Set<SearchSource> = Set(SearchSource.allCases)
    public var kinds: Set<String> = []
    public var levels: Set<String> = []
    public var issuers: Set<String> = []
    public var validities: Set<String> = []
    public var issuedFrom: Int?
    public var issuedTo: Int?

    public init() {}

    /// Whether any filter is set (without one every visible document is admitted).
    var filters: Bool {
        sources.count < SearchSource.allCases.count || !kinds.isEmpty || !levels.isEmpty || !issuers.isEmpty
            || !validities.isEmpty || issuedFrom != nil || issuedTo != nil
    }

    func admits(_ source: SearchSource, _ f: SearchFacets) -> Bool {
        if !sources.contains(source) { return false }
        if !kinds.isEmpty && !kinds.contains(f.kind) { return false }
        if !levels.isEmpty && !levels.contains(f.level) { return false }
        if !issuers.isEmpty && !issuers.contains(where: { f.issuer.contains($0) }) { return false }
        if !validities.isEmpty && !validities.contains(f.validity) { return false }
        if let from = issuedFrom, (f.issuedDay ?? Int.min) < from { return false }
        if let to = issuedTo, (f.issuedDay ?? Int.max) > to { return false }
        return true
    }
}

/// One matching unit (an article or a document's head) with its highlighted snippet.
///
/// A hit holds only its score, its place in its segment and one shared reference: its document's key, its labels,
/// its text and its snippet are read from the segment when asked for, so a page of hits costs no string copies and
/// a caller reading ten of them pays for those ten.
public struct SearchHit: Sendable {
    public var score: Double
    let source: HitSource
    let unitIndex: Int
    let documentIndex: Int

    public var documentKey: String { source.segment.documents[documentIndex].key }
    /// The unit's anchor, label and number. Its text is not copied into it: read `text`.
    public var unit: SearchUnit { source.segment.labels[unitIndex] }
    /// The unit's text, taken from the index when read.
    public var text: String { source.segment.texts[unitIndex] }
    /// The unit's text around the query's matches, matches marked; cut when read (as search engines make snippets
    /// apart from ranking), so a caller that shows no snippet pays nothing for it.
    public var snippet: [SnippetPart] { source.highlighter.snippet(text) }
}

/// What one query's hits in one segment read their labels, texts and snippets from.
final class HitSource: Sendable {
    let segment: SearchSegment
    let highlighter: Highlighter

    init(segment: SearchSegment, highlighter: Highlighter) {
        self.segment = segment
        self.highlighter = highlighter
    }
}

/// A document with its best-matching units. Like a hit, it keeps its place and reads its document's summary from the
/// segment when asked for (a copy per group retained the summary's strings on every page).
public struct SearchGroup: Sendable {
    public var score: Double
    public var hits: [SearchHit]
    let source: HitSource
    let documentIndex: Int

    public var document: SearchDocument.Summary { source.segment.documents[documentIndex] }
}

public struct SearchResults: Sendable {
    /// Documents in order, each with its best units.
    public var groups: [SearchGroup]
    /// Matching documents in all (before `limit` and `offset`).
    public var totalDocuments: Int
    /// Whether `totalDocuments` is estimated: a broad query ranks only the documents that can reach the page and
    /// estimates how many of the others match (see `SearchRun+Bounds`).
    public var totalIsEstimate = false
    /// A near-miss title the query resembles (“您是不是要找”).
    public var suggestion: String?
    /// The units in rank order, as a flat list (what the benchmark scores).
    public var rankedUnits: [SearchHit] { groups.flatMap(\.hits) }
}

/// A run of snippet text, highlighted when it matched the query.
public struct SnippetPart: Sendable, Equatable {
    public var text: String
    public var highlighted: Bool
}

extension SearchDocument {
    /// The document without its units, as results carry it.
    public struct Summary: Sendable {
        public var key: String
        public var source: SearchSource
        public var title: String
        public var number: String
        public var facets: SearchFacets
    }

    var summary: Summary { Summary(key: key, source: source, title: title, number: number, facets: facets) }
}
