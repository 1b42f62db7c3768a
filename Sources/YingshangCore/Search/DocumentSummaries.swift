/// For each gram found in many units of a body field, one record per document instead of one per unit: where the
/// document's units start in the gram's postings, and its best unit for the gram (highest BM25 saturation, so the
/// highest score whatever the gram's idf). A one-gram query ranks documents from these short lists and reads unit
/// postings only for the documents it shows; a common character's postings hold tens of thousands of units but only
/// as many records here as documents.
struct DocumentSummaries: Sendable {
    /// Grams found in fewer units keep no summary: their postings are read in microseconds, and summaries of every
    /// gram in 128 units or more took 27 MB for the law corpus (in 2,048 or more: 13 MB, as fast).
    static let minimumUnits = 2048

    /// Summarised terms, ascending, and the records of each (one buffer per term, so that building grows small ones),
    /// with a skip entry every `skipInterval` records so that a reader can jump to a document.
    private var terms: [Int32] = []
    private var lists: [[UInt8]] = []
    private var skips: [[Skip]] = []
    /// Per term: its documents with the highest best-unit saturation, how many documents it has, and the saturation
    /// no other document exceeds.
    private var leaders: [Leaders] = []

    static let skipInterval = 32
    /// Documents kept as a term's leaders: a first or second page of results (20 on the portal) is usually among them.
    static let leaderCount = 40

    /// A term's leading documents (see `leaders`): enough to rank a one-gram query's first pages without reading
    /// every record, when the page's last score beats `bound × idf`.
    struct Leaders {
        /// Best units of the documents with the highest saturation, in no particular order.
        var records: [Leader]
        /// Documents holding the term.
        var documents: Int
        /// Documents holding the term whose title or number holds the same gram.
        var titled: Int
        /// The highest saturation of a document not among `records` (0 when there is none).
        var bound: Double
    }

    struct Leader {
        var document: Int32
        var bestUnit: Int32
        var bestFrequency: UInt32
    }

    struct Record {
        var document: Int32
        /// Where the document's first unit is recorded in the gram's postings (for `FieldIndex.walk(from:)`).
        var offset: Int
        var firstUnit: Int32
        var bestUnit: Int32
        var bestFrequency: UInt32
    }

    /// The state before record `(i + 1) × skipInterval` of a list: the previous record's document and offset (the
    /// deltas' bases) and where the record starts.
    struct Skip {
        var document: Int32
        var offset: UInt32
        var byte: UInt32
    }

    var byteSize: Int {
        lists.reduce(0) { $0 + $1.count } + skips.reduce(0) { $0 + $1.count * 12 } + leaders.reduce(0) { $0 + $1.records.count * 12 + 48 }
            + terms.count * 12
    }

    /// Summaries of `field`'s grams in at least `minimumUnits` entries; entries are units, grouped into documents by
    /// `unitStart` (units of document d are `unitStart[d]..<unitStart[d + 1]`) and `unitDocument`. `titles` are the
    /// same documents' title fields (entries are documents), for `Leaders.titled`.
    init(of field: FieldIndex, unitStart: [Int32], unitDocument: [Int32], titles: [FieldIndex], minimumUnits: Int) {
        let summarised = field.keys.indices.filter { field.entryCount(Int32($0)) >= minimumUnits }.map { term in
            (term: Int32(term), positions: GramKey.isBigram(field.keys[term]))
        }
        terms = summarised.map(\.term)
        lists.reserveCapacity(terms.count)
        skips.reserveCapacity(terms.count)
        for (term, positions) in summarised {
            var bytes: [UInt8] = []
            var skipList: [Skip] = []
            var records = 0
            var document: Int32 = -1
            var previous: (document: Int32, offset: Int) = (0, 0)
            var current = Record(document: -1, offset: 0, firstUnit: 0, bestUnit: 0, bestFrequency: 0)
            var best = 0.0
            var ranked: [(leader: Leader, saturation: Double)] = []
            func flush() {
                guard current.document >= 0 else { return }
                ranked.append((Leader(document: current.document, bestUnit: current.bestUnit, bestFrequency: current.bestFrequency), best))
                if records > 0, records % Self.skipInterval == 0 {
                    skipList.append(Skip(document: previous.document, offset: UInt32(previous.offset), byte: UInt32(bytes.count)))
                }
                records += 1
                Varint.append(Int(current.document - previous.document), to: &bytes)
                Varint.append(current.offset - previous.offset, to: &bytes)
                Varint.append(Int(current.firstUnit - unitStart[Int(current.document)]), to: &bytes)
                Varint.append(Int(current.bestUnit - current.firstUnit), to: &bytes)
                Varint.append(Int(current.bestFrequency), to: &bytes)
                previous = (current.document, current.offset)
            }
            field.walk(term, positions: positions) { unit, tf, offset in
                let saturation = BM25.saturation(tf, length: field.lengths[Int(unit)], average: field.averageLength)
                if unitDocument[Int(unit)] != document {
                    flush()
                    document = unitDocument[Int(unit)]
                    current = Record(document: document, offset: offset, firstUnit: unit, bestUnit: unit, bestFrequency: tf)
                    best = saturation
                } else if saturation > best {
                    current.bestUnit = unit
                    current.bestFrequency = tf
                    best = saturation
                }
                return true
            }
            flush()
            // Copies without the spare capacity growing left: summed over thousands of lists, megabytes.
            lists.append(bytes.withUnsafeBufferPointer(Array.init))
            skips.append(skipList.withUnsafeBufferPointer(Array.init))
            var titled = Set<Int32>()
            for title in titles {
                guard let gram = title.term(field.keys[Int(term)]) else { continue }
                title.walk(gram, positions: positions) { document, _, _ in titled.insert(document); return true }
            }
            let both = ranked.reduce(0) { $0 + (titled.contains($1.leader.document) ? 1 : 0) }
            ranked.sort { $0.saturation != $1.saturation ? $0.saturation > $1.saturation : $0.leader.document < $1.leader.document }
            leaders.append(Leaders(records: ranked.prefix(Self.leaderCount).map(\.leader), documents: ranked.count, titled: both,
                                   bound: ranked.count > Self.leaderCount ? ranked[Self.leaderCount].saturation : 0))
        }
    }

