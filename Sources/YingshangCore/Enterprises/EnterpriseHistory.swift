/// An enterprise file's dated history (一企一档的历史): every value each fact took and from when, and the spans over
/// which tags were held. A question "as of 2023-12-31" reads the facts known for that date.
public struct EnterpriseHistory: Sendable {
    /// A fact's value from a date on; nil records that it became unknown.
    public struct Entry: Sendable, Equatable {
        public let field: FactField
        public let value: FactValue?
        public let effectiveOn: CivilDate
        /// Order of recording, so that of two values for the same day the later one counts.
        public let sequence: Int

        public init(field: FactField, value: FactValue?, effectiveOn: CivilDate, sequence: Int) {
            self.field = field
            self.value = value
            self.effectiveOn = effectiveOn
            self.sequence = sequence
        }
    }

    /// A tag held from one date to another (inclusive; open-ended when `until` is nil).
    public struct TagSpan: Sendable, Equatable {
        public let tag: String
        public let from: CivilDate
        public let until: CivilDate?

        public init(tag: String, from: CivilDate, until: CivilDate?) {
            self.tag = tag
            self.from = from
            self.until = until
        }

        public func covers(_ date: CivilDate) -> Bool { from <= date && (until.map { date <= $0 } ?? true) }
    }

    public var entries: [Entry]
    public var tags: [TagSpan]
    /// Whether qualifications were ever recorded (if not, tags are unknown).
    public var tagsRecorded: Bool

    public init(entries: [Entry], tags: [TagSpan], tagsRecorded: Bool) {
        self.entries = entries
        self.tags = tags
        self.tagsRecorded = tagsRecorded
    }

    /// What was known for `date`: per fact, the latest value effective on or before it.
    public func facts(asOf date: CivilDate) -> EnterpriseFacts {
        var latest: [FactField: Entry] = [:]
        for entry in entries where entry.effectiveOn <= date {
            if let current = latest[entry.field],
               (current.effectiveOn, current.sequence) > (entry.effectiveOn, entry.sequence) { continue }
            latest[entry.field] = entry
        }
        var facts = EnterpriseFacts()
        for (field, entry) in latest { facts[field] = entry.value }
        if tagsRecorded { facts.tags = Set(tags.filter { $0.covers(date) }.map(\.tag)) }
        return facts
    }

    /// The values a fact took, newest first, for the file's history table.
    public func values(of field: FactField) -> [Entry] {
        entries.filter { $0.field == field }.sorted { ($0.effectiveOn, $0.sequence) > ($1.effectiveOn, $1.sequence) }
    }

    /// The tags to open and to close so that exactly `held` are held from `date` on.
    public func tagChanges(to held: Set<String>, on date: CivilDate) -> (open: [String], close: [String]) {
        let current = Set(tags.filter { $0.covers(date) && $0.until == nil }.map(\.tag))
        return (held.subtracting(current).sorted(), current.subtracting(held).sorted())
    }
}
