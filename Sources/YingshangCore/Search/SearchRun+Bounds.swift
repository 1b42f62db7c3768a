/// The short way for queries that common grams make broad: rank documents by an upper bound of their best score and
/// match them in that order, only until no document left can reach the page.
///
/// A body score is `idf × saturation`, and a phrase's saturation in a unit is at most that of each of its grams there
/// (the phrase occurs no more often than any of its grams), so no unit of a document scores above `idf × the
/// document's best saturation of the phrase's scarcest gram` for it (from the document summaries, or from a rare
/// gram's few postings). Summed over the terms (the best of a term's phrases) with the title scores, that bounds a
/// strict match; summed over the relaxed grams and scaled by the share of them the document holds, a relaxed one.
/// Documents are matched in batches, best bound first, by the general matching restricted to them (so their scores
/// are exact); once the page's last document scores above the next bound, the rest cannot enter the page, and the
/// number of matching documents is estimated from the share of matched documents among those read (as Lucene
/// estimates its totals once it skips).
extension SearchRun {
    /// When a query is broad enough to be bounded.
    struct BoundingThresholds {
        /// Candidate documents below which every candidate is matched and the total is exact.
        var documents = 100
        /// Postings (summed over the query's grams) below which the general match is about as fast as bounding: a
        /// strict match reads a later term only where the earlier ones are, a relaxed one scores nearly every posting.
        var strictPostings = 16_384
        var relaxedPostings = 16_384
        /// Documents below which a term (counted by its scarcest gram, so at most) is read first by the general
        /// strict match, and the other terms only in its documents: cheaper than bounding every document.
        var termDocuments = 1_000
    }

    /// How a bounded match ended: the estimated number of matching documents when some candidates were not read
    /// (nil when all were, and the count is exact).
    struct Bounded { var estimate: Int? }

    /// Strict matches of the documents that can reach the page, in `matched` and `scratch.score` as `strictMatches`
    /// leaves them. Nil when the query does not take this way (one term, exclusions, newest first, several segments,
    /// few postings, a term in few documents, few candidate documents). `first` are documents to match whatever their
    /// bound (pinned ones).
    func boundedStrictMatches(_ scratch: SearchScratch, into matched: inout [Int], first: [Int]) -> Bounded? {
        guard terms.count >= 2, bounding else { return nil }
        let phrases = terms.map { [$0.text] + $0.alternatives }
        guard postings(phrases.joined()) >= bounds.strictPostings,
              phrases.map(reach).min()! >= bounds.termDocuments,
              independentReach(phrases) >= Double(bounds.documents) else { return nil }
        var bound = [Double](repeating: 0, count: documentCount)
        let (held, titles) = termBounds(phrases, into: &bound)
        return matchByBounds(&bound, eligible: { held[$0] == phrases.count }, rank: { $0 }, first: first, scratch, &matched) { batch, current, matched in
            strictMatches(scratch, into: &matched, excluded: ([], []), only: [batch]) { phrase in titles[phrase]!.filter { current[$0.0] } }
        }
    }

    /// Relaxed matches (see `relaxedMatches`) of the documents that can reach the page, as `boundedStrictMatches` does
    /// for strict ones; their scores squeezed under `ceiling`, so ranked by the bounds squeezed alike.
    func boundedRelaxedMatches(_ scratch: SearchScratch, into matched: inout [Int], _ relaxed: RelaxedGrams, ceiling: Double?,
                               first: [Int]) -> Bounded? {
        guard bounding, postings(relaxed.grams) >= bounds.relaxedPostings else { return nil }
        // A unit holds no more of the grams than its document (in its units and title) does.
        var bound = [Double](repeating: 0, count: documentCount)
        let (held, titles) = termBounds(relaxed.grams.map { [$0] }, into: &bound)
        for d in 0..<documentCount where bound[d] > 0 { bound[d] *= Double(held[d]) / Double(relaxed.grams.count) }
        let needed = relaxed.needed
        // The strict matches' documents rank first: their relaxed units are listed under them.
        return matchByBounds(&bound, eligible: { held[$0] >= needed }, rank: { s in ceiling.map { $0 * s / (s + 1) } ?? s },
                             first: first + matched.map(documentOf), scratch, &matched) { batch, current, matched in
            relaxedMatches(scratch, into: &matched, excluded: ([], []), relaxed, ceiling: ceiling, only: [batch]) { gram in
                titles[gram]!.filter { current[$0.0] }
            }
        }
    }

