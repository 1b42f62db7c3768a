import CPrefetch

/// One field's inverted index over entries `0..<count` (documents for a title field, units for a body field).
///
/// For every gram (an atom alone or two adjacent atoms, see `Atom`) it keeps the entries containing it, how often,
/// and — for bigrams — where. Postings are delta- and varint-encoded in one byte buffer, written in two passes over
/// the texts (the first sizes every list, the second fills it) so that building needs no growing array per gram.
struct FieldIndex: Sendable {
    /// Every gram's key, ascending: a term's number is its place here (binary search; a hash table of 300,000 grams
    /// took twice the memory).
    private(set) var keys: [UInt64] = []
    /// Where each term's postings start in `bytes` (one more entry than terms). 32 bits: a field's postings stay
    /// far below 4 GiB (the whole corpus takes about 60 MB).
    private var offsets: [UInt32] = [0]
    private var bytes: [UInt8] = []
    private var documentFrequency: [UInt32] = []
    /// Atoms per entry: the field length BM25 normalises by.
    private(set) var lengths: [UInt32] = []
    private(set) var averageLength: Double = 1

    /// Skip entries of the lists with `skipMinimum` entries or more (below the bound `init` was given), terms
    /// ascending; term `skipTerms[i]`'s entries are `skips[skipStarts[i]..<skipStarts[i + 1]]`.
    private var skipTerms: [Int32] = []
    private var skipStarts: [UInt32] = [0]
    private var skips: [Skip] = []

    /// A place in a postings list to resume reading at, every `skipInterval` records: the record's offset and the
    /// entry before it (its delta's base). A phrase's later bigram, or a term read only in some documents, is read
    /// only near the entries it may match; the records in between are jumped over.
    struct Skip {
        var base: Int32
        var offset: UInt32
    }

    /// One entry every 16 records: 0.95× of every 32 for 3–4 characters, at 1.2 MB more for the law corpus.
    static let skipInterval = 16
    /// Shorter lists are read whole in a few microseconds.
    static let skipMinimum = 128
    private static var noSkips: UnsafeBufferPointer<Skip> { UnsafeBufferPointer(start: nil, count: 0) }

    var count: Int { lengths.count }
    var byteSize: Int {
        bytes.count + offsets.count * 4 + keys.count * 8 + documentFrequency.count * 4 + lengths.count * 4
            + skips.count * 8 + skipTerms.count * 8
    }

