/// The short way for the commonest query: one term whose every phrase (the text and its synonyms) is one gram — one
/// or two atoms without a separator, as `审` or `审批`.
///
/// Such a query scores a unit `body(u) + title(d)`, each the best over the term's phrases, so a document ranks by the
/// best body score among its units plus its title score. Both are known per document: titles from the title and
/// number postings, bodies from the document summaries (`DocumentSummaries`) or, for a rare gram, its few unit
/// postings — or, when they decide the page, from the gram's leading documents and its title matches alone
/// (`leadingDocuments`). Unit postings are read only for the documents on the page. The results are those of the general path
/// (tests compare the two on real documents); a query matching so few documents that the relaxed pass would run
/// takes the general path.
extension SearchRun {
    func oneGramResults(_ scratch: SearchScratch) -> SearchResults? {
        guard terms.count == 1, query.excluded.isEmpty, query.articleNumber == nil else { return nil }
        // A title suggestion needs four characters, so none is possible for one gram.
        var grams: [(phrase: String, keys: [UInt64])] = []
        for phrase in [terms[0].text] + terms[0].alternatives {
            let runs = Self.runs(phrase)
            guard runs.count == 1 else { return nil }
            var keys: [UInt64] = []
            for segment in segments {
                let atoms = segment.atoms(runs[0])
                switch atoms.count {
                case 1: keys.append(GramKey.unigram(atoms[0]))
                case 2: keys.append(GramKey.bigram(atoms[0], atoms[1]))
                default: return nil
                }
            }
            grams.append((phrase, keys))
        }
        // Per document: the best body score (documentBest), the title score (termDocument), touched (documentTerms).
        var documents: [Int] = []
        func touch(_ d: Int) {
            if scratch.documentTerms[d] == 0 { scratch.documentTerms[d] = 1; documents.append(d) }
        }
        defer {
            for d in documents { scratch.documentBest[d] = 0; scratch.termDocument[d] = 0; scratch.documentTerms[d] = 0 }
        }
        let bodies = grams.map { bodyTerms($0.phrase, $0.keys) }
        for gram in grams {
            for (d, score) in titleScores(gram.phrase) {
                touch(d)
                scratch.termDocument[d] = max(scratch.termDocument[d], score)
            }
        }
        // The documents in all: counted from the leaders when they decide the page, else those touched below.
        let counted = grams.count == 1 ? leadingDocuments(bodies[0], &documents, scratch) : nil
        if counted == nil {
            for body in bodies { bestBodies(body, scratch, touch) }
        }
        let total = counted ?? documents.count
        if total < Self.relaxedBelow { return nil }
        let page = page(of: documents, best: documents.map { scratch.documentBest[$0] + scratch.termDocument[$0] })
        let units = pageUnits(page, bodies, scratch)
        let results = SearchResults(groups: groups(page, units: units) { u in
            scratch.termUnit[u] + scratch.termDocument[documentOf(u)]
        }, totalDocuments: total, suggestion: nil)
        for list in units { for u in list { scratch.termUnit[u] = 0 } }
        return results
    }

    /// Every visible document's best body score for one gram (in documentBest), from the summaries or, for a rare
    /// gram, its postings; `touch` is called for each document.
    private func bestBodies(_ body: BodyTerm, _ scratch: SearchScratch, _ touch: (Int) -> Void) {
        for (s, segment) in segments.enumerated() {
            guard let term = body.terms[s] else { continue }
            bestUnits(term, positions: body.positions[s], in: s) { d, unit, tf in
                guard allowed[d] else { return }
                touch(d)
                scratch.documentBest[d] = max(scratch.documentBest[d], bodyScore(tf, unit: unit, in: segment, idf: body.idf))
            }
        }
    }

