// Work-point parser (工作要点解析) benchmarks — issue 3.
//
// Goal from the issue: parsing throughput in MB/s on the founding document
// (Tests/Fixtures/workpoints/00-seed-2023-yingshang-gongzuo-yaodian-huibian.txt, 40 KB)
// repeated to 10 MB; ≥ 20 MB/s on one core; linear in size (no quadratic path on long
// documents or long unit lists).
//
// MB here means 10^6 bytes of UTF-8 input. MB/s = input bytes / median wall (or CPU) time;
// the input size of each case is printed once at start-up so the figures can be recomputed.
//
// Peer measured in the same run: one trivial linear pass over the same text
// (counting newlines over `unicodeScalars`, and materialising `Array(text.unicodeScalars)`),
// so the parser's cost can be stated as a multiple of a plain scan on the same machine, same run.

import Benchmark
import Foundation
import YingshangCore

// MARK: - Inputs

/// Benchmarks/Benchmarks/WorkPointParsing/WorkPointParsing.swift → repository root.
private let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent() // WorkPointParsing
    .deletingLastPathComponent() // Benchmarks (sources)
    .deletingLastPathComponent() // Benchmarks (package)
    .deletingLastPathComponent() // repository root

private let seedDocument: String = {
    let url = repositoryRoot.appendingPathComponent(
        "Tests/Fixtures/workpoints/00-seed-2023-yingshang-gongzuo-yaodian-huibian.txt")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        fatalError("fixture not found: \(url.path)")
    }
    return text
}()

/// The founding document repeated (whole copies, separated by a blank line) until it reaches `bytes` of UTF-8.
private func repeatedSeed(toAtLeast bytes: Int) -> String {
    let copy = seedDocument + "\n\n"
    let n = max(1, (bytes + copy.utf8.count - 1) / copy.utf8.count)
    return String(repeating: copy, count: n)
}

/// One item with an `n`-unit lead list and the same `n` names as co units (deduplicated by the parser),
/// as in WorkPointRobustnessTests.pathologicalInputsAreFastAndLinear.
private func longUnitList(_ n: Int) -> String {
    let units = (0..<n).map { "自治区第\($0)厅" }.joined(separator: "、")
    return "一、任务\n（一）测试。（牵头单位：" + units + "；配合单位：" + units + "）"
}

private let input1MB = repeatedSeed(toAtLeast: 1_000_000)
private let input10MB = repeatedSeed(toAtLeast: 10_000_000)
private let units2000 = longUnitList(2_000)
private let units8000 = longUnitList(8_000)

// MARK: - Peers (trivial linear passes)

@inline(never)
private func countNewlines(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
}

@inline(never)
private func scalarArray(_ text: String) -> [Unicode.Scalar] {
    Array(text.unicodeScalars)
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    let timeMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .throughput]
    let allocMetrics: [BenchmarkMetric] = [.mallocCountTotal, .mallocBytesCount, .peakMemoryResident]

    func config(_ iterations: Int, seconds: Int, alloc: Bool = true) -> Benchmark.Configuration {
        .init(metrics: timeMetrics + (alloc ? allocMetrics : []),
              timeUnits: .milliseconds,
              warmupIterations: 1,
              maxDuration: .seconds(seconds),
              maxIterations: iterations)
    }

    // Input sizes on stderr (stdout belongs to the benchmark tool), so RESULTS.md can turn medians into MB/s.
    FileHandle.standardError.write(Data("""
        WorkPointParsing inputs (UTF-8 bytes): seed=\(seedDocument.utf8.count) \
        1MB=\(input1MB.utf8.count) 10MB=\(input10MB.utf8.count) \
        units2000=\(units2000.utf8.count) units8000=\(units8000.utf8.count)\n
        """.utf8))

    let parser = WorkPointParser()

    // Parser on the founding document repeated.
    Benchmark("parse seed×1MB", configuration: config(40, seconds: 15)) { benchmark in
        blackHole(parser.parse(input1MB))
    }
    Benchmark("parse seed×10MB", configuration: config(10, seconds: 40)) { benchmark in
        blackHole(parser.parse(input10MB))
    }

    // Peer: one trivial linear pass over the same 10 MB text.
    Benchmark("peer scan newlines 10MB", configuration: config(30, seconds: 10)) { benchmark in
        blackHole(countNewlines(input10MB))
    }
    Benchmark("peer Array(unicodeScalars) 10MB", configuration: config(30, seconds: 10)) { benchmark in
        blackHole(scalarArray(input10MB))
    }

    // Linearity on a long unit list: 4× the units should take ~4× the time.
    Benchmark("parse units×2000", configuration: config(60, seconds: 10)) { benchmark in
        blackHole(parser.parse(units2000))
    }
    Benchmark("parse units×8000", configuration: config(30, seconds: 15)) { benchmark in
        blackHole(parser.parse(units8000))
    }
}
