import Foundation

/// Errors raised when a file cannot be read as text.
public enum WorkPointTextError: Error, Sendable, Equatable, LocalizedError, CustomStringConvertible {
    case empty
    case binary(reason: String)
    case undecodable

    public var message: String {
        switch self {
        case .empty: return "文件为空，无法解析。"
        case .binary(let reason): return "文件不是文本文件（\(reason)），请上传 UTF-8 或 GB18030/GBK 编码的文本，或 .docx 文件。"
        case .undecodable: return "无法识别文件编码，请转换为 UTF-8 或 GB18030/GBK 编码后重新上传。"
        }
    }

    public var errorDescription: String? { message }
    public var description: String { message }
}

/// Text decoding for uploaded work-point files.
public enum WorkPointText {
    /// GB18030 (superset of GBK / GB2312). `kCFStringEncodingGB_18030_2000` = 0x0632, as NSStringEncoding.
    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Detects the encoding (UTF-8 with/without BOM, UTF-16 LE/BE with BOM, GB18030/GBK) and decodes.
    /// Throws `WorkPointTextError` for empty, binary or undecodable data.
    public static func decode(_ data: Data) throws -> String {
        if data.isEmpty { throw WorkPointTextError.empty }
        let bytes = [UInt8](data)
        // BOMs
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            guard let s = String(bytes: bytes[3...], encoding: .utf8) else { throw WorkPointTextError.undecodable }
            try checkControlRatio(s)
            return s
        }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let little = bytes[0] == 0xFF
            let body = bytes[2...]
            guard body.count % 2 == 0,
                  let s = String(bytes: body, encoding: little ? .utf16LittleEndian : .utf16BigEndian)
            else { throw WorkPointTextError.undecodable }
            try checkControlRatio(s)
            return s
        }
        // Binary sniffing: NUL bytes or well-known binary signatures.
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw WorkPointTextError.binary(reason: "ZIP/DOCX 压缩包，请按 .docx 处理")
        }
        if bytes.starts(with: [0x25, 0x50, 0x44, 0x46]) {
            throw WorkPointTextError.binary(reason: "PDF 文件")
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw WorkPointTextError.binary(reason: "旧版 Word/Excel 文件")
        }
        if bytes.contains(0) {
            throw WorkPointTextError.binary(reason: "包含空字节")
        }
        var control = 0
        for b in bytes where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C {
            control += 1
        }
        if control * 20 > bytes.count {
            throw WorkPointTextError.binary(reason: "控制字符比例过高")
        }
        if let s = String(bytes: bytes, encoding: .utf8) {
            return s
        }
        // Mostly valid UTF-8 with a few broken bytes (e.g. a truncated last character): repair rather than
        // misreading the whole file as GB18030.
        let (valid, invalid) = utf8Stats(bytes)
        if valid >= 8 && invalid <= max(2, valid / 50) {
            return String(decoding: bytes, as: UTF8.self)
        }
        if let s = String(bytes: bytes, encoding: gb18030), !s.isEmpty {
            try checkControlRatio(s)
            return s
        }
        throw WorkPointTextError.undecodable
    }

    /// Counts valid multi-byte UTF-8 sequences and invalid bytes.
    static func utf8Stats(_ b: [UInt8]) -> (valid: Int, invalid: Int) {
        var valid = 0
        var invalid = 0
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var len = 0
            if c & 0xE0 == 0xC0 && c >= 0xC2 { len = 2 } else if c & 0xF0 == 0xE0 { len = 3 } else if c & 0xF8 == 0xF0 && c <= 0xF4 { len = 4 }
            if len == 0 || i + len > n { invalid += 1; i += 1; continue }
            var ok = true
            for k in 1..<len where b[i + k] & 0xC0 != 0x80 { ok = false; break }
            if ok { valid += 1; i += len } else { invalid += 1; i += 1 }
        }
        return (valid, invalid)
    }

    private static func checkControlRatio(_ s: String) throws {
        var total = 0
        var control = 0
        for u in s.unicodeScalars {
            total += 1
            if u.value == 0 { throw WorkPointTextError.binary(reason: "包含空字符") }
            if u.value < 0x20 && u.value != 0x09 && u.value != 0x0A && u.value != 0x0D && u.value != 0x0C {
                control += 1
            }
        }
        if total > 0 && control * 20 > total {
            throw WorkPointTextError.binary(reason: "控制字符比例过高")
        }
    }
}
