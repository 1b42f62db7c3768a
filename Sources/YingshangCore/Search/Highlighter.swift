/// Cuts a snippet around the query's matches in a unit's text and marks them.
struct Highlighter {
    let phrases: [String]
    var width = 120

    func snippet(_ text: String) -> [SnippetPart] {
        let scalars = Array(text.unicodeScalars)
        let vocabulary = Vocabulary()
        let add = { (word: String) -> UInt32? in vocabulary.add(word) }
        let atoms = Atomizer.atoms(text, word: add)
        var marked = [Bool](repeating: false, count: scalars.count)
        for phrase in phrases {
            for run in SearchRun.runs(phrase) {
                let needle = Atomizer.atoms(run, word: add).map(\.id)
                guard !needle.isEmpty, needle.count <= atoms.count else { continue }
                for start in 0...(atoms.count - needle.count) where atoms[start].id == needle[0] {
                    var ok = true
                    for k in 1..<needle.count where atoms[start + k].id != needle[k] || !atoms[start + k].joinsPrevious { ok = false; break }
                    if ok { for k in atoms[start].start..<atoms[start + needle.count - 1].end { marked[k] = true } }
                }
            }
        }
        let first = marked.firstIndex(of: true) ?? 0
        let start = max(0, min(first - 20, scalars.count - width))
        let end = min(scalars.count, start + width)
        var parts: [SnippetPart] = []
        var i = start
        while i < end {
            var j = i
            while j < end, marked[j] == marked[i] { j += 1 }
            let piece = String(String.UnicodeScalarView(scalars[i..<j].map { $0 == "\n" ? " " : $0 }))
            parts.append(SnippetPart(text: piece, highlighted: marked[i]))
            i = j
        }
        if start > 0, !parts.isEmpty { parts[0].text = "…" + parts[0].text }
        if end < scalars.count, !parts.isEmpty { parts[parts.count - 1].text += "…" }
        return parts
    }
}
