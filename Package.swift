// swift-tools-version:6.0
import PackageDescription

/// What the load-generating benchmark tools use: an HTTP client and direct connections to both databases.
let benchmarkToolDependencies: [Target.Dependency] = [
    "BenchSupport",
    .product(name: "AsyncHTTPClient", package: "async-http-client"),
    .product(name: "PostgresNIO", package: "postgres-nio"),
    .product(name: "SQLiteNIO", package: "sqlite-nio"),
]

let package = Package(
    name: "yingshang",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "yingshang", targets: ["yingshang"]),
        .library(name: "YingshangCore", targets: ["YingshangCore"]),
        .library(name: "YingshangServer", targets: ["YingshangServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        // Already in the graph through Vapor and Fluent; named here for the load-generating benchmark tools.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.0"),
    ],
    targets: [
        // A prefetch hint for the search's postings reads (see Sources/CPrefetch/include/CPrefetch.h).
        .target(name: "CPrefetch"),
        .target(
            name: "YingshangCore",
            dependencies: ["CPrefetch"],
            resources: [.copy("Resources")],
            // The core's number crunching (search index, eligibility matcher, scoring) is 10–20× slower unoptimised:
            // optimised even in debug builds, so `swift run yingshang serve --demo` and the tests run at real speed.
            // Release builds leave out the run-time exclusivity checks (a fifth of a phrase query's time went to them
            // in the search's postings loops); debug builds and the tests keep them.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug)),
                            .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "YingshangServer",
            dependencies: [
                "YingshangCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "yingshang",
            dependencies: ["YingshangServer"]
        ),
        // Benchmark tools that drive a running server over HTTP (see Benchmarks/RESULTS.md). They live here rather
        // than in the Benchmarks package because they need no dependency beyond the server's own, so a release
        // build of the server builds them in seconds.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Benchmarks/Tools/BenchSupport"
        ),
        .executableTarget(name: "yingshang-intake-load", dependencies: benchmarkToolDependencies, path: "Benchmarks/Tools/IntakeLoad"),
        .executableTarget(name: "yingshang-appeal-scale", dependencies: benchmarkToolDependencies, path: "Benchmarks/Tools/AppealScale"),
        .executableTarget(name: "yingshang-search-bench", dependencies: ["BenchSupport", "YingshangCore"], path: "Benchmarks/Tools/SearchBench"),
        .executableTarget(name: "yingshang-eligibility-bench", dependencies: ["BenchSupport", "YingshangCore"], path: "Benchmarks/Tools/EligibilityBench"),
        .executableTarget(name: "yingshang-evaluation-bench", dependencies: benchmarkToolDependencies + ["YingshangCore"], path: "Benchmarks/Tools/EvaluationBench"),
        .testTarget(
            name: "YingshangCoreTests",
            dependencies: ["YingshangCore"]
        ),
        .testTarget(
            name: "YingshangServerTests",
            dependencies: [
                "YingshangServer",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
