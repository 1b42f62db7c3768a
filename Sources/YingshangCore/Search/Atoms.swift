/// Splits text into atoms, the units the index counts positions in: each Chinese (or other ideographic) character
/// is one atom, a run of Latin letters or digits is one atom (a word). Punctuation and spaces separate atoms and
/// are not atoms themselves, so no gram spans them. Text is folded first (see `TextFolding`).
///
/// The index stores every atom (unigram) and every pair of adjacent atoms (bigram) with its position, which
/// answers 1-character, 2-character and longer queries alike without a dictionary: a longer query is a chain of
/// bigrams at consecutive positions.
public struct Atom: Equatable, Sendable {
    /// A character's scalar value, or `wordBase + n` for the n-th distinct word of a vocabulary.
    public var id: UInt32
    /// The atom's place in the text's atom sequence.
    public var position: UInt32
    /// Whether the previous atom touches this one (no punctuation or space between): only then do they form a bigram.
    public var joinsPrevious: Bool
    /// Offsets in the text's unicode scalars, for snippets.
    public var start: Int
    public var end: Int

    public static let wordBase: UInt32 = 0x20_0000
    /// A word the vocabulary does not hold: it matches nothing.
    public static let unknownWord = UInt32.max
}

public enum AtomKind: Sendable { case ideograph, wordCharacter, separator }

public enum Atomizer {
    /// What a (folded) character is to the index; Basic Multilingual Plane characters from a table built once from
    /// `computedKind` (Chinese punctuation otherwise asks Unicode's properties every time).
    public static func kind(_ c: Unicode.Scalar) -> AtomKind {
        c.value < 0x1_0000 ? bmpKinds[Int(c.value)] : computedKind(c)
    }

    private static let bmpKinds: [AtomKind] = (0..<UInt32(0x1_0000)).map { v in Unicode.Scalar(v).map(computedKind) ?? .separator }

    static func computedKind(_ c: Unicode.Scalar) -> AtomKind {
        let v = c.value
        if (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x3FFFF).contains(v)
            || (0xF900...0xFAFF).contains(v) || v == 0x3007 || (0x3040...0x30FF).contains(v) || (0xAC00...0xD7AF).contains(v) {
            return .ideograph
        }
        if v < 0x80 {
            return (0x30...0x39).contains(v) || (0x61...0x7A).contains(v) || (0x41...0x5A).contains(v) ? .wordCharacter : .separator
        }
        return c.properties.isAlphabetic ? .wordCharacter : .separator
    }

    /// The atoms of `text`; `word` maps a folded word to its id (nil when the vocabulary does not know it).
    public static func atoms(_ text: String, word: (String) -> UInt32?) -> [Atom] {
        var atoms: [Atom] = []
        atoms.reserveCapacity(text.utf8.count / 3)
        var joined = false
        var wordStart = -1
        var wordText = String.UnicodeScalarView()
        var offset = 0
        func flushWord(end: Int) {
            guard wordStart >= 0 else { return }
            let id = word(String(wordText)) ?? Atom.unknownWord
            atoms.append(Atom(id: id, position: UInt32(atoms.count), joinsPrevious: joined, start: wordStart, end: end))
            joined = true
            wordStart = -1
            wordText = String.UnicodeScalarView()
        }
        for raw in text.unicodeScalars {
            let c = TextFolding.fold(raw)
            switch kind(c) {
            case .ideograph:
                flushWord(end: offset)
                atoms.append(Atom(id: c.value, position: UInt32(atoms.count), joinsPrevious: joined, start: offset, end: offset + 1))
                joined = true
            case .wordCharacter:
                if wordStart < 0 { wordStart = offset }
                wordText.append(c)
            case .separator:
                flushWord(end: offset)
                joined = false
            }
            offset += 1
        }
        flushWord(end: offset)
        return atoms
    }
}

/// Keys of the index's dictionary: an atom alone, or two adjacent atoms.
enum GramKey {
    static func unigram(_ a: UInt32) -> UInt64 { UInt64(a) }
    static func bigram(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }
    static func isBigram(_ key: UInt64) -> Bool { key >> 32 != 0 }
}
