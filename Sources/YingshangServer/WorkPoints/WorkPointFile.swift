import Foundation
import YingshangCore
import ZIPFoundation

/// Reads an uploaded or named work-point file into text: `.docx` (unzipped here, read by the core's
/// XML reader with Word's list numbering restored) or plain text in UTF-8 / UTF-16 / GB18030.
enum WorkPointFile {
    struct ReadError: Error, LocalizedError, CustomStringConvertible {
        let description: String
        var errorDescription: String? { description }
    }

    static func text(from data: Data) throws -> String {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try docxText(data) }
        do { return try WorkPointText.decode(data) } catch let error as WorkPointTextError {
            throw ReadError(description: error.message)
        }
    }

    static func docxText(_ data: Data) throws -> String {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw ReadError(description: "文件看起来是压缩包，但无法打开：请确认是有效的 .docx 文件")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize < 200_000_000 else { throw ReadError(description: "文档内容过大") }
            var result = Data()
            _ = try archive.extract(entry, skipCRC32: false) { result.append($0) }
            return result
        }
        guard let document = try part("word/document.xml") else {
            throw ReadError(description: "不是 Word 文档（.docx）：缺少 word/document.xml")
        }
        do {
            return try WorkPointDocx.text(documentXML: document, numberingXML: try part("word/numbering.xml"))
        } catch let error as WorkPointDocxError {
            throw ReadError(description: error.message)
        }
    }
}
