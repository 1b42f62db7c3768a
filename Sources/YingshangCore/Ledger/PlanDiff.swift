import Foundation

/// A task as read from a plan document (new) or as stored (old).
public struct PlanTaskSnapshot: Codable, Sendable, Equatable {
    /// Stored task ID; nil for tasks read from a document.
    public var id: String?
    /// Item number within its section, e.g. "3" or "（三）".
    public var number: String
    /// Section headings above the item, e.g. ["一、优化市场准入环境"].
    public var path: [String]
    public var title: String
    public var text: String
    public var leadUnits: [String]
    public var coUnits: [String]
    public var deadline: TaskDeadline

    public init(id: String? = nil, number: String, path: [String], title: String, text: String,
                leadUnits: [String], coUnits: [String] = [], deadline: TaskDeadline) {
        self.id = id
        self.number = number
        self.path = path
        self.title = title
        self.text = text
        self.leadUnits = leadUnits
        self.coUnits = coUnits
        self.deadline = deadline
    }
}

/// Number path of a task: its section headings followed by its number.
public struct PlanTaskKey: Codable, Sendable, Hashable {
    public var path: [String]
    public var number: String

    public init(path: [String], number: String) {
        self.path = path
        self.number = number
    }

    public init(_ task: PlanTaskSnapshot) {
        self.init(path: task.path, number: task.number)
    }
}

public struct PlanDiffResult: Codable, Sendable, Equatable {
    public struct Pair: Codable, Sendable, Equatable {
        public var old: PlanTaskSnapshot
        public var new: PlanTaskSnapshot
        /// Number or section changed (e.g. after an insertion); not counted as a content change.
        public var isRenumbered: Bool { PlanTaskKey(old) != PlanTaskKey(new) }
    }

    public struct Change: Codable, Sendable, Equatable {
        public var old: PlanTaskSnapshot
        public var new: PlanTaskSnapshot
        /// Changed fields in Chinese: "任务名称", "任务内容", "牵头单位", "配合单位", "完成时限".
        public var fields: [String]
        public var isRenumbered: Bool { PlanTaskKey(old) != PlanTaskKey(new) }
    }

    /// Matched tasks with the same content (possibly renumbered), in new-document order.
    public var unchanged: [Pair]
    /// Matched tasks with changed content, in new-document order.
    public var changed: [Change]
    /// New tasks, in new-document order.
    public var added: [PlanTaskSnapshot]
    /// Old tasks with no match, in old order.
    public var removed: [PlanTaskSnapshot]

    /// Nothing changed in content, nothing added or removed (renumbering alone does not count).
    public var isEmpty: Bool { changed.isEmpty && added.isEmpty && removed.isEmpty }
}

public enum PlanDiff {
    /// Texts at least this similar (character-bigram Jaccard) may be the same task.
    public static let similarityThreshold = 0.6

