import Fluent
import Vapor
import YingshangCore

/// Finds the user behind a request: a session (browser) or `Authorization: Bearer <token>` (machines).
/// An unknown, revoked or malformed token is refused outright rather than treated as anonymous.
struct AuthenticationMiddleware: AsyncMiddleware {
    static let sessionUserKey = "uid"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            guard let user = try await APITokens.user(forToken: bearer.token, on: request.db) else {
                throw APIError(status: .unauthorized, code: "invalid_token", message: "接口令牌无效或已被撤销")
            }
            request.principal = try Principal(user: user, viaToken: true)
        } else if request.hasSession, let raw = request.session.data[Self.sessionUserKey], let id = UUID(uuidString: raw) {
            if let user = try await User.find(id, on: request.db), user.isActive {
                request.principal = try Principal(user: user, viaToken: false)
            } else {
                request.session.destroy()
            }
        }
        return try await next.respond(to: request)
    }
}

/// Sends a user who must change the one-time password to the password page before anything else.
struct PasswordChangeGateMiddleware: AsyncMiddleware {
    static let allowedPaths: Set<String> = ["/password", "/logout", "/login"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let principal = request.principal, principal.mustChangePassword, !principal.viaToken,
              !Self.allowedPaths.contains(request.url.path),
              !request.url.path.hasPrefix("/css/"), !request.url.path.hasPrefix("/js/") else {
            return try await next.respond(to: request)
        }
        if request.url.path.hasPrefix("/api/") {
            throw APIError(status: .forbidden, code: "password_change_required", message: "首次登录请先修改密码")
        }
        return request.redirect(to: "/password")
    }
}
