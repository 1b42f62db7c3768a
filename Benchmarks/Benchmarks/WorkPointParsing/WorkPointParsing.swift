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
private let units32000 = longUnitList(32_000)

// MARK: - Peers (trivial linear passes)

@inline(never)
private func countNewlines(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
}

@inline(never)
private func scalarArray(_ text: String) -> [Unicode.Scalar] {
    Array(text.unicodeScalars)
}

// MARK: - Per-iteration clocks (custom metrics)

/// Thread CPU time of the calling thread in nanoseconds (CLOCK_THREAD_CPUTIME_ID, ns resolution,
/// unlike the tick-based `cpuTotal` metric, which moves in 10 ms steps on this machine).
@inline(__always)
private func threadCPUNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

@inline(__always)
private func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

private let threadCPUMetric = BenchmarkMetric.custom("Thread CPU (μs)", polarity: .prefersSmaller, useScalingFactor: false)
private let wallMBpsMetric = BenchmarkMetric.custom("MB/s (wall)", polarity: .prefersLarger, useScalingFactor: false)
private let cpuMBpsMetric = BenchmarkMetric.custom("MB/s (thread CPU)", polarity: .prefersLarger, useScalingFactor: false)

/// Runs `body` once, recording thread CPU time and (for inputs of `bytes`) MB/s on wall and thread CPU time.
@inline(__always)
private func measured(_ benchmark: Benchmark, bytes: Int, _ body: () -> Void) {
    let w0 = monotonicNanoseconds()
    let c0 = threadCPUNanoseconds()
    body()
    let c1 = threadCPUNanoseconds()
    let w1 = monotonicNanoseconds()
    let wall = max(w1 - w0, 1)
    let cpu = max(c1 - c0, 1)
    benchmark.measurement(threadCPUMetric, Int(cpu / 1_000))
    // bytes / ns × 1000 = MB/s (MB = 10^6 bytes)
    benchmark.measurement(wallMBpsMetric, Int((Double(bytes) * 1_000 / Double(wall)).rounded()))
    benchmark.measurement(cpuMBpsMetric, Int((Double(bytes) * 1_000 / Double(cpu)).rounded()))
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    let baseMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .throughput, threadCPUMetric, wallMBpsMetric, cpuMBpsMetric]
    let allocMetrics: [BenchmarkMetric] = [.mallocCountTotal, .mallocBytesCount, .peakMemoryResident]

    func config(_ iterations: Int, seconds: Int) -> Benchmark.Configuration {
        .init(metrics: baseMetrics + allocMetrics,
              timeUnits: .microseconds,
              warmupIterations: 1,
              maxDuration: .seconds(seconds),
              maxIterations: iterations)
    }

    // Input sizes on stderr (stdout belongs to the benchmark tool), so RESULTS.md can turn medians into MB/s.
    FileHandle.standardError.write(Data("""
        WorkPointParsing inputs (UTF-8 bytes): seed=\(seedDocument.utf8.count) \
        1MB=\(input1MB.utf8.count) 10MB=\(input10MB.utf8.count) \
        units2000=\(units2000.utf8.count) units8000=\(units8000.utf8.count) \
        units32000=\(units32000.utf8.count)\n
        """.utf8))

    let parser = WorkPointParser()

    // Sanity (outside any measurement): the inputs really are parsed into items / units.
    let seedResult = parser.parse(seedDocument)
    let oneMBResult = parser.parse(input1MB)
    let unitsResult = parser.parse(units8000)
    FileHandle.standardError.write(Data("""
        WorkPointParsing sanity: seed documents=\(seedResult.documents.count) items=\(seedResult.allItems.count); \
        1MB documents=\(oneMBResult.documents.count) items=\(oneMBResult.allItems.count); \
        units8000 leadUnits=\(unitsResult.allItems.first?.leadUnits.count ?? -1)\n
        """.utf8))

    // Parser on the founding document repeated to ~1 MB and ~10 MB.
    Benchmark("parse seed×1MB", configuration: config(40, seconds: 15)) { benchmark in
        measured(benchmark, bytes: input1MB.utf8.count) { blackHole(parser.parse(input1MB)) }
    }
    Benchmark("parse seed×10MB", configuration: config(12, seconds: 40)) { benchmark in
        measured(benchmark, bytes: input10MB.utf8.count) { blackHole(parser.parse(input10MB)) }
    }

    // Peer in the same run: one trivial linear pass over the same 10 MB text.
    Benchmark("peer scan newlines 10MB", configuration: config(30, seconds: 10)) { benchmark in
        measured(benchmark, bytes: input10MB.utf8.count) { blackHole(countNewlines(input10MB)) }
    }
    Benchmark("peer Array(unicodeScalars) 10MB", configuration: config(30, seconds: 10)) { benchmark in
        measured(benchmark, bytes: input10MB.utf8.count) { blackHole(scalarArray(input10MB)) }
    }

    // Linearity on one item with a long unit list: 4× the units should take ~4× the time
    // (2000 → 8000 is the case the issue asks for; 32000 shows whether the ratio drifts upwards).
    Benchmark("parse units×2000", configuration: config(60, seconds: 10)) { benchmark in
        measured(benchmark, bytes: units2000.utf8.count) { blackHole(parser.parse(units2000)) }
    }
    Benchmark("parse units×8000", configuration: config(30, seconds: 15)) { benchmark in
        measured(benchmark, bytes: units8000.utf8.count) { blackHole(parser.parse(units8000)) }
    }
    Benchmark("parse units×32000", configuration: config(12, seconds: 15)) { benchmark in
        measured(benchmark, bytes: units32000.utf8.count) { blackHole(parser.parse(units32000)) }
    }
}
