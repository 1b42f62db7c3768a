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
        if (record.lastUsedAt ?? .distantPast) < Date().addingTimeInterval(-60) {
            record.lastUsedAt = Date()
            try await record.save(on: db)
        }
        return user
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