    /// Adds to each document's `bound` that of every term — its best phrase in the body (`bodyBounds`) plus its best
    /// title score — and returns how many of the terms each document holds, with every phrase's title scores, which
    /// the batches reuse.
    private func termBounds(_ terms: [[String]], into bound: inout [Double]) -> (held: [Int], titles: [String: [(Int, Double)]]) {
        var titles: [String: [(Int, Double)]] = [:]
        var held = [Int](repeating: 0, count: documentCount)
        var body = [Double](repeating: 0, count: documentCount), title = body
        for term in terms {
            for phrase in term {
                bodyBounds(phrase, into: &body)
                titles[phrase] = titleScores(phrase)
                for (d, score) in titles[phrase]! { title[d] = max(title[d], score) }
            }
            // Without a branch or a bounds check per document (which of them hold the term is unpredictable: a
            // tenth of a relaxed query's time went to this loop).
            bound.withUnsafeMutableBufferPointer { bound in
                held.withUnsafeMutableBufferPointer { held in
                    body.withUnsafeMutableBufferPointer { body in
                        title.withUnsafeMutableBufferPointer { title in
                            for d in 0..<documentCount {
                                let sum = body[d] + title[d]
                                bound[d] += sum
                                held[d] &+= sum > 0 ? 1 : 0
                            }
                            body.update(repeating: 0)
                            title.update(repeating: 0)
                        }
                    }
                }
            }
        }
        return (held, titles)
    }

    /// Whether a query may be bounded at all: the order is by score, the catalogue one segment, and nothing excluded.
    private var bounding: Bool { shortcuts && segments.count == 1 && query.excluded.isEmpty && options.order == .relevance }

    /// Matches the eligible visible documents in batches, best `bound` first (documents in `first` in the first
    /// batch), with `match(batch, current, &matched)` — `batch` ascending, `current` flagging its documents — until the
    /// page's last score beats the next document's bound ranked as scores are (`rank`). Nil when fewer than
    /// `bounds.documents` documents are eligible. `bound` is rounded up to Floats here.
    private func matchByBounds(_ bound: inout [Double], eligible: (Int) -> Bool, rank: (Double) -> Double, first: [Int],
                               _ scratch: SearchScratch, _ matched: inout [Int],
                               match: (_ batch: [Int32], _ current: [Bool], _ matched: inout [Int]) -> Void) -> Bounded? {
        var queue = BestFirst()
        var candidate = [Bool](repeating: false, count: documentCount)
        for d in 0..<documentCount where bound[d] > 0 && allowed[d] && eligible(d) {
            bound[d] = queue.add(d, bound: bound[d])
            candidate[d] = true
        }
        guard queue.count >= bounds.documents else { return nil }

        // The page and the relaxed pass's decision need this many documents ranked.
        let wanted = max(options.offset + min(options.limit, 250), Self.relaxedBelow)
        var read = [Bool](repeating: false, count: documentCount), current = read
        // Each matched document's best score; those matched before (strict ones, for the relaxed pass) count too.
        var best = [Double](repeating: 0, count: documentCount)
        var ranked: [Double] = []
        var matchedDocuments = 0, readCandidates = 0, matchedCandidates = 0
        func note(_ units: ArraySlice<Int>) {
            for u in units {
                let d = documentOf(u)
                if best[d] == 0 { matchedDocuments += 1 }
                best[d] = max(best[d], scratch.score[u])
            }
        }
        note(matched[...])
        var batch: [Int] = []
        /// Puts `d` in the batch unless an earlier one (or this one) holds it.
        func take(_ d: Int) {
            guard !read[d] else { return }
            read[d] = true
            batch.append(d)
        }
        first.forEach(take)
        var size = max(2 * wanted, 64)
        while true {
            while batch.count < size, !queue.isEmpty { queue.take(size - batch.count).forEach(take) }
            if batch.isEmpty { return Bounded(estimate: nil) }
            for d in batch { current[d] = true }
            let from = matched.count
            match(batch.sorted().map(Int32.init), current, &matched)
            note(matched[from...])
            for d in batch {
                current[d] = false
                if best[d] > 0 { ranked.append(best[d]) }
                if candidate[d] { readCandidates += 1; matchedCandidates += best[d] > 0 ? 1 : 0 }
            }
            batch = []
            size *= 4
            // The page's last score so far beats every document left: they cannot enter it.
            guard ranked.count >= wanted, let next = queue.best else { continue }
            ranked = TopSelection.first(wanted, of: ranked.count) { ranked[$0] > ranked[$1] }.map { ranked[$0] }
            if ranked[wanted - 1] > rank(bound[next]) {
                let left = queue.documents.filter { !read[$0] }.count
                let share = Double(matchedCandidates) / Double(max(readCandidates, 1))
                return Bounded(estimate: matchedDocuments + Int((Double(left) * share).rounded()))
            }
        }
    }

