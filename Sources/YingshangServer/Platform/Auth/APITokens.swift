import Crypto
import Fluent
import Vapor

/// API tokens: `ys_` + 40 random characters, stored as SHA-256, looked up by hash.
enum APITokens {
    static let prefix = "ys_"

    static func generate() -> String {
        prefix + Data([UInt8].random(count: 30)).base64URLEncodedString()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hex
    }

    /// The active user a token belongs to, or `nil` for an unknown or revoked token.
    static func user(forToken token: String, on db: any Database) async throws -> User? {
        guard token.hasPrefix(prefix), token.count < 100 else { return nil }
        // One query (a join, not an eager load): this runs on every API request.
        guard let record = try await APIToken.query(on: db).join(User.self, on: \APIToken.$user.$id == \User.$id)
            .filter(\.$tokenHash == hash(token)).filter(\.$revokedAt == nil).first() else { return nil }
        let user = try record.joined(User.self)
        guard user.isActive else { return nil }
        if (record.lastUsedAt ?? .distantPast) < Date().addingTimeInterval(-60) { await touch(record, on: db) }
        return user
    }

    /// Records when a token was last used (to the minute). Best effort: under load the write can lose a race with
    /// the intake writer (a busy SQLite file), and a request must never fail for its bookkeeping; the next request
    /// a minute later tries again. One conditional statement, so the requests that all saw a stale time at once
    /// write it once.
    private static func touch(_ record: APIToken, on db: any Database) async {
        guard let id = record.id else { return }
        let now = Date()
        do {
            try await APIToken.query(on: db).set(\.$lastUsedAt, to: now).filter(\.$id == id)
                .group(.or) { $0.filter(\.$lastUsedAt == nil).filter(\.$lastUsedAt < now.addingTimeInterval(-60)) }
                .update()
        } catch {
            db.logger.debug("API token last use not recorded: \(String(reflecting: error))")
        }
    }
}

extension Digest {
    /// Lower-case hexadecimal (on the hot path of every token check and audit entry: no `String(format:)`).
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
