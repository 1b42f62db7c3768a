import Foundation

/// Where the platform keeps its data, parsed from `DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable {
    /// An SQLite file (the embedded default).
    case sqlite(path: String)
    /// A PostgreSQL server (production), as the URL given.
    case postgres(url: String)

    public static let defaultSQLitePath = "./data/yingshang.sqlite"

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case unsupportedScheme(String)
        case missingPath

        public var description: String {
            switch self {
            case .unsupportedScheme(let s): "DATABASE_URL 的协议“\(s)”不受支持：请使用 sqlite:///路径/文件.sqlite 或 postgres://…"
            case .missingPath: "DATABASE_URL 缺少 SQLite 文件路径，例如 sqlite:///var/lib/yingshang/yingshang.sqlite"
            }
        }
    }

    /// Parses `sqlite:///abs/path.sqlite`, `sqlite://./relative.sqlite`, `sqlite:relative.sqlite`,
    /// `postgres://…` and `postgresql://…`; `nil` or empty means the SQLite default.
    public static func parse(_ url: String?) throws -> DatabaseLocation {
        guard let url = url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
            return .sqlite(path: defaultSQLitePath)
        }
        guard let colon = url.firstIndex(of: ":") else { throw ParseError.unsupportedScheme(url) }
        let scheme = url[..<colon].lowercased()
        switch scheme {
        case "postgres", "postgresql":
            return .postgres(url: url)
        case "sqlite", "sqlite3":
            var rest = url[url.index(after: colon)...]
            if rest.hasPrefix("//") { rest = rest.dropFirst(2) }
            let path = String(rest.split(separator: "?", maxSplits: 1).first ?? "")
            guard !path.isEmpty else { throw ParseError.missingPath }
            return .sqlite(path: path.removingPercentEncoding ?? path)
        default:
            throw ParseError.unsupportedScheme(String(scheme))
        }
    }

    /// The kind shown on the "about" page.
    public var kindLabel: String {
        switch self {
        case .sqlite: "SQLite（内嵌）"
        case .postgres: "PostgreSQL"
        }
    }
}
