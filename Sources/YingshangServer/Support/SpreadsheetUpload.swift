import Foundation
import Vapor
import YingshangCore
import ZIPFoundation

/// An uploaded table, CSV or XLSX (first worksheet), as rows of strings; a bad file is a Chinese message.
enum SpreadsheetUpload {
    struct Unreadable: Error { let message: String }

    /// Largest unpacked worksheet accepted (protects against zip bombs).
    static let maxUnpackedBytes = 64 << 20

    static func table(_ file: File) throws -> [[String]] {
        let data = Data(buffer: file.data)
        guard file.filename.lowercased().hasSuffix(".xlsx") else {
            do { return try CSV.parse(data: data) } catch { throw Unreadable(message: "无法读取 CSV 文件：\(error.localizedDescription)") }
        }
        guard let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil) else {
            throw Unreadable(message: "无法打开 Excel 文件，请确认是 .xlsx 格式（不是 .xls）")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= maxUnpackedBytes else { throw Unreadable(message: "Excel 文件过大") }
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            return bytes
        }
        do {
            guard let sheet = try part("xl/worksheets/sheet1.xml") else { throw Unreadable(message: "Excel 文件中没有工作表") }
            return try XLSXReader.rows(sheetXML: sheet, sharedStringsXML: try part("xl/sharedStrings.xml"))
        } catch let error as Unreadable {
            throw error
        } catch {
            throw Unreadable(message: (error as? LocalizedError)?.errorDescription ?? "无法读取 Excel 文件")
        }
    }
}
