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
        // Chinese quotation marks count as quotes.
        let folded = String(String.UnicodeScalarView(TextFolding.fold(input).unicodeScalars.map {
            "“”「」".unicodeScalars.contains($0) ? "\"" : $0
        }))
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

    /// Whitespace-separated pieces, quoted runs kept whole.
    private static func pieces(_ text: String) -> [(String, Bool)] {
        var result: [(String, Bool)] = []
        var current = ""
        var quoted = false
        func flush() {
            var trimmed = Substring(current)
            while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
            while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
            if !trimmed.isEmpty { result.append((String(trimmed), quoted)) }
            current = ""
        }
        for c in text {
            if c == "\"" { flush(); quoted.toggle() } else if !quoted && (c == " " || c == "\t") { flush() } else { current.append(c) }
        }
        flush()
        return result
    }
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
