import Foundation
import Vapor
import YingshangCore

/// Configuration read from the environment at start (see docs/operations.md).
struct Settings: Sendable {
    /// `DATABASE_URL`: `sqlite:///path/file.sqlite` (default `./data/yingshang.sqlite`) or `postgres://…`.
    var database: DatabaseLocation
    /// `YINGSHANG_DATA_DIR`: attachments and other files (default: the SQLite file's folder, or `./data`).
    var dataDirectory: String
    /// `YINGSHANG_MAX_BODY`: the largest request body accepted, e.g. `10mb`.
    var maxBodySize: ByteCount
    /// `YINGSHANG_SECURE_COOKIES=1` behind TLS: cookies get the `Secure` flag.
    var secureCookies: Bool
    /// `YINGSHANG_TRUSTED_PROXY=1`: take the client address from `X-Forwarded-For` (behind nginx).
    var trustProxy: Bool
    /// `YINGSHANG_PG_SCHEMA`: a PostgreSQL schema to use instead of `public` (tests use one per test).
    var postgresSchema: String?
    /// Whether `serve --demo` asked for demo data.
    var loadsDemoData: Bool

    static func fromEnvironment(demo: Bool = false) throws -> Settings {
        let database = try DatabaseLocation.parse(Environment.get("DATABASE_URL"))
        let defaultDataDirectory: String = switch database {
        case .sqlite(let path): URL(fileURLWithPath: path).deletingLastPathComponent().path
        case .postgres: "./data"
        }
        let flag = { (name: String) in ["1", "true", "yes"].contains(Environment.get(name)?.lowercased() ?? "") }
        return Settings(
            database: database,
            dataDirectory: Environment.get("YINGSHANG_DATA_DIR") ?? defaultDataDirectory,
            maxBodySize: ByteCount(stringLiteral: Environment.get("YINGSHANG_MAX_BODY") ?? "10mb"),
            secureCookies: flag("YINGSHANG_SECURE_COOKIES"),
            trustProxy: flag("YINGSHANG_TRUSTED_PROXY"),
            postgresSchema: Environment.get("YINGSHANG_PG_SCHEMA"),
            loadsDemoData: demo
        )
    }
}

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = Settings }

    var settings: Settings {
        get {
            guard let settings = storage[SettingsKey.self] else { fatalError("configure(_:settings:) was not called") }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }
}
