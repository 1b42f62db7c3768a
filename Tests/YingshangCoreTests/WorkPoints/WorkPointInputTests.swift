import Foundation
import Testing
@testable import YingshangCore

@Suite("Work points: input formats")
struct WorkPointInputTests {
    @Test func decodesUTF8WithAndWithoutBOM() throws {
        let s = "一、总体要求（牵头单位：市发改委）"
        #expect(try WorkPointText.decode(Data(s.utf8)) == s)
        #expect(try WorkPointText.decode(Data([0xEF, 0xBB, 0xBF]) + Data(s.utf8)) == s)
    }

    @Test func repairsMostlyValidUTF8() throws {
        let s = "一、总体要求。（牵头单位：市发改委；完成时限：2023年7月底前）"
        var bytes = Array(s.utf8)
        bytes.append(0xE5) // truncated last character
        let text = try WorkPointText.decode(Data(bytes))
        #expect(text.hasPrefix(s))
    }

    @Test func decodesUTF16WithBOM() throws {
        let s = "（一）市场准入。（牵头单位：自治区市场监管局）"
        var le = Data([0xFF, 0xFE])
        for u in s.utf16 { le.append(UInt8(u & 0xFF)); le.append(UInt8(u >> 8)) }
        #expect(try WorkPointText.decode(le) == s)
        var be = Data([0xFE, 0xFF])
        for u in s.utf16 { be.append(UInt8(u >> 8)); be.append(UInt8(u & 0xFF)) }
        #expect(try WorkPointText.decode(be) == s)
    }

    @Test func decodesGB18030FileMadeByIconv() throws {
        let gb = try WorkPointFixtures.data("00-seed-2023-yingshang-gongzuo-yaodian-huibian.gb18030.txt")
        #expect(String(data: gb, encoding: .utf8) == nil) // really not UTF-8
        let text = try WorkPointText.decode(gb)
        let utf8 = try WorkPointFixtures.text("00-seed-2023-yingshang-gongzuo-yaodian-huibian.txt")
        #expect(text == utf8)
        let r = WorkPointParser().parse(text)
        #expect(r.documents.count == 4)
        #expect(r.allItems.filter(\.annotated).count == 47)
    }

    @Test func rejectsBinaryWithChineseMessage() {
        #expect(throws: WorkPointTextError.self) { try WorkPointText.decode(Data([0x41, 0x00, 0x42, 0x43])) }
        #expect(throws: WorkPointTextError.empty) { try WorkPointText.decode(Data()) }
        let control = Data((0..<200).map { UInt8($0 % 8 + 1) })
        do {
            _ = try WorkPointText.decode(control)
            Issue.record("expected an error")
        } catch let e as WorkPointTextError {
            #expect(e.message.contains("不是文本文件"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: WorkPointTextError.self) { try WorkPointText.decode(Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])) }
        // invalid in UTF-8 and in GB18030
        #expect(throws: WorkPointTextError.self) { try WorkPointText.decode(Data([0x81, 0x20, 0xFF, 0xFF, 0x80, 0x41])) }
    }

    @Test func docxParagraphsWithRenderedNumbering() throws {
        let dir = "docx-sample/"
        let paras = try WorkPointDocx.paragraphs(documentXML: WorkPointFixtures.data(dir + "document.xml"),
                                                 numberingXML: WorkPointFixtures.data(dir + "numbering.xml"))
        #expect(paras[0] == "某市2024年优化营商环境工作要点")
        #expect(paras[2] == "一、提升政务服务效能")
        #expect(paras[3].hasPrefix("（一）深化“一网通办”。"))
        #expect(paras[4].hasPrefix("（二）推进"))
        #expect(paras[5] == "二、优化市场环境")
        #expect(paras[6] == "（一）规范涉企收费。（市发展改革委、市财政局按职责分工负责）") // deleted text dropped, counter restarted
        #expect(paras[7] == "要点清单见下表") // bullets get no number
        #expect(paras[8] == "三、任务清单")
        #expect(paras[9] == "1.开展营商环境评价。（牵头单位：市发展改革委；配合单位：市统计局；完成时限：2024年11月底前）")

        let r = WorkPointParser().parse(paras.joined(separator: "\n"))
        #expect(r.documents.count == 1)
        #expect(r.documents[0].title == "某市2024年优化营商环境工作要点")
        let items = r.documents[0].items
        let first = items.first { $0.number == "（一）" && $0.path == ["一、提升政务服务效能"] }
        #expect(first?.leadUnits == ["市政务服务数据管理局"])
        #expect(first?.coUnits == ["市发展改革委", "市市场监管局"])
        #expect(first?.deadline?.date == "2024-06-30")
        #expect(first?.targets.first?.text == "达到98%以上")
        let second = items.first { $0.number == "（二）" }
        #expect(second?.deadline?.kind == .ongoing)
        let fee = items.first { $0.number == "（一）" && $0.path == ["二、优化市场环境"] }
        #expect(fee?.leadUnits == ["市发展改革委", "市财政局"])
        let tableRow = items.first { $0.number == "1." }
        #expect(tableRow?.leadUnits == ["市发展改革委"])
        #expect(tableRow?.coUnits == ["市统计局"])
        #expect(tableRow?.deadline?.date == "2024-11-30")
    }

    @Test func docxWithoutNumberingAndBrokenXML() throws {
        let xml = Data("<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>一、测试</w:t></w:r></w:p></w:body></w:document>".utf8)
        #expect(try WorkPointDocx.paragraphs(documentXML: xml, numberingXML: nil) == ["一、测试"])
        #expect(throws: WorkPointDocxError.self) {
            try WorkPointDocx.paragraphs(documentXML: Data("<w:document><w:body>".utf8), numberingXML: nil)
        }
    }

    @Test func docxTextBoxParagraphsDoNotBreakTheOuterParagraph() throws {
        let xml = Data("""
        <w:document xmlns:w="x"><w:body><w:p><w:r><w:t>一、外层</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:r><w:r><w:t>继续</w:t></w:r></w:p></w:body></w:document>
        """.utf8)
        #expect(try WorkPointDocx.paragraphs(documentXML: xml, numberingXML: nil) == ["文本框", "一、外层继续"])
    }

    @Test func wordNumberFormats() {
        #expect(WorkPointDocx.format(1, numFmt: "chineseCounting") == "一")
        #expect(WorkPointDocx.format(10, numFmt: "chineseCounting") == "十")
        #expect(WorkPointDocx.format(13, numFmt: "chineseCountingThousand") == "十三")
        #expect(WorkPointDocx.format(20, numFmt: "chineseCounting") == "二十")
        #expect(WorkPointDocx.format(35, numFmt: "chineseCounting") == "三十五")
        #expect(WorkPointDocx.format(3, numFmt: "decimalEnclosedCircle") == "③")
        #expect(WorkPointDocx.format(4, numFmt: "decimal") == "4")
    }
}
