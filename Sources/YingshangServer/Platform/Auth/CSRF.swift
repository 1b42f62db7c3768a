import Vapor

/// Cross-site request forgery protection by double submit: a random token in a SameSite=Strict
/// cookie must come back in the `_csrf` form field or the `X-CSRF-Token` header of every
/// state-changing request made with browser credentials. Requests authenticated by an API token
/// carry no ambient credentials and are exempt.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "ys_csrf"
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"

    let secureCookies: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[Self.cookieName].map(\.string).flatMap { $0.count == 43 ? $0 : nil }
        let token = existing ?? Self.newToken()
        request.csrfToken = token

        if Self.isStateChanging(request.method), request.headers.bearerAuthorization == nil {
            let browserCredentials = request.cookies.all.isEmpty == false
            let isMachineAPI = request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/open311/")
            let isAnonymousAPI = isMachineAPI && !browserCredentials
            if !isAnonymousAPI {
                _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
                let sent = request.headers.first(name: Self.headerName)
                    ?? (try? request.content.get(String.self, at: Self.fieldName))
                guard let existing, let sent, Self.constantTimeEqual(sent, existing) else {
                    throw APIError(status: .forbidden, code: "csrf_failed",
                                   message: "页面已过期或请求来源不可信，请刷新页面后重新提交")
                }
            }
        }

        let response = try await next.respond(to: request)
        if existing == nil {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: token, maxAge: 60 * 60 * 24 * 7, path: "/", isSecure: secureCookies, isHTTPOnly: true,
                sameSite: .strict)
        }
        return response
    }

    static func isStateChanging(_ method: HTTPMethod) -> Bool {
        ![.GET, .HEAD, .OPTIONS].contains(method)
    }

    static func newToken() -> String {
        Data([UInt8].random(count: 32)).base64URLEncodedString()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    private struct CSRFKey: StorageKey { typealias Value = String }

    /// The token to put in forms rendered for this request.
    var csrfToken: String {
        get { storage[CSRFKey.self] ?? "" }
        set { storage[CSRFKey.self] = newValue }
    }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
