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

    static let titleWeight = 4.0
    static let numberWeight = 6.0
    static let bodyWeight = 1.0
    /// Share of a query's bigrams a unit needs in the relaxed pass.
    static let relaxedShare = 0.35
    /// The relaxed pass runs when the strict match finds fewer documents than this.
    static let relaxedBelow = 3

    let segments: [SearchSegment]
    let unitBase: [Int]
    let documentBase: [Int]
    let unitCount: Int
    let documentCount: Int
    /// Documents the filters and the recent-changes segment leave visible, by global number.
    let allowed: [Bool]
    /// Whether every document is visible (no filter, nothing replaced): matches need no look-up of their document.
    let allAllowed: Bool

    /// Whether a query may take the short ways that give the same results faster: the one-gram path, the one-term
    /// path, reading a later term only in the documents the earlier ones left, and matching broad queries by bounds
    /// (off only to test that they do).
    let shortcuts: Bool
    /// When a broad query takes the bounded way (see `SearchRun+Bounds`).
    let bounds: BoundingThresholds

    init(catalog: SearchCatalog, query: SearchQuery, options: SearchOptions, shortcuts: Bool = true,
         bounds: BoundingThresholds = BoundingThresholds()) {
        self.shortcuts = shortcuts
        self.bounds = bounds
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
        allAllowed = !allowed.contains(false)
    }

    /// The terms a match must hold (at most 32, one bit each), and the mask of all of them.
    var terms: ArraySlice<SearchQuery.Term> { query.terms.prefix(32) }
    private var allTerms: UInt32 { terms.count == 32 ? .max : (1 << UInt32(terms.count)) - 1 }

    func results() -> SearchResults {
        let scratch = catalog.scratch.take(units: unitCount, documents: documentCount)
        defer { catalog.scratch.give(scratch) }
        if shortcuts, let results = oneGramResults(scratch) { return results }
        var matched: [Int] = []
        let excluded = exclusions()
        let suggestion = titleSuggestion(scratch)
        var pinned: [(Int, Double)] = []
        if let number = query.articleNumber { pinned = articleLookup(number, suggestion: suggestion) }
        // The number of matching documents, when estimated rather than counted.
        var estimate: Int?
        // Documents to match whatever their bounds: those shown first.
        let first = pinned.map { documentOf($0.0) } + (suggestion.map { [$0.document] } ?? [])
        if !query.terms.isEmpty {
            if let bounded = boundedStrictMatches(scratch, into: &matched, first: first) {
                estimate = bounded.estimate
            } else {
                strictMatches(scratch, into: &matched, excluded: excluded)
            }
        }
        let fewStrictDocuments = !holdsDocuments(matched, atLeast: Self.relaxedBelow, scratch)
        if let suggestion, pinned.isEmpty, scratch.score[headUnit(suggestion.document)] == 0 {
            // The query is nearly this document's title: show the document first.
            pinned = [(headUnit(suggestion.document), 1000 + suggestion.similarity)]
        }
        // Independent of the page asked for, so every page of one query shows the same list.
        if fewStrictDocuments, let relaxed = relaxedGrams() {
            // Relaxed matches rank below every strict one: their scores are squeezed under the lowest strict score.
            let ceiling = matched.map { scratch.score[$0] }.min()
            if let bounded = boundedRelaxedMatches(scratch, into: &matched, relaxed, ceiling: ceiling, first: first) {
                estimate = bounded.estimate
            } else {
                relaxedMatches(scratch, into: &matched, excluded: excluded, relaxed, ceiling: ceiling)
            }
        }
        for (unit, score) in pinned {
            if scratch.score[unit] == 0 { matched.append(unit) }
            scratch.score[unit] = max(scratch.score[unit], score)
        }
        let showSuggestion = suggestion.map { s in pinned.contains { $0.0 == headUnit(s.document) } } ?? false
        let results = assemble(matched, scratch, estimate: estimate,
                               suggestion: showSuggestion ? suggestion.map { document($0.document).title } : nil)
        for u in matched { scratch.score[u] = 0 }
        return results
    }

    /// Whether the matched units belong to at least `count` documents (read only until that many are seen).
    private func holdsDocuments(_ matched: [Int], atLeast count: Int, _ scratch: SearchScratch) -> Bool {
        var seen: [Int] = []
        for u in matched {
            if seen.count >= count { break }
            let d = documentOf(u)
            if scratch.documentMatched[d] == 0 { scratch.documentMatched[d] = 1; seen.append(d) }
        }
        for d in seen { scratch.documentMatched[d] = 0 }
        return seen.count >= count
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
    /// `body` says the field is the segment's body (whose document summaries speed up phrases); there, `within`
    /// (ascending local document numbers) limits the search to those documents, and `admits` to those units.
    private func fieldMatches(_ field: FieldIndex, _ segment: SearchSegment, _ phrase: String, body: Bool = false,
                              within: [Int32]? = nil, admits: (Int32) -> Bool = { _ in true }) -> [FieldIndex.Match] {
        let groups = body ? (segment.summaries, segment.unitStart, segment.unitDocument) : nil
        let runs = Self.runs(phrase).map { segment.atoms($0) }
        guard var result = runs.first.map({ field.matches($0, groups: groups, within: within, admits: admits) }) else { return [] }
        for run in runs.dropFirst() where !result.isEmpty {
            let other = Dictionary(field.matches(run, groups: groups, within: within, admits: admits).map { ($0.entry, $0.frequency) }, uniquingKeysWith: max)
            result = result.compactMap { m in other[m.entry].map { FieldIndex.Match(entry: m.entry, frequency: min(m.frequency, $0)) } }
        }
        return result
    }

    /// Scores of one phrase by global number: units from the body, documents from title and number.
    private func phraseScores(_ phrase: String) -> (units: [(Int, Double)], documents: [(Int, Double)]) {
        (bodyScores(phrase), titleScores(phrase))
    }

    /// Units whose text holds `phrase`, with their weighted scores, by global number. `within`: per
    /// segment, the only documents whose units to look at (ascending local numbers), nil for all; `admits`: the only
    /// units (by global number).
    private func bodyScores(_ phrase: String, within: [[Int32]]? = nil, admits: (Int) -> Bool = { _ in true }) -> [(Int, Double)] {
        let matches = segments.enumerated().map { s, segment in
            fieldMatches(segment.body, segment, phrase, body: true, within: within?[s]) { admits(unitBase[s] + Int($0)) }
        }
        let idf = BM25.idf(bodyFrequency(phrase), of: unitCount)
        var units: [(Int, Double)] = []
        for (s, segment) in segments.enumerated() {
            units.reserveCapacity(units.count + matches[s].count)
            for m in matches[s] where allAllowed || allowed[documentBase[s] + Int(segment.unitDocument[Int(m.entry)])] {
                units.append((unitBase[s] + Int(m.entry), bodyScore(m.frequency, unit: Int(m.entry), in: segment, idf: idf)))
            }
        }
        return units
    }

    /// How many units hold `phrase`, at most (see `FieldIndex.frequency`): the body idf's document frequency, known
    /// without matching the whole phrase.
    func bodyFrequency(_ phrase: String) -> Int {
        let runs = Self.runs(phrase)
        return segments.reduce(0) { total, segment in total + (runs.map { segment.body.frequency(segment.atoms($0)) }.min() ?? 0) }
    }

    /// A unit's weighted body score for a phrase found `tf` times in it.
    func bodyScore(_ tf: UInt32, unit: Int, in segment: SearchSegment, idf: Double) -> Double {
        Self.bodyWeight * BM25.score(tf, length: segment.body.lengths[unit], average: segment.body.averageLength, idf: idf)
    }

    /// Visible documents whose title or number holds `phrase`, with their weighted scores, by global number.
    func titleScores(_ phrase: String) -> [(Int, Double)] {
        let matches = segments.map { s in (title: fieldMatches(s.title, s, phrase), number: fieldMatches(s.number, s, phrase)) }
        let titleIDF = BM25.idf(matches.reduce(0) { $0 + $1.title.count }, of: documentCount)
        let numberIDF = BM25.idf(matches.reduce(0) { $0 + $1.number.count }, of: documentCount)
        var documents: [(Int, Double)] = []
        for (s, segment) in segments.enumerated() {
            // Title and number matches are both ascending by document: merged, a document matching both once.
            let title = matches[s].title, number = matches[s].number
            var t = 0, n = 0
            while t < title.count || n < number.count {
                let entry = min(t < title.count ? title[t].entry : .max, n < number.count ? number[n].entry : .max)
                var score = 0.0
                if t < title.count, title[t].entry == entry {
                    score += Self.titleWeight * BM25.score(title[t].frequency, length: segment.title.lengths[Int(entry)],
                                                           average: segment.title.averageLength, idf: titleIDF)
                    t += 1
                }
                if n < number.count, number[n].entry == entry {
                    score += Self.numberWeight * BM25.score(number[n].frequency, length: segment.number.lengths[Int(entry)],
                                                            average: segment.number.averageLength, idf: numberIDF)
                    n += 1
                }
                if allowed[documentBase[s] + Int(entry)] { documents.append((documentBase[s] + Int(entry), score)) }
            }
        }
        return documents
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

    /// Units matching every term (each term as any of its phrases), scored into `scratch.score`.
    ///
    /// Terms are matched from the rarest on; after each, only the units still able to match (holding every term so
    /// far in their text or their document's title or number) are read for the next, and only in their documents, so
    /// a common term is read only where the rare ones are. `only` (per segment, ascending local numbers) restricts
    /// the match to those documents, whose title scores `titles` must then give alone.
    func strictMatches(_ scratch: SearchScratch, into matched: inout [Int], excluded: (units: Set<Int>, documents: Set<Int>),
                       only: [[Int32]]? = nil, titles: ((String) -> [(Int, Double)])? = nil) {
        if shortcuts, terms.count == 1, only == nil { return singleTermMatches(scratch, into: &matched, excluded: excluded) }
        var touchedUnits: [Int] = []
        var touchedDocuments: [Int] = []
        defer {
            for u in touchedUnits { scratch.unitScore[u] = 0; scratch.unitTerms[u] = 0 }
            for d in touchedDocuments { scratch.documentScore[d] = 0; scratch.documentTerms[d] = 0 }
        }
        let order = terms.indices.map { t in
            (t, ([terms[t].text] + terms[t].alternatives).reduce(0) { $0 + bodyFrequency($1) })
        }.sorted { $0.1 < $1.1 }.map(\.0)
        // The terms matched so far: a unit lacking one of them in its text and its document's title cannot match.
        // Before each further term, the units still able to match are marked in unitBits (cleared when done).
        var earlier: UInt32 = 0
        let bits = scratch.unitBits
        defer { bits.update(repeating: 0) }
        func admits(_ u: Int) -> Bool { bits[u >> 6] & (1 << UInt64(u & 63)) != 0 }
        /// Marks the units still able to match and returns their documents, per segment (ascending local numbers).
        func markAdmitted() -> [[Int32]] {
            bits.update(repeating: 0)
            // Each document once (flagged in documentStamp, cleared before the next step uses it).
            var documents: [Int] = []
            func note(_ d: Int) {
                if scratch.documentStamp[d] == 0 { scratch.documentStamp[d] = 1; documents.append(d) }
            }
            defer { for d in documents { scratch.documentStamp[d] = 0 } }
            for u in touchedUnits {
                let d = documentOf(u)
                guard (scratch.unitTerms[u] | scratch.documentTerms[d]) & earlier == earlier else { continue }
                bits[u >> 6] |= 1 << UInt64(u & 63)
                note(d)
            }
            // Every unit of a document whose title holds all earlier terms.
            for d in touchedDocuments where scratch.documentTerms[d] & earlier == earlier {
                let (s, local) = locate(document: d)
                let base = unitBase[s]
                for u in (base + Int(segments[s].unitStart[local]))..<(base + Int(segments[s].unitStart[local + 1])) {
                    bits[u >> 6] |= 1 << UInt64(u & 63)
                }
                note(d)
            }
            return segmentLocal(documents)
        }
        for (k, t) in order.enumerated() {
            let term = terms[t]
            var within = only
            if k > 0, shortcuts {
                let documents = markAdmitted()
                // No unit can hold every term any more.
                if documents.allSatisfy(\.isEmpty) { return }
                within = documents
            }
            func scores(_ phrase: String) -> (units: [(Int, Double)], documents: [(Int, Double)]) {
                let units = k > 0 && shortcuts ? bodyScores(phrase, within: within, admits: admits) : bodyScores(phrase, within: within)
                return (units, titles?(phrase) ?? titleScores(phrase))
            }
            func add(unit u: Int, _ score: Double) {
                if scratch.unitTerms[u] == 0 { touchedUnits.append(u) }
                scratch.unitScore[u] += score
                scratch.unitTerms[u] |= 1 << t
            }
            func add(document d: Int, _ score: Double) {
                if scratch.documentTerms[d] == 0 { touchedDocuments.append(d) }
                scratch.documentScore[d] += score
                scratch.documentTerms[d] |= 1 << t
            }
            if term.alternatives.isEmpty {
                let found = scores(term.text)
                for (u, score) in found.units { add(unit: u, score) }
                for (d, score) in found.documents { add(document: d, score) }
            } else {
                // The best of the term's phrases in each unit and title (termUnit, termDocument), then added.
                let (units, documents) = best([term.text] + term.alternatives, scores, units: scratch.termUnit, documents: scratch.termDocument)
                for u in units { add(unit: u, scratch.termUnit[u]); scratch.termUnit[u] = 0 }
                for d in documents { add(document: d, scratch.termDocument[d]); scratch.termDocument[d] = 0 }
            }
            earlier |= 1 << t
        }
        let all = allTerms
        var candidates = touchedUnits
        for d in touchedDocuments where scratch.documentTerms[d] == all && scratch.unitTerms[headUnit(d)] == 0 { candidates.append(headUnit(d)) }
        let excluding = !excluded.units.isEmpty || !excluded.documents.isEmpty
        for u in candidates {
            let d = documentOf(u)
            guard scratch.unitTerms[u] | scratch.documentTerms[d] == all else { continue }
            if excluding && (excluded.units.contains(u) || excluded.documents.contains(d)) { continue }
            if scratch.score[u] == 0 { matched.append(u) }
            scratch.score[u] = scratch.unitScore[u] + scratch.documentScore[d]
        }
    }

    /// `strictMatches` for a query of one term, without the bookkeeping of several: a unit matches when its text holds
    /// one of the term's phrases, or when it heads a document whose title or number does; its score is the best
    /// phrase in its text plus the best in its document's title and number, as there.
    private func singleTermMatches(_ scratch: SearchScratch, into matched: inout [Int], excluded: (units: Set<Int>, documents: Set<Int>)) {
        var (units, documents) = best([terms[0].text] + terms[0].alternatives, { phraseScores($0) },
                                      units: scratch.score, documents: scratch.documentScore)
        defer { for d in documents { scratch.documentScore[d] = 0 } }
        for d in documents where scratch.score[headUnit(d)] == 0 { units.append(headUnit(d)) }
        let excluding = !excluded.units.isEmpty || !excluded.documents.isEmpty
        for u in units {
            let d = documentOf(u)
            if excluding && (excluded.units.contains(u) || excluded.documents.contains(d)) {
                scratch.score[u] = 0
                continue
            }
            scratch.score[u] += scratch.documentScore[d]
            matched.append(u)
        }
    }

    /// The best score of any of `phrases` in each unit's text and each document's title and number, kept in `units`
    /// and `documents` (zero where untouched, as scores are positive); returns the slots it touched.
    private func best(_ phrases: [String], _ scores: (String) -> (units: [(Int, Double)], documents: [(Int, Double)]),
                      units unitBest: UnsafeMutableBufferPointer<Double>,
                      documents documentBest: UnsafeMutableBufferPointer<Double>) -> (units: [Int], documents: [Int]) {
        var units: [Int] = [], documents: [Int] = []
        for (i, phrase) in phrases.enumerated() {
            let found = scores(phrase)
            if i == 0 {
                // One phrase's units and documents are distinct and their slots still zero: stored without reading
                // them first (a unit's slot is a cache miss, which a store does not wait for).
                units = found.units.map(\.0)
                documents = found.documents.map(\.0)
                for (u, score) in found.units { unitBest[u] = score }
                for (d, score) in found.documents { documentBest[d] = score }
                continue
            }
            for (u, score) in found.units {
                if unitBest[u] == 0 { units.append(u) }
                unitBest[u] = max(unitBest[u], score)
            }
            for (d, score) in found.documents {
                if documentBest[d] == 0 { documents.append(d) }
                documentBest[d] = max(documentBest[d], score)
            }
        }
        return (units, documents)
    }

    /// The relaxed pass's grams — the query's bigrams, single atoms for one-atom pieces — and how many a unit needs;
    /// nil when the pass cannot run (a single gram, or too many).
    struct RelaxedGrams {
        var grams: [String]
        var needed: Int
    }

    func relaxedGrams() -> RelaxedGrams? {
        var grams: [String] = []
        for term in query.terms where !term.quoted {
            for run in Self.runs(term.text) {
                // Pairs of adjacent atoms (a digit or Latin run is one atom), or the atom itself when alone.
                let scalars = Array(run.unicodeScalars)
                let atoms = Atomizer.atoms(run) { _ in 0 }
                func text(_ a: Atom, _ b: Atom) -> String { String(String.UnicodeScalarView(scalars[a.start..<b.end])) }
                if atoms.count == 1 { grams.append(text(atoms[0], atoms[0])); continue }
                for i in atoms.indices.dropFirst() { grams.append(text(atoms[i - 1], atoms[i])) }
            }
        }
        grams = Array(Set(grams)).sorted()
        guard grams.count > 1, grams.count < 200 else { return nil }
        return RelaxedGrams(grams: grams, needed: max(2, Int((Double(grams.count) * Self.relaxedShare).rounded(.up))))
    }

    /// Units holding enough of the relaxed grams, added below the strict matches: their scores squeezed under
    /// `ceiling` (the lowest strict score). `only` and `titles` restrict the pass to some documents, as in
    /// `strictMatches`.
    func relaxedMatches(_ scratch: SearchScratch, into matched: inout [Int], excluded: (units: Set<Int>, documents: Set<Int>),
                        _ relaxed: RelaxedGrams, ceiling: Double?, only: [[Int32]]? = nil,
                        titles titleScoring: ((String) -> [(Int, Double)])? = nil) {
        let grams = relaxed.grams, needed = relaxed.needed
        // unitMatched counts the grams a unit holds that its document's title or number does not (those count once,
        // in documentMatched); a unit is touched once it has a score (scores are positive).
        var touchedUnits: [Int] = []
        var touchedDocuments: [Int] = []
        defer {
            for u in touchedUnits { scratch.unitScore[u] = 0; scratch.unitMatched[u] = 0 }
            for d in touchedDocuments { scratch.documentScore[d] = 0; scratch.documentMatched[d] = 0; scratch.documentStamp[d] = 0 }
        }
        // Titles first, so that every document's title hits are known before any body is read.
        let titles = grams.map { titleScoring?($0) ?? titleScores($0) }
        for found in titles {
            for (d, score) in found {
                if scratch.documentMatched[d] == 0 { touchedDocuments.append(d) }
                scratch.documentScore[d] += score
                scratch.documentMatched[d] &+= 1
            }
        }
        // Bodies from the rarest gram on: once a unit cannot reach `needed` with the grams left, its postings are
        // skipped (the commonest grams come last, when only units holding earlier ones can still match).
        let order = grams.indices.map { ($0, bodyFrequency(grams[$0])) }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map(\.0)
        for (k, g) in order.enumerated() {
            for (d, _) in titles[g] { scratch.documentStamp[d] = Int32(g + 1) }
            let left = grams.count - k
            let found: [(Int, Double)]
            if left >= needed {
                // Every unit can still reach `needed`.
                found = bodyScores(grams[g], within: only)
            } else {
                // (The counts read from locals, released before the loop below writes them.)
                let unitMatched = scratch.unitMatched, documentMatched = scratch.documentMatched, unitDocuments = catalog.unitDocuments
                found = bodyScores(grams[g], within: only) { u in
                    Int(unitMatched[u]) + Int(documentMatched[Int(unitDocuments[u])]) + left >= needed
                }
            }
            for (u, score) in found {
                if scratch.unitScore[u] == 0 { touchedUnits.append(u) }
                scratch.unitScore[u] += score
                if scratch.documentStamp[documentOf(u)] != Int32(g + 1) { scratch.unitMatched[u] &+= 1 }
            }
        }
        var candidates = touchedUnits
        for d in touchedDocuments where scratch.unitScore[headUnit(d)] == 0 { candidates.append(headUnit(d)) }
        let excluding = !excluded.units.isEmpty || !excluded.documents.isEmpty
        for u in candidates where scratch.score[u] == 0 {
            let d = documentOf(u)
            let hits = Int(scratch.unitMatched[u]) + Int(scratch.documentMatched[d])
            guard hits >= needed else { continue }
            if excluding && (excluded.units.contains(u) || excluded.documents.contains(d)) { continue }
            let score = (scratch.unitScore[u] + scratch.documentScore[d]) * Double(hits) / Double(grams.count)
            matched.append(u)
            scratch.score[u] = ceiling.map { $0 * score / (score + 1) } ?? score
        }
    }

    // MARK: Article look-up and title suggestions

    /// The asked-for article of the documents the other terms name best (up to three), to pin on top.
    private func articleLookup(_ number: Int, suggestion: TitleMatch?) -> [(Int, Double)] {
        guard !query.terms.isEmpty else { return [] }
        var documentScore: [Int: Double] = [:]
        var documentTerms: [Int: UInt32] = [:]
        for (t, term) in terms.enumerated() {
            var best: [Int: Double] = [:]
            for phrase in [term.text] + term.alternatives {
                for (d, score) in titleScores(phrase) { best[d] = max(best[d] ?? 0, score) }
            }
            for (d, score) in best { documentScore[d, default: 0] += score; documentTerms[d, default: 0] |= 1 << t }
        }
        var ranked = documentScore.filter { documentTerms[$0.key] == allTerms }.sorted {
            $0.value != $1.value ? $0.value > $1.value
                : (document($0.key).title.count, $0.key) < (document($1.key).title.count, $1.key)
        }.map(\.key)
        if ranked.isEmpty, let suggestion { ranked = [suggestion.document] }
        var pinned: [(Int, Double)] = []
        for (rank, d) in ranked.prefix(3).enumerated() {
            let (s, local) = locate(document: d)
            let segment = segments[s]
            let range = Int(segment.unitStart[local])..<Int(segment.unitStart[local + 1])
            if let u = range.first(where: { segment.labels.number($0) == number }) {
                pinned.append((unitBase[s] + u, 2000 - Double(rank)))
            }
        }
        return pinned
    }

    struct TitleMatch { var document: Int; var similarity: Double }

    /// The title the query's text nearly equals (Dice similarity of bigrams ≥ 0.6) when no title contains it.
    /// Shared bigrams are counted in `scratch.documentStamp` (cleared before it returns).
    private func titleSuggestion(_ scratch: SearchScratch) -> TitleMatch? {
        let text = query.terms.filter { !$0.quoted }.map(\.text).joined()
        let characters = Array(text)
        guard characters.count >= 4, characters.allSatisfy({ $0.unicodeScalars.allSatisfy { Atomizer.kind($0) == .ideograph } }) else { return nil }
        let bigrams = Set((0..<(characters.count - 1)).map { String(characters[$0...($0 + 1)]) })
        // A longer title cannot reach the similarity even holding every bigram of the query (one bigram of slack
        // for rounding).
        let longest = Int(2 * Double(bigrams.count) / Self.suggestionSimilarity) - bigrams.count + 1
        var touched: [Int] = []
        defer { for d in touched { scratch.documentStamp[d] = 0 } }
        for (s, segment) in segments.enumerated() {
            if segment.title.matches(segment.atoms(text)).contains(where: { allowed[documentBase[s] + Int($0.entry)] }) { return nil }
            for bigram in bigrams {
                for m in segment.title.matches(segment.atoms(bigram)) where titleBigrams(segment, Int(m.entry)) <= longest {
                    let d = documentBase[s] + Int(m.entry)
                    guard allowed[d] else { continue }
                    if scratch.documentStamp[d] == 0 { touched.append(d) }
                    scratch.documentStamp[d] += 1
                }
            }
        }
        // Equally similar titles (versions of one regulation share theirs): the latest issued, then the first indexed.
        var best: (match: TitleMatch, day: Int)?
        for d in touched {
            let (s, local) = locate(document: d)
            let similarity = 2 * Double(scratch.documentStamp[d]) / Double(bigrams.count + titleBigrams(segments[s], local))
            guard similarity >= Self.suggestionSimilarity else { continue }
            let day = document(d).facets.issuedDay ?? .min
            if let best, (best.match.similarity, best.day, -best.match.document) >= (similarity, day, -d) { continue }
            best = (TitleMatch(document: d, similarity: similarity), day)
        }
        return best?.match
    }

    private static let suggestionSimilarity = 0.6

    private func titleBigrams(_ segment: SearchSegment, _ document: Int) -> Int { max(1, Int(segment.title.lengths[document]) - 1) }

    // MARK: Numbering

    /// Global document numbers as each segment's local numbers, ascending.
    private func segmentLocal(_ documents: [Int]) -> [[Int32]] {
        var local = [[Int32]](repeating: [], count: segments.count)
        for d in documents {
            let (s, l) = locate(document: d)
            local[s].append(Int32(l))
        }
        return local.map { $0.sorted() }
    }

    func locate(unit: Int) -> (Int, Int) {
        var s = 0
        while unitBase[s + 1] <= unit { s += 1 }
        return (s, unit - unitBase[s])
    }

    func locate(document: Int) -> (Int, Int) {
        var s = 0
        while documentBase[s + 1] <= document { s += 1 }
        return (s, document - documentBase[s])
    }

    func documentOf(_ unit: Int) -> Int { Int(catalog.unitDocuments[unit]) }

    func headUnit(_ document: Int) -> Int {
        let (s, local) = locate(document: document)
        return unitBase[s] + Int(segments[s].unitStart[local])
    }

    func document(_ d: Int) -> SearchDocument.Summary {
        let (s, local) = locate(document: d)
        return segments[s].documents[local]
    }

    // MARK: Results

    /// Documents ranked by their best unit, the page asked for, each with its best units.
    private func assemble(_ matched: [Int], _ scratch: SearchScratch, estimate: Int?, suggestion: String?) -> SearchResults {
        var documents: [Int] = []
        for u in matched {
            let d = documentOf(u)
            if scratch.documentBest[d] == 0 { documents.append(d) }
            scratch.documentBest[d] = max(scratch.documentBest[d], scratch.score[u])
        }
        let best = documents.map { scratch.documentBest[$0] }
        for d in documents { scratch.documentBest[d] = 0 }
        let page = page(of: documents, best: best)
        // The page's documents are marked in documentMatched with their slot + 1.
        for (i, d) in page.enumerated() { scratch.documentMatched[d] = UInt8(i + 1) }
        var units = [[Int]](repeating: [], count: page.count)
        for u in matched {
            let i = scratch.documentMatched[documentOf(u)]
            if i > 0 { units[Int(i) - 1].append(u) }
        }
        for d in page { scratch.documentMatched[d] = 0 }
        return SearchResults(groups: groups(page, units: units) { scratch.score[$0] }, totalDocuments: max(estimate ?? 0, documents.count),
                             totalIsEstimate: estimate != nil, suggestion: suggestion)
    }

    /// The documents of the page asked for, ranked by their best unit's score (or by date, then score).
    func page(of documents: [Int], best: [Double]) -> [Int] {
        let byDate = options.order == .newest
        let day = byDate ? documents.map { document($0).facets.issuedDay ?? Int.min } : []
        let order = TopSelection.first(options.offset + min(options.limit, 250), of: documents.count) { a, b in
            if byDate, day[a] != day[b] { return day[a] > day[b] }
            return best[a] != best[b] ? best[a] > best[b] : documents[a] < documents[b]
        }
        return order.dropFirst(options.offset).map { documents[$0] }
    }

    /// The page's documents, each with its best matched units (`units[i]` for `page[i]`).
    func groups(_ page: [Int], units: [[Int]], score: (Int) -> Double) -> [SearchGroup] {
        let highlighter = Highlighter(phrases: query.terms.flatMap { [$0.text] + $0.alternatives })
        let sources = segments.map { HitSource(segment: $0, highlighter: highlighter) }
        return page.enumerated().map { i, d in
            // A document may match in hundreds of articles; only the best few are shown.
            let candidates = units[i], scores = candidates.map(score)
            let best = TopSelection.first(max(1, options.unitsPerDocument), of: candidates.count) { a, b in
                scores[a] != scores[b] ? scores[a] > scores[b] : candidates[a] < candidates[b]
            }
            let hits = best.prefix(options.unitsPerDocument).map { k in
                let (s, local) = locate(unit: candidates[k])
                return SearchHit(score: scores[k], source: sources[s], unitIndex: local, documentIndex: d - documentBase[s])
            }
            let (s, local) = locate(document: d)
            return SearchGroup(score: scores[best[0]], hits: hits, source: sources[s], documentIndex: local)
        }
    }
}
