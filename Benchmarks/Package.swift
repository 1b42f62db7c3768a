// swift-tools-version:6.1
// Benchmarks for Yingshang (营商), kept in a separate package so that the main package and CI
// never build ordo-one/benchmark. Run from this directory:
//   swift package --allow-writing-to-package-directory benchmark
// See README.md and RESULTS.md.
import PackageDescription

// The root package is referenced by path, so its package identity is the name of the folder that
// holds it (e.g. "main" for /work/main, "yingshang" for a clone named yingshang). Derive it instead
// of hard-coding it, so the benchmarks build in any checkout.
let rootIdentity: String = {
    let parent = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "main"
    return parent.lowercased()
}()

let package = Package(
    name: "yingshang-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        // Only the MallocInterposer trait: the default traits also enable RuntimeInterposer, which pulls in
        // ordo-one/swift-runtime-interposer on Linux with Swift 6.3 (not available from the package mirror).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "WorkPointParsing",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "YingshangCore", package: rootIdentity),
            ],
            path: "Benchmarks/WorkPointParsing",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
