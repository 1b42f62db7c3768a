import Foundation
import Testing
@testable import YingshangCore

/// Search takes short ways — one-gram queries rank documents from summaries (`SearchRun.oneGramResults`), often from a
/// gram's leading documents alone, and a later term is read only in the documents the earlier ones left — that must
/// give exactly what the long way gives, on real documents where common characters fill the document summaries and
/// rare ones do not. (With the default page the leaders decide about 1,600 of these queries; with 38 per page a few
/// fall back to reading every record.)
@Suite("Search: the short ways give the general path's results")
struct SearchShortcutTests {
    static let documents: [SearchDocument] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Resources/Demo/policies")
        return PolicyCorpus.files(at: root.standardizedFileURL).prefix(160).compactMap { file in
            guard let draft = try? PolicyCorpus.read(file) else { return nil }
            return .policy(key: file.relativePath, title: draft.title, number: draft.number,
                           facets: SearchFacets(kind: draft.kind.rawValue, issuer: draft.issuer, issuedDay: draft.issuedOn?.dayNumber),
                           history: draft.history, preamble: draft.preamble, articles: draft.articles)
        }
    }()

    /// Grams in 40 units or more are summarised here (a full corpus summarises those in thousands).
    static let catalog = SearchCatalog(documents: documents, synonyms: SynonymTable(text: "发改委\t发展改革|发改\n审\t核准"),
                                       summaryMinimum: 40)

    /// Every character of the titles and every pair of adjacent characters, plus words and synonyms.
    static let queries: [String] = {
        var grams = Set<String>()
        for document in documents {
            let characters = Array(document.title)
            for (i, c) in characters.enumerated() {
                grams.insert(String(c))
                if i > 0 { grams.insert(String(characters[i - 1]) + String(c)) }
            }
        }
        return grams.sorted() + ["发改委", "审", "2019", "条例", "ＡＢ", "國務", "第", "的"]
    }()

    func render(_ results: SearchResults) -> [String] {
        ["total \(results.totalDocuments) suggestion \(results.suggestion ?? "-")"] + results.groups.flatMap { group in
            ["\(group.document.key) \(group.score.bitPattern)"] + group.hits.map { hit in
                "  \(hit.unit.anchor ?? "head") \(hit.score.bitPattern) \(hit.snippet.map { $0.highlighted ? "[\($0.text)]" : $0.text }.joined())"
            }
        }
    }

    func compare(_ catalog: SearchCatalog, _ options: SearchOptions) -> Int {
        var shortcuts = 0
        for text in Self.queries {
            let query = SearchQuery(text, synonyms: catalog.synonyms)
            let run = SearchRun(catalog: catalog, query: query, options: options)
            let scratch = catalog.scratch.take(units: run.unitCount, documents: run.documentCount)
            let short = run.oneGramResults(scratch)
            catalog.scratch.give(scratch)
            guard let short else { continue }
            shortcuts += 1
            let general = SearchRun(catalog: catalog, query: query, options: options, shortcuts: false).results()
            #expect(render(short) == render(general), "query \(text)")
        }
        return shortcuts
    }

    @Test("Same documents, scores, units and snippets, in every order and page, with filters")
    func sameResults() {
        #expect(Self.catalog.segments[0].summaries.byteSize > 0, "common characters are summarised")
        var paged = SearchOptions()
        paged.offset = 5
        paged.limit = 7
        paged.unitsPerDocument = 1
        var newest = SearchOptions()
        newest.order = .newest
        // A page reaching the last of a gram's leading documents: their scores often cannot rule out the others.
        var long = SearchOptions()
        long.limit = 38
        for options in [SearchOptions(), paged, newest, long] {
            #expect(compare(Self.catalog, options) > Self.queries.count / 2, "most of these queries take the short way")
        }
        var filtered = SearchOptions()
        let kinds = Dictionary(grouping: Self.documents, by: \.facets.kind)
        filtered.kinds = [kinds.max { $0.value.count < $1.value.count }!.key]
        #expect(compare(Self.catalog, filtered) > Self.queries.count / 5)
    }

    @Test("Phrases alone and several terms: the one-term path and reading later terms only where the earlier ones are change nothing")
    func severalTerms() {
        // Pieces of 2 to 4 characters of every title.
        let words = Self.documents.flatMap { document in
            let characters = Array(document.title)
            return stride(from: 0, to: max(0, characters.count - 4), by: 3).map { i in String(characters[i..<(i + 2 + i % 3)]) }
        }
        let common = ["企业", "管理", "应当", "规定", "人民政府", "有关部门", "第", "法", "\"行政许可\""]
        var queries: [String] = []
        for (i, word) in Set(words).sorted().enumerated() {
            queries.append(word)
            queries.append(word + " " + common[i % common.count])
            queries.append(common[(i + 3) % common.count] + " " + word + " " + common[(i + 5) % common.count])
        }
        #expect(queries.count > 200)
        var matched = 0
        for text in queries {
            let query = SearchQuery(text, synonyms: Self.catalog.synonyms)
            let short = SearchRun(catalog: Self.catalog, query: query, options: SearchOptions()).results()
            let long = SearchRun(catalog: Self.catalog, query: query, options: SearchOptions(), shortcuts: false).results()
            #expect(render(short) == render(long), "query \(text)")
            if short.totalDocuments >= 3 { matched += 1 }
        }
        #expect(matched > queries.count / 4, "most of these queries match documents by their terms")
    }

    @Test("Broad queries matched by bounds: the page of every order and size is the general path's, the total near it")
    func boundedMatches() {
        // Titles' words beside common ones, so that most queries match many of the 160 documents; typed without
        // spaces, they rarely occur as written and take the relaxed pass.
        let common = ["企业", "管理", "应当", "规定", "人民政府", "有关部门", "法", "\"行政许可\"", "国务院", "发改委", "第三条"]
        let words = Set(Self.documents.flatMap { document in
            let characters = Array(document.title)
            return stride(from: 0, to: max(0, characters.count - 3), by: 4).map { String(characters[$0..<($0 + 2)]) }
        }).sorted()
        var strict: [String] = []
        for (i, a) in common.enumerated() {
            for b in common[(i + 1)...] { strict.append(a + " " + b) }
        }
        for (i, word) in words.enumerated() { strict.append(common[i % common.count] + " " + word + " " + common[(i + 4) % common.count]) }
        let relaxed = words.indices.map { i in words[i] + common[i % 6] + words[(i * 7 + 3) % words.count] }
        var paged = SearchOptions()
        paged.offset = 10
        paged.limit = 5
        var single = SearchOptions()
        single.limit = 1
        let bounds = SearchRun.BoundingThresholds(documents: 10, strictPostings: 0, relaxedPostings: 0, termDocuments: 0)
        /// How many of `queries` had their total estimated (the bounded way stopped early).
        func compare(_ queries: [String], _ options: SearchOptions) -> Int {
            var estimated = 0
            for text in queries {
                let query = SearchQuery(text, synonyms: Self.catalog.synonyms)
                let fast = SearchRun(catalog: Self.catalog, query: query, options: options, bounds: bounds).results()
                let general = SearchRun(catalog: Self.catalog, query: query, options: options, shortcuts: false).results()
                #expect(render(fast).dropFirst() == render(general).dropFirst(), "query \(text)")
                if fast.totalIsEstimate {
                    estimated += 1
                    // An estimate from the share of matching documents among those read: of the right size.
                    #expect(fast.totalDocuments >= fast.groups.count + options.offset)
                    #expect(fast.totalDocuments <= 3 * general.totalDocuments, "query \(text)")
                } else {
                    #expect(fast.totalDocuments == general.totalDocuments, "query \(text)")
                }
            }
            return estimated
        }
        for options in [SearchOptions(), paged, single] {
            #expect(compare(strict, options) > strict.count / 4, "many strict matches stop before the last candidate")
            #expect(compare(relaxed, options) > relaxed.count / 10, "and relaxed ones")
        }
    }

    @Test("Same results over a base and a recent-changes segment, with replaced and removed documents")
    func twoSegments() {
        var changed = Array(Self.documents.suffix(12))
        for i in changed.indices { changed[i].title += "（修订）" }
        let updated = Self.catalog.updating(changed, removing: [Self.documents[3].key, Self.documents[4].key])
        #expect(updated.segments.count == 2)
        #expect(compare(updated, SearchOptions()) > Self.queries.count / 2)
    }
}
