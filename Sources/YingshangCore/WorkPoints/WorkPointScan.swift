import Foundation

/// Low-level scalar helpers shared by the work-point parser. Everything works on `[Unicode.Scalar]`
/// with hand-written scanning (no regular expressions) so that parsing stays linear.
enum WorkPointScan {
    typealias Scalars = [Unicode.Scalar]

    static func scalars(_ s: String) -> Scalars { Array(s.unicodeScalars) }

    /// Fast scalar → String conversion (manual UTF-8 encoding).
    static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        if s.isEmpty { return "" }
        return String(unsafeUninitializedCapacity: s.count * 4) { buf in
            var n = 0
            for c in s {
                let v = c.value
                if v < 0x80 {
                    buf[n] = UInt8(v); n += 1
                } else if v < 0x800 {
                    buf[n] = UInt8(0xC0 | (v >> 6)); buf[n + 1] = UInt8(0x80 | (v & 0x3F)); n += 2
                } else if v < 0x10000 {
                    buf[n] = UInt8(0xE0 | (v >> 12)); buf[n + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    buf[n + 2] = UInt8(0x80 | (v & 0x3F)); n += 3
                } else {
                    buf[n] = UInt8(0xF0 | (v >> 18)); buf[n + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                    buf[n + 2] = UInt8(0x80 | ((v >> 6) & 0x3F)); buf[n + 3] = UInt8(0x80 | (v & 0x3F)); n += 4
                }
            }
            return n
        }
    }

    @inline(__always) static func string(_ s: [Unicode.Scalar]) -> String { string(s[...]) }

    /// Compares a scalar slice with a literal without allocating.
    static func equals(_ s: ArraySlice<Unicode.Scalar>, _ p: [Unicode.Scalar]) -> Bool {
        s.count == p.count && has(s, p, at: s.startIndex)
    }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
    @inline(__always) static func digitValue(_ c: Unicode.Scalar) -> Int { Int(c.value) - 0x30 }
    @inline(__always) static func isCJK(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x4E00 && c.value <= 0x9FFF) || (c.value >= 0x3400 && c.value <= 0x4DBF)
    }
    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.value == 0x20 || c.value == 0x09 || c.value == 0x3000 || c.value == 0xA0 || c.value == 0x0B || c.value == 0x0C
            || (c.value >= 0x2000 && c.value <= 0x200A) || c.value == 0x202F || c.value == 0x205F
    }
    @inline(__always) static func isLetterOrDigit(_ c: Unicode.Scalar) -> Bool {
        isCJK(c) || isDigit(c) || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    // Frequently used scalars (full-width forms after normalisation).
    static let lParen: Unicode.Scalar = "（"
    static let rParen: Unicode.Scalar = "）"
    static let lTortoise: Unicode.Scalar = "〔"
    static let rTortoise: Unicode.Scalar = "〕"
    static let lLenticular: Unicode.Scalar = "【"
    static let rLenticular: Unicode.Scalar = "】"
    static let lSquare: Unicode.Scalar = "["
    static let rSquare: Unicode.Scalar = "]"
    static let lSquareFW: Unicode.Scalar = "［"
    static let rSquareFW: Unicode.Scalar = "］"
    static let lBook: Unicode.Scalar = "《"
    static let rBook: Unicode.Scalar = "》"
    static let lQuote: Unicode.Scalar = "“"
    static let rQuote: Unicode.Scalar = "”"
    static let colon: Unicode.Scalar = "："
    static let semicolon: Unicode.Scalar = "；"
    static let comma: Unicode.Scalar = "，"
    static let dunhao: Unicode.Scalar = "、"
    static let period: Unicode.Scalar = "。"

    static func isOpenBracket(_ c: Unicode.Scalar) -> Bool {
        c == lParen || c == lTortoise || c == lLenticular || c == lSquare || c == lSquareFW || c == lBook
    }
    static func isCloseBracket(_ c: Unicode.Scalar) -> Bool {
        c == rParen || c == rTortoise || c == rLenticular || c == rSquare || c == rSquareFW || c == rBook
    }
    static func closing(for c: Unicode.Scalar) -> Unicode.Scalar {
        switch c {
        case lParen: return rParen
        case lTortoise: return rTortoise
        case lLenticular: return rLenticular
        case lSquare: return rSquare
        case lSquareFW: return rSquareFW
        case lBook: return rBook
        default: return c
        }
    }

    /// Sentence / clause punctuation used when trimming.
    static func isPunct(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "。", "，", "；", "：", "、", "！", "？", ".", ",", ";", ":", "!", "?", " ", "\u{3000}", "）", "(", ")", "（":
            return true
        default:
            return isSpace(c)
        }
    }

    static func trimmed(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var lo = s.startIndex
        var hi = s.endIndex
        while lo < hi, isSpace(s[lo]) { lo += 1 }
        while hi > lo, isSpace(s[hi - 1]) { hi -= 1 }
        return s[lo..<hi]
    }

    static func trimmed(_ s: ArraySlice<Unicode.Scalar>, extra: (Unicode.Scalar) -> Bool) -> ArraySlice<Unicode.Scalar> {
        var lo = s.startIndex
        var hi = s.endIndex
        while lo < hi, isSpace(s[lo]) || extra(s[lo]) { lo += 1 }
        while hi > lo, isSpace(s[hi - 1]) || extra(s[hi - 1]) { hi -= 1 }
        return s[lo..<hi]
    }

    @inline(__always) static func has(_ s: ArraySlice<Unicode.Scalar>, _ p: [Unicode.Scalar], at i: Int) -> Bool {
        if i < s.startIndex || i + p.count > s.endIndex { return false }
        var k = 0
        while k < p.count {
            if s[i + k] != p[k] { return false }
            k += 1
        }
        return true
    }

    @inline(__always) static func has(_ s: [Unicode.Scalar], _ p: [Unicode.Scalar], at i: Int) -> Bool {
        if i < 0 || i + p.count > s.count { return false }
        var k = 0
        while k < p.count {
            if s[i + k] != p[k] { return false }
            k += 1
        }
        return true
    }

    static func hasPrefix(_ s: ArraySlice<Unicode.Scalar>, _ p: [Unicode.Scalar]) -> Bool { has(s, p, at: s.startIndex) }
    static func hasPrefix(_ s: [Unicode.Scalar], _ p: [Unicode.Scalar]) -> Bool { has(s, p, at: 0) }

    static func hasSuffix(_ s: ArraySlice<Unicode.Scalar>, _ p: [Unicode.Scalar]) -> Bool {
        s.count >= p.count && has(s, p, at: s.endIndex - p.count)
    }
    static func hasSuffix(_ s: [Unicode.Scalar], _ p: [Unicode.Scalar]) -> Bool { hasSuffix(s[...], p) }

    /// Index of the first occurrence of `p` in `s` at or after `from` (naive; patterns are short).
    static func find(_ p: [Unicode.Scalar], in s: ArraySlice<Unicode.Scalar>, from: Int? = nil) -> Int? {
        guard let first = p.first else { return nil }
        var i = from ?? s.startIndex
        let end = s.endIndex - p.count
        while i <= end {
            if s[i] == first && has(s, p, at: i) { return i }
            i += 1
        }
        return nil
    }
    static func find(_ p: [Unicode.Scalar], in s: [Unicode.Scalar], from: Int? = nil) -> Int? { find(p, in: s[...], from: from) }

    static func contains(_ s: ArraySlice<Unicode.Scalar>, _ p: [Unicode.Scalar]) -> Bool { find(p, in: s) != nil }
    static func contains(_ s: [Unicode.Scalar], _ p: [Unicode.Scalar]) -> Bool { find(p, in: s[...]) != nil }

    /// Parses an Arabic or Chinese number at `i`; returns value and end index.
    static func number(in s: Scalars, at i: Int) -> (Int, Int)? {
        var j = i
        var v = 0
        while j < s.count, isDigit(s[j]), j - i < 9 {
            v = v * 10 + digitValue(s[j])
            j += 1
        }
        if j > i { return (v, j) }
        while j < s.count, ChineseNumerals.isNumeralCharacter(s[j]), j - i < 5 { j += 1 }
        if j > i, let n = ChineseNumerals.value(s[i..<j]) { return (n, j) }
        return nil
    }
}
