/// What the search index needs from a policy document or a knowledge-base entry.
public struct SearchDocument: Sendable, Equatable {
    /// Stable identity (the record's id); a changed document replaces the entry with the same key.
    public var key: String
    public var source: SearchSource
    /// Document title, or the question of a Q&A.
    public var title: String
    /// 文号 and other identifiers typed to find exactly this document.
    public var number: String
    public var facets: SearchFacets
    /// The first unit is the document's head (its header lines or preamble); articles follow in order.
    public var units: [SearchUnit]

    public init(key: String, source: SearchSource, title: String, number: String, facets: SearchFacets, units: [SearchUnit]) {
        self.key = key
        self.source = source
        self.title = title
        self.number = number
        self.facets = facets
        self.units = units
    }
}

public enum SearchSource: String, Sendable, Codable, CaseIterable { case policy, knowledge }

/// One searchable piece of a document: an article (with its anchor and 第X条 label) or the document's head.
public struct SearchUnit: Sendable, Equatable {
    public var anchor: String?
    public var label: String?
    /// The article number (36 for 第三十六条), for look-ups by number.
    public var number: Int?
    public var text: String

    public init(anchor: String? = nil, label: String? = nil, number: Int? = nil, text: String) {
        self.anchor = anchor
        self.label = label
        self.number = number
        self.text = text
    }
}

/// The values results are filtered and sorted by.
public struct SearchFacets: Sendable, Equatable {
    public var kind: String
    public var level: String
    public var issuer: String
    public var validity: String
    /// Days since 1970-01-01 of the issue date, when known.
    public var issuedDay: Int?

    public init(kind: String = "", level: String = "", issuer: String = "", validity: String = "", issuedDay: Int? = nil) {
        self.kind = kind
        self.level = level
        self.issuer = issuer
        self.validity = validity
        self.issuedDay = issuedDay
    }
}
