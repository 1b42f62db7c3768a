import Foundation

/// One execution of a query over a catalogue.
///
/// Scoring is BM25 per field, weighted (title and number above body) and summed over the query's terms; a unit
/// (article or document head) matches when every term occurs in its text or in its document's title or number.
/// When that strict match finds too little, a relaxed pass matches the query's bigrams with a minimum-should-match,
/// ranked below every strict match, so a question typed without spaces still finds its articles.
///
/// Units and documents are numbered across segments (segment bases added), and scores are kept in dense arrays.
struct SearchRun {
    let catalog: SearchCatalog
    let query: SearchQuery
    let options: SearchOptions

    static let k1 = 1.2
    static let b = 0.75
    static let titleWeight = 4.0
    static let numberWeight = 6.0
    static let bodyWeight = 1.0
    /// Share of a query's bigrams a unit needs in the relaxed pass.
    static let relaxedShare = 0.35

    private let segments: [SearchSegment]
    private let unitBase: [Int]
    private let documentBase: [Int]
    private let unitCount: Int
    private let documentCount: Int
    /// Documents the filters and the recent-changes segment leave visible, by global number.
    private let allowed: [Bool]

    init(catalog: SearchCatalog, query: SearchQuery, options: SearchOptions) {
        self.catalog = catalog
        self.query = query
        self.options = options
        segments = catalog.segments
        var units = [0], documents = [0]
        for segment in segments {
            units.append(units.last! + segment.unitDocument.count)
            documents.append(documents.last! + segment.documents.count)
        }
        unitBase = units
        documentBase = documents
        unitCount = units.last!
        documentCount = documents.last!
        var allowed = [Bool](repeating: true, count: documents.last!)
        let filters = options.filters
        for (s, segment) in segments.enumerated() {
            for d in catalog.hidden[s] { allowed[documents[s] + Int(d)] = false }
            guard filters else { continue }
            for d in segment.documents.indices where allowed[documents[s] + d] {
                allowed[documents[s] + d] = options.admits(segment.documents[d].source, segment.documents[d].facets)
            }
        }
        self.allowed = allowed
    }

    func results() -> SearchResults {
        var scores = Scores(units: unitCount)
        let excluded = exclusions()
        if !query.terms.isEmpty { strictMatches(into: &scores, excluded: excluded) }
        let strictDocuments = Set(scores.touched.map { documentOf(Int($0)) }).count
        let suggestion = titleSuggestion()
        var pinned: [(Int, Double)] = []
        if let number = query.articleNumber { pinned = articleLookup(number, suggestion: suggestion) }
        if let suggestion, pinned.isEmpty, scores.value[headUnit(suggestion.document)] == 0 {
            // The query is nearly this document's title: show the document first.
            pinned = [(headUnit(suggestion.document), 1000 + suggestion.similarity)]
        }
        if strictDocuments < options.offset + options.limit, !query.terms.isEmpty {
            relaxedMatches(into: &scores, excluded: excluded)
        }
        for (unit, score) in pinned { scores.set(unit, max(scores.value[unit], score)) }
        let showSuggestion = suggestion.map { s in pinned.contains { $0.0 == headUnit(s.document) } } ?? false
        return assemble(scores, suggestion: showSuggestion ? suggestion.map { document($0.document).title } : nil)
    }

    /// Unit scores with the list of units that have one.
    struct Scores {
        var value: [Double]
        var touched: [Int32] = []
        init(units: Int) { value = [Double](repeating: 0, count: units) }
        mutating func set(_ unit: Int, _ score: Double) {
            if value[unit] == 0 { touched.append(Int32(unit)) }
            value[unit] = score
        }
    }

    // MARK: Phrases

