import Foundation

/// Login throttling rules (登录限制): after `maxFailures` failed attempts within `window`,
/// the account (and, separately, the client address) is locked for `lockDuration`.
public struct LoginThrottlePolicy: Sendable {
    public var maxFailures: Int
    public var window: TimeInterval
    public var lockDuration: TimeInterval

    public init(maxFailures: Int = 5, window: TimeInterval = 15 * 60, lockDuration: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
        self.lockDuration = lockDuration
    }

    /// The moment the lock ends, or `nil` when not locked, given the times of recent failures
    /// (since the last success) for one account or one address.
    public func lockedUntil(failures: [Date], now: Date) -> Date? {
        let sorted = failures.sorted()
        guard sorted.count >= maxFailures else { return nil }
        // The lock starts at the failure that completed a run of `maxFailures` within `window`.
        for end in stride(from: sorted.count - 1, through: maxFailures - 1, by: -1) {
            let start = sorted[end - maxFailures + 1]
            if sorted[end].timeIntervalSince(start) <= window {
                let until = sorted[end].addingTimeInterval(lockDuration)
                return until > now ? until : nil
            }
        }
        return nil
    }

    /// How far back failures matter.
    public var lookback: TimeInterval { window + lockDuration }

    /// The message shown on a locked login, in Chinese, with the minutes left.
    public static func lockedMessage(until: Date, now: Date) -> String {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return "登录失败次数过多，已暂时锁定，请 \(minutes) 分钟后再试。"
    }
}
