import Foundation

/// A query as a clerk types it: words separated by spaces, "quoted phrases", -exclusions, and optionally an
/// article reference (第三十六条 or 第36条) next to a document's name.
public struct SearchQuery: Sendable, Equatable {
    public struct Term: Sendable, Equatable {
        /// The text as typed (folded).
        public var text: String
        /// What else counts as this term: expansions from the synonym table (发改委 → 发展和改革委员会).
        public var alternatives: [String]
        public var quoted: Bool
    }

    public var terms: [Term]
    public var excluded: [String]
    /// The article asked for by number, with the terms naming its document.
    public var articleNumber: Int?

    public init(_ input: String, synonyms: SynonymTable = .empty) {
        terms = []
        excluded = []
        let folded = TextFolding.fold(input)
        for (piece, quoted) in Self.pieces(folded) {
            if !quoted, piece.hasPrefix("-") { // full-width － is folded to - already
                let rest = String(piece.dropFirst())
                if !rest.isEmpty { excluded.append(rest) }
                continue
            }
            var text = piece
            if !quoted, let (before, number) = ArticleReference.split(text) {
                articleNumber = number
                text = before
            }
            guard !text.isEmpty else { continue }
            terms.append(Term(text: text, alternatives: quoted ? [] : synonyms.expansions(of: text), quoted: quoted))
        }
    }

    /// Whitespace-separated pieces, quoted runs kept whole; Chinese quotation marks count as quotes.
    private static func pieces(_ text: String) -> [(String, Bool)] {
        let scalars = text.unicodeScalars
        var result: [(String, Bool)] = []
        var start = scalars.startIndex
        var quoted = false
        func flush(_ end: String.UnicodeScalarView.Index) {
            var low = start, high = end
            while low < high, scalars[low].properties.isWhitespace { low = scalars.index(after: low) }
            while high > low, scalars[scalars.index(before: high)].properties.isWhitespace { high = scalars.index(before: high) }
            if low < high { result.append((String(scalars[low..<high]), quoted)) }
        }
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            let next = scalars.index(after: i)
            if quotes.contains(c) {
                flush(i)
                quoted.toggle()
                start = next
            } else if !quoted && (c == " " || c == "\t") {
                flush(i)
                start = next
            }
            i = next
        }
        flush(scalars.endIndex)
        return result
    }

    private static let quotes: Set<Unicode.Scalar> = ["\"", "“", "”", "「", "」"]
}

/// 第三十六条 / 第36条 at the end of a query piece.
public enum ArticleReference {
    /// The text before the reference and the article number, when `text` ends with one.
    public static func split(_ text: String) -> (String, Int)? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.last == "条", let open = scalars.lastIndex(of: "第") else { return nil }
        let digits = scalars[(open + 1)..<(scalars.count - 1)]
        guard let number = ChineseNumerals.number(digits), number > 0 else { return nil }
        return (String(String.UnicodeScalarView(scalars[..<open])), number)
    }

    /// The label an article with this number carries: 第三十六条.
    public static func label(_ number: Int) -> String { "第" + ChineseNumerals.text(number) + "条" }
}
