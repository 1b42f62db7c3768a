import Foundation
import Testing
@testable import YingshangCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses XML and records element names and text; fails on malformed XML.
private final class XMLProbe: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""
    var depth = 0
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append((elementName, attributeDict))
        depth += 1
    }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

private func probe(_ data: Data) -> XMLProbe? {
    let p = XMLProbe()
    let parser = XMLParser(data: data)
    parser.delegate = p
    // Linux XMLParser can return true despite errors, so also check parserError and nesting.
    return parser.parse() && parser.parserError == nil && p.depth == 0 && !p.elements.isEmpty ? p : nil
}

private func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

private func part(_ parts: [(path: String, data: Data)], _ path: String) -> String? {
    parts.first { $0.path == path }.map { String(decoding: $0.data, as: UTF8.self) }
}

@Suite("XLSX helpers")
struct XLSXHelperTests {
    @Test func columnLetters() {
        #expect(XLSX.columnLetters(0) == "A")
        #expect(XLSX.columnLetters(25) == "Z")
        #expect(XLSX.columnLetters(26) == "AA")
        #expect(XLSX.columnLetters(51) == "AZ")
        #expect(XLSX.columnLetters(52) == "BA")
        #expect(XLSX.columnLetters(701) == "ZZ")
        #expect(XLSX.columnLetters(702) == "AAA")
        #expect(XLSX.columnLetters(16_383) == "XFD")
        for i in [0, 1, 25, 26, 27, 701, 702, 16_383] { #expect(XLSX.columnIndex(XLSX.columnLetters(i)) == i) }
        #expect(XLSX.columnIndex("b") == 1)
        #expect(XLSX.columnIndex("") == nil)
        #expect(XLSX.columnIndex("A1") == nil)
        #expect(XLSX.cellReference(row: 2, column: 1) == "B3")
        #expect(XLSX.cellReference(row: 0, column: 0) == "A1")
    }

    @Test func escaping() {
        #expect(XLSX.escape("a<b>&\"c\"'d'") == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;")
        #expect(XLSX.escape("x\u{0}\u{1}\u{8}y\u{B}\u{C}\u{1F}z\u{FFFE}\u{FFFF}") == "xyz")
        #expect(XLSX.escape("tab\tlf\ncr\r") == "tab\tlf\ncr&#13;")
        #expect(XLSX.escape("中文😀") == "中文😀")
    }

    @Test func serials() {
        #expect(XLSX.serial(of: d("1900-03-01")) == 61)
        #expect(XLSX.serial(of: d("1970-01-01")) == 25_569)
        #expect(XLSX.date(fromSerial: 45_292) == d("2024-01-01"))
        #expect(XLSX.date(fromSerial: XLSX.serial(of: d("2023-12-31"))) == d("2023-12-31"))
        #expect(XLSX.serial(of: d("2023-10-18")) == 45_217)
        #expect(XLSX.serial(of: d("2024-02-29")) == 45_351)
    }

    @Test func sheetNames() {
        #expect(XLSX.sheetName("办件统计", existing: []) == "办件统计")
        #expect(XLSX.sheetName("a[b]c:d*e?f/g\\h", existing: []) == "a_b_c_d_e_f_g_h")
        #expect(XLSX.sheetName("", existing: ["x"]) == "Sheet2")
        #expect(XLSX.sheetName("'quoted'", existing: []) == "quoted")
        let long = String(repeating: "营", count: 40)
        #expect(XLSX.sheetName(long, existing: []).count == 31)
        #expect(XLSX.sheetName("Data", existing: ["data"]) == "Data(2)")
        #expect(XLSX.sheetName("Data", existing: ["data", "Data(2)"]) == "Data(3)")
        let unique = XLSX.sheetName(long, existing: [String(repeating: "营", count: 31)])
        #expect(unique == String(repeating: "营", count: 28) + "(2)")
        #expect(unique.count == 31)
        // Emoji count as two UTF-16 units.
        #expect(XLSX.sheetName(String(repeating: "😀", count: 20), existing: []).utf16.count == 30)
    }
}

@Suite("XLSXWorkbook")
struct XLSXWorkbookTests {
    func sample() -> XLSXWorkbook {
        var wb = XLSXWorkbook()
        wb.title = "测试 & 导出"
        wb.addSheet(name: "办件", rows: [
            [.text("编码"), .text("名称"), .text("数量"), .text("日期"), .text("占比"), .text("金额")],
            [.text("A01"), .text("营商<环境>&\"办\""), .integer(42), .date(d("2023-10-18")), .percent(0.125), .number(3.5)],
            [.text("  leading"), .empty, .integer(-7), .date(d("2024-02-29")), .percent(1), .number(1e20)],
            [.text("ctrl\u{1}char"), .text("多行\n文本"), .number(.nan), .empty, .text(""), .number(0.1)],
        ], columnWidths: [10, 30, 8, 12, 8, 10])
        wb.addSheet(name: "办件", rows: [[.text("second")]], headerRows: 0)
        return wb
    }