    /// Builds the index of `count` entries; `atoms(i)` is called twice per entry and must give the same atoms. Lists
    /// of at least `skipMinimum` and fewer than `skipsBelow` entries get skip entries (a body field's longer lists
    /// have document summaries instead, which locate a document's records).
    init(count: Int, skipsBelow: Int = .max, atoms: (Int) -> [Atom]) {
        lengths = [UInt32](repeating: 0, count: count)
        var grams: [(key: UInt64, position: UInt32)] = []
        func collect(_ entry: Int) {
            let list = atoms(entry)
            lengths[entry] = UInt32(list.count)
            grams.removeAll(keepingCapacity: true)
            for (i, atom) in list.enumerated() {
                grams.append((GramKey.unigram(atom.id), atom.position))
                if i > 0, atom.joinsPrevious { grams.append((GramKey.bigram(list[i - 1].id, atom.id), list[i - 1].position)) }
            }
            grams.sort { $0.key != $1.key ? $0.key < $1.key : $0.position < $1.position }
        }
        /// Calls `body(key, run)` for each distinct gram of the collected entry with its occurrences.
        func eachGram(_ body: (UInt64, ArraySlice<(key: UInt64, position: UInt32)>) -> Void) {
            var i = 0
            while i < grams.count {
                var j = i + 1
                while j < grams.count, grams[j].key == grams[i].key { j += 1 }
                body(grams[i].key, grams[i..<j])
                i = j
            }
        }
        func recordSize(_ delta: Int, _ run: ArraySlice<(key: UInt64, position: UInt32)>) -> Int {
            var size = EntryHeader.size(delta: delta, frequency: run.count)
            if GramKey.isBigram(run.first!.key) {
                var previous: UInt32 = 0
                for gram in run { size += Varint.size(Int(gram.position - previous)); previous = gram.position }
            }
            return size
        }
        // Pass 1: find every gram and size its postings list (grams numbered as first met).
        var firstMet: [UInt64: Int32] = [:]
        var sizes: [UInt32] = []
        var frequencies: [UInt32] = []
        var last: [Int32] = []
        for entry in 0..<count {
            collect(entry)
            eachGram { key, run in
                let term: Int
                if let known = firstMet[key] { term = Int(known) } else {
                    term = sizes.count
                    firstMet[key] = Int32(term)
                    sizes.append(0)
                    frequencies.append(0)
                    last.append(-1)
                }
                sizes[term] += UInt32(recordSize(entry - Int(last[term]), run))
                frequencies[term] += 1
                last[term] = Int32(entry)
            }
        }
        // Renumbered in key order; the hash table is gone before the postings are allocated.
        let sorted = firstMet.sorted { $0.key < $1.key }
        firstMet = [:]
        keys = sorted.map(\.key)
        documentFrequency = sorted.map { frequencies[Int($0.value)] }
        offsets = [UInt32](repeating: 0, count: keys.count + 1)
        for (term, entry) in sorted.enumerated() { offsets[term + 1] = offsets[term] + sizes[Int(entry.value)] }
        sizes = []
        frequencies = []
        bytes = [UInt8](repeating: 0, count: Int(offsets[offsets.count - 1]))
        var cursor = offsets
        let keys = keys
        last = [Int32](repeating: -1, count: keys.count)
        // Pass 2: write them.
        var total = 0
        bytes.withUnsafeMutableBufferPointer { out in
            for entry in 0..<count {
                collect(entry)
                total += Int(lengths[entry])
                eachGram { key, run in
                    let term = keys.sortedIndex(of: key)!
                    var at = Int(cursor[term])
                    EntryHeader.write(delta: entry - Int(last[term]), frequency: run.count, to: out, at: &at)
                    if GramKey.isBigram(key) {
                        var previous: UInt32 = 0
                        for gram in run { Varint.write(Int(gram.position - previous), to: out, at: &at); previous = gram.position }
                    }
                    cursor[term] = UInt32(at)
                    last[term] = Int32(entry)
                }
            }
        }
        averageLength = count == 0 ? 1 : max(1, Double(total) / Double(count))
        // Sized exactly: grown by appending, the arrays' spare capacity was as large as the index they add.
        let skipped = keys.indices.filter { documentFrequency[$0] >= Self.skipMinimum && documentFrequency[$0] < skipsBelow }
        skips.reserveCapacity(skipped.reduce(0) { $0 + (Int(documentFrequency[$1]) - 1) / Self.skipInterval })
        skipTerms.reserveCapacity(skipped.count)
        skipStarts.reserveCapacity(skipped.count + 1)
        for term in skipped {
            var records = 0
            var previous: Int32 = -1
            walk(Int32(term), positions: GramKey.isBigram(keys[term])) { entry, _, offset in
                if records > 0, records % Self.skipInterval == 0 { skips.append(Skip(base: previous, offset: UInt32(offset))) }
                records += 1
                previous = entry
                return true
            }
            skipTerms.append(Int32(term))
            skipStarts.append(UInt32(skips.count))
        }
    }

    /// Moves a reader of a list (at byte `at`, after entry `entry`) to the last of its skip entries from `k` on whose
    /// base lies below `target`, when that is ahead of it: the records in between hold entries below `target` only.
    /// `k` passes every such skip entry.
    @inline(__always)
    private static func jump(by skips: UnsafeBufferPointer<Skip>, _ k: inout Int, before target: Int32, at: inout Int, entry: inout Int) {
        while k < skips.count, skips[k].base < target {
            if Int(skips[k].offset) > at { (at, entry) = (Int(skips[k].offset), Int(skips[k].base)) }
            k += 1
        }
    }

