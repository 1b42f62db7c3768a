import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Errors raised while reading the XML parts of a .docx file.
public enum WorkPointDocxError: Error, Sendable, Equatable, LocalizedError, CustomStringConvertible {
    case invalidXML(part: String, detail: String)

    public var message: String {
        switch self {
        case .invalidXML(let part, let detail): return "Word 文档内容无法解析（\(part)：\(detail)）。"
        }
    }

    public var errorDescription: String? { message }
    public var description: String { message }
}

/// Extracts paragraph texts from the XML parts of a .docx (unzipping is done by the caller).
public enum WorkPointDocx {
    /// Returns the paragraph texts of `word/document.xml`, with list numbering rendered from
    /// `word/numbering.xml` (e.g. "一、", "（一）", "1.") prefixed, so the text parser sees the numbers.
    /// Table rows become one paragraph each; when the header row names responsibility columns
    /// (牵头单位 / 配合单位 / 完成时限 …) the row is rewritten as "任务（牵头单位：…；配合单位：…；完成时限：…）".
    public static func paragraphs(documentXML: Data, numberingXML: Data?) throws -> [String] {
        let numbering = try numberingXML.map { try WorkPointDocxNumbering.parse($0) } ?? WorkPointDocxNumbering()
        let reader = WorkPointDocxDocumentReader(numbering: numbering)
        let parser = XMLParser(data: documentXML)
        parser.delegate = reader
        parser.shouldProcessNamespaces = false
        if !parser.parse() || reader.depth != 0 {
            throw WorkPointDocxError.invalidXML(part: "document.xml",
                                                detail: parser.parserError.map { "\($0)" } ?? "文档不完整")
        }
        return reader.output
    }

    /// Convenience: paragraphs joined by newlines, ready for `WorkPointParser.parse`.
    public static func text(documentXML: Data, numberingXML: Data?) throws -> String {
        try paragraphs(documentXML: documentXML, numberingXML: numberingXML).joined(separator: "\n")
    }

    /// Renders a counter in a Word number format.
    public static func format(_ n: Int, numFmt: String) -> String {
        switch numFmt {
        case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
             "chineseLegalSimplified", "ideographLegalTraditional", "taiwaneseCountingThousand":
            return ChineseNumerals.text(n)
        case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
            return (1...20).contains(n) ? String(Character(Unicode.Scalar(0x2460 + UInt32(n) - 1)!)) : String(n)
        case "decimalEnclosedParen":
            return "(\(n))"
        case "decimalFullWidth", "decimalFullWidth2":
            return String(String(n).unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0xFF10)!) })
        case "upperLetter": return letter(n, upper: true)
        case "lowerLetter": return letter(n, upper: false)
        case "upperRoman": return roman(n)
        case "lowerRoman": return roman(n).lowercased()
        case "ideographTraditional":
            let s = Array("甲乙丙丁戊己庚辛壬癸")
            return (1...10).contains(n) ? String(s[n - 1]) : String(n)
        case "none", "bullet": return ""
        default: return String(n)
        }
    }

    static func letter(_ n: Int, upper: Bool) -> String {
        guard n > 0 else { return String(n) }
        let base = upper ? 65 : 97
        let c = Character(Unicode.Scalar(UInt32(base + (n - 1) % 26))!)
        return String(repeating: String(c), count: (n - 1) / 26 + 1)
    }

    static func roman(_ n: Int) -> String {
        guard n > 0, n < 4000 else { return String(n) }
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var v = n
        var s = ""
        for (k, r) in table { while v >= k { s += r; v -= k } }
        return s
    }
}

/// List definitions from numbering.xml.
struct WorkPointDocxNumbering {
    struct Level {
        var start = 1
        var numFmt = "decimal"
        var lvlText = "%1."
    }
    /// abstractNumId → ilvl → level
    var abstract: [String: [Int: Level]] = [:]
    /// numId → abstractNumId
    var numToAbstract: [String: String] = [:]
    /// numId → ilvl → start override
    var startOverrides: [String: [Int: Int]] = [:]

    func level(numId: String, ilvl: Int) -> Level? {
        guard let a = numToAbstract[numId], let lv = abstract[a]?[ilvl] else { return nil }
        return lv
    }

