import Foundation

/// Numbering styles used by Chinese official documents, outermost first by convention.
enum WorkPointMarkerKind: Int, Sendable, Hashable {
    case chapter        // 第一章 / 第一部分
    case cnComma        // 一、
    case cnParen        // （一） (一)
    case arabicDot      // 1. 1、 1．
    case arabicParen    // （1） (1)
    case arabicHalf     // 1）
    case circled        // ①
}

struct WorkPointMarker: Sendable {
    var kind: WorkPointMarkerKind
    var value: Int
    /// Scalars consumed by the marker (including following spaces / stray punctuation).
    var length: Int
    /// The marker as written (normalised brackets), e.g. "（一）".
    var display: String
}

enum WorkPointMarkerParser {
    typealias S = WorkPointScan

    static func parse(_ s: [Unicode.Scalar]) -> WorkPointMarker? {
        let n = s.count
        guard n >= 2 else { return nil }
        let c0 = s[0]
        // ①..⑳
        if c0.value >= 0x2460 && c0.value <= 0x2473 {
            return finish(s, kind: .circled, value: Int(c0.value - 0x2460) + 1, end: 1)
        }
        // 第X章 / 第X部分 / 第X篇 / 第X节
        if c0 == "第" {
            var j = 1
            while j < n, ChineseNumerals.isNumeralCharacter(s[j]) || S.isDigit(s[j]), j < 6 { j += 1 }
            guard j > 1, j < n, let (v, _) = S.number(in: s, at: 1) else { return nil }
            if s[j] == "章" || s[j] == "篇" || s[j] == "编" {
                return finish(s, kind: .chapter, value: v, end: j + 1)
            }
            if j + 1 < n, s[j] == "部", s[j + 1] == "分" {
                return finish(s, kind: .chapter, value: v, end: j + 2)
            }
            return nil
        }
        if c0 == S.lParen {
            var j = 1
            while j < n, S.isDigit(s[j]), j < 4 { j += 1 }
            if j > 1, j < n, s[j] == S.rParen, let (v, _) = S.number(in: s, at: 1) {
                return finish(s, kind: .arabicParen, value: v, end: j + 1)
            }
            j = 1
            while j < n, ChineseNumerals.isNumeralCharacter(s[j]), j < 6 { j += 1 }
            if j > 1, j < n, s[j] == S.rParen, let v = ChineseNumerals.value(s[1..<j]) {
                return finish(s, kind: .cnParen, value: v, end: j + 1)
            }
            return nil
        }
        if S.isDigit(c0) {
            var j = 0
            while j < n, S.isDigit(s[j]), j < 3 { j += 1 }
            guard j < n, let (v, _) = S.number(in: s, at: 0), v > 0 else { return nil }
            let sep = s[j]
            if sep == "." || sep == "、" {
                // "1.5万元" is not a marker; "2023." neither.
                if j + 1 < n, S.isDigit(s[j + 1]) || s[j + 1] == "%" { return nil }
                if j + 1 >= n { return nil }
                return finish(s, kind: .arabicDot, value: v, end: j + 1)
            }
            if sep == S.rParen {
                return finish(s, kind: .arabicHalf, value: v, end: j + 1)
            }
            return nil
        }
        if ChineseNumerals.isNumeralCharacter(c0) {
            var j = 0
            while j < n, ChineseNumerals.isNumeralCharacter(s[j]), j < 5 { j += 1 }
            guard j < n, s[j] == "、" || s[j] == "." || s[j] == "．", let v = ChineseNumerals.value(s[0..<j]), v > 0 else { return nil }
            if j + 1 >= n { return nil }
            return finish(s, kind: .cnComma, value: v, end: j + 1)
        }
        return nil
    }

    private static func finish(_ s: [Unicode.Scalar], kind: WorkPointMarkerKind, value: Int, end: Int) -> WorkPointMarker? {
        guard value > 0, value < 1000 else { return nil }
        var e = end
        let display = S.string(s[0..<end])
        // "（一）、" or "1. " — swallow stray separators/spaces after the marker
        while e < s.count, s[e] == " " || s[e] == "、" || s[e] == "." || s[e] == "．" { e += 1 }
        return WorkPointMarker(kind: kind, value: value, length: e, display: display)
    }
}

/// A numbered item of the outline.
struct WorkPointNode: Sendable {
    var kind: WorkPointMarkerKind
    var value: Int
    var number: String
    /// Remainder of the heading line after the marker.
    var heading: [Unicode.Scalar]
    /// Following unnumbered paragraphs.
    var body: [[Unicode.Scalar]] = []
    var parent: Int?
    var hasChildren = false
}