    /// Calls `body` with the records of `term` in document order until it returns false; false when the term keeps no
    /// summary.
    func records(_ term: Int32, unitStart: [Int32], _ body: (Record) -> Bool) -> Bool {
        reading(term, unitStart: unitStart) { cursor in
            while let record = cursor.next(), body(record) {}
        }
    }

    /// The leading documents of `term`, nil when it keeps no summary.
    func leaders(_ term: Int32) -> Leaders? { terms.sortedIndex(of: term).map { leaders[$0] } }

    /// Calls `body` with a cursor over the records of `term`; false when the term keeps no summary.
    func reading(_ term: Int32, unitStart: [Int32], _ body: (inout Cursor) -> Void) -> Bool {
        guard let low = terms.sortedIndex(of: term) else { return false }
        lists[low].withUnsafeBufferPointer { bytes in
            skips[low].withUnsafeBufferPointer { skips in
                var cursor = Cursor(bytes: bytes, skips: skips, unitStart: unitStart)
                body(&cursor)
            }
        }
        return true
    }

    /// Reads one term's records in document order, one after another or jumping ahead to a document.
    struct Cursor {
        fileprivate let bytes: UnsafeBufferPointer<UInt8>
        fileprivate let skips: UnsafeBufferPointer<Skip>
        fileprivate let unitStart: [Int32]
        private var at = 0
        /// The first skip entry not yet passed.
        private var skip = 0
        private var record = Record(document: 0, offset: 0, firstUnit: 0, bestUnit: 0, bestFrequency: 0)
        private var started = false

        fileprivate init(bytes: UnsafeBufferPointer<UInt8>, skips: UnsafeBufferPointer<Skip>, unitStart: [Int32]) {
            self.bytes = bytes
            self.skips = skips
            self.unitStart = unitStart
        }

        /// The next record, nil after the last.
        @inline(__always)
        mutating func next() -> Record? {
            guard at < bytes.count else { return nil }
            readPlace()
            record.firstUnit = unitStart[Int(record.document)] + Int32(Varint.read(bytes, at: &at))
            record.bestUnit = record.firstUnit + Int32(Varint.read(bytes, at: &at))
            record.bestFrequency = UInt32(Varint.read(bytes, at: &at))
            return record
        }

        /// A record (as `init` writes it) starts with its document and offset, deltas from the previous record's;
        /// `fieldsAfterPlace` varints follow: first unit, best unit, best frequency.
        private static let fieldsAfterPlace = 3

        @inline(__always)
        private mutating func readPlace() {
            started = true
            record.document += Int32(Varint.read(bytes, at: &at))
            record.offset += Varint.read(bytes, at: &at)
        }

        /// The first record of `document` or a later one, nil when none is left (documents asked for ascending);
        /// records before it are passed over, by the skip entries when they lie far ahead.
        mutating func seek(_ document: Int32) -> Record? {
            // The record read last may already be there (documents are asked for in ascending order).
            if started, record.document >= document { return record }
            // The last skip entry whose previous record lies before `document`: ahead in doubling steps from the
            // first entry not yet passed (the document sought is often near), then halving.
            var low = skip, step = 1
            while low + step <= skips.count, skips[low + step - 1].document < document {
                low += step
                step *= 2
            }
            var high = min(low + step - 1, skips.count)
            while low < high {
                let mid = (low + high) / 2
                if skips[mid].document < document { low = mid + 1 } else { high = mid }
            }
            if low > skip {
                let target = skips[low - 1]
                if Int(target.byte) > at {
                    at = Int(target.byte)
                    record.document = target.document
                    record.offset = Int(target.offset)
                }
                skip = low
            }
            // Records before it are passed reading only their document and offset (the next deltas' bases, as after a
            // skip entry): `record` is returned only once `next` has read one whole.
            while at < bytes.count {
                var ahead = at
                if record.document + Int32(Varint.read(bytes, at: &ahead)) >= document { return next() }
                readPlace()
                Varint.skip(Self.fieldsAfterPlace, in: bytes, at: &at)
            }
            return nil
        }
    }
}
