import Fluent
import Vapor
import YingshangCore

/// Open311 GeoReport v2 under `/open311/v2/`, in JSON and XML: services are the appeal categories,
/// requests are appeals (id = the appeal number), `api_key` is a platform API token. Reads never
/// show personal data: a request's description is its title, its notes the public reply.
struct Open311Controller: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let v2 = routes.grouped("open311", "v2")
        v2.get(":file", use: collection)
        v2.post(":file", use: post)
        v2.get("services", ":file", use: serviceDefinition)
        v2.get("requests", ":file", use: request)
        v2.get("tokens", ":file", use: token)
    }

    enum Format: String { case json, xml }

    /// `services.json` → ("services", .json); an unknown extension is a 400 in JSON.
    static func split(_ file: String) throws -> (String, Format) {
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let format = Format(rawValue: parts[1].lowercased()) else {
            throw Open311Error(status: .badRequest, format: .json, description: "格式应为 .json 或 .xml")
        }
        return (parts[0], format)
    }

    func collection(req: Request) async throws -> Response {
        let (name, format) = try Self.split(req.parameters.get("file") ?? "")
        switch name {
        case "discovery": return try Open311Encoding.respond(Open311Encoding.discovery(base: "/open311/v2"), root: "discovery", item: nil, format: format)
        case "services": return try await services(req, format: format)
        case "requests": return try await requests(req, format: format)
        default: throw Open311Error(status: .notFound, format: format, description: "没有这个接口")
        }
    }

    func services(_ req: Request, format: Format) async throws -> Response {
        let categories = try await AppealCategory.query(on: req.db).filter(\.$active == true).sort(\.$position).all()
        let items: [[String: Open311Value]] = categories.map { category in
            ["service_code": .string(category.code), "service_name": .string(category.name),
             "description": .string("营商环境专线：\(category.name)方面的咨询、求助、投诉、举报和建议"),
             "metadata": .bool(true), "type": .string("realtime"), "keywords": .string(category.name), "group": .string("营商环境")]
        }
        return try Open311Encoding.respond(.array(items.map(Open311Value.object)), root: "services", item: "service", format: format)
    }

    func serviceDefinition(req: Request) async throws -> Response {
        let (code, format) = try Self.split(req.parameters.get("file") ?? "")
        guard try await AppealCategory.query(on: req.db).filter(\.$code == code).first() != nil else {
            throw Open311Error(status: .notFound, format: format, description: "服务代码“\(code)”不存在")
        }
        let values: [Open311Value] = AppealType.allCases.map { type in
            .object(["key": .string(type.rawValue), "name": .string(type.label)])
        }
        let attribute: [String: Open311Value] = [
            "variable": .bool(true), "code": .string("type"), "datatype": .string("singlevaluelist"), "required": .bool(false),
            "datatype_description": .string("诉求类型，默认为“求助”"), "order": .number(1), "description": .string("诉求类型"),
            "values": .array(values),
        ]
        return try Open311Encoding.respond(.object(["service_code": .string(code), "attributes": .array([.object(attribute)])]),
                                           root: "service_definition", item: nil, format: format)
    }

    // MARK: Requests

    func requestValue(_ appeal: Appeal, categoryCode: String?, categoryName: String?, agency: String?) -> Open311Value {
        let state = AppealState(rawValue: appeal.state) ?? .received
        var item: [String: Open311Value] = [
            "service_request_id": .string(appeal.number), "status": .string(Open311Mapping.status(for: state)),
            "service_code": .string(categoryCode ?? ""), "service_name": .string(categoryName ?? ""),
            "description": .string(appeal.title), "requested_datetime": .string(Open311Mapping.datetime(appeal.createdAt ?? Date())),
            "updated_datetime": .string(Open311Mapping.datetime(appeal.updatedAt ?? appeal.createdAt ?? Date())),
            "status_notes": state == .answered || state == .rated || state == .closed ? .string(appeal.replyText ?? "") : .null,
            "agency_responsible": agency.map(Open311Value.string) ?? .null,
            "service_notice": .string("请于答复期限前留意办理进度"), "address": .null, "lat": .null, "long": .null, "media_url": .null,
        ]
        if let replyBy = appeal.replyBy.flatMap(CivilDate.init(iso:)) {
            item["expected_datetime"] = .string(Open311Mapping.expectedDatetime(replyBy: replyBy))
        }
        return .object(item)
    }

    func render(_ appeals: [Appeal], on db: any Database, format: Format) async throws -> Response {
        let categories = Dictionary(try await AppealCategory.query(on: db).all().compactMap { c in c.id.map { ($0, c) } },
                                    uniquingKeysWith: { a, _ in a })
        let units = try await OrgUnitDirectory.names(on: db)
        let items = appeals.map { appeal in
            let category = appeal.$category.id.flatMap { categories[$0] }
            return requestValue(appeal, categoryCode: category?.code, categoryName: category?.name, agency: appeal.leadUnitID.flatMap { units[$0] })
        }
        return try Open311Encoding.respond(.array(items), root: "service_requests", item: "request", format: format)
    }

    func requests(_ req: Request, format: Format) async throws -> Response {
        let query = Appeal.query(on: req.db).sort(\.$createdAt, .descending)
        if let ids = req.query[String.self, at: "service_request_id"], !ids.isEmpty {
            query.filter(\.$number ~~ ids.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        }
        if let codes = req.query[String.self, at: "service_code"], !codes.isEmpty {
            let ids = try await AppealCategory.query(on: req.db).filter(\.$code ~~ codes.split(separator: ",").map(String.init)).all().compactMap(\.id)
            query.filter(\.$category.$id ~~ ids)
        }
        if let status = req.query[String.self, at: "status"], !status.isEmpty {
            guard status == "open" || status == "closed" else {
                throw Open311Error(status: .badRequest, format: format, description: "status 只能是 open 或 closed")
            }
            let states = AppealState.allCases.filter { Open311Mapping.status(for: $0) == status }.map(\.rawValue)
            query.filter(\.$state ~~ states)
        }
        for (key, op) in [("start_date", true), ("end_date", false)] {
            guard let raw = req.query[String.self, at: key], !raw.isEmpty else { continue }
            guard let date = ISO8601DateFormatter().date(from: raw) else {
                throw Open311Error(status: .badRequest, format: format, description: "\(key) 应为 ISO 8601 时间，例如 2026-01-01T00:00:00+08:00")
            }
            if op { query.filter(\.$createdAt >= date) } else { query.filter(\.$createdAt <= date) }
        }
        return try await render(try await query.limit(1000).all(), on: req.db, format: format)
    }

    func request(req: Request) async throws -> Response {
        let (number, format) = try Self.split(req.parameters.get("file") ?? "")
        guard let appeal = try await Appeal.query(on: req.db).filter(\.$number == number).first() else {
            throw Open311Error(status: .notFound, format: format, description: "诉求“\(number)”不存在")
        }
        return try await render([appeal], on: req.db, format: format)
    }

    func token(req: Request) async throws -> Response {
        let (token, format) = try Self.split(req.parameters.get("file") ?? "")
        guard let appeal = try await Appeal.query(on: req.db).filter(\.$number == token).first() else {
            throw Open311Error(status: .notFound, format: format, description: "令牌“\(token)”不存在")
        }
        return try Open311Encoding.respond(.array([.object(["service_request_id": .string(appeal.number), "token": .string(token)])]),
                                           root: "service_requests", item: "request", format: format)
    }

    struct PostForm: Content {
        var api_key: String?
        var service_code: String?
        var description: String?
        var first_name: String?
        var last_name: String?
        var phone: String?
        var email: String?
    }

    func post(req: Request) async throws -> Response {
        let (name, format) = try Self.split(req.parameters.get("file") ?? "")
        guard name == "requests" else { throw Open311Error(status: .notFound, format: format, description: "没有这个接口") }
        let form = try req.content.decode(PostForm.self)
        // GeoReport clients send api_key in the body or in the query string.
        guard let key = form.api_key ?? req.query[String.self, at: "api_key"], let user = try await APITokens.user(forToken: key, on: req.db) else {
            throw Open311Error(status: .forbidden, format: format, description: "api_key 无效或已被撤销")
        }
        let type = (try? req.content.get(String.self, at: "attribute[type]")).flatMap { AppealType(rawValue: $0) ?? AppealType(label: $0) } ?? .help
        let description = form.description?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let submission = AppealSubmission(
            type: type.rawValue, categoryCode: form.service_code, title: String(description.prefix(30)), content: description,
            contactName: [form.last_name, form.first_name].compactMap { $0 }.joined().nilIfEmpty, contactPhone: form.phone,
            anonymous: (form.phone ?? "").isEmpty, channel: AppealChannel.open311.rawValue)
        do {
            let receipt = try await AppealIntake(app: req.application, actor: try Principal(user: user, viaToken: true))
                .submit(submission, idempotencyKey: req.headers.first(name: "Idempotency-Key"), clientAddress: nil)
            let item: [String: Open311Value] = ["service_request_id": .string(receipt.appeal.number), "token": .string(receipt.appeal.number),
                                                "service_notice": .string("已受理，编号 \(receipt.appeal.number)"), "account_id": .null]
            let response = try Open311Encoding.respond(.array([.object(item)]), root: "service_requests", item: "request", format: format)
            response.status = receipt.created ? .created : .ok
            return response
        } catch let error as APIError where error.code == "validation_failed" {
            throw Open311Error(status: .badRequest, format: format,
                               description: error.fields.sorted { $0.key < $1.key }.map { "\($0.key)：\($0.value)" }.joined(separator: "；"))
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
