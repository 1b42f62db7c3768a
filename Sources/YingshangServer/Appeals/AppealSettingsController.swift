import Fluent
import Vapor
import YingshangCore

/// The appeals line's settings (办理时限、自动督办) and the dispatch catalogue (派单目录), for the office.
struct AppealSettingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("appeals", "settings", use: page)
        routes.post("appeals", "settings", use: save)
        routes.post("appeals", "catalogue", use: saveCatalogue)
    }

    struct Limit: Encodable { let key: String, label: String, days: Int }
    struct CatalogueRow: Encodable { let code: String, name: String, units: [FormOption] }
    struct PageView: Encodable {
        let signing: Int, warningLead: Int, maxExtension: Int, returnDays: Int
        let limits: [Limit]
        let signingLevel: [FormOption], replyLevel: [FormOption]
        let listedAfter: Int, rectification: Int
        let catalogue: [CatalogueRow]
        let problems: [String]
    }

    func levels(_ selected: SupervisionLevel?) -> [FormOption] {
        [FormOption(value: "", label: "不自动督办", selected: selected == nil)]
            + SupervisionLevel.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == selected) }
    }

    func view(_ req: Request, settings: AppealSettings, problems: [String] = []) async throws -> PageView {
        let units = try await OrgUnitQueries(request: req).options()
        let categories = try await AppealCategory.query(on: req.db).sort(\.$position).all()
        return PageView(
            signing: settings.limits.signing, warningLead: settings.limits.warningLeadWorkingDays,
            maxExtension: settings.limits.maxExtensionWorkingDays, returnDays: settings.limits.returnWorkingDays,
            limits: AppealType.allCases.map { Limit(key: $0.rawValue, label: $0.label, days: settings.limits.replyLimit(for: $0)) },
            signingLevel: levels(settings.supervision.signingOverdueLevel), replyLevel: levels(settings.supervision.replyOverdueLevel),
            listedAfter: settings.supervision.listedAfterWorkingDays, rectification: settings.supervision.rectificationWorkingDays,
            catalogue: categories.map { category in
                CatalogueRow(code: category.code, name: category.name, units: units.selecting(category.unitIDs.first?.uuidString))
            },
            problems: problems)
    }

    func page(req: Request) async throws -> View {
        try req.require(.runAppeals)
        return try await req.page("appeals/settings", title: "专线设置", try await view(req, settings: try await AppealSettings.load(on: req.db)))
    }

    func save(req: Request) async throws -> Response {
        let actor = try req.require(.runAppeals)
        let before = try await AppealSettings.load(on: req.db)
        var settings = before
        var form = FormNumbers(req)
        settings.limits.signing = form.int("signing", "签收时限")
        settings.limits.warningLeadWorkingDays = form.int("warning_lead", "到期预警")
        settings.limits.maxExtensionWorkingDays = form.int("max_extension", "最长延期")
        settings.limits.returnWorkingDays = form.int("return_days", "退单时限")
        for type in AppealType.allCases { settings.limits.byType[type] = form.int("limit_\(type.rawValue)", "\(type.label)办理时限") }
        settings.supervision.signingOverdueLevel = form.level("signing_level")
        settings.supervision.replyOverdueLevel = form.level("reply_level")
        settings.supervision.listedAfterWorkingDays = form.int("listed_after", "挂牌督办")
        settings.supervision.rectificationWorkingDays = form.int("rectification", "整改期限")
        var problems = form.problems
        if problems.isEmpty { problems = settings.limits.validate() + settings.supervision.validate() }
        guard problems.isEmpty else {
            return try await req.page("appeals/settings", title: "专线设置", try await view(req, settings: settings, problems: problems))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let saved = settings
        try await Transactions.run(on: req.db) { tx in
            try await saved.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "appeal_settings", entityID: AppealSettings.key,
                                      before: before, after: saved)
        }
        req.flash("专线设置已保存；新的时限对此后受理的诉求生效")
        return req.redirect(to: "/appeals/settings")
    }

    /// Each category's default unit: `unit_<code>` = org-unit id (empty for none).
    func saveCatalogue(req: Request) async throws -> Response {
        let actor = try req.require(.runAppeals)
        let categories = try await AppealCategory.query(on: req.db).all()
        let known = Set(try await OrgUnit.query(on: req.db).all().compactMap(\.id))
        try await Transactions.run(on: req.db) { tx in
            for category in categories {
                let raw = (try? req.content.get(String.self, at: "unit_\(category.code)")) ?? ""
                let units = UUID(uuidString: raw).flatMap { known.contains($0) ? [$0] : nil } ?? []
                guard units != category.unitIDs else { continue }
                let before = category.unitIDs
                category.unitIDs = units
                try await category.save(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "appeal_category",
                                          entityID: category.code, before: ["units": before], after: ["units": units])
            }
        }
        req.flash("派单目录已保存")
        return req.redirect(to: "/appeals/settings#catalogue")
    }
}
