/// Chinese numerals as written in documents: 三十六, 一百二十, 一千二百六十, 二〇二三, and the financial forms 壹贰叁.
public enum ChineseNumerals {
    /// Value of a digit character (0–9), nil otherwise.
    public static func digit(_ c: Unicode.Scalar) -> Int? {
        switch c {
        case "零", "〇": return 0
        case "一", "壹": return 1
        case "二", "两", "贰": return 2
        case "三", "叁": return 3
        case "四", "肆": return 4
        case "五", "伍": return 5
        case "六", "陆": return 6
        case "七", "柒": return 7
        case "八", "捌": return 8
        case "九", "玖": return 9
        default: return nil
        }
    }

    /// The multiplier a unit character stands for (十 10, 百 100, 千 1000), nil otherwise.
    static func unit(_ c: Unicode.Scalar) -> Int? {
        switch c {
        case "十", "拾": return 10
        case "百", "佰": return 100
        case "千", "仟": return 1000
        default: return nil
        }
    }

    public static func isNumeralCharacter(_ c: Unicode.Scalar) -> Bool { digit(c) != nil || unit(c) != nil }

    /// Parses a numeral (up to 9999) occupying the whole of `s`; nil for anything else.
    public static func value<S: Collection<Unicode.Scalar>>(_ s: S) -> Int? {
        if s.isEmpty || s.count > 8 { return nil }
        var total = 0
        var current = -1
        for c in s {
            if let d = digit(c) {
                current = current >= 0 ? current * 10 + d : d // "二〇二三"-style digit strings
            } else if let u = unit(c) {
                total += (current < 0 ? 1 : current) * u
                current = -1
            } else {
                return nil
            }
        }
        if current > 0 { total += current }
        return total
    }

    /// Parses Arabic digits (up to 9, full-width too) or a Chinese numeral occupying the whole of `s`: 36, ３６, 三十六.
    public static func number<S: Collection<Unicode.Scalar>>(_ s: S) -> Int? {
        guard !s.isEmpty else { return nil }
        if s.allSatisfy({ $0.properties.numericType == .decimal }) {
            guard s.count <= 9 else { return nil }
            return s.reduce(0) { $0 * 10 + Int($1.properties.numericValue ?? 0) }
        }
        return value(s)
    }

    /// Writes `n` (1…9999) the way articles are numbered: 十, 十二, 三十六, 一百零五, 一百一十, 一千二百六十.
    public static func text(_ n: Int) -> String {
        let d = Array("零一二三四五六七八九")
        guard n > 0, n < 10000 else { return String(n) }
        if n < 10 { return String(d[n]) }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : String(d[n % 10])) }
        if n < 100 { return String(d[n / 10]) + "十" + (n % 10 == 0 ? "" : String(d[n % 10])) }
        let (head, rest, unit, next) = n < 1000 ? (n / 100, n % 100, "百", 10) : (n / 1000, n % 1000, "千", 100)
        var s = String(d[head]) + unit
        if rest == 0 { return s }
        if rest < next { s += "零" }
        s += rest >= 10 && rest < 20 ? "一" + text(rest) : text(rest)
        return s
    }
}
