// The bulk matcher on synthetic enterprises × rules drawn from the built-in policies with varied thresholds: full
// match time, single-enterprise rematch latency, matcher memory per enterprise. It also writes the same columns and
// rules for the peers (Benchmarks/Eligibility/peers.py: numpy and SQLite), and each rule's eligible count and a hash
// of its eligible rows so the three result sets can be compared.
import BenchSupport
import Foundation
import YingshangCore

let flags = try FlagArguments(CommandLine.arguments.dropFirst(),
                              known: ["--enterprises", "--rules", "--rounds", "--rematches", "--out", "--threads", "--seed"])
let enterpriseCount = try flags.int("--enterprises", default: 1_000_000)
let ruleCount = try flags.int("--rules", default: 500)
let rounds = try flags.int("--rounds", default: 5)
let rematches = try flags.int("--rematches", default: 2_000)
let threads = try flags.int("--threads", default: ProcessInfo.processInfo.activeProcessorCount)
let seed = UInt64(try flags.int("--seed", default: 2024))
let out = flags.optional("--out").map { URL(fileURLWithPath: $0) }
let asOf = CivilDate(year: 2024, month: 6, day: 30)!
let clock = ContinuousClock()

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
func percentile(_ values: [Double], _ p: Double) -> Double { values.sorted()[min(values.count - 1, Int(Double(values.count) * p))] }
func peakRSSKilobytes() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

/// The rules: each built-in rule in force on the date, then copies with every threshold scaled by a factor drawn
/// from a short list of round multipliers (local policies reuse the national thresholds or round variants of them).
func benchmarkRules(count: Int) throws -> [RuleExpression] {
    let base = try BuiltInPolicies.all.compactMap { try $0.rule(on: asOf) }
    let factors = [0.5, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0]
    var random = seed
    func nextFactor() -> Double {
        random = random &* 6364136223846793005 &+ 1442695040888963407
        return factors[Int(random >> 33) % factors.count]
    }
    func vary(_ rule: RuleExpression) -> RuleExpression {
        switch rule {
        case .all(let parts): return .all(parts.map(vary))
        case .any(let parts): return .any(parts.map(vary))
        case .not(let inner): return .not(vary(inner))
        case .condition(let condition):
            guard case .compare(let field, let op, .number(let value)) = condition.test, value > 0 else { return rule }
            let scaled = (value * nextFactor()).rounded()
            return .condition(RuleCondition(test: .compare(field, op, .number(scaled)), text: condition.text))
        }
    }
    return (0..<count).map { index in index < base.count ? base[index] : vary(base[index % base.count]) }
}

print("generating \(enterpriseCount) enterprises …")
var generator = SyntheticEnterprises(seed: seed)
var facts: [EnterpriseFacts] = []
facts.reserveCapacity(enterpriseCount)
for _ in 0..<enterpriseCount { facts.append(generator.next().facts) }
var columns = EnterpriseColumns()
let loadTime = clock.measure {
    columns.reserve(enterpriseCount)
    for row in facts { columns.append(row) }
}
let rules = try benchmarkRules(count: ruleCount)
var compiled: CompiledRules!
let compileTime = clock.measure { compiled = CompiledRules(rules, asOf: asOf) }
print("columns built in \(Int(milliseconds(loadTime))) ms; \(ruleCount) rules → \(compiled.distinctConditionCount) distinct conditions")

if let out {
    try FileManager.default.createDirectory(at: out.appendingPathComponent("columns"), withIntermediateDirectories: true)
    var manifest: [[String: String]] = []
    for column in columns.exportedColumns() {
        try column.data.write(to: out.appendingPathComponent("columns/\(column.name).bin"))
        manifest.append(["name": column.name, "type": column.type])
    }
    var exported = compiled.exported()
    exported["rows"] = enterpriseCount
    exported["columns"] = manifest
    try JSONSerialization.data(withJSONObject: exported, options: [.sortedKeys]).write(to: out.appendingPathComponent("rules.json"))
}