    /// Matches old and new tasks, in passes (each pass only sees what earlier passes left):
    /// 1. same stored ID (when the new snapshot carries one);
    /// 2. identical text (whitespace/punctuation-insensitive) — same number path first, then same section,
    ///    then anywhere (a renumbered or moved task);
    /// 3. similar text (bigram Jaccard ≥ 0.6) within the same section, best pairs first, the same number
    ///    winning ties; then across sections.
    ///
    /// A task inserted in the middle therefore shows as one addition; the following tasks are matched by
    /// text and only renumbered. Work is bucketed by section and candidate pairs come from an inverted
    /// bigram index, so thousands of tasks stay fast.
    public static func diff(old: [PlanTaskSnapshot], new: [PlanTaskSnapshot]) -> PlanDiffResult {
        let oldItems = old.map(Item.init)
        let newItems = new.map(Item.init)
        var oldMatch = [Int?](repeating: nil, count: old.count)   // old index -> new index
        var newMatch = [Int?](repeating: nil, count: new.count)   // new index -> old index
        func link(_ o: Int, _ n: Int) {
            oldMatch[o] = n
            newMatch[n] = o
        }

        // 1. Stored IDs.
        var oldByID: [String: Int] = [:]
        for (i, t) in old.enumerated() { if let id = t.id, oldByID[id] == nil { oldByID[id] = i } }
        for (n, t) in new.enumerated() {
            if let id = t.id, let o = oldByID[id], oldMatch[o] == nil { link(o, n) }
        }

        // 2. Identical text: by number path, by section, then anywhere.
        func exactPass(_ key: (Item) -> String) {
            var buckets: [String: [Int]] = [:]
            for (i, item) in oldItems.enumerated() where oldMatch[i] == nil {
                buckets[key(item), default: []].append(i)
            }
            for (n, item) in newItems.enumerated() where newMatch[n] == nil {
                let k = key(item)
                guard var list = buckets[k], !list.isEmpty else { continue }
                let o = list.removeFirst()
                buckets[k] = list
                link(o, n)
            }
        }
        exactPass { $0.keyString + "\u{1}" + $0.normalized }
        exactPass { $0.pathString + "\u{1}" + $0.normalized }
        exactPass { $0.normalized }

        // 3. Similar text within sections, then anywhere.
        var oldBySection: [String: [Int]] = [:]
        var newBySection: [String: [Int]] = [:]
        for (i, item) in oldItems.enumerated() where oldMatch[i] == nil { oldBySection[item.pathString, default: []].append(i) }
        for (i, item) in newItems.enumerated() where newMatch[i] == nil { newBySection[item.pathString, default: []].append(i) }
        for section in newBySection.keys.sorted() {
            guard let olds = oldBySection[section] else { continue }
            similarityPass(olds: olds.filter { oldMatch[$0] == nil }, news: newBySection[section]!,
                           oldItems: oldItems, newItems: newItems, link: link)
        }
        let restOld = oldItems.indices.filter { oldMatch[$0] == nil }
        let restNew = newItems.indices.filter { newMatch[$0] == nil }
        similarityPass(olds: restOld, news: restNew, oldItems: oldItems, newItems: newItems, link: link)

        // Classify.
        var result = PlanDiffResult(unchanged: [], changed: [], added: [], removed: [])
        for (n, t) in new.enumerated() {
            guard let o = newMatch[n] else {
                result.added.append(t)
                continue
            }
            let fields = changedFields(old[o], t, oldItems[o], newItems[n])
            if fields.isEmpty {
                result.unchanged.append(.init(old: old[o], new: t))
            } else {
                result.changed.append(.init(old: old[o], new: t, fields: fields))
            }
        }
        for (o, t) in old.enumerated() where oldMatch[o] == nil { result.removed.append(t) }
        return result
    }

    /// Character-bigram Jaccard similarity of two texts (after removing whitespace and punctuation).
    public static func similarity(_ a: String, _ b: String) -> Double {
        let x = Item.bigrams(of: Item.normalize(a)), y = Item.bigrams(of: Item.normalize(b))
        return jaccard(x, y, Item.normalize(a) == Item.normalize(b))
    }

    // MARK: - Internals

    private struct Item {
        let keyString: String
        let pathString: String
        let normalized: String
        let bigrams: Set<UInt64>

        init(_ t: PlanTaskSnapshot) {
            pathString = t.path.map { Item.normalize($0) }.joined(separator: "\u{2}")
            keyString = pathString + "\u{3}" + Item.normalize(t.number)
            // Compare by the task text; a blank text falls back to the title.
            let text = Item.normalize(t.text)
            normalized = text.isEmpty ? Item.normalize(t.title) : text
            bigrams = Item.bigrams(of: normalized)
        }

        static func normalize(_ s: String) -> String {
            var out = String.UnicodeScalarView()
            for u in s.unicodeScalars where !(CharacterSet.whitespacesAndNewlines.contains(u)
                                               || CharacterSet.punctuationCharacters.contains(u)
                                               || CharacterSet.symbols.contains(u)) {
                // Fold full-width ASCII (Ｕ+FF01…FF5E) to half-width.
                if (0xFF01...0xFF5E).contains(u.value), let h = Unicode.Scalar(u.value - 0xFEE0) {
                    out.append(h)
                } else {
                    out.append(u)
                }
            }
            return String(out).lowercased()
        }

