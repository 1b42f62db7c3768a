import Fluent
import Vapor
import YingshangCore

/// What every HTML page's frame needs: the user, the navigation for their role, the CSRF token,
/// the unread inbox count and a one-off notice.
struct Shell: Encodable, Sendable {
    struct UserInfo: Encodable, Sendable {
        let login: String
        let displayName: String
        let roleLabel: String
    }
    struct NavItem: Encodable, Sendable {
        let title: String
        let href: String
        let active: Bool
    }

    var user: UserInfo?
    var nav: [NavItem]
    var csrf: String
    var unread: Int
    var notice: String?
    var version: String

    static func navigation(for role: Role?, path: String) -> [NavItem] {
        var items: [(String, String)] = [("首页", "/")]
        if let role {
            if role != .enterprise {
                items.append(("工作台账", "/ledger"))
                items.append(("诉求办理", "/appeals"))
                items.append(("企业档案", "/enterprises"))
                items.append(("惠企政策", "/benefits"))
                items.append(("营商评价", "/evaluation"))
            }
            if role == .enterprise {
                items.append(("可享政策", "/my/benefits"))
                items.append(("我的问卷", "/my/surveys"))
            }
            if role.may(.readOrgUnits) { items.append(("组织机构", "/orgunits")) }
            if role.may(.readUsers) { items.append(("用户", "/users")) }
            items.append(("工作日历", "/calendar"))
            if role.may(.readAuditLog) { items.append(("操作日志", "/audit")) }
            items.append(("接口令牌", "/tokens"))
        }
        items.append(("政策文件库", "/policies"))
        if role == nil || role == .enterprise {
            items.append(("我要反映", "/appeal"))
            items.append(("进度查询", "/appeal/query"))
        }
        items.append(("关于", "/about"))
        // The longest matching link is the current one (/appeal/query is 进度查询, not 我要反映).
        let current = items.map(\.1).filter { href in
            href == "/" ? path == "/" : path == href || path.hasPrefix(href + "/")
        }.max { $0.count < $1.count }
        return items.map { title, href in NavItem(title: title, href: href, active: href == current) }
    }
}

extension Request {
    private struct ShellKey: StorageKey { typealias Value = Shell }

    /// The frame for pages of this request (built by ``ShellMiddleware``).
    var shell: Shell {
        storage[ShellKey.self] ?? Shell(user: nil, nav: Shell.navigation(for: nil, path: url.path), csrf: csrfToken,
                                        unread: 0, notice: nil, version: YingshangVersion.current)
    }

    func setShell(_ shell: Shell) { storage[ShellKey.self] = shell }

    /// Shows `notice` once, on the next page this browser opens.
    func flash(_ notice: String) {
        if hasSession || principal != nil { session.data["notice"] = notice }
    }
}

/// Builds the ``Shell`` for HTML requests once the user is known.
struct ShellMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.url.path.hasPrefix("/api/") {
            var notice: String?
            if request.method == .GET, request.hasSession, let value = request.session.data["notice"] {
                notice = value
                request.session.data["notice"] = nil
            }
            var unread = 0
            if let principal = request.principal {
                unread = try await InboxMessage.query(on: request.db)
                    .filter(\.$user.$id == principal.userID).filter(\.$readAt == nil).count()
            }
            request.setShell(Shell(
                user: request.principal.map { .init(login: $0.login, displayName: $0.displayName, roleLabel: $0.role.label) },
                nav: Shell.navigation(for: request.principal?.role, path: request.url.path),
                csrf: request.csrfToken, unread: unread, notice: notice, version: YingshangVersion.current))
        }
        return try await next.respond(to: request)
    }
}

/// Every page's Leaf context: a title, the frame and the page's own content.
struct Page<Content: Encodable>: Encodable {
    let title: String
    let shell: Shell
    let content: Content
}

extension Request {
    /// Renders `template` with the page frame.
    func page<Content: Encodable>(_ template: String, title: String, _ content: Content) async throws -> View {
        try await view.render(template, Page(title: title, shell: shell, content: content))
    }
}

/// A page with no content of its own.
struct NoContent: Encodable {}
