// Appeals at scale (issue 5): with 10 million appeals in the database, the handling list with filters, the public
// query page and a year's statistics dashboard, timed over HTTP (p50/p95/p99), with the query plans they rely on.
// Run from the repository root after `swift build -c release`:
//
//   .build/release/yingshang-appeal-scale --database sqlite --data /tmp/yingshang-scale
//   .build/release/yingshang-appeal-scale --database postgres --postgres-url postgres://postgres@127.0.0.1:5432/postgres
//
// Options: --appeals 10000000, --requests 100 (per page kind), --port 18290, --schema yingshang_scale (PostgreSQL).
// The appeals are generated once (about 20 minutes per database here) and kept: a second run with the same
// --data or --schema measures again without regenerating.
import AsyncHTTPClient
import BenchSupport
import Foundation
import NIOPosix
import PostgresNIO

struct Options {
    let server, database, postgresURL, schema, data: String
    let appeals, requests, port: Int

    init(_ arguments: FlagArguments) throws {
        server = arguments.string("--server", default: ".build/release/yingshang")
        database = arguments.string("--database", default: "sqlite")
        postgresURL = arguments.string("--postgres-url", default: "postgres://postgres@127.0.0.1:5432/postgres")
        schema = arguments.string("--schema", default: "yingshang_scale")
        data = arguments.string("--data", default: "/tmp/yingshang-scale")
        appeals = try arguments.int("--appeals", default: 10_000_000)
        requests = try arguments.int("--requests", default: 100)
        port = try arguments.int("--port", default: 18290)
    }
}

let options = try Options(FlagArguments(CommandLine.arguments.dropFirst(), known: [
    "--server", "--database", "--postgres-url", "--schema", "--data", "--appeals", "--requests", "--port",
]))
let server: ServerProcess
let openDatabase: () async throws -> any ScaleDatabase
switch options.database {
case "sqlite":
    try FileManager.default.createDirectory(atPath: options.data, withIntermediateDirectories: true)
    let path = "\(options.data)/yingshang.sqlite"
    server = ServerProcess(binary: options.server, databaseURL: "sqlite://\(path)", schema: nil, port: options.port)
    openDatabase = { try await SQLiteScaleDatabase.open(path: path) }
case "postgres":
    let configuration = try PostgresURL.configuration(options.postgresURL)
    let admin = try await PostgresScaleDatabase.open(configuration, schema: "public")
    try await admin.execute("CREATE SCHEMA IF NOT EXISTS \(options.schema)")
    server = ServerProcess(binary: options.server, databaseURL: options.postgresURL, schema: options.schema, port: options.port)
    openDatabase = { try await PostgresScaleDatabase.open(configuration, schema: options.schema) }
default:
    throw LoadError("--database is sqlite or postgres")
}

func log(_ text: String) { print(text); fflush(nil) }

// 1. The demo installation (units, categories, users), then the appeals, unless an earlier run left them.
try server.start(["serve", "--demo"])
try await server.waitUntilHealthy()
server.stop()
let database = try await openDatabase()
let existing = Int(try await database.rows("SELECT CAST(COUNT(*) AS TEXT) FROM appeals")[0][0]) ?? 0
var lastDay = try await database.rows("SELECT MAX(received_on) FROM appeals")[0][0]
if existing < options.appeals {
    let categories = try await database.rows("SELECT CAST(id AS TEXT) FROM appeal_categories ORDER BY position").map { $0[0] }
    let units = try await database.rows("SELECT CAST(id AS TEXT) FROM org_units ORDER BY code").map { $0[0] }
    let caseJSON = try await database.rows("SELECT case_json FROM appeals WHERE state = 'closed' LIMIT 1")[0][0]
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
    let first = formatter.date(from: "2021-01-01")!
    let last = Date().addingTimeInterval(-86_400)
    lastDay = formatter.string(from: last)
    let days = Int(last.timeIntervalSince(first) / 86_400)
    log("generating \(options.appeals) appeals over \(days + 1) days (2021-01-01 … \(lastDay)), \(categories.count) categories, \(units.count) units")
    let started = ContinuousClock.now
    try await Generator(database: database, count: options.appeals, lastDay: lastDay, days: days, categoryIDs: categories,
                        unitIDs: units, caseJSON: caseJSON).run { done in
        log("  \(done) appeals written (\(format((ContinuousClock.now - started).seconds)) s)")
    }
    try await database.execute("INSERT INTO appeal_stats_dirty (day) SELECT DISTINCT received_on FROM appeals WHERE true ON CONFLICT (day) DO NOTHING")
    try await database.execute(database.dialect == .sqlite ? "ANALYZE" : "ANALYZE")
}
let total = try await database.rows("SELECT CAST(COUNT(*) AS TEXT) FROM appeals")[0][0]
log("appeals in the database: \(total)")

