import Foundation

/// Reads a law or normative document from text: the corpus's Markdown (`# 标题`, dated lines, `<!-- INFO END -->`,
/// `##` headings, `第X条` articles) and plain text as pasted from a .txt or .docx file (title on the first line).
public enum PolicyTextParser {
    /// - Parameters:
    ///   - kind: what the document is (from its folder or the upload form).
    ///   - topic: what it is filed under.
    ///   - versionDate: the date the file name carries (`…(2019-10-22).md`), the date of this version.
    public static func parse(_ text: String, kind: PolicyKind, topic: String = "", versionDate: CivilDate? = nil) throws -> PolicyDraft {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        dropFrontMatter(&lines)
        guard let titleIndex = lines.firstIndex(where: { !clean($0).isEmpty }) else { throw PolicyParseError.empty }
        let title = clean(lines[titleIndex].replacingOccurrences(of: "#", with: ""))
        guard !title.isEmpty else { throw PolicyParseError.noTitle }
        var rest = Array(lines[(titleIndex + 1)...])
        var history: [String] = []
        if let end = rest.firstIndex(where: { $0.contains("<!-- INFO END -->") }) {
            history = rest[..<end].map(clean).filter { !$0.isEmpty }
            rest = Array(rest[(end + 1)...])
        } else {
            // Plain text: dated lines and parenthesised notes right under the title are its history.
            while let line = rest.first.map(clean), line.isEmpty || isHistoryLine(line) {
                if !line.isEmpty { history.append(line) }
                rest.removeFirst()
            }
        }
        let (preamble, articles) = structure(rest)
        guard !preamble.isEmpty || !articles.isEmpty else { throw PolicyParseError.noBody }
        let dated = history.compactMap { line in firstDate(in: line).map { (line, $0) } }
        let issued = versionDate ?? dated.filter { hasAny($0.0, ["通过", "公布", "发布", "修正", "修订", "批准", "印发"]) }.map(\.1).max()
        let effective = dated.first { $0.0.contains("施行") }?.1
        return PolicyDraft(
            title: title, number: documentNumber(in: history + [preamble]) ?? "", issuer: issuer(from: history),
            kind: kind, level: level(kind: kind, title: title), topic: topic, issuedOn: issued, effectiveOn: effective,
            history: history, preamble: preamble, articles: articles)
    }

    // MARK: Body

    /// Splits the body into the text before the first article and the articles with their outline.
    static func structure(_ lines: [String]) -> (String, [PolicyArticle]) {
        var preamble: [String] = []
        var articles: [PolicyArticle] = []
        var outline: [String] = ["", "", ""] // 编, 章, 节
        var current: (label: String, number: Int, anchor: String, outline: String, text: [String])?
        func finish() {
            if let c = current {
                articles.append(PolicyArticle(anchor: c.anchor, label: c.label, number: c.number, outline: c.outline,
                                              text: c.text.joined(separator: "\n")))
            }
            current = nil
        }
        var anchors = Set<String>()
        for raw in lines {
            let line = clean(raw.hasPrefix("#") ? String(raw.drop { $0 == "#" }) : raw)
            if line.isEmpty { continue }
            if let level = headingLevel(line) {
                finish()
                outline[level] = line
                for deeper in (level + 1)..<outline.count { outline[deeper] = "" }
                continue
            }
            if let (label, number, suffix) = articleStart(line) {
                finish()
                var anchor = "art-\(number)" + (suffix > 0 ? "-\(suffix)" : "")
                while anchors.contains(anchor) { anchor += "b" } // a document repeating a number keeps unique anchors
                anchors.insert(anchor)
                current = (label, number, anchor, outline.filter { !$0.isEmpty }.joined(separator: " / "), [line])
                continue
            }
            if current != nil { current!.text.append(line) } else { preamble.append(line) }
        }
        finish()
        return (preamble.joined(separator: "\n"), articles)
    }

    /// 0 for 第X编, 1 for 第X章, 2 for 第X节 headings (a short line naming the part).
    static func headingLevel(_ line: String) -> Int? {
        let s = Array(line.unicodeScalars)
        guard s.count <= 40, s.first == "第" else { return nil }
        var i = 1
        while i < s.count, ChineseNumerals.isNumeralCharacter(s[i]) || s[i].properties.numericType == .decimal { i += 1 }
        guard i > 1, i < s.count else { return nil }
        let isHeading = i + 1 == s.count || s[i + 1] == " " || s[i + 1] == "\u{3000}"
        guard isHeading else { return nil }
        switch s[i] {
        case "编": return 0
        case "章": return 1
        case "节": return 2
        default: return nil
        }
    }

    /// `第三十六条 …` → (第三十六条, 36, 0); `第十条之一 …` → (第十条之一, 10, 1).
    static func articleStart(_ line: String) -> (String, Int, Int)? {
        let s = Array(line.unicodeScalars)
        guard s.count >= 3, s[0] == "第" else { return nil }
        var i = 1
        while i < s.count, ChineseNumerals.isNumeralCharacter(s[i]) || s[i].properties.numericType == .decimal { i += 1 }
        guard i > 1, i < s.count, s[i] == "条" else { return nil }
        let digits = s[1..<i]
        guard let number = ChineseNumerals.number(digits), number > 0 else { return nil }
        var end = i + 1
        var suffix = 0
        if end + 1 < s.count, s[end] == "之" {
            var j = end + 1
            while j < s.count, j - end < 6, ChineseNumerals.isNumeralCharacter(s[j]) { j += 1 }
            if j > end + 1, let value = ChineseNumerals.value(s[(end + 1)..<j]) { suffix = value; end = j }
        }
        // An article starts a paragraph: the label stands alone or is followed by a space.
        guard end == s.count || s[end] == " " || s[end] == "\u{3000}" else { return nil }
        return (String(String.UnicodeScalarView(s[0..<end])), number, suffix)
    }

