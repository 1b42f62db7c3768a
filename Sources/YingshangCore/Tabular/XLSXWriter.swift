import Foundation

/// A cell of an exported spreadsheet.
public enum XLSXCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    /// Written as an Excel date serial with format yyyy-mm-dd.
    case date(CivilDate)
    /// A fraction (0.125 = 12.5%), written with format 0.0%.
    case percent(Double)
    case empty
}

/// Shared helpers for SpreadsheetML.
public enum XLSX {
    /// Column letters for a zero-based column index: 0 → "A", 25 → "Z", 26 → "AA".
    public static func columnLetters(_ index: Int) -> String {
        precondition(index >= 0, "列序号不能为负数")
        var n = index + 1
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            let r = (n - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(65 + r)))
            n = (n - 1) / 26
        }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }

    /// Zero-based column index of letters ("A" → 0, "AA" → 26); nil when not letters.
    public static func columnIndex(_ letters: some StringProtocol) -> Int? {
        var value = 0
        var any = false
        for c in letters.unicodeScalars {
            let v: UInt32
            switch c.value {
            case 65...90: v = c.value - 64
            case 97...122: v = c.value - 96
            default: return nil
            }
            value = value * 26 + Int(v)
            any = true
            if value > 1_000_000 { return nil }
        }
        return any ? value - 1 : nil
    }

    /// Cell reference for zero-based row/column: (2, 1) → "B3".
    public static func cellReference(row: Int, column: Int) -> String {
        columnLetters(column) + String(row + 1)
    }

    /// Removes characters not allowed in XML 1.0 (controls other than tab/LF/CR, U+FFFE, U+FFFF).
    public static func stripIllegalXMLCharacters(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { !isLegal($0) }) else { return s }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s.unicodeScalars.filter(isLegal))
        return String(view)
    }

    private static func isLegal(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// XML-escapes text for element content and attribute values, dropping illegal characters.
    public static func escape(_ s: String) -> String {
        let clean = stripIllegalXMLCharacters(s)
        var out = ""
        out.reserveCapacity(clean.utf8.count)
        for c in clean.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Excel date serial (1900 date system) of a civil date: days since 1899-12-30.
    /// Correct for dates from 1900-03-01 on.
    public static func serial(of date: CivilDate) -> Int {
        date.dayNumber + 25_569
    }

    /// The civil date of an Excel date serial (the inverse of ``serial(of:)``), as uploaded sheets store dates.
    public static func date(fromSerial serial: Int) -> CivilDate {
        CivilDate(dayNumber: serial - 25_569)
    }

    /// Makes a valid, unique worksheet name: at most 31 characters, none of `[]:*?/\`,
    /// not starting or ending with an apostrophe, not empty, unique case-insensitively among `existing`.
    public static func sheetName(_ proposed: String, existing: [String]) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var name = String(stripIllegalXMLCharacters(proposed)
            .map { forbidden.contains($0) || $0.isNewline ? "_" : $0 })
        name = name.trimmingCharacters(in: .whitespaces)
        while name.hasPrefix("'") { name.removeFirst() }
        while name.hasSuffix("'") { name.removeLast() }
        if name.isEmpty { name = "Sheet\(existing.count + 1)" }
        name = truncated(name, to: 31)
        let taken = Set(existing.map { $0.lowercased() })
        if !taken.contains(name.lowercased()) { return name }
        var k = 2
        while true {
            let suffix = "(\(k))"
            let candidate = truncated(name, to: 31 - suffix.utf16.count) + suffix
            if !taken.contains(candidate.lowercased()) { return candidate }
            k += 1
        }
    }

    /// Truncates to at most `limit` UTF-16 code units (Excel counts UTF-16 units) on a character boundary.
    static func truncated(_ s: String, to limit: Int) -> String {
        guard s.utf16.count > limit else { return s }
        var out = ""
        var used = 0
        for ch in s {
            let w = ch.utf16.count
            if used + w > limit { break }
            out.append(ch)
            used += w
        }
        return out
    }
}

/// A minimal Office Open XML (.xlsx) workbook writer. `parts()` returns the files of the package;
/// the caller zips them (e.g. with ZIPFoundation), `[Content_Types].xml` first.
public struct XLSXWorkbook: Sendable {
    public struct Sheet: Sendable {
        public var name: String
        public var rows: [[XLSXCell]]
        public var columnWidths: [Double]?
        public var headerRows: Int
    }

    public private(set) var sheets: [Sheet] = []
    /// Document properties for docProps/core.xml.
    public var title: String?
    public var creator: String = "Yingshang"
    /// Creation time; omitted when nil (keeps output deterministic).
    public var created: Date?

    /// Excel's maximum characters in a cell.
    public static let maxCellLength = 32_767

    public init() {}

    /// Adds a worksheet. The name is sanitised and made unique (see `XLSX.sheetName`).
    /// The first `headerRows` rows are bold and frozen.
    public mutating func addSheet(name: String, rows: [[XLSXCell]], columnWidths: [Double]? = nil, headerRows: Int = 1) {
        let unique = XLSX.sheetName(name, existing: sheets.map(\.name))
        sheets.append(Sheet(name: unique, rows: rows, columnWidths: columnWidths, headerRows: max(0, headerRows)))
    }

