// Intake benchmark (issue 5): appeals per second and latency over HTTP with 64 concurrent clients, next to the
// database's own rate of one-row durable commits measured in the same run. Run from the repository root:
//
//   swift run -c release yingshang-intake-load --server .build/release/yingshang --database sqlite
//   swift run -c release yingshang-intake-load --server .build/release/yingshang --database postgres \
//       --postgres-url postgres://postgres@127.0.0.1:5432/postgres
//
// Options: --clients 64, --rounds 3, --seconds 10 (measured per round), --warm-up 3, --reference-seconds 5,
// --port 18280, --ceiling-seconds 5. Each round measures the reference, then the ceiling (the same clients asking
// `GET /healthz`, the server's cheapest request: no work but one `SELECT 1`), then the intake; the summary gives
// medians over rounds.
import AsyncHTTPClient
import BenchSupport
import Foundation
import PostgresNIO

struct Options {
    let server, database, postgresURL: String
    let clients, rounds, port: Int
    let seconds, warmUp, referenceSeconds, ceilingSeconds: Double

    init(_ arguments: FlagArguments) throws {
        server = arguments.string("--server", default: ".build/release/yingshang")
        database = arguments.string("--database", default: "sqlite")
        postgresURL = arguments.string("--postgres-url", default: "postgres://postgres@127.0.0.1:5432/postgres")
        clients = try arguments.int("--clients", default: 64)
        rounds = try arguments.int("--rounds", default: 3)
        port = try arguments.int("--port", default: 18280)
        seconds = try arguments.double("--seconds", default: 10)
        warmUp = try arguments.double("--warm-up", default: 3)
        referenceSeconds = try arguments.double("--reference-seconds", default: 5)
        ceilingSeconds = try arguments.double("--ceiling-seconds", default: 5)
    }
}

let options = try Options(FlagArguments(CommandLine.arguments.dropFirst(), known: [
    "--server", "--database", "--postgres-url", "--clients", "--rounds", "--port", "--seconds", "--warm-up", "--reference-seconds",
    "--ceiling-seconds",
]))
let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("yingshang-intake-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
let schema = "intake_bench_\(ProcessInfo.processInfo.processIdentifier)"

let server: ServerProcess
let reference: () async throws -> (sequential: Double, concurrent: Double?)
let countStored: () async throws -> Int
switch options.database {
case "sqlite":
    server = ServerProcess(binary: options.server, databaseURL: "sqlite://\(workDirectory.path)/yingshang.sqlite",
                           schema: nil, port: options.port)
    let referencePath = workDirectory.appendingPathComponent("reference.sqlite").path
    reference = { (try await CommitReference.sqlite(path: referencePath, seconds: options.referenceSeconds), nil) }
    countStored = { try await CommitReference.sqliteCount(path: "\(workDirectory.path)/yingshang.sqlite") }
case "postgres":
    let configuration = try PostgresURL.configuration(options.postgresURL)
    let logger = Logger(label: "intake-load")
    let admin = try await PostgresConnection.open(configuration, id: 0)
    try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger)
    try await admin.close().get()
    server = ServerProcess(binary: options.server, databaseURL: options.postgresURL, schema: schema, port: options.port)
    reference = {
        (try await CommitReference.postgres(configuration, schema: schema, connections: 1, seconds: options.referenceSeconds),
         try await CommitReference.postgres(configuration, schema: schema, connections: options.clients, seconds: options.referenceSeconds))
    }
    countStored = { try await CommitReference.postgresCount(configuration, schema: schema) }
default:
    throw LoadError("--database is sqlite or postgres")
}

// First start creates the schema and the administrator; the clients use an administrator's API token.
try server.start()
try await server.waitUntilHealthy()
let token = try server.command(["tokens", "create", "--user", "admin", "--name", "intake-benchmark"])
    .split(separator: "\n").last.map(String.init) ?? ""

var configuration = HTTPClient.Configuration()
configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: options.clients)
let http = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup(numberOfThreads: 1)), configuration: configuration)
let load = IntakeLoad(port: options.port, token: token, clients: options.clients)

print("database: \(options.database), clients: \(options.clients), rounds: \(options.rounds), measured \(format(options.seconds))s per round after \(format(options.warmUp))s warm-up")
print("| round | one-row commits/s | GET /healthz/s (ceiling) | intake appeals/s | ratio | p50 ms | p99 ms | failed |")
print("|---|---|---|---|---|---|---|---|")
var rows: [(reference: Double, ceiling: Double, rate: Double, p50: Double, p99: Double)] = []
var concurrentReferences: [Double] = []
var acknowledged = 0
var failures: [String: Int] = [:]
for round in 1...options.rounds {
    let measured = try await reference()
    if let concurrent = measured.concurrent { concurrentReferences.append(concurrent) }
    let ceiling = await load.run(.health, client: http, warmUp: 1, seconds: options.ceilingSeconds, round: round)
    let result = await load.run(client: http, warmUp: options.warmUp, seconds: options.seconds, round: round)
    acknowledged += result.acknowledged
    failures.merge(result.failures, uniquingKeysWith: +)
    // A failed health check would lower the ceiling without saying so: listed with the intake's failures.
    for (reason, count) in ceiling.failures { failures["GET /healthz: \(reason)", default: 0] += count }
    rows.append((measured.sequential, ceiling.perSecond, result.perSecond, result.percentile(50), result.percentile(99)))
    print("| \(round) | \(format(measured.sequential)) | \(format(ceiling.perSecond)) | \(format(result.perSecond)) | \(format(result.perSecond / measured.sequential, 2))× | \(format(result.percentile(50), 1)) | \(format(result.percentile(99), 1)) | \(result.failed) |")
}
print("| **median** | **\(format(Sample.median(rows.map(\.reference))))** | **\(format(Sample.median(rows.map(\.ceiling))))** | **\(format(Sample.median(rows.map(\.rate))))** | **\(format(Sample.median(rows.map { $0.rate / $0.reference }), 2))×** | **\(format(Sample.median(rows.map(\.p50)), 1))** | **\(format(Sample.median(rows.map(\.p99)), 1))** | |")
if !concurrentReferences.isEmpty {
    print("PostgreSQL one-row commits/s from \(options.clients) connections at once (median): \(format(Sample.median(concurrentReferences)))")
}
for (reason, count) in failures.sorted(by: { $0.value > $1.value }) { print("not acknowledged: \(count) × \(reason)") }
try await http.shutdown().get()

// Every acknowledged appeal must be stored.
let stored = try await countStored()
print("acknowledged: \(acknowledged), stored: \(stored)")
server.stop()
if options.database == "postgres" {
    let configuration = try PostgresURL.configuration(options.postgresURL)
    let logger = Logger(label: "intake-load")
    let admin = try await PostgresConnection.open(configuration, id: 0)
    try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
    try await admin.close().get()
}
try? FileManager.default.removeItem(at: workDirectory)
if stored < acknowledged { print("LOST APPEALS"); exit(1) }
