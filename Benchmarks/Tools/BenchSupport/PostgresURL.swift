import Foundation
import NIOPosix
import PostgresNIO

/// `postgres://user[:password]@host[:port]/database` as a PostgresNIO configuration (no TLS: the benchmarks run on
/// loopback).
public enum PostgresURL {
    public static func configuration(_ text: String) throws -> PostgresConnection.Configuration {
        guard let url = URL(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""), let host = url.host else {
            throw LoadError("not a postgres:// address: \(text)")
        }
        let database = url.path.split(separator: "/").first.map(String.init)
        return PostgresConnection.Configuration(host: host, port: url.port ?? 5432, username: url.user ?? "postgres",
                                                password: url.password, database: database, tls: .disable)
    }
}

extension PostgresConnection {
    /// A connection with `search_path` set to `schema` when one is given.
    public static func open(_ configuration: Configuration, schema: String? = nil, id: Int = 0) async throws -> PostgresConnection {
        let logger = Logger(label: "yingshang-benchmark")
        let connection = try await connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                                           id: id, logger: logger).get()
        if let schema { try await connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \(schema)"), logger: logger) }
        return connection
    }
}
