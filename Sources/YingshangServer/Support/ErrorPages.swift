import Vapor

/// Turns every error into the response a user can read: JSON under `/api/`, a Chinese page elsewhere.
/// Unknown errors are logged with the request id and shown as a generic message (never a stack trace).
struct ErrorPagesMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as Open311Error {
            return try error.response()
        } catch {
            let apiError = Self.translate(error, request: request)
            if apiError.status.code >= 500 {
                request.logger.report(error: error)
            }
            let wantsJSON = request.url.path.hasPrefix("/api/")
                || (request.headers.first(name: .accept)?.contains("application/json") ?? false)
            if wantsJSON {
                let body = ErrorBody(error: .init(code: apiError.code, message: apiError.message,
                                                  fields: apiError.fields.isEmpty ? nil : apiError.fields,
                                                  rows: apiError.rows.isEmpty ? nil : apiError.rows))
                let response = Response(status: apiError.status)
                try response.content.encode(body, as: .json)
                return response
            }
            if apiError.status == .unauthorized {
                let target = request.url.string
                return request.redirect(to: "/login?next=\(target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")")
            }
            do {
                let page = try await request.view.render("error", ErrorPage(
                    title: apiError.status.code == 404 ? "页面不存在" : "出错了",
                    shell: request.shell, status: Int(apiError.status.code), message: apiError.message, fields: apiError.fields.sorted(by: { $0.key < $1.key }).map(\.value)))
                let response = try await page.encodeResponse(for: request)
                response.status = apiError.status
                return response
            } catch {
                // The error page itself failed (a broken template): answer in plain text rather than not at all.
                request.logger.report(error: error)
                let response = Response(status: apiError.status, body: .init(string: "\(apiError.status.code) \(apiError.message)"))
                response.headers.contentType = .plainText
                return response
            }
        }
    }

    struct ErrorPage: Encodable {
        let title: String
        let shell: Shell
        let status: Int
        let message: String
        let fields: [String]
    }

    static func translate(_ error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DecodingError:
            return APIError(status: .badRequest, code: "invalid_body", message: DecodingMessages.message(for: error),
                            fields: DecodingMessages.fields(for: error))
        case let error as any AbortError:
            switch error.status {
            case .notFound: return .notFound
            case .payloadTooLarge:
                return APIError(status: .payloadTooLarge, code: "payload_too_large", message: "提交的内容过大，超过了允许的大小")
            case .unsupportedMediaType:
                return APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "不支持的内容类型")
            case .unauthorized: return .unauthenticated
            case .forbidden: return .forbidden
            case .methodNotAllowed:
                return APIError(status: .methodNotAllowed, code: "method_not_allowed", message: "不支持该请求方法")
            default:
                if error.status.code < 500 {
                    return APIError(status: error.status, code: "bad_request", message: "请求无效：\(error.reason)")
                }
                return APIError(status: error.status, code: "internal_error", message: "服务器内部错误，请稍后再试（请求编号 \(request.id)）")
            }
        default:
            if DatabaseErrors.isUnavailable(error) {
                return APIError(status: .serviceUnavailable, code: "database_unavailable", message: "数据库暂时不可用，请稍后重试")
            }
            return APIError(status: .internalServerError, code: "internal_error", message: "服务器内部错误，请稍后再试（请求编号 \(request.id)）")
        }
    }
}

/// Chinese messages for JSON that does not decode.
enum DecodingMessages {
    static func message(for error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "请求内容不是有效的 JSON"
        case .keyNotFound(let key, _):
            return "缺少必填字段“\(key.stringValue)”"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "字段“\(path(context.codingPath))”的类型不正确"
        case .dataCorrupted(let context):
            return "字段“\(path(context.codingPath))”的值无效"
        @unknown default:
            return "请求内容无法解析"
        }
    }

    static func fields(for error: DecodingError) -> [String: String] {
        switch error {
        case .keyNotFound(let key, let context):
            return [path(context.codingPath + [key]): "不能为空"]
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.isEmpty ? [:] : [path(context.codingPath): "类型不正确"]
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? [:] : [path(context.codingPath): "值无效"]
        @unknown default:
            return [:]
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
