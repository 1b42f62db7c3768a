import Fluent
import Vapor
import YingshangCore

/// The public side of the appeals line (no login needed): submit an appeal, follow it with its number
/// and phone number (or query code), and rate the answer.
struct AppealPublicController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("appeal", use: form)
        routes.post("appeal", use: submit)
        routes.get("appeal", "query", use: query)
        routes.post("appeal", "rate", use: rate)
    }

    struct FormView: Encodable {
        let types: [FormOption]
        let categories: [FormOption]
        let idempotencyKey: String
        let values: [String: String]
        let anonymous: Bool
        let errors: [String: String]
        let signedInAsEnterprise: Bool
    }

    static func options(selectedType: String?, selectedCategory: String?, on db: any Database) async throws -> ([FormOption], [FormOption]) {
        let categories = try await AppealCategory.query(on: db).filter(\.$active == true).sort(\.$position).all()
        return (AppealType.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selectedType) },
                categories.map { FormOption(value: $0.code, label: $0.name, selected: $0.code == selectedCategory) })
    }

    func formView(_ req: Request, values: [String: String] = [:], anonymous: Bool = false, errors: [String: String] = [:]) async throws -> FormView {
        let (types, categories) = try await Self.options(selectedType: values["type"] ?? AppealType.complaint.rawValue,
                                                         selectedCategory: values["category_code"], on: req.db)
        return FormView(types: types, categories: categories, idempotencyKey: values["idempotency_key"] ?? UUID().uuidString,
                        values: values, anonymous: anonymous, errors: errors,
                        signedInAsEnterprise: req.principal?.role == .enterprise)
    }

    func form(req: Request) async throws -> View {
        try await req.page("appeals/submit", title: "营商环境专线 · 我要反映", try await formView(req))
    }

    struct SubmitForm: Content {
        var type, categoryCode, title, content, enterpriseCode, enterpriseName, contactName, contactPhone, anonymous, idempotencyKey: String?
        enum CodingKeys: String, CodingKey {
            case type, title, content, anonymous
            case categoryCode = "category_code", enterpriseCode = "enterprise_code", enterpriseName = "enterprise_name"
            case contactName = "contact_name", contactPhone = "contact_phone", idempotencyKey = "idempotency_key"
        }
        var submission: AppealSubmission {
            AppealSubmission(type: type, categoryCode: categoryCode, title: title, content: content, enterpriseCode: enterpriseCode,
                             enterpriseName: enterpriseName, contactName: contactName, contactPhone: contactPhone,
                             anonymous: anonymous != nil, channel: AppealChannel.web.rawValue)
        }
        var values: [String: String] {
            ["type": type ?? "", "category_code": categoryCode ?? "", "title": title ?? "", "content": content ?? "",
             "enterprise_code": enterpriseCode ?? "", "enterprise_name": enterpriseName ?? "", "contact_name": contactName ?? "",
             "contact_phone": contactPhone ?? "", "idempotency_key": idempotencyKey ?? ""]
        }
    }

    struct ReceiptView: Encodable { let number: String, replyBy: String, queryCode: String?, phoneGiven: Bool }

    func submit(req: Request) async throws -> Response {
        let form = try req.content.decode(SubmitForm.self)
        let rerender = { (errors: [String: String], status: HTTPResponseStatus) async throws -> Response in
            try await req.page("appeals/submit", title: "营商环境专线 · 我要反映",
                               try await formView(req, values: form.values, anonymous: form.anonymous != nil, errors: errors))
                .encodeResponse(status: status, for: req)
        }
        let key = form.idempotencyKey.flatMap { $0.isEmpty ? nil : $0 }
        let isRetry = try await key.asyncMap { try await Appeal.query(on: req.db).filter(\.$idempotencyKey == $0).first() != nil } ?? false
        if !isRetry, req.principal == nil, try await AppealIntake.isThrottled(address: req.clientAddress, on: req.db) {
            return try await rerender(["form": "提交过于频繁，请 10 分钟后再试；紧急事项请拨打 12345"], .tooManyRequests)
        }
        do {
            let receipt = try await AppealIntake(app: req.application, actor: req.principal)
                .submit(form.submission, idempotencyKey: key, clientAddress: req.clientAddress)
            let appeal = receipt.appeal
            return try await req.page("appeals/receipt", title: "诉求已受理", ReceiptView(
                number: appeal.number, replyBy: appeal.replyBy ?? "",
                queryCode: appeal.contactPhone == nil ? appeal.queryCode : nil, phoneGiven: appeal.contactPhone != nil))
                .encodeResponse(status: receipt.created ? .created : .ok, for: req)
        } catch let error as APIError where error.code == "validation_failed" {
            return try await rerender(error.fields, .unprocessableEntity)
        }
    }

    // MARK: Following an appeal

    struct QueryView: Encodable {
        struct Step: Encodable { let at: String, text: String }
        let number: String
        let found: Bool
        let asked: Bool
        let typeLabel: String, title: String, stateLabel: String, replyBy: String
        let steps: [Step]
        let canRate: Bool
        let satisfactions: [FormOption]
        let credential: String
    }

    /// The appeal matching a number and the phone number (or query code) given with it, else nil —
    /// the same answer whether the number is unknown or the phone is wrong.
    static func find(number: String, credential: String, on db: any Database) async throws -> Appeal? {
        let number = number.trimmingCharacters(in: .whitespaces).uppercased()
        let credential = credential.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "")
        guard !number.isEmpty, !credential.isEmpty,
              let appeal = try await Appeal.query(on: db).filter(\.$number == number).first() else { return nil }
        return appeal.contactPhone == credential || appeal.queryCode == credential ? appeal : nil
    }

    func query(req: Request) async throws -> View {
        let number = req.query[String.self, at: "number"] ?? ""
        let credential = req.query[String.self, at: "credential"] ?? ""
        let asked = !number.isEmpty || !credential.isEmpty
        guard asked, let appeal = try await Self.find(number: number, credential: credential, on: req.db) else {
            return try await req.page("appeals/query", title: "诉求办理进度查询", QueryView(
                number: number, found: false, asked: asked, typeLabel: "", title: "", stateLabel: "", replyBy: "", steps: [],
                canRate: false, satisfactions: [], credential: ""))
        }
        let events = try await AppealEventRecord.query(on: req.db).filter(\.$appeal.$id == appeal.requireID())
            .filter(\.$isPublic == true).sort(\.$createdAt).all()
        let state = AppealState(rawValue: appeal.state) ?? .received
        return try await req.page("appeals/query", title: "诉求办理进度查询", QueryView(
            number: appeal.number, found: true, asked: true, typeLabel: AppealType(rawValue: appeal.type)?.label ?? appeal.type,
            title: appeal.title, stateLabel: state.label, replyBy: appeal.replyBy ?? "",
            steps: events.map { .init(at: $0.createdAt.map(DisplayDate.minute) ?? "", text: $0.text) },
            canRate: state == .answered,
            satisfactions: AppealSatisfaction.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: false) },
            credential: credential))
    }

    struct RateForm: Content { var number: String; var credential: String; var satisfaction: String?; var comment: String? }

    func rate(req: Request) async throws -> Response {
        let form = try req.content.decode(RateForm.self)
        guard let appeal = try await Self.find(number: form.number, credential: form.credential, on: req.db) else {
            throw APIError.notFound
        }
        guard let satisfaction = form.satisfaction.flatMap(AppealSatisfaction.init(rawValue:)) else {
            throw APIError.validation(["satisfaction": "请选择 满意 / 基本满意 / 不满意"])
        }
        let appellant = Principal.appellant(appeal: appeal)
        try await AppealService(db: req.db, actor: appellant)
            .perform(.rate(satisfaction: satisfaction, comment: form.comment ?? ""), on: appeal, as: .appellant)
        return req.redirect(to: "/appeal/query?number=\(appeal.number.urlQueryEncoded)&credential=\(form.credential.urlQueryEncoded)")
    }
}

extension Principal {
    /// The appellant acting on the public query page (recorded in the audit log by the appeal's number).
    static func appellant(appeal: Appeal) -> Principal {
        Principal(userID: UUID(uuidString: "00000000-0000-0000-0000-000000000000")!, login: "appellant", displayName: "诉求人（\(appeal.number)）", role: .enterprise,
                  orgUnitID: nil, mustChangePassword: false, viaToken: false)
    }
}
