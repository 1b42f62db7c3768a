import Vapor

/// Every route: public pages, signed-in pages and the JSON API under `/api/v1`.
func routes(_ app: Application) throws {
    try app.register(collection: OperationsController())
    try app.register(collection: SessionController())
    try app.register(collection: HomeController())
    try app.register(collection: OrgUnitPageController())
    try app.register(collection: UserPageController())
    try app.register(collection: TokenPageController())
    try app.register(collection: LedgerHomeController())
    try app.register(collection: PlanPageController())
    try app.register(collection: TaskPageController())
    try app.register(collection: ReportPageController())
    try app.register(collection: SupervisionPageController())
    try app.register(collection: BulletinPageController())
    try app.register(collection: LedgerSettingsController())
    try app.register(collection: AppealPublicController())
    try app.register(collection: AppealAnalysisController())
    try app.register(collection: AppealSettingsController())
    try app.register(collection: AppealPageController())
    AuditController().registerPages(app)
    InboxController().registerPages(app)
    CalendarController().registerPages(app)

    try app.register(collection: Open311Controller())

    let api = app.grouped("api", "v1")
    api.get("openapi.json", use: OpenAPIDocument.serve)
    try api.register(collection: OrgUnitAPIController())
    try api.register(collection: UserAPIController())
    try api.register(collection: TokenAPIController())
    try api.register(collection: LedgerAPIController())
    try api.register(collection: AppealAPIController())
    AuditController().registerAPI(api)
    InboxController().registerAPI(api)
    CalendarController().registerAPI(api)
}
