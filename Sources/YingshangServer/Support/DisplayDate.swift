import Foundation

/// Dates as Chinese users read them, in the platform's time zone (Asia/Shanghai unless `TZ` says otherwise).
enum DisplayDate {
    static let timeZone = TimeZone(identifier: ProcessInfo.processInfo.environment["YINGSHANG_TIMEZONE"] ?? "Asia/Shanghai") ?? .current

    static func minute(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: timeZone, from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func second(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: timeZone, from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