    /// Calls `body` with the skip entries of `term`'s list (none when it has none).
    private func withSkips<R>(of term: Int32, _ body: (UnsafeBufferPointer<Skip>) -> R) -> R {
        guard let i = skipTerms.sortedIndex(of: term) else { return body(Self.noSkips) }
        return skips.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[Int(skipStarts[i])..<Int(skipStarts[i + 1])]))
        }
    }

    /// Entries holding the gram sequence `atoms` at consecutive positions, with how often it occurs in each.
    /// One atom is looked up alone; a longer sequence is a chain of bigrams. Ascending by entry. With `groups` (a body
    /// field's document summaries and unit ranges), a chain reads the longer bigrams' postings only in the documents
    /// the shorter ones left, and `within` (ascending document numbers) limits the search to those documents' units.
    /// Entries `admits` rejects are left out before their positions are read.
    func matches(_ atoms: [UInt32], groups: Groups? = nil, within: [Int32]? = nil, admits: (Int32) -> Bool = { _ in true }) -> [Match] {
        if atoms.isEmpty { return [] }
        // One atom, or two (a single bigram): the postings themselves, positions skipped.
        if atoms.count <= 2 {
            let key = atoms.count == 1 ? GramKey.unigram(atoms[0]) : GramKey.bigram(atoms[0], atoms[1])
            guard let term = term(key) else { return [] }
            var result: [Match] = []
            if within == nil { result.reserveCapacity(Int(documentFrequency[Int(term)])) }
            read(term, positions: atoms.count == 2, decode: false, within: within, groups, admits: admits) { entry, tf, _ in
                result.append(Match(entry: entry, frequency: tf))
            }
            return result
        }
        var chain: [(term: Int32, offset: UInt32)] = []
        for i in 0..<(atoms.count - 1) {
            guard let term = term(GramKey.bigram(atoms[i], atoms[i + 1])) else { return [] }
            chain.append((term, UInt32(i)))
        }
        chain.sort { size(of: $0.term) < size(of: $1.term) }
        // Every position takes a byte at least: the list's size bounds its starts.
        var first = PhraseCandidates.Builder(entries: entryCount(chain[0].term), starts: size(of: chain[0].term))
        let shift = chain[0].offset
        read(chain[0].term, positions: true, within: within, groups, admits: admits) { entry, _, positions in
            for p in positions where p >= shift { first.add(start: p - shift) }
            first.close(entry)
        }
        var candidates = first.build()
        for link in chain.dropFirst() {
            if candidates.entries.isEmpty { return [] }
            // Through the summaries, only documents still holding a candidate are read.
            let places = groups.flatMap { documentPlaces(of: link.term, in: Self.documents(of: candidates.entries, $0.unitDocument), $0) }
            candidates = narrow(candidates, by: link.term, shift: link.offset, in: places)
        }
        return candidates.entries.indices.map { i in
            Match(entry: candidates.entries[i], frequency: UInt32(candidates.bounds[i + 1] - candidates.bounds[i]))
        }
    }

    /// Where a document's postings of a term start (the record's offset and first entry) and the entry its units
    /// end before.
    typealias DocumentPlace = (offset: Int, entry: Int32, end: Int32)

    /// The places of `term`'s postings in each of `documents` (ascending) that holds it, from the term's document
    /// summaries (nil when it keeps none). Each place's first bytes are prefetched as it is found: reading the
    /// documents' postings one after another then finds them in cache, rather than waiting for one miss per document
    /// in turn.
    private func documentPlaces(of term: Int32, in documents: [Int32], _ groups: Groups) -> [DocumentPlace]? {
        var places: [DocumentPlace] = []
        let summarised = groups.summaries.reading(term, unitStart: groups.unitStart) { records in
            bytes.withUnsafeBufferPointer { buffer in
                for document in documents {
                    guard let record = records.seek(document) else { return }
                    guard record.document == document else { continue }
                    yingshang_prefetch(buffer.baseAddress! + record.offset)
                    places.append((record.offset, record.firstUnit, groups.unitStart[Int(document) + 1]))
                }
            }
        }
        return summarised ? places : nil
    }

    /// The documents of `entries` (ascending units), each once. Read from each unit's document: the loads do not
    /// wait on one another, so their cache misses overlap (searching the unit ranges instead, a halving step per
    /// document, mispredicted its branches: a tenth of a phrase query).
    private static func documents(of entries: [Int32], _ unitDocument: [Int32]) -> [Int32] {
        var documents: [Int32] = []
        for entry in entries {
            let d = unitDocument[Int(entry)]
            if documents.last != d { documents.append(d) }
        }
        return documents
    }

    /// Entries that may hold a phrase (ascending), with the phrase's possible start positions in each: flat in
    /// `starts`, entry i's run from `bounds[i]` to `bounds[i + 1]`.
    struct PhraseCandidates {
        var entries: [Int32] = []
        var starts: [UInt32] = []
        var bounds: [Int] = [0]

        /// Calls `body` with the entries, starts and bounds as buffers.
        func withBuffers<R>(_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<Int>) -> R) -> R {
            entries.withUnsafeBufferPointer { entries in
                starts.withUnsafeBufferPointer { starts in
                    bounds.withUnsafeBufferPointer { bounds in body(entries, starts, bounds) }
                }
            }
        }

        /// Candidates filled in buffers sized for at most `entries` entries and `starts` starts: appending to the
        /// arrays themselves checked their uniqueness and capacity every time. `build` once, from one copy (it frees
        /// the buffers).
        struct Builder {
            private let entries: UnsafeMutableBufferPointer<Int32>
            private let starts: UnsafeMutableBufferPointer<UInt32>
            private let bounds: UnsafeMutableBufferPointer<Int>
            private var entryCount = 0, startCount = 0

            init(entries: Int, starts: Int) {
                self.entries = .allocate(capacity: entries)
                self.starts = .allocate(capacity: starts)
                bounds = .allocate(capacity: entries + 1)
                bounds[0] = 0
            }

            /// A start in the entry being filled.
            @inline(__always)
            mutating func add(start: UInt32) {
                starts[startCount] = start
                startCount &+= 1
            }

            /// Ends entry `entry`'s starts: it is kept when any were added.
            @inline(__always)
            mutating func close(_ entry: Int32) {
                guard startCount > bounds[entryCount] else { return }
                entries[entryCount] = entry
                entryCount &+= 1
                bounds[entryCount] = startCount
            }

            func build() -> PhraseCandidates {
                defer {
                    entries.deallocate()
                    starts.deallocate()
                    bounds.deallocate()
                }
                return PhraseCandidates(entries: Array(entries[..<entryCount]), starts: Array(starts[..<startCount]),
                                        bounds: Array(bounds[...entryCount]))
            }
        }
    }

    /// The candidates whose phrase continues with bigram `term` at `shift` positions past its start: the term's
    /// postings are read in each of `places` (or, without them, from the list's beginning) until the last candidate
    /// before the place's end, jumping by the list's skip entries to the next candidate, and positions are decoded
    /// only for candidate entries (merged with the starts, both ascending).
    private func narrow(_ candidates: PhraseCandidates, by term: Int32, shift: UInt32, in places: [DocumentPlace]?) -> PhraseCandidates {
        let end = Int(offsets[Int(term) + 1])
        var found = PhraseCandidates.Builder(entries: candidates.entries.count, starts: candidates.starts.count)
        withSkips(of: term) { skips in
            bytes.withUnsafeBufferPointer { buffer in
                candidates.withBuffers { entries, starts, bounds in
                    var c = 0, k = 0
                    /// Reads from `start` (or the list's beginning) until entry `limit` or the last candidate before it.
                    func run(from start: (offset: Int, entry: Int32)?, below limit: Int32) {
                        var (at, entry) = place(of: term, from: start, in: buffer)
                        while at < end {
                            guard c < entries.count, entries[c] < limit else { return }
                            // Records up to the last skip entry before the next candidate hold none.
                            Self.jump(by: skips, &k, before: entries[c], at: &at, entry: &entry)
                            let (delta, tf) = EntryHeader.read(buffer, at: &at)
                            entry &+= delta
                            while c < entries.count, entries[c] < entry { c += 1 }
                            guard c < entries.count, entries[c] < limit else { return }
                            guard entries[c] == entry else {
                                Varint.skip(tf, in: buffer, at: &at)
                                continue
                            }
                            var s = bounds[c]
                            let last = bounds[c + 1]
                            var position: UInt32 = 0
                            var left = tf
                            while left > 0, s < last {
                                position &+= UInt32(truncatingIfNeeded: Varint.read(buffer, at: &at))
                                left -= 1
                                while s < last, starts[s] &+ shift < position { s += 1 }
                                if s < last, starts[s] &+ shift == position { found.add(start: starts[s]); s += 1 }
                            }
                            Varint.skip(left, in: buffer, at: &at)
                            found.close(Int32(entry))
                            c += 1
                        }
                    }
                    guard let places else { return run(from: nil, below: .max) }
                    for place in places { run(from: (place.offset, place.entry), below: place.end) }
                }
            }
        }
        return found.build()
    }

    /// A body field's document summaries, unit ranges (units of document d are `unitStart[d]..<unitStart[d + 1]`) and
    /// each unit's document.
    typealias Groups = (summaries: DocumentSummaries, unitStart: [Int32], unitDocument: [Int32])

    /// How many entries hold the gram sequence `atoms` — for a longer sequence, at most: its rarest bigram's count.
    /// Idf is computed from it, so a phrase's weight needs no full match of the phrase.
    func frequency(_ atoms: [UInt32]) -> Int {
        switch atoms.count {
        case 0: return 0
        case 1: return term(GramKey.unigram(atoms[0])).map(entryCount) ?? 0
        default:
            return (1..<atoms.count).map { i in term(GramKey.bigram(atoms[i - 1], atoms[i])).map(entryCount) ?? 0 }.min()!
        }
    }

    /// The number of a gram's postings list, nil when no entry holds the gram.
    func term(_ key: UInt64) -> Int32? { keys.sortedIndex(of: key).map(Int32.init) }

    /// How many entries hold the term.
    func entryCount(_ term: Int32) -> Int { Int(documentFrequency[Int(term)]) }

    /// Walks a postings list in entry order, calling `body(entry, tf, offset)` with the byte offset each entry's record
    /// starts at, until `body` returns false or the list ends. `positions` says whether the list has them (bigrams);
    /// they are skipped. `from` resumes at an offset `body` was given, with the entry found there.
    func walk(_ term: Int32, positions: Bool, from start: (offset: Int, entry: Int32)? = nil, _ body: (Int32, UInt32, Int) -> Bool) {
        scan(term, positions: positions, decode: false, from: start, below: .max, wanted: { $0 }) { entry, tf, _, record in
            body(entry, tf, record)
        }
    }

    /// An entry's positions of a bigram, ascending; valid only during the call that receives them (empty when not
    /// decoded).
    typealias Positions = UnsafeBufferPointer<UInt32>

    struct Match: Sendable {
        var entry: Int32
        var frequency: UInt32
    }

    private func size(of term: Int32) -> Int { Int(offsets[Int(term) + 1] - offsets[Int(term)]) }

    /// Decodes the postings of `term` for the entries `admits` accepts and, given `within` (ascending document
    /// numbers of a body field with `groups`), in those documents' units only: through the document summaries when
    /// the term has them, else along the whole list, jumping by its skip entries to the next document's units.
    private func read(_ term: Int32, positions: Bool, decode: Bool = true, within: [Int32]?, _ groups: Groups?,
                      admits: (Int32) -> Bool, _ body: (Int32, UInt32, Positions) -> Void) {
        func admitted(_ entry: Int32) -> Int32 { admits(entry) ? entry : entry + 1 }
        guard let within, let groups else { return read(term, positions: positions, decode: decode, wanted: admitted, body) }
        if let places = documentPlaces(of: term, in: within, groups) {
            for place in places {
                read(term, positions: positions, decode: decode, from: (place.offset, place.entry), below: place.end, wanted: admitted, body)
            }
            return
        }
        var next = 0
        withSkips(of: term) { skips in
            read(term, positions: positions, decode: decode, skips: skips, wanted: { entry in
                while next < within.count, groups.unitStart[Int(within[next]) + 1] <= entry { next += 1 }
                guard next < within.count else { return .max }
                let first = groups.unitStart[Int(within[next])]
                return entry < first ? first : admitted(entry)
            }, body)
        }
    }

    /// Decodes one postings list in entry order, from the start or from a record `walk` gave (`from`), up to entry
    /// `limit`, for the entries `wanted` accepts (see `scan`).
    private func read(_ term: Int32, positions: Bool, decode: Bool = true, from start: (offset: Int, entry: Int32)? = nil,
                      below limit: Int32 = .max, skips: UnsafeBufferPointer<Skip> = noSkips,
                      wanted: (Int32) -> Int32, _ body: (Int32, UInt32, Positions) -> Void) {
        scan(term, positions: positions, decode: decode, from: start, below: limit, skips: skips, wanted: wanted) { entry, tf, list, _ in
            body(entry, tf, list)
            return true
        }
    }

    /// Where reading `term`'s postings starts — its list's beginning, or the record `start` names — and the entry
    /// the first record's delta counts from (the one before it), so that every record is read alike.
    @inline(__always)
    private func place(of term: Int32, from start: (offset: Int, entry: Int32)?, in buffer: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        guard let start else { return (Int(offsets[Int(term)]), -1) }
        var peek = start.offset
        return (start.offset, Int(start.entry) - EntryHeader.read(buffer, at: &peek).delta)
    }

    /// The one postings decoder: from the list's start, or from an entry's record offset and that entry (`from`), in
    /// entry order up to entry `limit`, it calls `body(entry, tf, positions, record offset)` for the entries `wanted`
    /// accepts, until `body` returns false. `wanted(entry)` is the first entry from `entry` on that may be wanted:
    /// `entry` itself when it is, `Int32.max` when none is left; the records before it are passed, by `skips` (the
    /// list's skip entries, or none) where they lie far enough ahead. `positions` says whether the list has them
    /// (bigrams); they are decoded when `decode` is set, and skipped otherwise.
    private func scan(_ term: Int32, positions: Bool, decode: Bool, from start: (offset: Int, entry: Int32)?, below limit: Int32,
                      skips: UnsafeBufferPointer<Skip> = noSkips,
                      wanted: (Int32) -> Int32, _ body: (Int32, UInt32, Positions, Int) -> Bool) {
        let end = Int(offsets[Int(term) + 1])
        // One position buffer for the whole list, on the stack (a list is read once per document when restricted
        // to documents), moved to the heap when an entry holds more (an array cleared per entry was a tenth of a
        // phrase query).
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { stack in
            var capacity = stack.count
            var list = stack.baseAddress!
            defer { if list != stack.baseAddress! { list.deallocate() } }
            bytes.withUnsafeBufferPointer { buffer in
                var (at, entry) = place(of: term, from: start, in: buffer)
                var k = 0
                while at < end {
                    let record = at
                    let (delta, tf) = EntryHeader.read(buffer, at: &at)
                    entry &+= delta
                    if entry >= limit { return }
                    let next = wanted(Int32(entry))
                    guard next == entry else {
                        if positions { Varint.skip(tf, in: buffer, at: &at) }
                        if next == .max { return }
                        Self.jump(by: skips, &k, before: next, at: &at, entry: &entry)
                        continue
                    }
                    var count = 0
                    if positions {
                        if decode {
                            if tf > capacity {
                                if list != stack.baseAddress! { list.deallocate() }
                                capacity = tf
                                list = .allocate(capacity: capacity)
                            }
                            var position = 0
                            for i in 0..<tf { position += Varint.read(buffer, at: &at); list[i] = UInt32(position) }
                            count = tf
                        } else {
                            Varint.skip(tf, in: buffer, at: &at)
                        }
                    }
                    guard body(Int32(entry), UInt32(tf), Positions(start: list, count: count), record) else { return }
                }
            }
        }
    }
}

