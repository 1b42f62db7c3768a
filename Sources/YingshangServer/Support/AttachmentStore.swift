import Crypto
import Fluent
import Vapor

/// Files on disk under the data directory (a task's or report's evidence, a policy document's annexes), type- and
/// size-checked, served only through routes that check the right to their owner.
struct AttachmentStore {
    let app: Application

    static let maxBytes = 10 * 1024 * 1024
    /// Extension → content type of the files accepted.
    static let allowed: [String: String] = [
        "pdf": "application/pdf", "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "txt": "text/plain", "ofd": "application/ofd",
    ]

    var root: URL { URL(fileURLWithPath: app.settings.dataDirectory).appendingPathComponent("attachments") }

    /// Checks a file before anything is written; Chinese messages for the user.
    static func problem(with file: File) -> String? {
        let ext = (file.filename as NSString).pathExtension.lowercased()
        guard allowed[ext] != nil else {
            return "“\(file.filename)”的类型不允许上传：仅限 PDF、Word、Excel、图片（JPG/PNG）、TXT、OFD"
        }
        guard file.data.readableBytes > 0 else { return "“\(file.filename)”是空文件" }
        guard file.data.readableBytes <= maxBytes else { return "“\(file.filename)”超过 10 MB" }
        let head = Array(file.data.getBytes(at: file.data.readerIndex, length: min(8, file.data.readableBytes)) ?? [])
        let magic: [String: [UInt8]] = ["pdf": [0x25, 0x50, 0x44, 0x46], "png": [0x89, 0x50, 0x4E, 0x47],
                                        "jpg": [0xFF, 0xD8, 0xFF], "jpeg": [0xFF, 0xD8, 0xFF],
                                        "docx": [0x50, 0x4B, 0x03, 0x04], "xlsx": [0x50, 0x4B, 0x03, 0x04],
                                        "ofd": [0x50, 0x4B, 0x03, 0x04]]
        if let expected = magic[ext], !head.starts(with: expected) {
            return "“\(file.filename)”的内容与扩展名不符，可能已损坏"
        }
        return nil
    }

    /// Writes the file and returns its (unsaved) record; the caller saves it in its transaction.
    func store(_ file: File, ownerType: String, ownerID: UUID, uploader: UUID) async throws -> Attachment {
        let data = Data(buffer: file.data)
        let id = UUID()
        let relative = "\(ownerType)/\(ownerID.uuidString.prefix(2))/\(id.uuidString)"
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
        let attachment = Attachment()
        attachment.id = id
        attachment.ownerType = ownerType
        attachment.ownerID = ownerID
        attachment.fileName = String(file.filename.suffix(200))
        attachment.contentType = Self.allowed[(file.filename as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        attachment.size = data.count
        attachment.sha256 = SHA256.hash(data: data).hex
        attachment.storedPath = relative
        attachment.uploadedBy = uploader
        return attachment
    }

    func remove(_ attachment: Attachment) {
        try? FileManager.default.removeItem(at: root.appendingPathComponent(attachment.storedPath))
    }

    func response(for attachment: Attachment, request: Request) async throws -> Response {
        let url = root.appendingPathComponent(attachment.storedPath)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw APIError.notFound }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: attachment.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(attachment.fileName))
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
