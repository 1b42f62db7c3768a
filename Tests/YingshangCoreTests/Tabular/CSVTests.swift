import Foundation
import Testing
@testable import YingshangCore

@Suite("CSV")
struct CSVTests {
    @Test func simpleRecords() throws {
        #expect(try CSV.parse("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try CSV.parse("a,b,c\r\n1,2,3\r\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try CSV.parse("a,b,c\r1,2,3") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try CSV.parse("a,b,c\n1,2,3") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try CSV.parse("") == [])
        #expect(try CSV.parse("\n\r\n") == [])
        #expect(try CSV.parse("x") == [["x"]])
    }

    @Test func emptyFields() throws {
        #expect(try CSV.parse(",,\n1,,3\n") == [["", "", ""], ["1", "", "3"]])
        #expect(try CSV.parse("a,\nb,\n") == [["a", ""], ["b", ""]])
        #expect(try CSV.parse("\"\"\n") == [[""]])
        #expect(try CSV.parse("a,\"\"\n") == [["a", ""]])
    }

    @Test func quotedFields() throws {
        let text = "name,note\r\n\"张三, 李四\",\"他说\"\"你好\"\"\"\r\n\"多行\r\n第二行\",\"x\ny\"\r\n"
        #expect(try CSV.parse(text) == [["name", "note"], ["张三, 李四", "他说\"你好\""], ["多行\n第二行", "x\ny"]])
        #expect(try CSV.parse("\"a\",\"b\"") == [["a", "b"]])
        #expect(try CSV.parse("\"\"\"\"") == [["\""]])
        #expect(try CSV.parse("\"a,\",b\n") == [["a,", "b"]])
    }

    @Test func trailingAndBlankLinesIgnored() throws {
        #expect(try CSV.parse("a,b\n1,2\n\n\n") == [["a", "b"], ["1", "2"]])
        #expect(try CSV.parse("a,b\r\n\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
    }

    @Test func bomIgnored() throws {
        #expect(try CSV.parse("\u{FEFF}编码,名称\nA,B\n") == [["编码", "名称"], ["A", "B"]])
    }