    static func parse(_ data: Data) throws -> WorkPointDocxNumbering {
        let reader = WorkPointDocxNumberingReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        if !parser.parse() {
            throw WorkPointDocxError.invalidXML(part: "numbering.xml", detail: parser.parserError.map { "\($0)" } ?? "未知错误")
        }
        return reader.result
    }
}

private func localName(_ qName: String) -> String {
    if let i = qName.lastIndex(of: ":") { return String(qName[qName.index(after: i)...]) }
    return qName
}

private func attr(_ a: [String: String], _ name: String) -> String? {
    if let v = a["w:" + name] { return v }
    for (k, v) in a where localName(k) == name { return v }
    return nil
}

private final class WorkPointDocxNumberingReader: NSObject, XMLParserDelegate {
    var result = WorkPointDocxNumbering()
    private var curAbstract: String?
    private var curLevel: Int?
    private var level = WorkPointDocxNumbering.Level()
    private var curNum: String?
    private var curOverrideLevel: Int?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        switch localName(elementName) {
        case "abstractNum":
            curAbstract = attr(attributeDict, "abstractNumId")
        case "lvl":
            if curAbstract != nil {
                curLevel = Int(attr(attributeDict, "ilvl") ?? "0") ?? 0
                level = WorkPointDocxNumbering.Level()
            }
        case "start":
            if curLevel != nil, let v = attr(attributeDict, "val").flatMap(Int.init) { level.start = v }
        case "numFmt":
            if curLevel != nil, let v = attr(attributeDict, "val") { level.numFmt = v }
        case "lvlText":
            if curLevel != nil, let v = attr(attributeDict, "val") { level.lvlText = v }
        case "num":
            curNum = attr(attributeDict, "numId")
        case "abstractNumId":
            if let n = curNum, let v = attr(attributeDict, "val") { result.numToAbstract[n] = v }
        case "lvlOverride":
            curOverrideLevel = Int(attr(attributeDict, "ilvl") ?? "0")
        case "startOverride":
            if let n = curNum, let l = curOverrideLevel, let v = attr(attributeDict, "val").flatMap(Int.init) {
                result.startOverrides[n, default: [:]][l] = v
            }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch localName(elementName) {
        case "lvl":
            if let a = curAbstract, let l = curLevel {
                result.abstract[a, default: [:]][l] = level
            }
            curLevel = nil
        case "abstractNum":
            curAbstract = nil
        case "num":
            curNum = nil
        case "lvlOverride":
            curOverrideLevel = nil
        default:
            break
        }
    }
}

private final class WorkPointDocxDocumentReader: NSObject, XMLParserDelegate {
    let numbering: WorkPointDocxNumbering
    var output: [String] = []

    private var inParagraph = false
    private var inText = false
    private var text = ""
    private var numId: String?
    private var ilvl = 0
    private var inPPr = false
    /// numId → counters per level
    private var counters: [String: [Int: Int]] = [:]
    // tables
    private var tableDepth = 0
    private var rows: [[String]] = []
    private var row: [String] = []
    private var cellParas: [String] = []
    private var inDeleted = 0
    private var outer: [(String, String?, Int)] = []
    /// Open element count; non-zero at the end means a truncated document.
    var depth = 0