// 2. The server, an administrator's token, and one dashboard view that brings the kept statistics up to date.
try server.start()
try await server.waitUntilHealthy()
let token = try server.command(["tokens", "create", "--user", "admin", "--name", "scale-benchmark"])
    .split(separator: "\n").last.map(String.init) ?? ""
let client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
let timer = PageTimer(client: client, port: options.port, token: token)
let year = Int(lastDay.prefix(4))! - 1
let refreshStarted = ContinuousClock.now
_ = try await timer.time("/appeals/analysis?from=\(year)-01-01&to=\(year)-12-31", timeout: .minutes(30))
log("first dashboard view (statistics computed for every day): \(format((ContinuousClock.now - refreshStarted).seconds, 1)) s")

// 3. The timings.
/// Appeals to look up: spread over the whole period, found through the receipt-day index.
var lookups: [(String, String)] = []
let dayFormatter = DateFormatter()
dayFormatter.dateFormat = "yyyy-MM-dd"
dayFormatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
let firstDay = dayFormatter.date(from: "2021-01-01")!
for i in 0..<(options.requests + 5) {
    let day = dayFormatter.string(from: firstDay.addingTimeInterval(Double((i * 13) % 2000) * 86_400))
    let row = try await database.rows("""
        SELECT number, contact_phone FROM appeals WHERE received_on = '\(day)' AND contact_phone IS NOT NULL LIMIT 1 OFFSET \(i % 10)
        """)
    if let found = row.first { lookups.append((found[0], found[1])) }
}
guard lookups.count > options.requests else { throw LoadError("too few appeals to look up") }
let filters = ["", "state=signed", "state=closed&type=complaint", "type=report", "state=dispatched&offset=200",
               "state=answered&type=help", "q=\(lookups[0].0)"]
let timings = [
    try await timer.measure("handling list (7 filter combinations)", count: options.requests) { "/appeals?\(filters[$0 % filters.count])" },
    try await timer.measure("public query page (number + phone)", count: options.requests) {
        "/appeal/query?number=\(lookups[$0 % lookups.count].0)&credential=\(lookups[$0 % lookups.count].1)"
    },
    try await timer.measure("statistics dashboard, calendar year \(year)", count: options.requests) { _ in
        "/appeals/analysis?from=\(year)-01-01&to=\(year)-12-31"
    },
    try await timer.measure("statistics dashboard, last 365 days (default)", count: options.requests) { _ in "/appeals/analysis" },
]
log("\n| page (\(options.database), \(total) appeals) | requests | p50 ms | p95 ms | p99 ms |")
log("|---|---|---|---|---|")
for timing in timings {
    log("| \(timing.name) | \(timing.milliseconds.count) | \(format(timing.p50, 1)) | \(format(timing.p95, 1)) | \(format(timing.p99, 1)) |")
}
try await client.shutdown().get()
server.stop()

// 4. The plans of the statements those pages run (the same SQL the server sends, with literal values).
let explain = database.dialect == .sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
let statements = [
    ("handling list, state and type filter, newest first",
     "SELECT * FROM appeals WHERE state = 'closed' AND type = 'complaint' ORDER BY received_on DESC, sequence DESC LIMIT 50"),
    ("handling list, its count (stops 10,000 beyond the page)",
     "SELECT COUNT(*) AS n FROM (SELECT 1 FROM appeals WHERE state = 'closed' AND type = 'complaint' LIMIT 10051) AS matches"),
    ("handling list, unfiltered", "SELECT * FROM appeals ORDER BY received_on DESC, sequence DESC LIMIT 50"),
    ("query page", "SELECT * FROM appeals WHERE number = '\(lookups[0].0)' LIMIT 1"),
    ("dashboard, whole months of kept statistics (a calendar year)", """
        SELECT month, dimension, key, received, dispatched, signed_on_time, closed, resolved, rated, satisfied
        FROM appeal_stats_monthly WHERE month >= '\(year)-01' AND month <= '\(year)-12'
        """),
    ("dashboard, the days of a month cut by the range (the last 365 days end in the current month)", """
        SELECT substr(day, 1, 7) AS month, dimension, key, CAST(SUM(received) AS BIGINT), CAST(SUM(dispatched) AS BIGINT),
               CAST(SUM(signed_on_time) AS BIGINT), CAST(SUM(closed) AS BIGINT), CAST(SUM(resolved) AS BIGINT),
               CAST(SUM(rated) AS BIGINT), CAST(SUM(satisfied) AS BIGINT)
        FROM appeal_stats WHERE day >= '\(lastDay.prefix(7))-01' AND day <= '\(lastDay)' GROUP BY substr(day, 1, 7), dimension, key
        """),
]
for (name, sql) in statements {
    log("\n-- \(name)\n\(sql)")
    for row in try await database.rows(explain + sql) { log("   " + (database.dialect == .sqlite ? row[3] : row[0])) }
}
