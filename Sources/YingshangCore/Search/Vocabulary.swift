/// The words (Latin letter and digit runs) of one index segment, numbered from `Atom.wordBase`.
final class Vocabulary: @unchecked Sendable {
    private var ids: [String: UInt32] = [:]

    /// The id of `word`, adding it when new (while building).
    func add(_ word: String) -> UInt32 {
        if let id = ids[word] { return id }
        let id = Atom.wordBase + UInt32(ids.count)
        ids[word] = id
        return id
    }

    /// The id of `word`, nil when the segment never saw it (while querying).
    func find(_ word: String) -> UInt32? { ids[word] }
}