    // MARK: Header

    static func isHistoryLine(_ line: String) -> Bool {
        firstDate(in: line) != nil && line.count < 120 && !line.hasPrefix("第") || line.hasPrefix("（") && line.hasSuffix("）")
    }

    /// The first `YYYY年M月D日` in a line.
    static func firstDate(in line: String) -> CivilDate? {
        let s = Array(TextFolding.fold(line).unicodeScalars)
        var i = 0
        while i < s.count {
            // A year starts a number: "12345年" holds no date.
            if i > 0, s[i - 1].properties.numericType == .decimal { i += 1; continue }
            guard let (year, afterYear) = digits(s, i), afterYear < s.count, s[afterYear] == "年",
                  let (month, afterMonth) = digits(s, afterYear + 1), afterMonth < s.count, s[afterMonth] == "月",
                  let (day, afterDay) = digits(s, afterMonth + 1), afterDay < s.count, s[afterDay] == "日" else { i += 1; continue }
            if let date = CivilDate(year: year, month: month, day: day) { return date }
            i += 1
        }
        return nil
    }

    /// A run of up to 4 decimal digits at `start` (a year, month or day) and where it ends.
    private static func digits(_ s: [Unicode.Scalar], _ start: Int) -> (Int, Int)? {
        var i = start, value = 0
        while i < s.count, i - start < 4, let d = s[i].properties.numericType == .decimal ? Int(String(s[i])) : nil {
            value = value * 10 + d
            i += 1
        }
        return i > start ? (value, i) : nil
    }

    /// 文号: `国务院令第722号`, `法释〔2021〕11号`, `国发〔2023〕3号` (without the leading 中华人民共和国).
    public static func documentNumber(in lines: [String]) -> String? {
        let patterns = ["[\\p{Han}]{0,12}〔[0-9]{4}〕[0-9]+号", "[\\p{Han}]{0,16}令第[0-9一二三四五六七八九十百零〇]+号"]
        for line in lines {
            let folded = TextFolding.fold(line).replacingOccurrences(of: "[", with: "〔").replacingOccurrences(of: "]", with: "〕")
            for pattern in patterns {
                if let range = folded.range(of: pattern, options: .regularExpression) {
                    var number = String(folded[range])
                    for prefix in ["中中华人民共和国", "中华人民共和国"] where number.hasPrefix(prefix) { number.removeFirst(prefix.count) }
                    for prefix in ["以", "经"] where number.hasPrefix(prefix) { number.removeFirst(prefix.count) }
                    return number
                }
            }
        }
        return nil
    }

    /// The body that made the document, from its first dated line: 全国人民代表大会常务委员会, 国务院, 北京市人民代表大会常务委员会.
    static func issuer(from history: [String]) -> String {
        guard let line = history.first(where: { firstDate(in: $0) != nil }) else { return "" }
        var text = line
        if let day = text.range(of: "日") { text = String(text[day.upperBound...]) }
        text = text.trimmingCharacters(in: .whitespaces)
        for prefix in ["中中华人民共和国", "中华人民共和国"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        if let order = text.range(of: "令第") { return String(text[..<order.lowerBound]) }
        let session = "第[0-9一二三四五六七八九十百零〇]+"
        text = text.replacingOccurrences(of: session + "届", with: "", options: .regularExpression)
        if let meeting = text.range(of: session + "次", options: .regularExpression) { text = String(text[..<meeting.lowerBound]) }
        for suffix in ["通过", "公布", "发布", "批准", "印发"] where text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return String(text.prefix(40)).trimmingCharacters(in: .whitespaces)
    }

    static func level(kind: PolicyKind, title: String) -> PolicyLevel {
        guard kind == .localRegulation || kind == .normativeDocument || kind == .policyDocument else { return .national }
        let head = title.prefix(12)
        if ["北京市", "上海市", "天津市", "重庆市"].contains(where: { head.hasPrefix($0) }) || head.contains("省") || head.contains("自治区") {
            return .province
        }
        if head.contains("县") { return .county }
        return head.contains("市") || head.contains("州") ? .city : .province
    }

    // MARK: Helpers

    private static func dropFrontMatter(_ lines: inout [String]) {
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
              let close = lines.dropFirst().firstIndex(where: { $0.hasPrefix("---") }) else { return }
        let tail = String(lines[close].dropFirst(3))
        lines = (tail.isEmpty ? [] : [tail]) + lines[(close + 1)...]
    }

    static func clean(_ line: String) -> String { line.trimmingCharacters(in: .whitespaces.union(["\u{3000}"])) }

    private static func hasAny(_ line: String, _ words: [String]) -> Bool { words.contains { line.contains($0) } }
}

public enum PolicyParseError: Error, Equatable, CustomStringConvertible {
    case empty, noTitle, noBody, notUTF8

    public var description: String {
        switch self {
        case .empty: "文件为空"
        case .noTitle: "找不到标题（第一行应为文件标题）"
        case .noBody: "只有标题，没有正文"
        case .notUTF8: "不是 UTF-8 编码的文本文件"
        }
    }
}