/// The start of an entry's record in a postings list: its distance from the previous entry and how often the gram
/// occurs in it. Most entries hold a gram once, so that case takes one varint (`delta << 1 | 1`); otherwise the
/// frequency follows (`delta << 1`, then the frequency). A third of the postings' bytes went to frequencies of 1.
enum EntryHeader {
    static func size(delta: Int, frequency: Int) -> Int {
        Varint.size(delta << 1 | (frequency == 1 ? 1 : 0)) + (frequency == 1 ? 0 : Varint.size(frequency))
    }

    static func write(delta: Int, frequency: Int, to out: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
        Varint.write(delta << 1 | (frequency == 1 ? 1 : 0), to: out, at: &at)
        if frequency != 1 { Varint.write(frequency, to: out, at: &at) }
    }

    @inline(__always)
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, at: inout Int) -> (delta: Int, frequency: Int) {
        let value = Varint.read(buffer, at: &at)
        return (value >> 1, value & 1 == 1 ? 1 : Varint.read(buffer, at: &at))
    }
}

/// LEB128 unsigned varints.
enum Varint {
    static func size(_ value: Int) -> Int {
        var v = value, n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    static func write(_ value: Int, to out: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
        var v = value
        while v >= 0x80 { out[at] = UInt8(v & 0x7F) | 0x80; v >>= 7; at += 1 }
        out[at] = UInt8(v)
        at += 1
    }

    static func append(_ value: Int, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// One byte (most deltas and positions) returns at once; wrapping arithmetic, as the bytes were written by
    /// `write` (overflow-checked shifts and additions sat in every step of a phrase merge).
    @inline(__always)
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, at: inout Int) -> Int {
        let first = buffer[at]
        at &+= 1
        if first < 0x80 { return Int(first) }
        var value = Int(first & 0x7F), shift = 7
        while true {
            let byte = buffer[at]
            at &+= 1
            value |= Int(byte & 0x7F) &<< shift
            if byte < 0x80 { return value }
            shift &+= 7
        }
    }

    /// Moves `at` past `count` varints, eight bytes at a time where the buffer allows: a varint ends at each byte
    /// whose high bit is clear, so the ends in a word are its clear high bits, taken lowest first. (Counting them
    /// instead costs a software popcount on baseline x86-64, which was a quarter of a phrase's merge.)
    @inline(__always)
    static func skip(_ count: Int, in buffer: UnsafeBufferPointer<UInt8>, at: inout Int) {
        var left = count
        guard left > 0 else { return }
        let base = UnsafeRawPointer(buffer.baseAddress!)
        while at + 8 <= buffer.count {
            var ends = ~UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) & 0x8080_8080_8080_8080
            while ends != 0 {
                left -= 1
                if left == 0 {
                    at += ends.trailingZeroBitCount / 8 + 1
                    return
                }
                ends &= ends - 1
            }
            at += 8
        }
        while left > 0 {
            if buffer[at] < 0x80 { left -= 1 }
            at += 1
        }
    }
}
