import Vapor
import YingshangCore

extension Response {
    /// A CSV download (UTF-8 with BOM so that Excel opens Chinese text correctly).
    static func csv(_ rows: [[String]], filename: String) -> Response {
        let response = Response(status: .ok, body: .init(string: CSV.render(rows, bom: true)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: ContentDisposition.attachment(filename))
        return response
    }
}

enum ContentDisposition {
    /// `attachment` with an ASCII fallback and the RFC 5987 UTF-8 name for Chinese file names.
    static func attachment(_ filename: String) -> String {
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "download"
        return "attachment; filename=\"download.\((filename as NSString).pathExtension)\"; filename*=UTF-8''\(encoded)"
    }
}