    // Style indexes in cellXfs.
    private enum Style: Int {
        case normal = 0, bold = 1, date = 2, percent = 3, boldDate = 4, boldPercent = 5
    }

    private static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Every file of the package with its path inside the zip.
    public func parts() -> [(path: String, data: Data)] {
        let sheets = self.sheets.isEmpty ? [Sheet(name: "Sheet1", rows: [], columnWidths: nil, headerRows: 0)] : self.sheets
        var result: [(path: String, data: Data)] = []
        func add(_ path: String, _ xml: String) { result.append((path, Data(xml.utf8))) }

        var types = Self.header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        types += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        types += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        types += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for i in sheets.indices {
            types += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        types += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        types += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        types += "</Types>"
        add("[Content_Types].xml", types)

        add("_rels/.rels", Self.header
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
            + "</Relationships>")

        var workbook = Self.header + "<workbook xmlns=\"\(Self.mainNS)\" xmlns:r=\"\(Self.relNS)\"><bookViews><workbookView/></bookViews><sheets>"
        for (i, sheet) in sheets.enumerated() {
            workbook += "<sheet name=\"\(XLSX.escape(sheet.name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }
        workbook += "</sheets></workbook>"
        add("xl/workbook.xml", workbook)

        var rels = Self.header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for i in sheets.indices {
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(Self.relNS)/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        rels += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(Self.relNS)/styles\" Target=\"styles.xml\"/>"
        rels += "</Relationships>"
        add("xl/_rels/workbook.xml.rels", rels)

        add("xl/styles.xml", Self.stylesXML)

        for (i, sheet) in sheets.enumerated() {
            add("xl/worksheets/sheet\(i + 1).xml", Self.sheetXML(sheet))
        }

        add("docProps/core.xml", coreXML())
        return result
    }

    private static let stylesXML: String = header
        + "<styleSheet xmlns=\"\(mainNS)\">"
        + "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/><numFmt numFmtId=\"165\" formatCode=\"0.0%\"/></numFmts>"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"6\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"164\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"165\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/>"
        + "</cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"

    private static func sheetXML(_ sheet: Sheet) -> String {
        var xml = header + "<worksheet xmlns=\"\(mainNS)\" xmlns:r=\"\(relNS)\">"
        let width = sheet.rows.map(\.count).max() ?? 0
        if width > 0, !sheet.rows.isEmpty {
            xml += "<dimension ref=\"A1:\(XLSX.cellReference(row: sheet.rows.count - 1, column: width - 1))\"/>"
        }
        let frozen = min(sheet.headerRows, sheet.rows.count)
        if frozen > 0 {
            xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(frozen)\" topLeftCell=\"A\(frozen + 1)\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        } else {
            xml += "<sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>"
        }
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if let widths = sheet.columnWidths, !widths.isEmpty {
            xml += "<cols>"
            for (i, w) in widths.enumerated() where w.isFinite && w > 0 {
                let clamped = min(w, 255)
                xml += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(number(clamped))\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            let isHeader = r < sheet.headerRows
            xml += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                xml += cellXML(cell, ref: XLSX.cellReference(row: r, column: c), header: isHeader)
            }
            xml += "</row>"
        }
        xml += "</sheetData></worksheet>"
        return xml
    }

    private static func cellXML(_ cell: XLSXCell, ref: String, header: Bool) -> String {
        func style(_ s: Style) -> String { s == .normal ? "" : " s=\"\(s.rawValue)\"" }
        switch cell {
        case .empty:
            return header ? "<c r=\"\(ref)\"\(style(.bold))/>" : ""
        case .text(let s):
            let text = XLSX.escape(XLSX.truncated(s, to: maxCellLength))
            if text.isEmpty && !header { return "" }
            return "<c r=\"\(ref)\"\(style(header ? .bold : .normal)) t=\"inlineStr\"><is><t xml:space=\"preserve\">\(text)</t></is></c>"
        case .integer(let i):
            return "<c r=\"\(ref)\"\(style(header ? .bold : .normal))><v>\(i)</v></c>"
        case .number(let d):
            guard d.isFinite else { return "" }
            return "<c r=\"\(ref)\"\(style(header ? .bold : .normal))><v>\(number(d))</v></c>"
        case .percent(let d):
            guard d.isFinite else { return "" }
            return "<c r=\"\(ref)\"\(style(header ? .boldPercent : .percent))><v>\(number(d))</v></c>"
        case .date(let date):
            return "<c r=\"\(ref)\"\(style(header ? .boldDate : .date))><v>\(XLSX.serial(of: date))</v></c>"
        }
    }

    /// xsd:double text: integral values without ".0", others in Swift's shortest round-trip form.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    private func coreXML() -> String {
        var xml = Self.header
            + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
        if let title { xml += "<dc:title>\(XLSX.escape(title))</dc:title>" }
        xml += "<dc:creator>\(XLSX.escape(creator))</dc:creator>"
        if let created {
            let seconds = Int(created.timeIntervalSince1970.rounded(.down))
            let day = CivilDate(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
            let rem = seconds - day.dayNumber * 86_400
            func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            let stamp = "\(day.iso)T\(two(rem / 3600)):\(two(rem / 60 % 60)):\(two(rem % 60))Z"
            xml += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:created>"
            xml += "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:modified>"
        }
        xml += "</cp:coreProperties>"
        return xml
    }
}
