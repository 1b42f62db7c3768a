import BenchSupport
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import SQLiteNIO

/// The benchmark's own connection to the server's database: to generate appeals in bulk and to show query plans.
protocol ScaleDatabase {
    var dialect: ScaleDialect { get }
    func execute(_ sql: String) async throws
    /// Every column of every row as text.
    func rows(_ sql: String) async throws -> [[String]]
}

enum ScaleDialect { case sqlite, postgres }

struct SQLiteScaleDatabase: ScaleDatabase {
    let connection: SQLiteConnection
    var dialect: ScaleDialect { .sqlite }

    static func open(path: String) async throws -> SQLiteScaleDatabase {
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        _ = try await connection.query("PRAGMA busy_timeout=60000")
        return SQLiteScaleDatabase(connection: connection)
    }

    func execute(_ sql: String) async throws { _ = try await connection.query(sql) }

    func rows(_ sql: String) async throws -> [[String]] {
        try await connection.query(sql).map { row in
            row.columns.map { column in
                switch column.data {
                case .text(let text): text
                case .integer(let value): String(value)
                case .float(let value): String(value)
                case .null: ""
                case .blob: "<blob>"
                }
            }
        }
    }
}

struct PostgresScaleDatabase: ScaleDatabase {
    let connection: PostgresConnection
    let logger = Logger(label: "appeal-scale")
    var dialect: ScaleDialect { .postgres }

    static func open(_ configuration: PostgresConnection.Configuration, schema: String) async throws -> PostgresScaleDatabase {
        let connection = try await PostgresConnection.open(configuration, id: 1)
        let database = PostgresScaleDatabase(connection: connection)
        try await database.execute("SET search_path TO \(schema)")
        return database
    }

    func execute(_ sql: String) async throws { try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) }

    /// Columns must be text (cast with `::text` where needed).
    func rows(_ sql: String) async throws -> [[String]] {
        var result: [[String]] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            result.append(try row.map { try $0.decode(String?.self) ?? "" })
        }
        return result
    }
}
