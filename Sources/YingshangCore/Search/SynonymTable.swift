import Foundation

/// Abbreviations and the full names they stand for (发改委 → 发展和改革委员会), editable by the office.
/// A query term containing an abbreviation also matches the term with the abbreviation replaced.
public struct SynonymTable: Sendable, Equatable {
    public private(set) var entries: [String: [String]]
    /// The abbreviations by their first character, as scalar arrays (every query term is looked through; hashing a
    /// scalar costs a fraction of hashing a `Character`).
    private var keysByFirst: [Unicode.Scalar: [[Unicode.Scalar]]] = [:]

    public static let empty = SynonymTable(entries: [:])

    public init(entries: [String: [String]]) {
        var folded: [String: [String]] = [:]
        for (key, values) in entries {
            let k = TextFolding.fold(key)
            let v = values.map(TextFolding.fold).filter { !$0.isEmpty && $0 != k }
            if !k.isEmpty, !v.isEmpty { folded[k, default: []].append(contentsOf: v) }
        }
        self.entries = folded
        for key in folded.keys { keysByFirst[key.unicodeScalars.first!, default: []].append(Array(key.unicodeScalars)) }
    }

    /// Parses lines `简称<TAB>全称1|全称2` (also `=` or spaces between the two sides); `#` starts a comment.
    /// Lines that are neither are skipped (see `parse` to report them).
    public init(text: String) {
        var entries: [String: [String]] = [:]
        for (key, values) in Self.parse(text).entries { entries[key, default: []] += values }
        self.init(entries: entries)
    }

    /// The entries of a text in the format `init(text:)` reads, and the (1-based) numbers of the lines that are not
    /// in it. Any line break counts (a browser's CRLF too).
    public static func parse(_ text: String) -> (entries: [(String, [String])], badLines: [Int]) {
        var entries: [(String, [String])] = []
        var bad: [Int] = []
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func separates(_ c: Character) -> Bool { c == "\t" || c == "=" || c == " " }
            let parts = line.split(maxSplits: 1, whereSeparator: separates)
            // `简称 = 全称`: the separator run after the abbreviation is dropped whole.
            let values = parts.count == 2
                ? parts[1].drop(while: separates).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            if values.isEmpty { bad.append(n + 1) } else { entries.append((String(parts[0]), values)) }
        }
        return (entries, bad)
    }

    /// The table shipped with the platform (`Resources/search-synonyms.txt`).
    public static let standard: SynonymTable = {
        let url = Bundle.module.url(forResource: "search-synonyms", withExtension: "txt", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "search-synonyms", withExtension: "txt")
        guard let url, let text = try? String(contentsOf: url, encoding: .utf8) else { return .empty }
        return SynonymTable(text: text)
    }()

    /// The text form of the table, as `init(text:)` reads it.
    public var text: String {
        entries.keys.sorted().map { "\($0)\t\(entries[$0]!.joined(separator: "|"))" }.joined(separator: "\n")
    }

    /// `term` with each abbreviation it contains replaced by each full name (longest abbreviation first).
    public func expansions(of term: String) -> [String] {
        let scalars = Array(term.unicodeScalars)
        var found = Set<String>()
        for start in scalars.indices {
            for key in keysByFirst[scalars[start]] ?? [] where scalars[start...].starts(with: key) {
                found.insert(String(String.UnicodeScalarView(key)))
            }
        }
        var result: [String] = []
        for key in found.sorted(by: { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }) {
            for full in entries[key]! {
                let expanded = term.replacingOccurrences(of: key, with: full)
                if !result.contains(expanded) { result.append(expanded) }
            }
        }
        return result
    }

    public func merged(with other: SynonymTable) -> SynonymTable {
        var all = entries
        for (k, v) in other.entries { all[k, default: []] += v.filter { !(all[k] ?? []).contains($0) } }
        return SynonymTable(entries: all)
    }
}