    @Test func allPartsPresentAndWellFormed() throws {
        let parts = sample().parts()
        #expect(parts.map(\.path) == [
            "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "docProps/core.xml",
        ])
        for p in parts {
            #expect(probe(p.data) != nil, "\(p.path) is not well-formed XML")
            #expect(String(decoding: p.data, as: UTF8.self).hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\""))
        }
        let types = try #require(part(parts, "[Content_Types].xml"))
        #expect(types.contains("/xl/worksheets/sheet2.xml"))
        #expect(types.contains("/docProps/core.xml"))
        let rels = try #require(part(parts, "xl/_rels/workbook.xml.rels"))
        #expect(rels.contains("Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\""))
    }

    @Test func workbookListsUniqueSheets() throws {
        let parts = sample().parts()
        let data = try #require(parts.first { $0.path == "xl/workbook.xml" }).data
        let workbook = try #require(probe(data))
        let sheets = workbook.elements.filter { $0.name == "sheet" }
        #expect(sheets.map { $0.attributes["name"] } == ["办件", "办件(2)"])
        #expect(sheets.map { $0.attributes["r:id"] } == ["rId1", "rId2"])
    }

    @Test func stylesHaveBoldDateAndPercent() throws {
        let styles = try #require(part(sample().parts(), "xl/styles.xml"))
        #expect(styles.contains("formatCode=\"yyyy-mm-dd\""))
        #expect(styles.contains("formatCode=\"0.0%\""))
        #expect(styles.contains("<b/>"))
    }

    @Test func cellsReferencesTypesAndStyles() throws {
        let parts = sample().parts()
        let xml = try #require(part(parts, "xl/worksheets/sheet1.xml"))
        let sheet = try #require(probe(Data(xml.utf8)))
        let cells = sheet.elements.filter { $0.name == "c" }
        let refs = cells.compactMap { $0.attributes["r"] }
        #expect(refs.prefix(6) == ["A1", "B1", "C1", "D1", "E1", "F1"])
        #expect(refs.contains("B2") && refs.contains("F3"))
        #expect(!refs.contains("B3"))   // .empty writes nothing
        #expect(!refs.contains("C4"))   // NaN dropped
        #expect(!refs.contains("E4"))   // empty text dropped
        func attrs(_ ref: String) -> [String: String]? { cells.first { $0.attributes["r"] == ref }?.attributes }
        #expect(attrs("A1")?["s"] == "1")
        #expect(attrs("A1")?["t"] == "inlineStr")
        #expect(attrs("A2")?["s"] == nil)
        #expect(attrs("C2")?["t"] == nil)
        #expect(attrs("D2")?["s"] == "2")
        #expect(attrs("E2")?["s"] == "3")
        #expect(xml.contains("<c r=\"C2\"><v>42</v></c>"))
        #expect(xml.contains("<c r=\"D2\" s=\"2\"><v>45217</v></c>"))
        #expect(xml.contains("<c r=\"E2\" s=\"3\"><v>0.125</v></c>"))
        #expect(xml.contains("<c r=\"F2\"><v>3.5</v></c>"))
        #expect(xml.contains("<c r=\"F3\"><v>1e+20</v></c>"))
        #expect(xml.contains("营商&lt;环境&gt;&amp;&quot;办&quot;"))
        #expect(xml.contains("<t xml:space=\"preserve\">  leading</t>"))
        #expect(xml.contains("ctrlchar"))
        #expect(xml.contains("<dimension ref=\"A1:F4\"/>"))
        #expect(xml.contains("state=\"frozen\""))
        #expect(xml.contains("<col min=\"2\" max=\"2\" width=\"30\" customWidth=\"1\"/>"))
        let second = try #require(part(parts, "xl/worksheets/sheet2.xml"))
        #expect(!second.contains("frozen"))
        #expect(!second.contains(" s=\"1\""))
    }

    @Test func coreProperties() throws {
        var wb = sample()
        wb.created = Date(timeIntervalSince1970: 1_697_558_400)
        let core = try #require(part(wb.parts(), "docProps/core.xml"))
        #expect(core.contains("<dc:title>测试 &amp; 导出</dc:title>"))
        #expect(core.contains("2023-10-17T16:00:00Z"))
        #expect(!(part(sample().parts(), "docProps/core.xml") ?? "").contains("dcterms:created"))
    }

    @Test func emptyWorkbookStillHasASheet() throws {
        let parts = XLSXWorkbook().parts()
        #expect(parts.contains { $0.path == "xl/worksheets/sheet1.xml" })
        for p in parts { #expect(probe(p.data) != nil) }
    }

    @Test func writerReaderRoundTrip() throws {
        let parts = sample().parts()
        let sheet = try #require(parts.first { $0.path == "xl/worksheets/sheet1.xml" }).data
        let rows = try XLSXReader.rows(sheetXML: sheet, sharedStringsXML: nil)
        #expect(rows.count == 4)
        #expect(rows[0] == ["编码", "名称", "数量", "日期", "占比", "金额"])
        #expect(rows[1] == ["A01", "营商<环境>&\"办\"", "42", "45217", "0.125", "3.5"])
        #expect(rows[2] == ["  leading", "", "-7", "45351", "1", "1e+20"])
        #expect(rows[3] == ["ctrlchar", "多行\n文本", "", "", "", "0.1"])
    }

    @Test func longTextTruncatedToExcelLimit() throws {
        var wb = XLSXWorkbook()
        wb.addSheet(name: "x", rows: [[.text(String(repeating: "a", count: 40_000))]], headerRows: 0)
        let sheet = try #require(wb.parts().first { $0.path == "xl/worksheets/sheet1.xml" }).data
        let rows = try XLSXReader.rows(sheetXML: sheet, sharedStringsXML: nil)
        #expect(rows[0][0].count == XLSXWorkbook.maxCellLength)
    }

    /// Manual check helper: `XLSX_DUMP_DIR=/tmp/x swift test --filter dumpForManualCheck` writes the parts
    /// of the sample workbook there (then zip and open with openpyxl / LibreOffice).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["XLSX_DUMP_DIR"] != nil))
    func dumpForManualCheck() throws {
        let dir = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["XLSX_DUMP_DIR"]))
        for p in sample().parts() {
            let url = dir.appendingPathComponent(p.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try p.data.write(to: url)
        }
    }

    /// Zips the parts with /usr/bin/zip (when installed) and checks the archive with `unzip -t`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zip")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip")))
    func zipsIntoAValidArchive() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for p in sample().parts() {
            let url = dir.appendingPathComponent(p.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try p.data.write(to: url)
        }
        func run(_ tool: String, _ args: [String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = args
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try run("/usr/bin/zip", ["-X", "-r", "out.xlsx", "[Content_Types].xml", "_rels", "docProps", "xl"]) == 0)
        #expect(try run("/usr/bin/unzip", ["-t", "out.xlsx"]) == 0)
    }
}

