import Foundation
import BenchSupport
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SQLiteNIO

/// The database's own rate of one-row durable commits: one writer inserting one row per transaction, on the same
/// storage and with the same durability settings as the server (SQLite WAL + synchronous=FULL; PostgreSQL defaults).
enum CommitReference {
    static let row = String(repeating: "诉", count: 100)

    static func sqlite(path: String, seconds: Double) async throws -> Double {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        defer { Task { try? await connection.close() } }
        _ = try await connection.query("PRAGMA journal_mode=WAL")
        _ = try await connection.query("PRAGMA synchronous=FULL")
        _ = try await connection.query("CREATE TABLE IF NOT EXISTS commit_reference (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        return try await measure(seconds: seconds) {
            _ = try await connection.query("INSERT INTO commit_reference (body) VALUES (?)", [.text(row)])
        }
    }

    /// `connections` writers at once (PostgreSQL flushes concurrent commits' WAL together; reported for context).
    static func postgres(_ configuration: PostgresConnection.Configuration, schema: String, connections: Int,
                         seconds: Double) async throws -> Double {
        let logger = Logger(label: "commit-reference")
        var opened: [PostgresConnection] = []
        for id in 0..<connections {
            let connection = try await PostgresConnection.open(configuration, id: id)
            try await connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \(schema)"), logger: logger)
            opened.append(connection)
        }
        defer { for connection in opened { Task { try? await connection.close() } } }
        try await opened[0].query("CREATE TABLE IF NOT EXISTS commit_reference (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)",
                                  logger: logger)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for connection in opened {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        try await connection.query("INSERT INTO commit_reference (body) VALUES (\(row))", logger: logger)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(counts) / (ContinuousClock.now - started).seconds
    }

    /// How many appeals the server's SQLite file holds.
    static func sqliteCount(path: String) async throws -> Int {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        defer { Task { try? await connection.close() } }
        return try await connection.query("SELECT count(*) AS n FROM appeals").first?.column("n")?.integer ?? -1
    }

    static func postgresCount(_ configuration: PostgresConnection.Configuration, schema: String) async throws -> Int {
        let logger = Logger(label: "commit-reference")
        let connection = try await PostgresConnection.open(configuration, id: 0)
        defer { Task { try? await connection.close() } }
        for try await count in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(schema).appeals"), logger: logger)
            .decode(Int.self) { return count }
        return -1
    }

    private static func measure(seconds: Double, _ commit: () async throws -> Void) async throws -> Double {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        var count = 0
        while ContinuousClock.now < deadline {
            try await commit()
            count += 1
        }
        return Double(count) / (ContinuousClock.now - started).seconds
    }
}
