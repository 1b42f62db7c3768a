// Builds the platform's search index over a corpus folder and measures it the way Benchmarks/Search/peers.py
// measures tantivy and SQLite FTS5: build time, peak memory, index size, query latency per query class, and the
// ranked hits of the labelled queries (scored by Benchmarks/Search/score.py, the same code that scores the peers).
import BenchSupport
import Foundation
import YingshangCore

let flags = try FlagArguments(CommandLine.arguments.dropFirst(),
                              known: ["--corpus", "--latency", "--labelled", "--out", "--summary", "--limit-docs", "--rounds", "--per-query", "--snippet-pass"])
let corpus = URL(fileURLWithPath: flags.string("--corpus", default: "../shared/corpus/laws"))
let limitDocuments = try flags.int("--limit-docs", default: 0)
let rounds = try flags.int("--rounds", default: 3)

/// A `/proc/self/status` figure in kB: VmHWM is the peak resident size, VmRSS the current one.
func statusKilobytes(_ field: String) -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}
func peakRSSKilobytes() -> Int { statusKilobytes("VmHWM") }
func currentRSSKilobytes() -> Int { statusKilobytes("VmRSS") }

// Read and parse the corpus as the index asks for each document, so that it is never in memory twice; the time
// spent reading and parsing is counted apart from indexing (the peers' figures exclude their reading too).
let rssAtStart = currentRSSKilobytes()
let clock = ContinuousClock()
var files = PolicyCorpus.files(at: corpus)
if limitDocuments > 0 { files = Array(files.prefix(limitDocuments)) }
var rawBytes = 0
var documentCount = 0
var failures: [String] = []
var readTime = Duration.zero
let documents = files.lazy.compactMap { file -> SearchDocument? in
    let started = clock.now
    defer { readTime += clock.now - started }
    rawBytes += (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
    do {
        let draft = try PolicyCorpus.read(file)
        documentCount += 1
        return .policy(key: file.relativePath, title: draft.title, number: draft.number,
                       facets: SearchFacets(kind: draft.kind.rawValue, issuer: draft.issuer, issuedDay: draft.issuedOn?.dayNumber),
                       history: draft.history, preamble: draft.preamble, articles: draft.articles)
    } catch {
        failures.append("\(file.relativePath): \(error)")
        return nil
    }
}
var catalog: SearchCatalog!
let buildTime = clock.measure { catalog = SearchCatalog(documents: documents) } - readTime
print("documents \(documentCount) (\(failures.count) unreadable), units \(catalog.unitCount), raw \(rawBytes / 1_000_000) MB")
print("read+parse \(format(readTime.seconds, 2)) s, index build \(format(buildTime.seconds, 2)) s, "
      + "index \(format(Double(catalog.indexBytes) / 1e6, 1)) MB, unit texts \(format(Double(catalog.textBytes) / 1e6, 1)) MB, "
      + "RSS at start \(rssAtStart / 1000) MB, after building \(format(Double(currentRSSKilobytes()) / 1e3, 0)) MB, "
      + "peak RSS \(format(Double(peakRSSKilobytes()) / 1e3, 0)) MB")
for failure in failures.prefix(10) { print("  unreadable: \(failure)") }

struct LatencyQuery: Decodable { var query: String; var `class`: String }
struct LabelledQuery: Decodable { var query: String }

var report: [String: Any] = [
    "engine": "yingshang", "documents": documentCount, "units": catalog.unitCount, "raw_bytes": rawBytes,
    "read_seconds": readTime.seconds, "build_seconds": buildTime.seconds, "index_bytes": catalog.indexBytes,
    "text_bytes": catalog.textBytes,
]

if let path = flags.optional("--latency") {
    let queries = try JSONDecoder().decode([LatencyQuery].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    for q in queries { _ = catalog.search(q.query) } // warm-up pass
    /// Per query class, p50 and p99 of `rounds` passes; `work` runs one query. Each query's median goes to `perQuery`
    /// when given (JSON lines, as peers.py --per-query writes them).
    func measure(_ label: String, perQuery: String? = nil, _ work: (String) -> Void) throws -> [String: [String: Double]] {
        var samples: [String: [Double]] = [:]
        var byQuery = [[Double]](repeating: [], count: queries.count)
        for _ in 0..<rounds {
            for (i, q) in queries.enumerated() {
                let elapsed = clock.measure { work(q.query) }
                samples[q.class, default: []].append(elapsed.seconds * 1000)
                byQuery[i].append(elapsed.seconds * 1000)
            }
        }
        if let perQuery {
            let lines = try zip(queries, byQuery).map { q, values in
                let line: [String: Any] = ["query": q.query, "class": q.class, "median_ms": Sample.percentile(values, 50)]
                return String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self)
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: perQuery, atomically: true, encoding: .utf8)
        }
        samples["all"] = samples.values.flatMap { $0 }
        var latency: [String: [String: Double]] = [:]
        for (name, values) in samples.sorted(by: { $0.key < $1.key }) {
            latency[name] = ["p50_ms": Sample.percentile(values, 50), "p99_ms": Sample.percentile(values, 99), "n": Double(values.count)]
            print("\(label) \(name): p50 \(format(Sample.percentile(values, 50), 3)) ms, p99 \(format(Sample.percentile(values, 99), 3)) ms (\(values.count))")
        }
        return latency
    }
    // What the peers are timed for: the ranked hits with their document and article.
    report["latency"] = try measure("latency", perQuery: flags.optional("--per-query")) { query in
        for hit in catalog.search(query).rankedUnits.prefix(10) { _ = (hit.documentKey, hit.unit.label) }
    }
    // What the search page shows besides: a highlighted snippet for every hit of the first page (30 units).
    // (--snippet-pass 0 leaves this pass out, to profile the search alone.)
    if try flags.int("--snippet-pass", default: 1) != 0 { report["latency_with_snippets"] = try measure("with snippets") { query in
        for hit in catalog.search(query).rankedUnits { _ = hit.snippet }
    } }
}

if let path = flags.optional("--labelled") {
    let queries = try JSONDecoder().decode([LabelledQuery].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    var lines: [String] = []
    for q in queries {
        let results = catalog.search(q.query)
        let hits = results.rankedUnits.prefix(10).map { hit -> [String: Any] in
            ["doc": hit.documentKey, "article": hit.unit.label.map { $0 as Any } ?? NSNull()]
        }
        let line: [String: Any] = ["query": q.query, "hits": hits, "suggestion": results.suggestion.map { $0 as Any } ?? NSNull()]
        lines.append(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
    }
    let out = flags.string("--out", default: "/tmp/yingshang-search-hits.jsonl")
    try (lines.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
    print("labelled hits written to \(out)")
}
report["peak_rss_bytes"] = peakRSSKilobytes() * 1024
let summary = String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self)
print("summary \(summary)")
if let path = flags.optional("--summary") { try summary.write(toFile: path, atomically: true, encoding: .utf8) }
