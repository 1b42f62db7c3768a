/// Cuts a snippet around the query's matches in a unit's text and marks them. Made once per query: the query's
/// phrases are split into atoms once, and each text is read once into atoms and once for the snippet's window.
struct Highlighter: Sendable {
    var width = 120
    /// The query's words; a word of the text that is not here matches nothing.
    private let vocabulary: Vocabulary
    /// Each piece of each phrase (see `SearchRun.runs`) as atom ids.
    private let needles: [[UInt32]]

    init(phrases: [String]) {
        let vocabulary = Vocabulary()
        needles = phrases.flatMap(SearchRun.runs).map { run in Atomizer.atoms(run) { vocabulary.add($0) }.map(\.id) }.filter { !$0.isEmpty }
        self.vocabulary = vocabulary
    }

    func snippet(_ text: String) -> [SnippetPart] {
        let atoms = Atomizer.atoms(text) { vocabulary.find($0) }
        // Matches as ranges of unicode scalars.
        var matches: [Range<Int>] = []
        for needle in needles where needle.count <= atoms.count {
            for start in 0...(atoms.count - needle.count) where atoms[start].id == needle[0] {
                var ok = true
                for k in 1..<needle.count where atoms[start + k].id != needle[k] || !atoms[start + k].joinsPrevious { ok = false; break }
                if ok { matches.append(atoms[start].start..<atoms[start + needle.count - 1].end) }
            }
        }
        let count = text.utf8.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        let first = matches.map(\.lowerBound).min() ?? 0
        let start = max(0, min(first - 20, count - width))
        let end = min(count, start + width)
        // The window's UTF-8 (line breaks as spaces) and where each of its scalars starts in it.
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var offset = 0
        for scalar in text.unicodeScalars {
            if offset >= end { break }
            if offset >= start {
                starts.append(bytes.count)
                UTF8.encode(scalar == "\n" ? " " : scalar) { bytes.append($0) }
            }
            offset += 1
        }
        starts.append(bytes.count)
        var marked = [Bool](repeating: false, count: end - start)
        for match in matches where match.lowerBound < end && match.upperBound > start {
            for k in max(match.lowerBound, start)..<min(match.upperBound, end) { marked[k - start] = true }
        }
        var parts: [SnippetPart] = []
        var i = 0
        while i < marked.count {
            var j = i + 1
            while j < marked.count, marked[j] == marked[i] { j += 1 }
            parts.append(SnippetPart(text: String(decoding: bytes[starts[i]..<starts[j]], as: UTF8.self), highlighted: marked[i]))
            i = j
        }
        if start > 0, !parts.isEmpty { parts[0].text = "…" + parts[0].text }
        if end < count, !parts.isEmpty { parts[parts.count - 1].text += "…" }
        return parts
    }
}
