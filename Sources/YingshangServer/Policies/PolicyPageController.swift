import Fluent
import Vapor
import YingshangCore

/// The public portal of the policy library (政务公开, no login): browse and search, the document page with article
/// anchors, core clauses first, versions, interpretations and related Q&As, and a print view.
struct PolicyPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("policies", use: index)
        routes.get("policies", ":id", use: show)
        routes.get("policies", ":id", "print", use: print)
    }

    struct IndexView: Encodable {
        let q: String
        let issuer: String
        let kinds: [FormOption], levels: [FormOption], validities: [FormOption], sorts: [FormOption]
        let topics: [FormOption]
        let searched: Bool
        let results: SearchResultsDTO?
        let documents: [PolicySummaryDTO]
        let total: Int
        let pager: Pager
        let problems: [String]
        let canManage: Bool
    }

    func index(req: Request) async throws -> View {
        var problems: [String] = []
        var text = "", options = SearchOptions()
        var filter: PolicyListFilter?
        do {
            (text, options) = try SearchParameters.options(req, defaultLimit: 20)
            filter = try PolicyListFilter(req)
        } catch let error as APIError {
            problems = error.fields.isEmpty ? [error.message] : error.fields.values.sorted()
        }
        let validity = options.validities.first
        var results: SearchResultsDTO?
        var documents: [PolicySummaryDTO] = []
        var total = 0, estimated = false
        if filter != nil, !text.isEmpty {
            let found = try await req.application.policySearch.current(on: req.db).search(text, options: options)
            results = SearchResultsDTO(query: text, found)
            total = found.totalDocuments
            estimated = found.totalIsEstimate
        } else if let filter {
            let today = Today.civil()
            let page = PageRequest(limit: options.limit, offset: options.offset)
            if let validity {
                // Validity is derived from the dates and today, so it is filtered here rather than in SQL.
                let all = try await filter.query(on: req.db).all().map { PolicySummaryDTO($0, today: today) }.filter { $0.validity == validity }
                total = all.count
                documents = Array(all.dropFirst(page.offset).prefix(page.limit))
            } else {
                let (records, count) = try await filter.query(on: req.db).page(page)
                total = count
                documents = records.map { PolicySummaryDTO($0, today: today) }
            }
        }
        let topics = try await topicOptions(on: req.db, kind: filter?.kind, selected: filter?.topic)
        let pager = Pager(page: PageRequest(limit: options.limit, offset: options.offset), total: total, estimated: estimated,
                          query: keptParameters(req).map { "\($0.key)=\($0.value.urlQueryEncoded)" }.joined(separator: "&"))
        return try await req.page("policies/index", title: "政策文件库", IndexView(
            q: text, issuer: filter?.issuer ?? "",
            kinds: FormOption.choices(PolicyKind.allCases.map(\.rawValue), selected: filter?.kind, none: "全部类别"),
            levels: FormOption.choices(PolicyLevel.allCases.map(\.rawValue), selected: filter?.level, none: "全部层级"),
            validities: FormOption.choices(PolicyValidity.allCases.map(\.rawValue), selected: validity, none: "全部效力"),
            sorts: [FormOption(value: "relevance", label: "按相关度", selected: options.order == .relevance),
                    FormOption(value: "newest", label: "按发布日期", selected: options.order == .newest)],
            topics: topics, searched: results != nil, results: results, documents: documents, total: total, pager: pager,
            problems: problems, canManage: req.principal?.role.may(.managePolicies) ?? false))
    }

    /// Every search and browse parameter of the request but the page's own, for the pager's links.
    private func keptParameters(_ req: Request) -> [(key: String, value: String)] {
        ["q", "kind", "level", "issuer", "validity", "topic", "from", "to", "sort", "source"].compactMap { name in
            guard let value = try? req.query.get(String.self, at: name), !value.isEmpty else { return nil }
            return (name, value)
        }
    }

    /// The topics (corpus folders: 经济法, 北京, 公安部 …) with how many documents each holds.
    private func topicOptions(on db: any Database, kind: String?, selected: String?) async throws -> [FormOption] {
        var query = PolicyRecord.query(on: db)
        if let kind { query = query.filter(\.$kind == kind) }
        let counts = Dictionary(grouping: try await query.field(\.$topic).all().map(\.topic), by: { $0 }).mapValues(\.count)
        return [FormOption(value: "", label: "全部主题", selected: selected == nil)]
            + counts.keys.sorted().filter { !$0.isEmpty }.map { FormOption(value: $0, label: "\($0)（\(counts[$0]!)）", selected: $0 == selected) }
    }

    struct ShowView: Encodable {
        let detail: PolicyDetailDTO
        let outline: [OutlineEntry]
        let canManage: Bool
    }

    /// Articles with the heading to show above them when it changes.
    struct OutlineEntry: Encodable { let heading: String?; let article: PolicyDetailDTO.Article }

    func show(req: Request) async throws -> View {
        let detail = try await load(req)
        var previous = ""
        let outline = detail.articles.map { article -> OutlineEntry in
            defer { previous = article.outline }
            return OutlineEntry(heading: article.outline != previous && !article.outline.isEmpty ? article.outline : nil, article: article)
        }
        return try await req.page("policies/show", title: detail.document.title,
                                  ShowView(detail: detail, outline: outline, canManage: req.principal?.role.may(.managePolicies) ?? false))
    }

    func print(req: Request) async throws -> View {
        let detail = try await load(req)
        return try await req.view.render("policies/print", ["detail": detail])
    }

    private func load(_ req: Request) async throws -> PolicyDetailDTO {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        return try await PolicyDetailDTO.load(id, on: req.db)
    }
}
