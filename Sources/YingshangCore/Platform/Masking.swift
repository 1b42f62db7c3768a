import Foundation

/// Masks personal data for display in lists, exports and logs.
public enum PersonalDataMask {
    /// Mobile: `13812345678` → `138****5678` (a `+86`/`86` prefix is kept: `+86 138****5678`).
    /// Landline: area code and the last 2 digits kept: `010-12345678` → `010-******78`,
    /// `075588886666` → `0755******66`. Anything else: all but the last 2 digits masked.
    public static func phone(_ s: String) -> String {
        let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "" }
        var digits = trimmed.filter { $0.isASCII && $0.isNumber }
        var prefix = ""
        if trimmed.hasPrefix("+86") || (digits.count == 13 && digits.hasPrefix("86")) {
            if digits.hasPrefix("86") { digits.removeFirst(2) }
            prefix = trimmed.hasPrefix("+") ? "+86 " : "86 "
        }
        // Mobile numbers.
        if digits.count == 11, digits.hasPrefix("1") {
            return prefix + String(digits.prefix(3)) + "****" + String(digits.suffix(4))
        }
        // Landlines with area code: explicit separator, or a leading 0.
        let separators: Set<Character> = ["-", " ", "(", ")", "（", "）"]
        if digits.hasPrefix("0") {
            let area: String
            if let sep = trimmed.firstIndex(where: { separators.contains($0) }), trimmed[..<sep].allSatisfy({ $0.isASCII && $0.isNumber }),
               !trimmed[..<sep].isEmpty {
                area = String(trimmed[..<sep])
            } else if trimmed.hasPrefix("("), let close = trimmed.firstIndex(of: ")") {
                area = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            } else {
                // 010, 02x are 3-digit area codes; others are 4 digits.
                area = String(digits.prefix(digits.hasPrefix("01") || digits.hasPrefix("02") ? 3 : 4))
            }
            let local = digits.dropFirst(area.count)
            if local.count > 2 {
                let separator = trimmed.count > digits.count ? "-" : ""
                return prefix + area + separator + String(repeating: "*", count: local.count - 2) + String(local.suffix(2))
            }
        }
        return prefix + maskAllButLast(digits.isEmpty ? trimmed : digits, keep: 2)
    }

    /// `张三` → `张*`, `欧阳娜娜` → `欧***`: first character kept, each other character masked.
    /// A single character is masked entirely.
    public static func name(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = t.first else { return "" }
        if t.count == 1 { return "*" }
        return String(first) + String(repeating: "*", count: t.count - 1)
    }

    /// `zhangsan@example.com` → `z***@example.com` (first character of the local part kept,
    /// fixed three asterisks so the length is not revealed; the domain stays visible).
    public static func email(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty else { return "" }
        guard let at = t.lastIndex(of: "@"), at != t.startIndex else {
            return String(t.prefix(1)) + "***"
        }
        return String(t[t.startIndex]) + "***" + String(t[at...])
    }

    /// 18-digit resident ID: first 6 + `********` + last 4 (`340000199001011234` → `340000********1234`).
    /// 15-digit (old) ID: first 6 + `*****` + last 4. Other values: all but the last 4 characters masked
    /// (everything when 4 or fewer).
    public static func idNumber(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        guard !t.isEmpty else { return "" }
        if t.count == 18 || t.count == 15 {
            return String(t.prefix(6)) + String(repeating: "*", count: t.count - 10) + String(t.suffix(4))
        }
        if t.count <= 4 { return String(repeating: "*", count: t.count) }
        return maskAllButLast(t, keep: 4)
    }

    private static func maskAllButLast(_ s: String, keep: Int) -> String {
        guard s.count > keep else { return String(repeating: "*", count: s.count) }
        return String(repeating: "*", count: s.count - keep) + String(s.suffix(keep))
    }
}