    init(numbering: WorkPointDocxNumbering) {
        self.numbering = numbering
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        depth += 1
        switch localName(elementName) {
        case "p":
            if inParagraph { outer.append((text, numId, ilvl)) } // text box paragraphs nested in a paragraph
            inParagraph = true
            text = ""
            numId = nil
            ilvl = 0
        case "pPr":
            inPPr = true
        case "ilvl":
            if inPPr { ilvl = Int(attr(attributeDict, "val") ?? "0") ?? 0 }
        case "numId":
            if inPPr { numId = attr(attributeDict, "val") }
        case "t":
            inText = inDeleted == 0
        case "tab":
            if inParagraph && !inPPr { text += " " }
        case "br", "cr":
            if inParagraph { text += "\n" }
        case "del":
            inDeleted += 1
        case "tbl":
            tableDepth += 1
            if tableDepth == 1 { rows = [] }
        case "tr":
            if tableDepth == 1 { row = [] }
        case "tc":
            if tableDepth == 1 { cellParas = [] }
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
        switch localName(elementName) {
        case "t":
            inText = false
        case "pPr":
            inPPr = false
        case "del":
            inDeleted = max(0, inDeleted - 1)
        case "p":
            inParagraph = false
            var prefix = ""
            if let n = numId, n != "0", let lv = numbering.level(numId: n, ilvl: ilvl) {
                prefix = render(numId: n, ilvl: ilvl, level: lv)
            }
            let para = prefix + text
            if tableDepth > 0 {
                cellParas.append(para)
            } else {
                output.append(para)
            }
            if let o = outer.popLast() {
                inParagraph = true
                (text, numId, ilvl) = o
            }
        case "tc":
            if tableDepth == 1 { row.append(cellParas.joined(separator: "\n")) }
        case "tr":
            if tableDepth == 1 { rows.append(row) }
        case "tbl":
            if tableDepth == 1 { output += WorkPointTableRenderer.render(rows) }
            tableDepth -= 1
        default:
            break
        }
    }

    private func render(numId: String, ilvl: Int, level: WorkPointDocxNumbering.Level) -> String {
        var c = counters[numId] ?? [:]
        let start = numbering.startOverrides[numId]?[ilvl] ?? level.start
        c[ilvl] = (c[ilvl] ?? (start - 1)) + 1
        for deeper in c.keys where deeper > ilvl { c[deeper] = nil }
        counters[numId] = c
        if level.numFmt == "bullet" || level.numFmt == "none" { return "" }
        var out = level.lvlText
        for l in 0...8 {
            let token = "%\(l + 1)"
            guard out.contains(token) else { continue }
            let fmt = l == ilvl ? level.numFmt : (numbering.level(numId: numId, ilvl: l)?.numFmt ?? "decimal")
            let value = c[l] ?? (numbering.level(numId: numId, ilvl: l)?.start ?? 1)
            out = out.replacingOccurrences(of: token, with: WorkPointDocx.format(value, numFmt: fmt))
        }
        return out
    }

}

/// Turns table rows (from .docx tables or tab-separated text) into paragraphs the text parser understands.
enum WorkPointTableRenderer {
    static let labelHeaders: [(String, String)] = [
        ("牵头单位", "牵头单位"), ("牵头部门", "牵头单位"), ("责任单位", "责任单位"), ("责任部门", "责任单位"),
        ("配合单位", "配合单位"), ("配合部门", "配合单位"), ("协办单位", "配合单位"),
        ("完成时限", "完成时限"), ("完成时间", "完成时限"), ("时间节点", "完成时限"), ("时限", "完成时限"),
    ]

    /// Table → paragraphs. Responsibility columns become an annotation appended to the task text.
    static func render(_ rows: [[String]]) -> [String] {
        guard let header = rows.first else { return [] }
        var roles: [Int: String] = [:]
        var numberCol: Int? = nil
        for (i, h) in header.enumerated() {
            let t = h.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{3000}", with: "")
            if let r = labelHeaders.first(where: { t.contains($0.0) }) { roles[i] = r.1 }
            if t == "序号" || t == "编号" { numberCol = i }
        }
        if roles.isEmpty {
            return rows.map { $0.joined(separator: " ") }
        }
        var out: [String] = []
        for r in rows.dropFirst() {
            var body: [String] = []
            var ann: [String] = []
            for (i, cell) in r.enumerated() {
                let c = cell.trimmingCharacters(in: .whitespacesAndNewlines)
                if c.isEmpty { continue }
                if i == numberCol { continue }
                if let role = roles[i] { ann.append("\(role)：\(c)") } else { body.append(c) }
            }
            var line = ""
            if let nc = numberCol, nc < r.count {
                let n = r[nc].trimmingCharacters(in: .whitespacesAndNewlines)
                if !n.isEmpty, n.allSatisfy(\.isNumber) { line = n + "." }
            }
            line += body.joined(separator: "。")
            if !ann.isEmpty { line += "（" + ann.joined(separator: "；") + "）" }
            if !line.isEmpty { out.append(line) }
        }
        return out
    }

    /// True when the row looks like a header naming responsibility columns.
    static func isHeader(_ cells: [String]) -> Bool {
        var n = 0
        for c in cells where labelHeaders.contains(where: { c.contains($0.0) }) && c.count <= 8 { n += 1 }
        return n >= 1
    }
}
