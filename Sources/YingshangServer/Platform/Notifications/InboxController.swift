import Fluent
import Vapor

/// A user's inbox: the page `/inbox` and `/api/v1/notifications`.
struct InboxController {
    func registerAPI(_ api: any RoutesBuilder) {
        api.get("notifications", use: list)
        api.post("notifications", ":id", "read", use: markReadAPI)
    }

    func registerPages(_ pages: any RoutesBuilder) {
        pages.get("inbox", use: page)
        pages.post("inbox", ":id", "read", use: markRead)
        pages.post("inbox", "read-all", use: markAllRead)
    }

    struct MessageDTO: Content {
        var id: UUID, title: String, body: String, link: String?, createdAt: Date?, readAt: Date?
        enum CodingKeys: String, CodingKey {
            case id, title, body, link
            case createdAt = "created_at", readAt = "read_at"
        }
        init(_ m: InboxMessage) throws {
            id = try m.requireID(); title = m.title; body = m.body; link = m.link; createdAt = m.createdAt; readAt = m.readAt
        }
    }

    func query(_ req: Request) throws -> QueryBuilder<InboxMessage> {
        let principal = try req.requirePrincipal()
        let query = InboxMessage.query(on: req.db).filter(\.$user.$id == principal.userID).sort(\.$createdAt, .descending)
        if req.query[Bool.self, at: "unread"] == true { query.filter(\.$readAt == nil) }
        return query
    }

    func list(req: Request) async throws -> PageOf<MessageDTO> {
        let page = try PageRequest(from: req)
        let (items, total) = try await query(req).page(page)
        return PageOf(items: try items.map(MessageDTO.init), total: total, limit: page.limit, offset: page.offset)
    }

    func markOne(_ req: Request) async throws {
        let principal = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self),
              let message = try await InboxMessage.find(id, on: req.db), message.$user.id == principal.userID
        else { throw APIError.notFound }
        if message.readAt == nil {
            message.readAt = Date()
            try await message.save(on: req.db)
        }
    }

    func markReadAPI(req: Request) async throws -> HTTPStatus {
        try await markOne(req)
        return .noContent
    }

    func markRead(req: Request) async throws -> Response {
        try await markOne(req)
        return req.redirect(to: "/inbox")
    }

    func markAllRead(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try await InboxMessage.query(on: req.db).filter(\.$user.$id == principal.userID).filter(\.$readAt == nil)
            .set(\.$readAt, to: Date()).update()
        return req.redirect(to: "/inbox")
    }

    struct Row: Encodable { let id: String, title: String, body: String, link: String?, at: String, unread: Bool }
    struct PageView: Encodable { let rows: [Row]; let pager: Pager }

    func page(req: Request) async throws -> View {
        let page = try PageRequest(from: req)
        let (items, total) = try await query(req).page(page)
        return try await req.page("inbox/index", title: "站内信", PageView(
            rows: items.map { Row(id: $0.id?.uuidString ?? "", title: $0.title, body: $0.body, link: $0.link,
                                  at: $0.createdAt.map(DisplayDate.minute) ?? "", unread: $0.readAt == nil) },
            pager: Pager(page: page, total: total)))
    }
}
