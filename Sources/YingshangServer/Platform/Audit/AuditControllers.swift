import Fluent
import Vapor
import YingshangCore

/// Filters of the audit log, shared by the page, the CSV export and the API.
struct AuditFilter {
    var actorID: UUID?
    var entityType: String?
    var entityID: String?
    var from: CivilDate?
    var to: CivilDate?

    init(from request: Request) throws {
        var errors: [String: String] = [:]
        if let raw = request.query[String.self, at: "actor_id"], !raw.isEmpty {
            if let id = UUID(uuidString: raw) { actorID = id } else { errors["actor_id"] = "不是有效的编号" }
        }
        entityType = request.query[String.self, at: "entity_type"].flatMap { $0.isEmpty ? nil : $0 }
        entityID = request.query[String.self, at: "entity_id"].flatMap { $0.isEmpty ? nil : $0 }
        if let raw = request.query[String.self, at: "from"], !raw.isEmpty {
            if let date = CivilDate(iso: raw) { from = date } else { errors["from"] = "日期格式应为 YYYY-MM-DD" }
        }
        if let raw = request.query[String.self, at: "to"], !raw.isEmpty {
            if let date = CivilDate(iso: raw) { to = date } else { errors["to"] = "日期格式应为 YYYY-MM-DD" }
        }
        guard errors.isEmpty else { throw APIError.validation(errors, message: "筛选条件无效") }
    }

    func apply(to query: QueryBuilder<AuditEntry>) -> QueryBuilder<AuditEntry> {
        if let actorID { query.filter(\.$actorID == actorID) }
        if let entityType { query.filter(\.$entityType == entityType) }
        if let entityID { query.filter(\.$entityID == entityID) }
        if let from { query.filter(\.$occurredAt >= from.startOfDay(in: DisplayDate.timeZone)) }
        if let to { query.filter(\.$occurredAt < to.adding(days: 1).startOfDay(in: DisplayDate.timeZone)) }
        return query.sort(\.$sequence, .descending)
    }

    var queryString: String {
        [("actor_id", actorID?.uuidString), ("entity_type", entityType), ("entity_id", entityID),
         ("from", from?.iso), ("to", to?.iso)]
            .compactMap { key, value in value.map { "\(key)=\($0.urlQueryEncoded)" } }.joined(separator: "&")
    }
}

/// An audit entry as the API and the page show it.
struct AuditEntryDTO: Content {
    var sequence: Int64
    var occurredAt: Date
    var actorID: UUID?
    var actor: String
    var action: String
    var entityType: String
    var entityID: String
    var before: String?
    var after: String?
    var hash: String

    enum CodingKeys: String, CodingKey {
        case sequence, actor, action, before, after, hash
        case occurredAt = "occurred_at", actorID = "actor_id", entityType = "entity_type", entityID = "entity_id"
    }

    init(_ entry: AuditEntry) {
        sequence = entry.sequence
        occurredAt = entry.occurredAt
        actorID = entry.actorID
        actor = entry.actor
        action = entry.action
        entityType = entry.entityType
        entityID = entry.entityID
        before = entry.before
        after = entry.after
        hash = entry.hash
    }
}

/// `/api/v1/audit` and the audit log page (操作日志), for administrators.
struct AuditController {
    func registerAPI(_ api: any RoutesBuilder) {
        api.get("audit", use: list)
    }

    func registerPages(_ pages: any RoutesBuilder) {
        pages.get("audit", use: page)
        pages.get("audit", "export.csv", use: export)
    }

    func list(req: Request) async throws -> PageOf<AuditEntryDTO> {
        try req.require(.readAuditLog)
        let page = try PageRequest(from: req)
        let (items, total) = try await AuditFilter(from: req).apply(to: AuditEntry.query(on: req.db)).page(page)
        return PageOf(items: items.map(AuditEntryDTO.init), total: total, limit: page.limit, offset: page.offset)
    }

    struct Row: Encodable {
        let sequence: Int64, at: String, actor: String, action: String, entityType: String, entityID: String,
            before: String, after: String
    }

    struct PageView: Encodable {
        let rows: [Row]
        let actors: [FormOption]
        let entityTypes: [FormOption]
        let from: String, to: String
        let pager: Pager
        let exportQuery: String
    }

    static let entityTypeLabels = ["org_unit": "组织机构", "user": "用户", "api_token": "接口令牌", "holiday_year": "节假日"]

    func row(_ entry: AuditEntry) -> Row {
        Row(sequence: entry.sequence, at: DisplayDate.second(entry.occurredAt), actor: entry.actor,
            action: AuditAction(rawValue: entry.action)?.label ?? entry.action,
            entityType: Self.entityTypeLabels[entry.entityType] ?? entry.entityType, entityID: entry.entityID,
            before: entry.before ?? "", after: entry.after ?? "")
    }

    func page(req: Request) async throws -> View {
        try req.require(.readAuditLog)
        let filter = try AuditFilter(from: req)
        let page = try PageRequest(from: req)
        let (items, total) = try await filter.apply(to: AuditEntry.query(on: req.db)).page(page)
        let users = try await User.query(on: req.db).sort(\.$login).all()
        return try await req.page("audit/index", title: "操作日志", PageView(
            rows: items.map(row),
            actors: [FormOption(value: "", label: "全部用户", selected: filter.actorID == nil)] + users.map {
                FormOption(value: $0.id?.uuidString ?? "", label: "\($0.displayName)（\($0.login)）", selected: $0.id == filter.actorID)
            },
            entityTypes: [FormOption(value: "", label: "全部对象", selected: filter.entityType == nil)]
                + Self.entityTypeLabels.sorted(by: { $0.key < $1.key }).map {
                    FormOption(value: $0.key, label: $0.value, selected: $0.key == filter.entityType)
                },
            from: filter.from?.iso ?? "", to: filter.to?.iso ?? "",
            pager: Pager(page: page, total: total, query: filter.queryString), exportQuery: filter.queryString))
    }

    func export(req: Request) async throws -> Response {
        try req.require(.readAuditLog)
        let entries = try await AuditFilter(from: req).apply(to: AuditEntry.query(on: req.db)).limit(100_000).all()
        var rows = [["序号", "时间", "操作人", "操作", "对象", "对象编号", "修改前", "修改后", "哈希"]]
        for entry in entries {
            let r = row(entry)
            rows.append([String(r.sequence), r.at, r.actor, r.action, r.entityType, r.entityID, r.before, r.after, entry.hash])
        }
        return .csv(rows, filename: "操作日志.csv")
    }
}
