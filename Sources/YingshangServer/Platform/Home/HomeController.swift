import Fluent
import Vapor
import YingshangCore

/// The home dashboard and the "about" page.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("about", use: about)
    }

    /// A card on the dashboard, one per capability the user can reach.
    struct Card: Encodable {
        let title: String
        let summary: String
        let figure: String
        let links: [Link]
    }
    struct Link: Encodable { let title: String, href: String }

    struct HomeView: Encodable {
        let cards: [Card]
        let signedIn: Bool
    }

    func home(req: Request) async throws -> View {
        guard let principal = req.principal else {
            return try await req.page("home", title: "营商环境工作平台", HomeView(cards: [], signedIn: false))
        }
        var cards: [Card] = []
        if principal.role.may(.readOrgUnits) {
            let count = try await OrgUnitQueries(request: req).query(.none).count()
            var links = [Link(title: "浏览组织机构", href: "/orgunits")]
            if principal.role.may(.manageOrgUnits) { links.append(Link(title: "导入", href: "/orgunits/import")) }
            cards.append(Card(title: "组织机构", summary: "地区、部门、科室及其简称和别名", figure: "\(count) 个单位", links: links))
        }
        if principal.role.may(.readUsers) {
            let count = try await UserQueries(request: req).query().count()
            cards.append(Card(title: "用户与角色", summary: "账号、角色和所属单位", figure: "\(count) 个用户",
                              links: [Link(title: "用户列表", href: "/users")]))
        }
        let unread = req.shell.unread
        cards.append(Card(title: "站内信", summary: "督办、提醒和通知", figure: "\(unread) 条未读",
                          links: [Link(title: "打开收件箱", href: "/inbox")]))
        cards.append(Card(title: "工作日历", summary: "法定节假日与调休，期限按工作日计算", figure: "",
                          links: [Link(title: "查看日历", href: "/calendar")]))
        if principal.role.may(.readAuditLog) {
            let count = try await AuditEntry.query(on: req.db).count()
            cards.append(Card(title: "操作日志", summary: "所有修改留痕，可校验防篡改", figure: "\(count) 条记录",
                              links: [Link(title: "查看日志", href: "/audit")]))
        }
        return try await req.page("home", title: "首页", HomeView(cards: cards, signedIn: true))
    }

    struct AboutView: Encodable {
        let version: String
        let database: String
        let swiftVersion: String
    }

    func about(req: Request) async throws -> View {
        #if swift(>=6.3)
        let swift = "6.3"
        #else
        let swift = "6"
        #endif
        return try await req.page("about", title: "关于", AboutView(
            version: YingshangVersion.current, database: req.application.settings.database.kindLabel, swiftVersion: swift))
    }
}
