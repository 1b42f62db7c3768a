import Foundation

/// Errors from `CSV.parse`. Line numbers are 1-based physical lines of the file.
public enum CSVError: Error, LocalizedError, Equatable, Sendable {
    /// A quoted field was never closed; `line` is where the field started.
    case unterminatedQuote(line: Int)
    /// A character other than a comma or line break follows a closing quote.
    case unexpectedCharacterAfterQuote(line: Int, column: Int)
    /// A double quote inside an unquoted field.
    case quoteInUnquotedField(line: Int, column: Int)
    /// A record with a different number of fields than the first record.
    case raggedRow(line: Int, expected: Int, found: Int)
    /// The bytes are neither UTF-8, UTF-16 (with BOM) nor GB18030.
    case undecodable

    public var errorDescription: String? {
        switch self {
        case .unterminatedQuote(let line):
            return "第 \(line) 行：引号未闭合（以双引号开始的单元格缺少结束的双引号）"
        case .unexpectedCharacterAfterQuote(let line, let column):
            return "第 \(line) 行第 \(column) 列：结束引号后出现了多余的字符（单元格内的双引号应写成两个双引号 \"\"）"
        case .quoteInUnquotedField(let line, let column):
            return "第 \(line) 行第 \(column) 列：未加引号的单元格中出现了双引号（应将整个单元格用双引号括起，并把其中的双引号写成 \"\"）"
        case .raggedRow(let line, let expected, let found):
            return "第 \(line) 行：列数为 \(found)，与表头的 \(expected) 列不一致"
        case .undecodable:
            return "无法识别文件编码，请将文件另存为 UTF-8 或 GBK（GB18030）编码的 CSV"
        }
    }
}

/// RFC 4180 CSV reading and writing.
public enum CSV {
    /// GB18030 (superset of GBK/GB2312), as Foundation's raw `NSStringEncoding`
    /// (`kCFStringEncodingGB_18030_2000` = 0x0632 | 0x8000_0000). Works on Darwin and on Linux Foundation.

    /// Parses CSV text into records of fields.
    ///
    /// - Records end with CRLF, LF or a lone CR; a final line break is optional.
    /// - Quoted fields may contain commas, line breaks and doubled quotes (`""`).
    /// - Completely empty lines (no characters at all) are skipped, so trailing blank lines are ignored.
    /// - Every record must have as many fields as the first one (`CSVError.raggedRow` otherwise).
    /// - A leading U+FEFF (byte order mark) is ignored.
    public static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1             // current physical line
        var column = 1           // current field index (1-based) within the record
        var recordLine = 1       // line where the current record started
        var lineIsEmpty = true   // no characters seen in this record yet

        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        let n = scalars.count

        func endRecord() throws {
            if lineIsEmpty {
                // Blank line: skip.
            } else {
                row.append(String(field))
                if let expected = rows.first?.count, expected != row.count {
                    throw CSVError.raggedRow(line: recordLine, expected: expected, found: row.count)
                }
                rows.append(row)
            }
            row = []
            field = String.UnicodeScalarView()
            column = 1
            lineIsEmpty = true
        }

        while i < n {
            let c = scalars[i]
            if c == "\"" && field.isEmpty {
                // Quoted field (must start at field start).
                lineIsEmpty = false
                let startLine = line
                i += 1
                var closed = false
                while i < n {
                    let q = scalars[i]
                    if q == "\"" {
                        if i + 1 < n && scalars[i + 1] == "\"" {
                            field.append("\"")
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    if q == "\r" {
                        // Normalise CRLF / CR inside a quoted field to LF.
                        line += 1
                        field.append("\n")
                        if i + 1 < n && scalars[i + 1] == "\n" { i += 1 }
                        i += 1
                        continue
                    }
                    if q == "\n" { line += 1 }
                    field.append(q)
                    i += 1
                }
                if !closed { throw CSVError.unterminatedQuote(line: startLine) }
                // After a closing quote: comma, line break or end of input.
                if i < n {
                    let next = scalars[i]
                    if next != "," && next != "\r" && next != "\n" {
                        throw CSVError.unexpectedCharacterAfterQuote(line: line, column: column)
                    }
                }
                // Mark the field as quoted-complete: further characters handled by the main loop.
                if i < n && scalars[i] == "," {
                    row.append(String(field))
                    field = String.UnicodeScalarView()
                    column += 1
                    i += 1
                    // A trailing comma means one more (empty) field.
                    continue
                }
                continue
            }
            switch c {
            case ",":
                lineIsEmpty = false
                row.append(String(field))
                field = String.UnicodeScalarView()
                column += 1
                i += 1
            case "\r", "\n":
                try endRecord()
                if c == "\r" && i + 1 < n && scalars[i + 1] == "\n" { i += 1 }
                i += 1
                line += 1
                recordLine = line
            case "\"":
                throw CSVError.quoteInUnquotedField(line: line, column: column)
            default:
                lineIsEmpty = false
                field.append(c)
                i += 1
            }
        }
        try endRecord()
        return rows
    }

    /// Decodes bytes and parses them. Accepts UTF-8 (with or without BOM), UTF-16 with a BOM,
    /// and GB18030/GBK (what Excel in China writes for "CSV (逗号分隔)").
    public static func parse(data: Data) throws -> [[String]] {
        try parse(decode(data))
    }

    /// The text of CSV bytes, detecting the encoding as described in `parse(data:)` (the one text
    /// detector of the platform, ``WorkPointText/decode(_:)``, which also refuses binary files).
    public static func decode(_ data: Data) throws -> String {
        do { return try WorkPointText.decode(data) } catch WorkPointTextError.empty { return "" } catch {
            throw CSVError.undecodable
        }
    }

    /// Renders records as RFC 4180 text with CRLF line endings and a final CRLF.
    ///
    /// - Parameters:
    ///   - bom: prefix U+FEFF so that Excel opens the UTF-8 file with the right encoding.
    ///   - safeForSpreadsheet: neutralise formula injection: a cell starting with `=`, `+`, `-`, `@`,
    ///     tab or CR gets a leading apostrophe — except plain numbers such as `-12.5` or `+86`.
    ///     Turn off only for data that never contains user-entered text.
    public static func render(_ rows: [[String]], bom: Bool = true, safeForSpreadsheet: Bool = true) -> String {
        var out = bom ? "\u{FEFF}" : ""
        for row in rows {
            var first = true
            for cell in row {
                if !first { out += "," }
                first = false
                let value = safeForSpreadsheet ? neutralised(cell) : cell
                out += quotedIfNeeded(value)
            }
            out += "\r\n"
        }
        return out
    }

    /// The cell with a leading apostrophe when it could be interpreted as a formula.
    public static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first else { return cell }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠":
            if first != "=" && first != "＝" && isPlainNumber(cell) { return cell }
            return "'" + cell
        default:
            return cell
        }
    }

    private static func isPlainNumber(_ s: String) -> Bool {
        var scalars = Substring(s).unicodeScalars[...]
        if let f = scalars.first, f == "+" || f == "-" { scalars = scalars.dropFirst() }
        var digits = 0, dots = 0
        for c in scalars {
            if c >= "0" && c <= "9" { digits += 1 } else if c == "." { dots += 1 } else { return false }
        }
        return digits > 0 && dots <= 1
    }

    private static func quotedIfNeeded(_ cell: String) -> String {
        let needsQuotes = cell.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
            || cell.unicodeScalars.first == " " || cell.unicodeScalars.last == " "
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
