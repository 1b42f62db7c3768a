import Testing
@testable import YingshangCore

/// A phrase is a chain of bigrams: its scarcest bigram's entries are the candidates, and each later bigram is read
/// only up to them — jumping by the list's skip entries, or through the document summaries to the candidates'
/// documents. Wherever those jumps land, the matches must be those a scan of the texts finds.
@Suite("Field index: phrase matches equal a scan of the texts")
struct FieldIndexPhraseTests {
    /// 3,000 texts of 4–40 characters: mostly three common characters, with two rare ones, so that common bigrams'
    /// lists have skip entries and phrases with a rare character have few candidates spread over them.
    static let texts: [[Character]] = {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % n
        }
        let common: [Character] = ["甲", "乙", "丙"], rare: [Character] = ["丁", "戊"]
        return (0..<3000).map { _ in
            (0..<(4 + next(37))).map { _ in next(40) == 0 ? rare[next(2)] : common[next(3)] }
        }
    }()

    /// Units of document d are `10 d ..< 10 (d + 1)`.
    static let unitStart = (0...300).map { Int32($0 * 10) }
    static let unitDocument = (0..<3000).map { Int32($0 / 10) }

    static let index = FieldIndex(count: texts.count) { Atomizer.atoms(String(texts[$0]), word: { _ in nil }) }

    /// Each text holding `phrase` and how often (overlapping occurrences), for every phrase of one to four
    /// characters the texts hold.
    static let occurrences: [String: [FieldIndex.Match]] = {
        var found: [String: [FieldIndex.Match]] = [:]
        for (entry, text) in texts.enumerated() {
            var counts: [String: UInt32] = [:]
            for length in 1...4 where text.count >= length {
                for start in 0...(text.count - length) { counts[String(text[start..<(start + length)]), default: 0] += 1 }
            }
            for (phrase, count) in counts { found[phrase, default: []].append(FieldIndex.Match(entry: Int32(entry), frequency: count)) }
        }
        return found
    }()

    func scan(_ phrase: [Character]) -> [FieldIndex.Match] { Self.occurrences[String(phrase)] ?? [] }

    /// Every phrase of one to four characters over the five: one gram alone (a character, two characters) is read
    /// as its postings, a longer phrase as a chain of bigrams.
    static let phrases: [[Character]] = {
        let alphabet: [Character] = ["甲", "乙", "丙", "丁", "戊"]
        var all = alphabet.map { [$0] }, longer = all
        for _ in 2...4 {
            longer = longer.flatMap { p in alphabet.map { p + [$0] } }
            all += longer
        }
        return all
    }()

    func render(_ matches: [FieldIndex.Match]) -> [String] { matches.map { "\($0.entry)×\($0.frequency)" } }

    @Test("from the lists' beginning, with skip entries in the common bigrams' lists")
    func skipEntries() {
        var rareCandidates = 0
        for phrase in Self.phrases {
            let atoms = phrase.map { $0.unicodeScalars.first!.value }
            let expected = scan(phrase)
            #expect(render(Self.index.matches(atoms)) == render(expected), "\(String(phrase))")
            if phrase.count > 2, phrase.contains("丁"), !expected.isEmpty { rareCandidates += 1 }
        }
        // Lists long enough for many skip entries, and rare phrases that do occur.
        #expect(Self.index.entryCount(Self.index.term(GramKey.bigram(0x7532, 0x4E59))!) > 20 * FieldIndex.skipInterval)
        #expect(rareCandidates > 20)
    }

    @Test("in every third document: through document summaries, or jumping by skip entries where there are none")
    func withinDocuments() {
        let within = stride(from: Int32(0), to: 300, by: 3).map { $0 }
        for minimumUnits in [64, Int.max] {
            let summaries = DocumentSummaries(of: Self.index, unitStart: Self.unitStart, unitDocument: Self.unitDocument,
                                              titles: [], minimumUnits: minimumUnits)
            let groups: FieldIndex.Groups = (summaries, Self.unitStart, Self.unitDocument)
            for phrase in Self.phrases {
                let atoms = phrase.map { $0.unicodeScalars.first!.value }
                let expected = scan(phrase)
                #expect(render(Self.index.matches(atoms, groups: groups)) == render(expected), "\(String(phrase))")
                let inThirds = expected.filter { Self.unitDocument[Int($0.entry)] % 3 == 0 }
                #expect(render(Self.index.matches(atoms, groups: groups, within: within)) == render(inThirds),
                        "\(String(phrase)) within, summaries from \(minimumUnits)")
            }
        }
    }
}
