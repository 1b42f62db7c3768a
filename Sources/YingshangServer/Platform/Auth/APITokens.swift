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
        guard let record = try await APIToken.query(on: db)
            .filter(\.$tokenHash == hash(token)).filter(\.$revokedAt == nil)
            .with(\.$user).first(), record.user.isActive else { return nil }
        if (record.lastUsedAt ?? .distantPast) < Date().addingTimeInterval(-60) {
            record.lastUsedAt = Date()
            try await record.save(on: db)
        }
        return record.user
    }
}

extension Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