// Full match.
// One untimed round first, as the peers do: the result words' pages are faulted in once.
var full = ColumnarMatcher.matchAll(compiled, over: columns, threads: threads)
var fullTimes: [Double] = []
for _ in 0..<rounds {
    fullTimes.append(milliseconds(clock.measure { full = ColumnarMatcher.matchAll(compiled, over: columns, threads: threads) }))
}
var singleThread: [Double] = []
for _ in 0..<max(1, rounds / 2) {
    singleThread.append(milliseconds(clock.measure { _ = ColumnarMatcher.matchAll(compiled, over: columns, threads: 1) }))
}
print("full match: median \(median(fullTimes)) ms (\(threads) threads), \(median(singleThread)) ms on one thread")

// Single-enterprise rematch: an enterprise's facts change, its row is rewritten and matched against every rule.
var rematchTimes: [Double] = []
var pick = SplitMix64(seed: seed)
for _ in 0..<rematches {
    let row = pick.int(enterpriseCount)
    var changed = facts[row]
    changed[.employees] = .number((changed[.employees]?.number ?? 10) + 1)
    let before = ColumnarMatcher.truths(row: row, of: compiled, over: columns)
    var after: [Truth] = []
    let time = clock.measure {
        columns.set(row: row, changed)
        after = ColumnarMatcher.truths(row: row, of: compiled, over: columns)
        full.update(row: row, truths: after, previous: before)
    }
    rematchTimes.append(milliseconds(time) * 1000)
    // Put the enterprise back, so the result sets compared with the peers are those of the exported data.
    columns.set(row: row, facts[row])
    full.update(row: row, truths: before, previous: after)
}
print("rematch: median \(median(rematchTimes)) µs, p99 \(percentile(rematchTimes, 0.99)) µs")

// Memory held by the matcher: columns, results and the row → enterprise id map a server keeps (16-byte UUIDs).
let idBytes = enterpriseCount * 16
let matcherBytes = columns.byteCount + full.byteCount + idBytes
print("matcher memory: \(matcherBytes / enterpriseCount) bytes per enterprise (columns \(columns.byteCount / enterpriseCount), results \(full.byteCount / enterpriseCount), ids 16)")

/// FNV-1a over the eligible row numbers, so result sets can be compared without writing them out.
func hash(_ rows: [Int]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for row in rows {
        h ^= UInt64(row)
        h = h &* 0x100_0000_01b3
    }
    return String(h, radix: 16)
}
let perRule = (0..<ruleCount).map { rule in
    ["eligible": full.eligibleCount(rule: rule), "unknown": full.unknownCounts[rule], "hash": hash(full.eligible(rule: rule).rows)] as [String: Any]
}
let summary: [String: Any] = [
    "engine": "yingshang", "enterprises": enterpriseCount, "rules": ruleCount, "distinct_conditions": compiled.distinctConditionCount,
    "threads": threads, "full_match_ms_median": median(fullTimes), "full_match_ms_all": fullTimes,
    "full_match_single_thread_ms_median": median(singleThread), "column_build_ms": milliseconds(loadTime),
    "compile_ms": milliseconds(compileTime), "rematch_us_median": median(rematchTimes), "rematch_us_p99": percentile(rematchTimes, 0.99),
    "matcher_bytes_per_enterprise": Double(matcherBytes) / Double(enterpriseCount),
    "columns_bytes_per_enterprise": Double(columns.byteCount) / Double(enterpriseCount),
    "results_bytes_per_enterprise": Double(full.byteCount) / Double(enterpriseCount),
    "peak_rss_mib_including_generator": peakRSSKilobytes() / 1024, "per_rule": perRule,
]
if let out {
    try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .prettyPrinted])
        .write(to: out.appendingPathComponent("yingshang.json"))
}