        static func bigrams(of s: String) -> Set<UInt64> {
            let scalars = s.unicodeScalars.map { UInt64($0.value) }
            guard scalars.count >= 2 else { return [] }
            var set = Set<UInt64>(minimumCapacity: scalars.count)
            for i in 1..<scalars.count { set.insert(scalars[i - 1] << 32 | scalars[i]) }
            return set
        }
    }

    private static func jaccard(_ x: Set<UInt64>, _ y: Set<UInt64>, _ equal: Bool) -> Double {
        if x.isEmpty || y.isEmpty { return equal ? 1 : 0 }
        let (small, large) = x.count <= y.count ? (x, y) : (y, x)
        var common = 0
        for b in small where large.contains(b) { common += 1 }
        return Double(common) / Double(x.count + y.count - common)
    }

    /// Greedy one-to-one matching of the best pairs with similarity ≥ threshold.
    private static func similarityPass(olds: [Int], news: [Int], oldItems: [Item], newItems: [Item],
                                       link: (Int, Int) -> Void) {
        guard !olds.isEmpty, !news.isEmpty else { return }
        struct Candidate { var sim: Double; var sameKey: Bool; var o: Int; var n: Int }
        var candidates: [Candidate] = []
        func consider(_ o: Int, _ n: Int) {
            let a = oldItems[o], b = newItems[n]
            // Jaccard ≥ t requires the smaller set to be at least t × the larger one.
            let (c1, c2) = (a.bigrams.count, b.bigrams.count)
            if c1 > 0, c2 > 0, Double(min(c1, c2)) < similarityThreshold * Double(max(c1, c2)) { return }
            let sim = jaccard(a.bigrams, b.bigrams, a.normalized == b.normalized)
            if sim >= similarityThreshold {
                candidates.append(Candidate(sim: sim, sameKey: a.keyString == b.keyString, o: o, n: n))
            }
        }

        if olds.count * news.count <= 20_000 {
            for n in news { for o in olds { consider(o, n) } }
        } else {
            // Inverted index over bigrams that are not too common; score candidates by shared bigrams.
            var postings: [UInt64: [Int]] = [:]
            for o in olds { for b in oldItems[o].bigrams { postings[b, default: []].append(o) } }
            let maxPostings = max(32, olds.count / 50)
            var byKey: [String: [Int]] = [:]
            for o in olds { byKey[oldItems[o].keyString, default: []].append(o) }
            for n in news {
                var shared: [Int: Int] = [:]
                for b in newItems[n].bigrams {
                    guard let list = postings[b], list.count <= maxPostings else { continue }
                    for o in list { shared[o, default: 0] += 1 }
                }
                var best = shared.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(8).map(\.key)
                best.append(contentsOf: byKey[newItems[n].keyString] ?? [])
                for o in Set(best) { consider(o, n) }
            }
        }

        candidates.sort {
            if $0.sim != $1.sim { return $0.sim > $1.sim }
            if $0.sameKey != $1.sameKey { return $0.sameKey }
            return ($0.n, $0.o) < ($1.n, $1.o)
        }
        var usedOld = Set<Int>(), usedNew = Set<Int>()
        for c in candidates where !usedOld.contains(c.o) && !usedNew.contains(c.n) {
            usedOld.insert(c.o)
            usedNew.insert(c.n)
            link(c.o, c.n)
        }
    }

    private static func changedFields(_ a: PlanTaskSnapshot, _ b: PlanTaskSnapshot, _ ai: Item, _ bi: Item) -> [String] {
        var fields: [String] = []
        if Item.normalize(a.title) != Item.normalize(b.title) { fields.append("任务名称") }
        if ai.normalized != bi.normalized { fields.append("任务内容") }
        if !sameUnits(a.leadUnits, b.leadUnits) { fields.append("牵头单位") }
        if !sameUnits(a.coUnits, b.coUnits) { fields.append("配合单位") }
        if a.deadline != b.deadline { fields.append("完成时限") }
        return fields
    }

    /// Unit lists compare as sets, ignoring order, blanks and surrounding whitespace.
    private static func sameUnits(_ a: [String], _ b: [String]) -> Bool {
        func clean(_ l: [String]) -> Set<String> {
            Set(l.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty })
        }
        return clean(a) == clean(b)
    }
}
