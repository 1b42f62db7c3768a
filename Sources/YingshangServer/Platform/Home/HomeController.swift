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
        if principal.role != .enterprise {
            let visible = try await LedgerAccess(request: req).visibleTaskIDs()
            let tasks = try await PlanTask.query(on: req.db).filter(\.$archived == false).field(\.$id).field(\.$status).all()
                .filter { visible?.contains($0.id ?? UUID()) ?? true }
            let overdue = tasks.filter { $0.status == TaskStatus.overdue.rawValue }.count
            var links = [Link(title: "工作计划", href: "/ledger"), Link(title: "本月待办", href: "/ledger/my")]
            if principal.role.may(.runLedger) { links.append(Link(title: "导入工作要点", href: "/ledger/import")) }
            cards.append(Card(title: "工作台账", summary: "工作要点分解、逐月调度、督办、通报和考评",
                              figure: "\(tasks.count) 项任务，\(overdue) 项逾期", links: links))
            let open = try await AppealAccess(request: req).query()
                .filter(\.$state ~~ AppealState.allCases.filter(\.isOpen).map(\.rawValue)).count()
            var appealLinks = [Link(title: "诉求列表", href: "/appeals"), Link(title: "诉求分析", href: "/appeals/analysis")]
            if principal.role.may(.runAppeals) { appealLinks.append(Link(title: "登记来电", href: "/appeals/new")) }
            cards.append(Card(title: "诉求办理", summary: "营商环境专线 / 12345：受理、派单、办理、答复、回访",
                              figure: "\(open) 件在办", links: appealLinks))
        } else {
            cards.append(Card(title: "营商环境专线", summary: "反映咨询、求助、投诉、举报和建议，并查询办理进度", figure: "",
                              links: [Link(title: "我要反映", href: "/appeal"), Link(title: "进度查询", href: "/appeal/query")]))
            cards.append(Card(title: "可享政策", summary: "按企业档案逐项判断可以享受的惠企政策，写明理由和需补充的信息", figure: "",
                              links: [Link(title: "查看可享政策", href: "/my/benefits")]))
            cards.append(Card(title: "营商环境问卷", summary: "监测点企业评价办事体验，结果计入所在地区的满意度", figure: "",
                              links: [Link(title: "我的问卷", href: "/my/surveys")]))
        }
        if principal.role.may(.readEnterpriseFiles) {
            let matcher = req.application.benefitMatcher
            let files = try await matcher.enterpriseCount(on: req.db)
            let policies = try await matcher.published(on: req.db).count
            var links = [Link(title: "企业档案", href: "/enterprises"), Link(title: "惠企政策", href: "/benefits"),
                         Link(title: "政策兑现", href: "/redemptions")]
            if principal.role.may(.runBenefits) { links.append(Link(title: "导入企业档案", href: "/enterprises/import")) }
            cards.append(Card(title: "惠企政策直达", summary: "一企一档、资格规则、免申即享名单和兑现",
                              figure: "\(files) 家企业档案，\(policies) 项政策已发布", links: links))
        }
        if principal.role.may(.readEvaluation) {
            let context = try await EvaluationContext.load(req)
            let leader = context.result.flatMap { result in
                context.scores.places.indices.first { result.totalRank(period: context.t, place: $0) == 1 }.map { context.scores.places[$0].name }
            }
            var links = [Link(title: "排名", href: "/evaluation"), Link(title: "数据报送", href: "/evaluation/collect"),
                         Link(title: "以评促改", href: "/evaluation/rectifications")]
            if principal.role.may(.runEvaluation) { links.append(Link(title: "报送审核", href: "/evaluation/submissions")) }
            cards.append(Card(title: "营商环境监测评价", summary: "指标体系、季度数据报送审核、评分排名、目标和以评促改",
                              figure: leader.map { "\(context.period.label)第一：\($0)" } ?? "\(context.period.label)暂无已审核数据", links: links))
        }
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