@Suite("XLSXReader")
struct XLSXReaderTests {
    static let shared = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
    <si><t>编码</t></si>
    <si><t xml:space="preserve">名称 </t></si>
    <si><r><rPr><b/></rPr><t>营商</t></r><r><t>环境</t></r></si>
    <si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh></si>
    </sst>
    """

    static let sheet = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
    <sheetData>
    <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>备注</t></is></c></row>
    <row r="2"><c r="A2"><v>12</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="b"><v>0</v></c></row>
    <row r="4"><c r="B4" t="e"><v>#N/A</v></c><c r="C4" t="str"><f>A2*2</f><v>24</v></c><c r="E4" t="s"><v>3</v></c></row>
    <row r="5"><c r="A5" s="3"/></row>
    </sheetData>
    </worksheet>
    """

    @Test func readsSharedInlineNumbersBooleansAndGaps() throws {
        let rows = try XLSXReader.rows(sheetXML: Data(Self.sheet.utf8), sharedStringsXML: Data(Self.shared.utf8))
        #expect(rows == [
            ["编码", "名称 ", "", "备注", ""],
            ["12", "营商环境", "TRUE", "FALSE", ""],
            ["", "", "", "", ""],
            ["", "#N/A", "24", "", "漢字"],
        ])
    }

    @Test func cellsWithoutReferencesAreSequential() throws {
        let xml = """
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        <row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>
        <row><c r="C2"><v>3</v></c><c><v>4</v></c></row>
        </sheetData></worksheet>
        """
        #expect(try XLSXReader.rows(sheetXML: Data(xml.utf8), sharedStringsXML: nil) == [["a", "1", "", ""], ["", "", "3", "4"]])
    }

    @Test func prefixedNamespaces() throws {
        let xml = """
        <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
        <x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c></x:row>
        </x:sheetData></x:worksheet>
        """
        #expect(try XLSXReader.rows(sheetXML: Data(xml.utf8), sharedStringsXML: nil) == [["前缀"]])
    }

    @Test func errors() {
        #expect(throws: XLSXReadError.self) {
            try XLSXReader.rows(sheetXML: Data("<worksheet><sheetData><row>".utf8), sharedStringsXML: nil)
        }
        #expect(throws: XLSXReadError.badSharedStringIndex(cell: "A1", index: "9")) {
            try XLSXReader.rows(sheetXML: Data(#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>9</v></c></row></sheetData></worksheet>"#.utf8),
                                sharedStringsXML: Data(Self.shared.utf8))
        }
        #expect(XLSXReadError.badSharedStringIndex(cell: "A1", index: "9").errorDescription?.contains("A1") == true)
    }

    @Test func probeRejectsMalformedXML() {
        #expect(probe(Data("<a><b></a>".utf8)) == nil)
        #expect(probe(Data("<a>".utf8)) == nil)
        #expect(probe(Data("<a>&bogus;</a>".utf8)) == nil)
        #expect(probe(Data("<a>x</a>".utf8)) != nil)
    }

    @Test func emptySheet() throws {
        #expect(try XLSXReader.rows(sheetXML: Data("<worksheet><sheetData/></worksheet>".utf8), sharedStringsXML: nil) == [])
    }
}

@Suite("XLSXReader malformed input")
struct XLSXReaderMalformedTests {
    @Test(arguments: ["", "not xml", "<worksheet><sheetData><row>", "<worksheet><sheetData></row></sheetData></worksheet>"])
    func malformedSheetThrows(_ xml: String) {
        #expect(throws: XLSXReadError.self) {
            try XLSXReader.rows(sheetXML: Data(xml.utf8), sharedStringsXML: nil)
        }
    }

    @Test func malformedSharedStringsThrows() {
        #expect(throws: XLSXReadError.self) {
            try XLSXReader.rows(sheetXML: Data("<worksheet/>".utf8), sharedStringsXML: Data("<sst><si><t>x".utf8))
        }
    }
}
