import Fluent
import Vapor

/// `?limit=&offset=` on every list, with bounds; JSON lists answer with ``PageOf``.
struct PageRequest: Sendable {
    var limit: Int
    var offset: Int

    static let defaultLimit = 50
    static let maximumLimit = 500
    /// Far beyond any real list; keeps offset + limit arithmetic safe.
    static let maximumOffset = 100_000_000

    init(limit: Int = PageRequest.defaultLimit, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }

    init(from request: Request) throws {
        let limit = try request.query.get(Int?.self, at: "limit") ?? Self.defaultLimit
        let offset = try request.query.get(Int?.self, at: "offset") ?? 0
        var fields: [String: String] = [:]
        if !(1...Self.maximumLimit).contains(limit) { fields["limit"] = "取值范围为 1–\(Self.maximumLimit)" }
        if !(0...Self.maximumOffset).contains(offset) { fields["offset"] = "取值范围为 0–\(Self.maximumOffset)" }
        guard fields.isEmpty else { throw APIError.validation(fields, message: "分页参数无效") }
        self.init(limit: limit, offset: offset)
    }
}

/// A page of a list, as the JSON API returns it.
struct PageOf<Item: Content>: Content {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int
}

extension QueryBuilder {
    /// Runs the query for one page and the total count.
    func page(_ page: PageRequest) async throws -> (items: [Model], total: Int) {
        let total = try await self.copy().count()
        let items = try await self.copy().range(page.offset..<(page.offset + page.limit)).all()
        return (items, total)
    }
}

/// The numbers an HTML list needs to draw its pager.
struct Pager: Encodable {
    var total: Int
    /// True when there are more than `total` matches (the count stopped there).
    var capped = false
    /// True when `total` is an estimate (a broad search counts only roughly).
    var estimated = false
    var from: Int
    var to: Int
    var previousOffset: Int?
    var nextOffset: Int?
    var limit: Int
    var query: String

    init(page: PageRequest, total: Int, capped: Bool = false, estimated: Bool = false, query: String = "") {
        self.total = total
        self.capped = capped
        self.estimated = estimated
        self.limit = page.limit
        self.from = total == 0 ? 0 : page.offset + 1
        self.to = min(total, page.offset + page.limit)
        self.previousOffset = page.offset > 0 ? max(0, page.offset - page.limit) : nil
        self.nextOffset = page.offset + page.limit < total || capped ? page.offset + page.limit : nil
        self.query = query
    }
}
