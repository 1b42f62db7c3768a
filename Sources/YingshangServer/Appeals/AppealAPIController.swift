import Fluent
import Vapor
import YingshangCore

/// An appeal as the JSON API shows it; contact details as the viewer may see them.
struct AppealDTO: Content {
    var id: UUID
    var number: String
    var type: String
    var categoryCode: String?
    var title: String
    var content: String
    var channel: String
    var state: String
    var receivedOn: String
    var signBy: String?
    var replyBy: String?
    var leadUnitID: UUID?
    var assistingUnitIDs: [UUID]
    var reply: String?
    var satisfaction: String?
    var outcome: String?
    var contactName: String
    var contactPhone: String
    enum CodingKeys: String, CodingKey {
        case id, number, type, title, content, channel, state, reply, satisfaction, outcome
        case categoryCode = "category_code", receivedOn = "received_on", signBy = "sign_by", replyBy = "reply_by"
        case leadUnitID = "lead_unit_id", assistingUnitIDs = "assisting_unit_ids", contactName = "contact_name", contactPhone = "contact_phone"
    }
}

/// `/api/v1/appeals`: intake for machine clients, the handling list, one appeal, its actions, similar appeals.
struct AppealAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let appeals = routes.grouped("appeals")
        appeals.post(use: create)
        appeals.get(use: list)
        appeals.get("similar", use: similar)
        appeals.get(":id", use: show)
        appeals.post(":id", "actions", use: act)
    }

    /// `viewer` nil: as the signed-in user may see it; the submitter of a new appeal sees it in full.
    func dto(_ appeal: Appeal, req: Request, categories: [UUID: String], viewer: AppealViewer? = nil) async throws -> AppealDTO {
        let access = AppealAccess(request: req)
        let flags = AppealPrivacyFlags(anonymous: appeal.anonymous, type: AppealType(rawValue: appeal.type) ?? .complaint,
                                       handlingUnitIDs: access.handlingUnits(of: appeal).map(\.uuidString),
                                       reportedUnitIDs: appeal.reportedUnitIDs.map(\.uuidString))
        let seenBy: AppealViewer
        if let viewer { seenBy = viewer } else { seenBy = try await access.viewer(for: appeal) }
        let contact = AppealPrivacy.view(name: appeal.contactName ?? "", phone: appeal.contactPhone ?? "", flags: flags, viewer: seenBy)
        if viewer == nil { try await access.recordPersonalDataView(of: appeal, contact: contact) }
        return AppealDTO(id: try appeal.requireID(), number: appeal.number, type: appeal.type,
                         categoryCode: appeal.$category.id.flatMap { categories[$0] }, title: appeal.title, content: appeal.content,
                         channel: appeal.channel, state: appeal.state, receivedOn: appeal.receivedOn, signBy: appeal.signBy,
                         replyBy: appeal.replyBy, leadUnitID: appeal.leadUnitID, assistingUnitIDs: appeal.assistingUnitIDs,
                         reply: appeal.replyText, satisfaction: appeal.satisfaction, outcome: appeal.outcome,
                         contactName: contact.name.text, contactPhone: contact.phone.text)
    }

    func categoryCodes(_ req: Request) async throws -> [UUID: String] {
        Dictionary(try await AppealCategory.query(on: req.db).all().compactMap { c in c.id.map { ($0, c.code) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Intake over the API (channel 接口); `Idempotency-Key` makes a retried call return the same appeal.
    func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        var submission = try req.content.decode(AppealSubmission.self)
        submission.channel = AppealChannel.api.rawValue
        let receipt = try await AppealIntake(app: req.application, actor: principal)
            .submit(submission, idempotencyKey: req.headers.first(name: "Idempotency-Key"), clientAddress: nil)
        let categories = receipt.appeal.$category.id.flatMap { id in receipt.categoryCode.map { [id: $0] } } ?? [:]
        let body = try await dto(receipt.appeal, req: req, categories: categories, viewer: .office)
        return try await body.encodeResponse(status: receipt.created ? .created : .ok, for: req)
    }

    func list(req: Request) async throws -> PageOf<AppealDTO> {
        let page = try PageRequest(from: req)
        let query = try await AppealAccess(request: req).query().sort(\.$receivedOn, .descending).sort(\.$sequence, .descending)
        if let raw = req.query[String.self, at: "state"], !raw.isEmpty {
            guard let state = AppealState(rawValue: raw) else { throw APIError.validation(["state": "未知状态"], message: "筛选条件无效") }
            query.filter(\.$state == state.rawValue)
        }
        if let raw = req.query[String.self, at: "type"], !raw.isEmpty {
            guard let type = AppealType(rawValue: raw) else { throw APIError.validation(["type": "未知类型"], message: "筛选条件无效") }
            query.filter(\.$type == type.rawValue)
        }
        let (items, total) = try await query.page(page)
        let categories = try await categoryCodes(req)
        var dtos: [AppealDTO] = []
        for appeal in items { dtos.append(try await dto(appeal, req: req, categories: categories)) }
        return PageOf(items: dtos, total: total, limit: page.limit, offset: page.offset)
    }

    func show(req: Request) async throws -> AppealDTO {
        try await dto(try await AppealAccess(request: req).appeal(req.parameters.get("id", as: UUID.self)), req: req,
                      categories: try await categoryCodes(req))
    }

    func act(req: Request) async throws -> AppealDTO {
        let access = AppealAccess(request: req)
        let principal = try access.reader()
        let appeal = try await access.appeal(req.parameters.get("id", as: UUID.self))
        let (event, actor) = try req.content.decode(AppealActionInput.self)
            .authorizedEvent(principal: principal, unit: try await access.ownUnit(in: appeal))
        let updated = try await AppealService(db: req.db, actor: principal).perform(event, on: appeal, as: actor)
        return try await dto(updated, req: req, categories: try await categoryCodes(req))
    }

    struct Match: Content { var number: String; var id: UUID; var title: String; var score: Double; var explanation: String }

    /// Open appeals similar to what an operator is entering (same enterprise, similar text), to merge duplicates.
    func similar(req: Request) async throws -> [Match] {
        try req.require(.runAppeals)
        let title = req.query[String.self, at: "title"] ?? ""
        let content = req.query[String.self, at: "content"] ?? ""
        guard !(title + content).trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.validation(["title": "请提供标题或内容"])
        }
        let draft = AppealDraftText(title: title, content: content, enterpriseCode: req.query[String.self, at: "enterprise_code"])
        return try await AppealSimilarSearch.openMatches(to: draft, on: req.db).map { found in
            Match(number: found.match.number, id: try found.appeal.requireID(), title: found.appeal.title,
                  score: found.match.score, explanation: found.match.explanation)
        }
    }
}
