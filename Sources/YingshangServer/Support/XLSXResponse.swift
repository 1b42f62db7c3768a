import Vapor
import YingshangCore
import ZIPFoundation

extension Response {
    /// An XLSX download built from the core's workbook parts, zipped in memory.
    static func xlsx(_ workbook: XLSXWorkbook, filename: String) throws -> Response {
        let archive = try Archive(accessMode: .create)
        for part in workbook.parts() {
            let data = part.data
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw Abort(.internalServerError, reason: "XLSX archive has no data") }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType,
                                      value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(filename))
        return response
    }
}