    @Test func raggedRowsReported() {
        #expect(throws: CSVError.raggedRow(line: 3, expected: 2, found: 3)) {
            try CSV.parse("a,b\n1,2\n1,2,3\n")
        }
        // Line numbers count physical lines, including those inside quoted fields.
        #expect(throws: CSVError.raggedRow(line: 4, expected: 2, found: 1)) {
            try CSV.parse("a,b\n\"x\ny\",2\nonly\n")
        }
        #expect(CSVError.raggedRow(line: 3, expected: 2, found: 3).errorDescription == "第 3 行：列数为 3，与表头的 2 列不一致")
    }

    @Test func malformedQuotes() {
        #expect(throws: CSVError.unterminatedQuote(line: 2)) {
            try CSV.parse("a,b\n\"open,2\n3,4\n")
        }
        #expect(throws: CSVError.unexpectedCharacterAfterQuote(line: 1, column: 1)) {
            try CSV.parse("\"a\"b,c")
        }
        #expect(throws: CSVError.quoteInUnquotedField(line: 2, column: 2)) {
            try CSV.parse("a,b\n1,2\"3\n")
        }
        let message = CSVError.unterminatedQuote(line: 7).localizedDescription
        #expect(message.contains("第 7 行"))
    }

    @Test func renderQuotesWhenNeeded() {
        let rows = [["编码", "名称"], ["A,1", "say \"hi\""], ["多行\n文本", ""], [" padded", "plain"]]
        let text = CSV.render(rows, bom: false)
        #expect(text == "编码,名称\r\n\"A,1\",\"say \"\"hi\"\"\"\r\n\"多行\n文本\",\r\n\" padded\",plain\r\n")
        #expect(CSV.render(rows).hasPrefix("\u{FEFF}编码"))
        #expect(CSV.render([], bom: false) == "")
    }

    @Test func renderParseRoundTrip() throws {
        let rows = [["a", "b", "c"], ["x,y", "\"q\"", "line1\nline2"], ["", "中文，全角", "tab\there"], ["'", "\"", ","]]
        #expect(try CSV.parse(CSV.render(rows)) == rows)
        #expect(try CSV.parse(data: Data(CSV.render(rows).utf8)) == rows)
    }

    @Test func formulaInjectionNeutralised() {
        let rows = [["=SUM(A1:A2)", "+cmd", "-cmd|' /C calc'!A0", "@SUM(1)", "\tx", "＝1+1"],
                    ["-12.5", "+86", "42", "-", "a=b", "normal"]]
        let safe = CSV.render(rows, bom: false)
        #expect(safe == "'=SUM(A1:A2),'+cmd,'-cmd|' /C calc'!A0,'@SUM(1),'\tx,'＝1+1\r\n-12.5,+86,42,'-,a=b,normal\r\n")
        let raw = CSV.render(rows, bom: false, safeForSpreadsheet: false)
        #expect(raw.hasPrefix("=SUM(A1:A2),+cmd"))
    }

    @Test func decodesUTF8WithAndWithoutBOM() throws {
        let text = "编码,名称\r\nA01,营商环境办\r\n"
        let expected = [["编码", "名称"], ["A01", "营商环境办"]]
        #expect(try CSV.parse(data: Data(text.utf8)) == expected)
        #expect(try CSV.parse(data: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)) == expected)
    }

    @Test func decodesUTF16WithBOM() throws {
        let text = "编码,名称\nA01,营商环境办\n"
        var le = Data([0xFF, 0xFE])
        for unit in text.utf16 { le.append(UInt8(unit & 0xFF)); le.append(UInt8(unit >> 8)) }
        #expect(try CSV.parse(data: le) == [["编码", "名称"], ["A01", "营商环境办"]])
    }

    /// "编码,名称\r\nA01,营商环境办\r\n" encoded as GBK/GB18030 (as Excel in China saves CSV).
    static let gbkBytes: [UInt8] = [
        0xB1, 0xE0, 0xC2, 0xEB, 0x2C, 0xC3, 0xFB, 0xB3, 0xC6, 0x0D, 0x0A,
        0x41, 0x30, 0x31, 0x2C, 0xD3, 0xAA, 0xC9, 0xCC, 0xBB, 0xB7, 0xBE, 0xB3, 0xB0, 0xEC, 0x0D, 0x0A,
    ]

    @Test func decodesGB18030() throws {
        #expect(String(data: Data(Self.gbkBytes), encoding: .utf8) == nil)
        #expect(try CSV.parse(data: Data(Self.gbkBytes)) == [["编码", "名称"], ["A01", "营商环境办"]])
        // Four-byte GB18030 sequence (U+20000 𠀀 is 0x95 0x32 0x82 0x36).
        #expect(try CSV.decode(Data([0x95, 0x32, 0x82, 0x36])) == "\u{20000}")
    }

    @Test func gb18030RoundTripThroughFoundation() throws {
        let text = "科室,别名\n营商环境科,营商科；环境科\n"
        let data = try #require(text.data(using: WorkPointText.gb18030))
        #expect(try CSV.parse(data: data) == [["科室", "别名"], ["营商环境科", "营商科；环境科"]])
    }

    @Test func largeInputIsFast() throws {
        let row = (0..<10).map { "单元格\($0),\"含,逗号\"" }.joined(separator: ",")
        let text = Array(repeating: row, count: 5_000).joined(separator: "\r\n")
        let clock = ContinuousClock()
        var rows: [[String]] = []
        let elapsed = try clock.measure { rows = try CSV.parse(text) }
        #expect(rows.count == 5_000)
        #expect(rows[0].count == 20)
        #expect(elapsed < .seconds(10))
    }
}
