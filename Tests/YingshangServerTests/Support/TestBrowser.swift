import Foundation
import NIOHTTP1
import Testing
import Vapor
import VaporTesting
@testable import YingshangServer

/// A browser stand-in: keeps cookies between requests, sends the CSRF token with forms.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    /// Sent with every request (e.g. `X-Forwarded-For` to act from another address).
    var defaultHeaders = HTTPHeaders()

    init(_ app: Application) { self.app = app }

    var csrf: String? { cookies[CSRFMiddleware.cookieName] }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers, body: nil)
    }

    /// Posts a form; the CSRF token is added unless `csrf` is false.
    @discardableResult
    func post(_ path: String, form: [String: String], csrf: Bool = true) async throws -> TestingHTTPResponse {
        if self.csrf == nil { try await get("/login") }
        var fields = form
        if csrf { fields[CSRFMiddleware.fieldName] = self.csrf }
        let body = fields.map { "\($0.key.urlFormEncoded)=\($0.value.urlFormEncoded)" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Signs in through the login form.
    @discardableResult
    func login(_ login: String, password: String = "Correct-Horse-9") async throws -> TestingHTTPResponse {
        try await post("/login", form: ["login": login, "password": password, "next": "/"])
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws -> TestingHTTPResponse {
        var headers = headers
        for (name, value) in defaultHeaders { headers.replaceOrAdd(name: name, value: value) }
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            let value = String(parts[1])
            if header.contains("Max-Age=0") || header.lowercased().contains("expires=thu, 01 jan 1970") {
                cookies[name] = nil
            } else {
                cookies[name] = value
            }
        }
        return response
    }
}

extension String {
    var urlFormEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}

/// JSON requests with a bearer token.
struct APIClient {
    let app: Application
    let token: String?

    func send(_ method: HTTPMethod, _ path: String, json: String? = nil,
              contentType: HTTPMediaType = .json) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = .init(token: token) }
        if json != nil { headers.contentType = contentType }
        return try await app.testing().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestingHTTPResponse {
    /// The decoded `{"error":{…}}` body.
    var apiError: ErrorBody.Detail? { try? JSONDecoder().decode(ErrorBody.self, from: Data(buffer: body)).error }
    var text: String { body.getString(at: body.readerIndex, length: body.readableBytes) ?? "" }
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(buffer: body))
    }
}
