import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Errors reading an uploaded .xlsx.
public enum XLSXReadError: Error, LocalizedError, Equatable, Sendable {
    case malformedXML(part: String, line: Int, detail: String)
    case badSharedStringIndex(cell: String, index: String)
    case tooLarge(limit: Int)

    public var errorDescription: String? {
        switch self {
        case .malformedXML(let part, let line, let detail):
            return "Excel 文件已损坏或格式不正确（\(part) 第 \(line) 行：\(detail)），请在 Excel 中另存为 .xlsx 后重试"
        case .badSharedStringIndex(let cell, let index):
            return "Excel 文件中单元格 \(cell) 引用了不存在的共享字符串（序号 \(index)）"
        case .tooLarge(let limit):
            return "表格过大：最多支持 \(limit) 行或列"
        }
    }
}

/// Reads cell values of a worksheet as strings (a minimal reader for uploads).
///
/// The caller unzips the package and passes the first worksheet (normally `xl/worksheets/sheet1.xml`)
/// and `xl/sharedStrings.xml` if present. Values are returned as stored: numbers in their XML form
/// ("12", "3.5"; dates appear as serial numbers), booleans as "TRUE"/"FALSE", errors as "#N/A" etc.
/// Missing cells become "", rows are padded to the same width, and missing rows become rows of "".
/// Trailing rows that are entirely empty are dropped.
public enum XLSXReader {
    /// Upper bounds protecting the server from hostile files.
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384

    public static func rows(sheetXML: Data, sharedStringsXML: Data?) throws -> [[String]] {
        let shared = try sharedStringsXML.map(sharedStrings) ?? []
        let handler = SheetHandler(shared: shared)
        let parser = XMLParser(data: sheetXML)
        parser.delegate = handler
        parser.shouldResolveExternalEntities = false
        // Note: on Linux, XMLParser.parse() may return true despite errors; check parserError too.
        if !parser.parse() || parser.parserError != nil {
            if let error = handler.error { throw error }
            throw XLSXReadError.malformedXML(part: "worksheet", line: parser.lineNumber,
                                             detail: parser.parserError?.localizedDescription ?? "未知错误")
        }
        if let error = handler.error { throw error }
        // Some XMLParser implementations accept a truncated document; check it is complete.
        guard handler.depth == 0, handler.sawRoot else {
            throw XLSXReadError.malformedXML(part: "worksheet", line: parser.lineNumber, detail: "文档不完整")
        }

        var rows = handler.rows
        while let last = rows.last, last.allSatisfy({ $0.isEmpty }) { rows.removeLast() }
        let width = rows.map(\.count).max() ?? 0
        return rows.map { $0.count < width ? $0 + Array(repeating: "", count: width - $0.count) : $0 }
    }

    /// The strings of `xl/sharedStrings.xml` (rich-text runs concatenated, phonetic runs ignored).
    public static func sharedStrings(_ data: Data) throws -> [String] {
        let handler = SharedStringsHandler()
        let parser = XMLParser(data: data)
        parser.delegate = handler
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), parser.parserError == nil else {
            throw XLSXReadError.malformedXML(part: "sharedStrings", line: parser.lineNumber,
                                             detail: parser.parserError?.localizedDescription ?? "未知错误")
        }
        guard handler.depth == 0, handler.sawRoot else {
            throw XLSXReadError.malformedXML(part: "sharedStrings", line: parser.lineNumber, detail: "文档不完整")
        }
        return handler.strings
    }

    fileprivate static func localName(_ name: String) -> Substring {
        if let colon = name.lastIndex(of: ":") { return name[name.index(after: colon)...] }
        return name[...]
    }

    /// Splits "AB12" into (column 27, row 11) zero-based.
    fileprivate static func parseReference(_ ref: String) -> (row: Int, column: Int)? {
        let letters = ref.prefix { $0.isASCII && $0.isLetter }
        let digits = ref.dropFirst(letters.count)
        guard let column = XLSX.columnIndex(letters), let row = Int(digits), row >= 1 else { return nil }
        return (row - 1, column)
    }
}

private final class SharedStringsHandler: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var depth = 0
    var sawRoot = false
    private var current = ""
    private var inSI = false
    private var inT = false
    private var phoneticDepth = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        depth += 1
        sawRoot = true
        switch XLSXReader.localName(elementName) {
        case "si": inSI = true; current = ""
        case "rPh": phoneticDepth += 1
        case "t": inT = inSI && phoneticDepth == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
        switch XLSXReader.localName(elementName) {
        case "si": strings.append(current); inSI = false
        case "rPh": phoneticDepth -= 1
        case "t": inT = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inT { current += string }
    }
}

private final class SheetHandler: NSObject, XMLParserDelegate {
    let shared: [String]
    var rows: [[String]] = []
    var error: XLSXReadError?
    var depth = 0
    var sawRoot = false

    private var rowIndex = -1
    private var nextColumn = 0
    private var cellRef = ""
    private var cellColumn = 0
    private var cellType = "n"
    private var inCell = false
    private var value = ""
    private var inlineText = ""
    private var capture: Capture = .none
    private var phoneticDepth = 0

    private enum Capture { case none, value, inline }

    init(shared: [String]) { self.shared = shared }

    private func fail(_ e: XLSXReadError, _ parser: XMLParser) {
        if error == nil { error = e }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        depth += 1
        sawRoot = true
        switch XLSXReader.localName(elementName) {
        case "row":
            var index = rowIndex + 1
            if let r = attributeDict["r"], let n = Int(r), n >= 1 { index = max(n - 1, rowIndex + 1) }
            guard index < XLSXReader.maxRows else { return fail(.tooLarge(limit: XLSXReader.maxRows), parser) }
            while rows.count <= index { rows.append([]) }
            rowIndex = index
            nextColumn = 0
        case "c":
            if rowIndex < 0 { rowIndex = 0; rows.append([]) }
            inCell = true
            cellType = attributeDict["t"] ?? "n"
            value = ""
            inlineText = ""
            if let ref = attributeDict["r"], let parsed = XLSXReader.parseReference(ref) {
                cellRef = ref
                cellColumn = parsed.column
            } else {
                cellColumn = nextColumn
                cellRef = XLSX.cellReference(row: rowIndex, column: nextColumn)
            }
            guard cellColumn < XLSXReader.maxColumns else { return fail(.tooLarge(limit: XLSXReader.maxColumns), parser) }
        case "v" where inCell:
            capture = .value
        case "rPh":
            phoneticDepth += 1
        case "t" where inCell && phoneticDepth == 0:
            capture = .inline
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
        switch XLSXReader.localName(elementName) {
        case "v", "t":
            capture = .none
        case "rPh":
            phoneticDepth -= 1
        case "c":
            inCell = false
            let text: String
            switch cellType {
            case "s":
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                guard let i = Int(trimmed), shared.indices.contains(i) else {
                    return fail(.badSharedStringIndex(cell: cellRef, index: trimmed), parser)
                }
                text = shared[i]
            case "inlineStr":
                text = inlineText
            case "b":
                let v = value.trimmingCharacters(in: .whitespaces)
                text = v == "1" || v.lowercased() == "true" ? "TRUE" : "FALSE"
            default:  // "n", "str", "e", "d"
                text = value
            }
            if rows[rowIndex].count <= cellColumn {
                rows[rowIndex].append(contentsOf: repeatElement("", count: cellColumn - rows[rowIndex].count + 1))
            }
            rows[rowIndex][cellColumn] = text
            nextColumn = cellColumn + 1
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .value: value += string
        case .inline: inlineText += string
        case .none: break
        }
    }
}
