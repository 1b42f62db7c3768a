import Vapor
import YingshangCore

/// An error a user or client can act on: an HTTP status, a machine-readable code and a Chinese message.
///
/// JSON: `{"error":{"code":"validation_failed","message":"…","fields":{"name":"不能为空"}}}`.
struct APIError: Error, AbortError, Sendable {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var fields: [String: String] = [:]
    /// Row-by-row problems of an import.
    var rows: [RowError] = []

    var reason: String { message }

    static func validation(_ fields: [String: String], message: String = "提交的内容有误，请检查标出的字段") -> APIError {
        APIError(status: .unprocessableEntity, code: "validation_failed", message: message, fields: fields)
    }
    static func badRequest(_ message: String, code: String = "bad_request") -> APIError {
        APIError(status: .badRequest, code: code, message: message)
    }
    static let unauthenticated = APIError(status: .unauthorized, code: "unauthenticated", message: "请先登录")
    static let forbidden = APIError(status: .forbidden, code: "forbidden", message: "您没有权限执行此操作")
    static let notFound = APIError(status: .notFound, code: "not_found", message: "找不到该记录，或您无权查看")
    static func importFailed(_ rows: [RowError]) -> APIError {
        APIError(status: .unprocessableEntity, code: "import_failed",
                 message: "导入文件有 \(rows.count) 处错误，未导入任何记录，请修改后重新导入", rows: rows)
    }
    static func conflict(_ message: String) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message)
    }

    /// A refusal the user can fix (bad input, a conflict), which a form shows as a notice; permission and
    /// not-found errors are not caught that way.
    var isCorrectable: Bool { ![.unauthorized, .forbidden, .notFound].contains(status) }
}

/// The JSON body of an error response.
struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var fields: [String: String]?
        var rows: [RowError]?
    }
    var error: Detail
}