    /// Postings of the phrases' grams in the (single) segment's body, summed: what the general match would read.
    private func postings<S: Sequence<String>>(_ phrases: S) -> Int {
        let segment = segments[0]
        return phrases.reduce(0) { total, phrase in
            Self.runs(phrase).reduce(total) { total, run in
                grams(segment.atoms(run)).reduce(total) { $0 + (segment.body.term($1).map(segment.body.entryCount) ?? 0) }
            }
        }
    }

    /// Documents holding every term, were the terms independent (a document's share holding each, multiplied): too
    /// few, and bounding costs more than it saves.
    private func independentReach(_ phrases: [[String]]) -> Double {
        phrases.reduce(Double(documentCount)) { $0 * min(1, Double(reach($1)) / Double(documentCount)) }
    }

    /// Documents holding one of a term's phrases, at most: those holding its scarcest gram in their body, title or
    /// number.
    private func reach(_ term: [String]) -> Int {
        let segment = segments[0]
        return term.reduce(0) { total, phrase in
            let body = scarcestGram(phrase).map { segment.summaries.leaders($0.term)?.documents ?? segment.body.entryCount($0.term) } ?? 0
            let atoms = segment.atoms(phrase)
            return total + body + segment.title.frequency(atoms) + segment.number.frequency(atoms)
        }
    }

    /// Raises `bounds[d]` (global document numbers) to the highest weighted body score `phrase` can reach in any unit
    /// of document d: its idf times the document's best saturation of the phrase's scarcest gram.
    private func bodyBounds(_ phrase: String, into bounds: inout [Double]) {
        guard let gram = scarcestGram(phrase) else { return }
        let lengths = segments[0].body.lengths, average = segments[0].body.averageLength
        let weight = Self.bodyWeight * BM25.idf(bodyFrequency(phrase), of: unitCount)
        // Through a buffer: the array captured in the closure was checked for uniqueness, retained and released at
        // every record.
        bounds.withUnsafeMutableBufferPointer { bounds in
            lengths.withUnsafeBufferPointer { lengths in
                bestUnits(gram.term, positions: gram.positions, in: 0) { d, unit, tf in
                    bounds[d] = max(bounds[d], weight * BM25.saturation(tf, length: lengths[unit], average: average))
                }
            }
        }
    }

    /// The grams of a run's atoms as the body indexes them: the atom alone, or each pair of adjacent atoms.
    private func grams(_ atoms: [UInt32]) -> [UInt64] {
        atoms.count == 1 ? [GramKey.unigram(atoms[0])] : (1..<max(1, atoms.count)).map { GramKey.bigram(atoms[$0 - 1], atoms[$0]) }
    }

    /// The gram of `phrase` in the fewest units of the (single) segment's body, nil when the body lacks one of its
    /// grams (then no unit holds the phrase).
    private func scarcestGram(_ phrase: String) -> (term: Int32, positions: Bool)? {
        let segment = segments[0]
        var scarcest: (term: Int32, positions: Bool, count: Int)?
        for run in Self.runs(phrase) {
            let keys = grams(segment.atoms(run))
            if keys.isEmpty { return nil }
            for key in keys {
                guard let term = segment.body.term(key) else { return nil }
                let count = segment.body.entryCount(term)
                if count < scarcest?.count ?? .max { scarcest = (term, GramKey.isBigram(key), count) }
            }
        }
        return scarcest.map { ($0.term, $0.positions) }
    }

    /// Visits the units of segment `s` that may be a document's best for `term` (highest saturation): from the
    /// document summaries, each document's best unit; for a term without them, every unit holding it. `visit` gets
    /// the document's global number, the unit's local number and the term's frequency there.
    func bestUnits(_ term: Int32, positions: Bool, in s: Int, _ visit: (Int, Int, UInt32) -> Void) {
        let segment = segments[s]
        let summarised = segment.summaries.records(term, unitStart: segment.unitStart) { record in
            visit(documentBase[s] + Int(record.document), Int(record.bestUnit), record.bestFrequency)
            return true
        }
        if summarised { return }
        segment.body.walk(term, positions: positions) { unit, tf, _ in
            visit(documentBase[s] + Int(segment.unitDocument[Int(unit)]), Int(unit), tf)
            return true
        }
    }
}
