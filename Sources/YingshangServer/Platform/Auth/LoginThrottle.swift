import Fluent
import Vapor
import YingshangCore

/// Login throttling backed by the database, so several server processes share it.
struct LoginThrottle {
    let policy: LoginThrottlePolicy
    let db: any Database

    /// When either the account or the address is locked, the end of that lock.
    func lockedUntil(login: String, address: String, now: Date = Date()) async throws -> Date? {
        let byLogin = try await failures(\.$login, login.lowercased(), now: now)
        let byAddress = try await failures(\.$address, address, now: now)
        return [policy.lockedUntil(failures: byLogin, now: now), policy.lockedUntil(failures: byAddress, now: now)]
            .compactMap { $0 }.max()
    }

    func record(login: String, address: String, succeeded: Bool, now: Date = Date()) async throws {
        try await LoginAttempt(login: login.lowercased(), address: address, succeeded: succeeded, at: now).create(on: db)
    }

    /// Failures since the last success, within the policy's look-back period.
    private func failures(_ key: KeyPath<LoginAttempt, FieldProperty<LoginAttempt, String>>, _ value: String,
                          now: Date) async throws -> [Date] {
        let attempts = try await LoginAttempt.query(on: db)
            .filter(key == value)
            .filter(\.$attemptedAt >= now.addingTimeInterval(-policy.lookback))
            .sort(\.$attemptedAt, .descending)
            .limit(200)
            .all()
        return attempts.prefix(while: { !$0.succeeded }).map(\.attemptedAt)
    }

    /// Removes attempts nobody needs any more (called from the login handler now and then).
    func prune(now: Date = Date()) async throws {
        try await LoginAttempt.query(on: db).filter(\.$attemptedAt < now.addingTimeInterval(-policy.lookback * 4)).delete()
    }
}

extension Request {
    /// The client address; `X-Forwarded-For` counts only when the operator says a proxy is trusted.
    var clientAddress: String {
        if application.settings.trustProxy, let forwarded = headers.first(name: .xForwardedFor)?
            .split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !forwarded.isEmpty {
            return forwarded
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