    /// Pieces of `phrase` between separators (a phrase with punctuation must match each piece).
    static func runs(_ phrase: String) -> [String] {
        var runs: [String] = []
        var current = String.UnicodeScalarView()
        for c in phrase.unicodeScalars {
            if Atomizer.kind(TextFolding.fold(c)) == .separator {
                if !current.isEmpty { runs.append(String(current)); current = String.UnicodeScalarView() }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { runs.append(String(current)) }
        return runs
    }

    /// Entries of `field` holding every run of `phrase`, with the smallest run count as frequency (ascending).
    private func fieldMatches(_ field: FieldIndex, _ segment: SearchSegment, _ phrase: String) -> [FieldIndex.Match] {
        let runs = Self.runs(phrase).map { segment.atoms($0) }
        guard var result = runs.first.map({ field.matches($0) }) else { return [] }
        for run in runs.dropFirst() where !result.isEmpty {
            let other = Dictionary(field.matches(run).map { ($0.entry, $0.frequency) }, uniquingKeysWith: max)
            result = result.compactMap { m in other[m.entry].map { FieldIndex.Match(entry: m.entry, frequency: min(m.frequency, $0)) } }
        }
        return result
    }

    private func bm25(_ tf: UInt32, length: UInt32, average: Double, idf: Double) -> Double {
        let f = Double(tf)
        return idf * f * (Self.k1 + 1) / (f + Self.k1 * (1 - Self.b + Self.b * Double(length) / average))
    }

    private func idf(_ df: Int, of total: Int) -> Double {
        log(1 + (Double(total) - Double(df) + 0.5) / (Double(df) + 0.5))
    }

    /// Scores of one phrase by global number: units from the body, documents from title and number.
    private func phraseScores(_ phrase: String) -> (units: [(Int, Double)], documents: [(Int, Double)]) {
        let matches = segments.map { s in
            (title: fieldMatches(s.title, s, phrase), number: fieldMatches(s.number, s, phrase), body: fieldMatches(s.body, s, phrase))
        }
        let titleIDF = idf(matches.reduce(0) { $0 + $1.title.count }, of: documentCount)
        let numberIDF = idf(matches.reduce(0) { $0 + $1.number.count }, of: documentCount)
        let bodyIDF = idf(matches.reduce(0) { $0 + $1.body.count }, of: unitCount)
        var units: [(Int, Double)] = []
        var documents: [Int: Double] = [:]
        for (s, segment) in segments.enumerated() {
            for m in matches[s].title where allowed[documentBase[s] + Int(m.entry)] {
                documents[documentBase[s] + Int(m.entry), default: 0] += Self.titleWeight
                    * bm25(m.frequency, length: segment.title.lengths[Int(m.entry)], average: segment.title.averageLength, idf: titleIDF)
            }
            for m in matches[s].number where allowed[documentBase[s] + Int(m.entry)] {
                documents[documentBase[s] + Int(m.entry), default: 0] += Self.numberWeight
                    * bm25(m.frequency, length: segment.number.lengths[Int(m.entry)], average: segment.number.averageLength, idf: numberIDF)
            }
            units.reserveCapacity(units.count + matches[s].body.count)
            let average = segment.body.averageLength
            for m in matches[s].body where allowed[documentBase[s] + Int(segment.unitDocument[Int(m.entry)])] {
                units.append((unitBase[s] + Int(m.entry),
                              Self.bodyWeight * bm25(m.frequency, length: segment.body.lengths[Int(m.entry)], average: average, idf: bodyIDF)))
            }
        }
        return (units, documents.map { ($0.key, $0.value) })
    }

    // MARK: Matching

    /// Units containing an excluded phrase, and documents whose title or number does.
    private func exclusions() -> (units: Set<Int>, documents: Set<Int>) {
        var units = Set<Int>(), documents = Set<Int>()
        for phrase in query.excluded {
            let scores = phraseScores(phrase)
            units.formUnion(scores.units.map(\.0))
            documents.formUnion(scores.documents.map(\.0))
        }
        return (units, documents)
    }

    /// Units matching every term (each term as any of its phrases).
    private func strictMatches(into scores: inout Scores, excluded: (units: Set<Int>, documents: Set<Int>)) {
        var unitScore = [Double](repeating: 0, count: unitCount)
        var unitTerms = [UInt32](repeating: 0, count: unitCount)
        var documentScore = [Double](repeating: 0, count: documentCount)
        var documentTerms = [UInt32](repeating: 0, count: documentCount)
        var termUnit = [Double](repeating: 0, count: unitCount)
        var termDocument = [Double](repeating: 0, count: documentCount)
        var touchedUnits: [Int] = []
        var touchedDocuments = Set<Int>()
        for (t, term) in query.terms.prefix(32).enumerated() {
            var units: [Int] = [], documents: [Int] = []
            for phrase in [term.text] + term.alternatives {
                let found = phraseScores(phrase)
                for (u, score) in found.units {
                    if termUnit[u] == 0 { units.append(u) }
                    termUnit[u] = max(termUnit[u], score)
                }
                for (d, score) in found.documents {
                    if termDocument[d] == 0 { documents.append(d) }
                    termDocument[d] = max(termDocument[d], score)
                }
            }
            if units.isEmpty && documents.isEmpty { return }
            for u in units {
                if unitTerms[u] == 0 { touchedUnits.append(u) }
                unitScore[u] += termUnit[u]; unitTerms[u] |= 1 << t; termUnit[u] = 0
            }
            for d in documents {
                touchedDocuments.insert(d)
                documentScore[d] += termDocument[d]; documentTerms[d] |= 1 << t; termDocument[d] = 0
            }
        }
        let all: UInt32 = query.terms.count >= 32 ? .max : (1 << UInt32(query.terms.count)) - 1
        for d in touchedDocuments where documentTerms[d] == all && unitTerms[headUnit(d)] == 0 { touchedUnits.append(headUnit(d)) }
        for u in touchedUnits where !excluded.units.contains(u) {
            let d = documentOf(u)
            guard !excluded.documents.contains(d), unitTerms[u] | documentTerms[d] == all else { continue }
            scores.set(u, unitScore[u] + documentScore[d])
        }
    }

    /// Units holding most of the query's bigrams (single characters for one-character pieces), added at half weight
    /// below the strict matches.
    private func relaxedMatches(into scores: inout Scores, excluded: (units: Set<Int>, documents: Set<Int>)) {
        var grams: [String] = []
        for term in query.terms where !term.quoted {
            for run in Self.runs(term.text) {
                let characters = Array(run)
                if characters.count < 2 { grams.append(run); continue }
                for i in 0..<(characters.count - 1) { grams.append(String(characters[i...(i + 1)])) }
            }
        }
        grams = Array(Set(grams)).sorted()
        guard grams.count > 1 else { return }
        let needed = max(2, Int((Double(grams.count) * Self.relaxedShare).rounded(.up)))
        var unitScore = [Double](repeating: 0, count: unitCount)
        var unitMatched = [UInt8](repeating: 0, count: unitCount)
        var documentScore = [Double](repeating: 0, count: documentCount)
        var documentMatched = [UInt8](repeating: 0, count: documentCount)
        var documentStamp = [Int](repeating: -1, count: documentCount)
        var overlap: [Int: UInt8] = [:]
        var touched: [Int] = []
        for (g, gram) in grams.enumerated() {
            let found = phraseScores(gram)
            for (d, score) in found.documents {
                documentScore[d] += score; documentMatched[d] += 1; documentStamp[d] = g
                if documentMatched[d] == 1 { touched.append(headUnit(d)) }
            }
            for (u, score) in found.units {
                if unitMatched[u] == 0 { touched.append(u) }
                unitScore[u] += score; unitMatched[u] += 1
                if documentStamp[documentOf(u)] == g { overlap[u, default: 0] += 1 }
            }
        }
        for u in Set(touched) where scores.value[u] == 0 && !excluded.units.contains(u) {
            let d = documentOf(u)
            let matched = Int(unitMatched[u]) + Int(documentMatched[d]) - Int(overlap[u] ?? 0)
            guard matched >= needed, !excluded.documents.contains(d) else { continue }
            scores.set(u, (unitScore[u] + documentScore[d]) * Double(matched) / Double(grams.count) * 0.5)
        }
    }

    // MARK: Article look-up and title suggestions

    /// The asked-for article of the documents the other terms name best (up to three), to pin on top.
    private func articleLookup(_ number: Int, suggestion: TitleMatch?) -> [(Int, Double)] {
        guard !query.terms.isEmpty else { return [] }
        var documentScore: [Int: Double] = [:]
        var documentTerms: [Int: Int] = [:]
        for (t, term) in query.terms.enumerated() {
            var best: [Int: Double] = [:]
            for phrase in [term.text] + term.alternatives {
                for (d, score) in phraseScores(phrase).documents { best[d] = max(best[d] ?? 0, score) }
            }
            for (d, score) in best { documentScore[d, default: 0] += score; documentTerms[d, default: 0] |= 1 << t }
        }
        let all = (1 << query.terms.count) - 1
        var ranked = documentScore.filter { documentTerms[$0.key] == all }.sorted {
            $0.value != $1.value ? $0.value > $1.value : document($0.key).title.count < document($1.key).title.count
        }.map(\.key)
        if ranked.isEmpty, let suggestion { ranked = [suggestion.document] }
        var pinned: [(Int, Double)] = []
        for (rank, d) in ranked.prefix(3).enumerated() {
            let (s, local) = locate(document: d)
            let segment = segments[s]
            let range = Int(segment.unitStart[local])..<Int(segment.unitStart[local + 1])
            if let u = range.first(where: { segment.unit($0).number == number }) {
                pinned.append((unitBase[s] + u, 2000 - Double(rank)))
            }
        }
        return pinned
    }

    struct TitleMatch { var document: Int; var similarity: Double }

    /// The title the query's text nearly equals (Dice similarity of bigrams ≥ 0.6) when no title contains it.
    private func titleSuggestion() -> TitleMatch? {
        let text = query.terms.filter { !$0.quoted }.map(\.text).joined()
        let characters = Array(text)
        guard characters.count >= 4, characters.allSatisfy({ $0.unicodeScalars.allSatisfy { Atomizer.kind($0) == .ideograph } }) else { return nil }
        let bigrams = Set((0..<(characters.count - 1)).map { String(characters[$0...($0 + 1)]) })
        var shared: [Int: Int] = [:]
        for (s, segment) in segments.enumerated() {
            if segment.title.matches(segment.atoms(text)).contains(where: { allowed[documentBase[s] + Int($0.entry)] }) { return nil }
            for bigram in bigrams {
                for m in segment.title.matches(segment.atoms(bigram)) where allowed[documentBase[s] + Int(m.entry)] {
                    shared[documentBase[s] + Int(m.entry), default: 0] += 1
                }
            }
        }
        var best: TitleMatch?
        for (d, common) in shared {
            let (s, local) = locate(document: d)
            let titleBigrams = max(1, Int(segments[s].title.lengths[local]) - 1)
            let similarity = 2 * Double(common) / Double(bigrams.count + titleBigrams)
            if similarity >= 0.6, similarity > best?.similarity ?? 0 { best = TitleMatch(document: d, similarity: similarity) }
        }
        return best
    }

    // MARK: Numbering

    private func locate(unit: Int) -> (Int, Int) {
        var s = 0
        while unitBase[s + 1] <= unit { s += 1 }
        return (s, unit - unitBase[s])
    }

    private func locate(document: Int) -> (Int, Int) {
        var s = 0
        while documentBase[s + 1] <= document { s += 1 }
        return (s, document - documentBase[s])
    }

    private func documentOf(_ unit: Int) -> Int {
        let (s, local) = locate(unit: unit)
        return documentBase[s] + Int(segments[s].unitDocument[local])
    }

    private func headUnit(_ document: Int) -> Int {
        let (s, local) = locate(document: document)
        return unitBase[s] + Int(segments[s].unitStart[local])
    }

    private func document(_ d: Int) -> SearchDocument {
        let (s, local) = locate(document: d)
        return segments[s].documents[local]
    }

    private func unit(_ u: Int) -> SearchUnit {
        let (s, local) = locate(unit: u)
        return segments[s].unit(local)
    }

    // MARK: Results

    private func assemble(_ scores: Scores, suggestion: String?) -> SearchResults {
        var best: [Int: (score: Double, units: [Int])] = [:]
        for u in scores.touched.map(Int.init) {
            let d = documentOf(u)
            var entry = best[d] ?? (0, [])
            entry.score = max(entry.score, scores.value[u])
            entry.units.append(u)
            best[d] = entry
        }
        var ordered = best.map { (document: $0.key, score: $0.value.score, units: $0.value.units) }
        ordered.sort { a, b in
            if options.order == .newest {
                let da = document(a.document).facets.issuedDay ?? Int.min, db = document(b.document).facets.issuedDay ?? Int.min
                if da != db { return da > db }
            }
            return a.score != b.score ? a.score > b.score : a.document < b.document
        }
        let highlighter = Highlighter(phrases: query.terms.flatMap { [$0.text] + $0.alternatives })
        let groups = ordered.dropFirst(options.offset).prefix(options.limit).map { entry in
            let doc = document(entry.document)
            let units = entry.units.sorted { scores.value[$0] != scores.value[$1] ? scores.value[$0] > scores.value[$1] : $0 < $1 }
            let hits = units.prefix(options.unitsPerDocument).map { u in
                let found = unit(u)
                return SearchHit(documentKey: doc.key, unit: found, score: scores.value[u], snippet: highlighter.snippet(found.text))
            }
            return SearchGroup(document: doc.summary, score: entry.score, hits: hits)
        }
        return SearchResults(groups: Array(groups), totalDocuments: ordered.count, suggestion: suggestion,
                             rankedUnits: groups.flatMap(\.hits))
    }
}