    /// The shorter way for a gram with document summaries, in one segment without filters or hidden documents: the
    /// best bodies of its leading documents (`DocumentSummaries.Leaders`) and of those documents whose title matched
    /// (`documents` so far) that could reach the page. When the page's last document scores above any other
    /// document's best body, the page is decided and the number of matching documents is returned; otherwise nil, and
    /// the caller reads every record (the scores set here are exact, so they stand).
    private func leadingDocuments(_ body: BodyTerm, _ documents: inout [Int], _ scratch: SearchScratch) -> Int? {
        guard segments.count == 1, catalog.hidden[0].isEmpty, !options.filters, options.order == .relevance,
              let term = body.terms[0], let leaders = segments[0].summaries.leaders(term) else { return nil }
        let segment = segments[0]
        let titled = documents
        for leader in leaders.records {
            let d = Int(leader.document)
            if scratch.documentTerms[d] == 0 { scratch.documentTerms[d] = 1; documents.append(d) }
            scratch.documentBest[d] = bodyScore(leader.bestFrequency, unit: Int(leader.bestUnit), in: segment, idf: body.idf)
        }
        let wanted = options.offset + min(options.limit, 250)
        guard wanted > 0, documents.count >= wanted else { return nil }
        /// The page's last score, counting a title match outside the leaders by its title alone where its body is unread.
        func last() -> Double {
            let totals = documents.map { scratch.documentBest[$0] + scratch.termDocument[$0] }
            return totals[TopSelection.first(wanted, of: totals.count) { totals[$0] > totals[$1] }[wanted - 1]]
        }
        // No document outside the leaders has a better body than this.
        let reach = Self.bodyWeight * body.idf * leaders.bound
        // Title matches outside the leaders that might reach the page: their best body from the records.
        let floor = last()
        let open = titled.filter { scratch.documentBest[$0] == 0 && scratch.termDocument[$0] + reach >= floor }.sorted()
        _ = segment.summaries.reading(term, unitStart: segment.unitStart) { records in
            for d in open {
                if let record = records.seek(Int32(d)), record.document == Int32(d) {
                    scratch.documentBest[d] = bodyScore(record.bestFrequency, unit: Int(record.bestUnit), in: segment, idf: body.idf)
                }
            }
        }
        guard last() > reach else { return nil }
        return leaders.documents + titled.count - leaders.titled
    }

    /// A gram's body postings in each segment (nil where absent), whether they hold positions, and its idf.
    typealias BodyTerm = (terms: [Int32?], positions: [Bool], idf: Double)

    private func bodyTerms(_ phrase: String, _ keys: [UInt64]) -> BodyTerm {
        (zip(segments, keys).map { segment, key in segment.body.term(key) }, keys.map(GramKey.isBigram),
         BM25.idf(bodyFrequency(phrase), of: unitCount))
    }

    /// The matched units of each page document: its units holding a gram (best body score in termUnit) and its head
    /// when its title or number matched.
    private func pageUnits(_ page: [Int], _ bodies: [BodyTerm],
                           _ scratch: SearchScratch) -> [[Int]] {
        var units = [[Int]](repeating: [], count: page.count)
        // The page's documents are marked in documentMatched with their slot + 1.
        for (i, d) in page.enumerated() { scratch.documentMatched[d] = UInt8(i + 1) }
        defer { for d in page { scratch.documentMatched[d] = 0 } }
        func found(_ u: Int, _ slot: Int, _ score: Double) {
            if scratch.termUnit[u] == 0 { units[slot].append(u) }
            scratch.termUnit[u] = max(scratch.termUnit[u], score)
        }
        for body in bodies {
            for (s, segment) in segments.enumerated() {
                // The page's documents in this segment, ascending: their records are sought, the others passed over.
                let local = page.filter { (documentBase[s]..<documentBase[s + 1]).contains($0) }.map { Int32($0 - documentBase[s]) }.sorted()
                guard let term = body.terms[s], !local.isEmpty else { continue }
                let positions = body.positions[s]
                func visit(_ unit: Int32, _ tf: UInt32, _ slot: Int) {
                    found(unitBase[s] + Int(unit), slot, bodyScore(tf, unit: Int(unit), in: segment, idf: body.idf))
                }
                let summarised = segment.summaries.reading(term, unitStart: segment.unitStart) { records in
                    for document in local {
                        guard let record = records.seek(document) else { return }
                        guard record.document == document else { continue }
                        let slot = Int(scratch.documentMatched[documentBase[s] + Int(document)]) - 1
                        let end = segment.unitStart[Int(document) + 1]
                        segment.body.walk(term, positions: positions, from: (record.offset, record.firstUnit)) { unit, tf, _ in
                            guard unit < end else { return false }
                            visit(unit, tf, slot)
                            return true
                        }
                    }
                }
                if summarised { continue }
                segment.body.walk(term, positions: positions) { unit, tf, _ in
                    let slot = Int(scratch.documentMatched[documentBase[s] + Int(segment.unitDocument[Int(unit)])])
                    if slot > 0 { visit(unit, tf, slot - 1) }
                    return true
                }
            }
        }
        for (i, d) in page.enumerated() where scratch.termDocument[d] > 0 {
            let head = headUnit(d)
            if scratch.termUnit[head] == 0 { units[i].append(head) }
        }
        return units
    }
}
