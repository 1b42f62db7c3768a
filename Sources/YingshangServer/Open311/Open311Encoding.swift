import Foundation
import Vapor

/// A value in an Open311 response, encoded as JSON or GeoReport XML.
indirect enum Open311Value: Sendable {
    case string(String), number(Double), bool(Bool), null, array([Open311Value]), object([String: Open311Value])

    var json: Any {
        switch self {
        case .string(let s): s
        case .number(let n): n.rounded() == n ? Int(n) as Any : n
        case .bool(let b): b
        case .null: NSNull()
        case .array(let a): a.map(\.json)
        case .object(let o): o.mapValues(\.json)
        }
    }

    func xml(name: String, item: String?) -> String {
        switch self {
        case .string(let s): "<\(name)>\(Open311Encoding.escape(s))</\(name)>"
        case .number(let n): "<\(name)>\(n.rounded() == n ? String(Int(n)) : String(n))</\(name)>"
        case .bool(let b): "<\(name)>\(b)</\(name)>"
        case .null: "<\(name)/>"
        case .array(let values): "<\(name)>" + values.map { $0.xml(name: item ?? "value", item: nil) }.joined() + "</\(name)>"
        case .object(let fields):
            "<\(name)>" + fields.sorted { $0.key < $1.key }.map { $0.value.xml(name: $0.key, item: $0.key == "values" ? "value" : ($0.key == "attributes" ? "attribute" : nil)) }.joined() + "</\(name)>"
        }
    }
}

enum Open311Encoding {
    static func discovery(base: String) -> Open311Value {
        .object([
            "changeset": .string("2026-11-28T00:00:00+08:00"), "contact": .string("营商环境专线 12345"),
            "key_service": .string("在平台“接口令牌”页面申请 api_key"),
            "endpoints": .array([.object([
                "specification": .string("http://wiki.open311.org/GeoReport_v2"), "url": .string(base),
                "changeset": .string("2026-11-28T00:00:00+08:00"), "type": .string("production"),
                "formats": .array([.string("application/json"), .string("text/xml")]),
            ])]),
        ])
    }

    static func respond(_ value: Open311Value, root: String, item: String?, format: Open311Controller.Format) throws -> Response {
        let response = Response(status: .ok)
        switch format {
        case .json:
            response.body = .init(data: try JSONSerialization.data(withJSONObject: value.json, options: [.sortedKeys, .withoutEscapingSlashes]))
            response.headers.contentType = .json
        case .xml:
            response.body = .init(string: "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + value.xml(name: root, item: item))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "xml", parameters: ["charset": "utf-8"])
        }
        return response
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// An Open311 error: `[{"code": 403, "description": "…"}]` (or `<errors><error>…</error></errors>`).
struct Open311Error: Error, AbortError {
    let status: HTTPResponseStatus
    let format: Open311Controller.Format
    let description: String
    var reason: String { description }

    func response() throws -> Response {
        let response = try Open311Encoding.respond(
            .array([.object(["code": .number(Double(status.code)), "description": .string(description)])]),
            root: "errors", item: "error", format: format)
        response.status = status
        return response
    }
}
