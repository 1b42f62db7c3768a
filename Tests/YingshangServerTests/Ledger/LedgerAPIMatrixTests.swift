import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

/// The ledger's API routes answer each role as specified: the office runs the ledger, leaders and
/// supervisors read, a department reaches only the tasks its unit leads or supports.
@Suite("Authorisation matrix: ledger API")
struct LedgerAPIMatrixTests {
    enum Actor: String, CaseIterable, Sendable { case anonymous, enterprise, supervisor, outsider, lead, leader, office }

    struct Row {
        let method: HTTPMethod, route: String, path: String, body: String?, contentType: HTTPMediaType
        let expected: [Actor: HTTPStatus]
    }

    /// The routes this matrix covers (the platform matrix checks that every API route is covered somewhere).
    static let coveredRoutes: Set<String> = [
        "GET /api/v1/plans", "POST /api/v1/plans/import", "GET /api/v1/plans/:id", "POST /api/v1/plans/:id/publish",
        "GET /api/v1/plans/:id/assessment", "GET /api/v1/tasks", "GET /api/v1/tasks/:id", "GET /api/v1/tasks/:id/reports",
        "POST /api/v1/tasks/:id/reports", "POST /api/v1/tasks/:id/supervision-orders", "POST /api/v1/reports/:id/review",
        "GET /api/v1/supervision-orders", "POST /api/v1/supervision-orders/:id/respond", "POST /api/v1/supervision-orders/:id/close",
        "POST /api/v1/jobs/run",
    ]

    static func expect(_ others: HTTPStatus, _ overrides: [Actor: HTTPStatus]) -> [Actor: HTTPStatus] {
        var result = Dictionary(uniqueKeysWithValues: Actor.allCases.map { ($0, others) })
        result[.anonymous] = .unauthorized
        for (actor, status) in overrides { result[actor] = status }
        return result
    }

    @Test("Every ledger API route answers each role as specified", arguments: TestDatabase.available)
    func matrix(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await LedgerFixtures.world(app)
            var tokens: [Actor: String] = [:]
            tokens[.enterprise] = try await makeToken(app, for: try await makeUser(app, login: "firm1", role: .enterprise))
            tokens[.supervisor] = try await makeToken(app, for: world.supervisor)
            tokens[.outsider] = try await makeToken(app, for: world.staffBing)
            tokens[.lead] = try await makeToken(app, for: world.staffJia)
            tokens[.leader] = try await makeToken(app, for: try await makeUser(app, login: "leader1", role: .leader))
            tokens[.office] = try await makeToken(app, for: world.office)
            let task = try await LedgerFixtures.task(app, number: "（一）")
            let taskID = try task.requireID()
            let officeActor = try Principal(user: world.office, viaToken: false)
            let report = try await ReportService(db: app.db, actor: try Principal(user: world.staffJia, viaToken: false), app: app)
                .submit(task: task, period: ReportPeriod(year: 2026, month: 5)!,
                        filing: .init(progressStatus: "on_track", summary: "进展", percent: 20, files: nil), today: Today.civil())
            let order = try #require(try await SupervisionService(db: app.db, actor: officeActor).open(.init(
                sourceType: "task", sourceID: taskID, sourceTitle: "（一）", trigger: .manual, level: .supervision, reason: "进度滞后",
                rectifyBy: Today.civil().adding(days: 30), unitIDs: [try world.jia.requireID()], ruleKey: nil, link: "")))
            let draft = try #require(try await PlanImport(db: app.db, actor: officeActor).run(
                text: LedgerFixtures.miniDocument.replacingOccurrences(of: "测试市优化", with: "测试市持续优化"), sourceName: nil).drafts.first)
            let rectify = Today.civil().adding(days: 20).iso
            let plain = HTTPMediaType.plainText
            let rows: [Row] = [
                Row(method: .GET, route: "/api/v1/plans", path: "/api/v1/plans", body: nil, contentType: .json,
                    expected: Self.expect(.ok, [.enterprise: .forbidden])),
                Row(method: .GET, route: "/api/v1/plans/:id", path: "/api/v1/plans/\(world.planID)", body: nil, contentType: .json,
                    expected: Self.expect(.ok, [.enterprise: .forbidden])),
                Row(method: .GET, route: "/api/v1/plans/:id", path: "/api/v1/plans/\(draft)", body: nil, contentType: .json,
                    expected: Self.expect(.notFound, [.enterprise: .forbidden, .office: .ok])),
                Row(method: .GET, route: "/api/v1/plans/:id/assessment", path: "/api/v1/plans/\(world.planID)/assessment", body: nil,
                    contentType: .json, expected: Self.expect(.ok, [.enterprise: .forbidden])),
                Row(method: .GET, route: "/api/v1/tasks", path: "/api/v1/tasks", body: nil, contentType: .json,
                    expected: Self.expect(.ok, [.enterprise: .forbidden])),
                Row(method: .GET, route: "/api/v1/tasks/:id", path: "/api/v1/tasks/\(taskID)", body: nil, contentType: .json,
                    expected: Self.expect(.ok, [.enterprise: .forbidden, .outsider: .notFound])),
                Row(method: .GET, route: "/api/v1/tasks/:id/reports", path: "/api/v1/tasks/\(taskID)/reports", body: nil,
                    contentType: .json, expected: Self.expect(.ok, [.enterprise: .forbidden, .outsider: .notFound])),
                Row(method: .POST, route: "/api/v1/tasks/:id/reports", path: "/api/v1/tasks/\(taskID)/reports",
                    body: #"{"period":"2026-06","progress_status":"on_track","summary":"六月进展","percent":30}"#, contentType: .json,
                    expected: Self.expect(.forbidden, [.outsider: .notFound, .lead: .created])),
                Row(method: .GET, route: "/api/v1/supervision-orders", path: "/api/v1/supervision-orders", body: nil, contentType: .json,
                    expected: Self.expect(.ok, [.enterprise: .forbidden])),
                Row(method: .POST, route: "/api/v1/supervision-orders/:id/respond", path: "/api/v1/supervision-orders/\(try order.requireID())/respond",
                    body: #"{"text":"已整改"}"#, contentType: .json,
                    expected: Self.expect(.forbidden, [.enterprise: .forbidden, .outsider: .notFound, .lead: .ok])),
                Row(method: .POST, route: "/api/v1/tasks/:id/supervision-orders", path: "/api/v1/tasks/\(taskID)/supervision-orders",
                    body: #"{"level":"reminder","reason":"请加快进度","rectify_by":"\#(rectify)"}"#, contentType: .json,
                    expected: Self.expect(.forbidden, [.office: .created])),
                Row(method: .POST, route: "/api/v1/reports/:id/review", path: "/api/v1/reports/\(try report.requireID())/review",
                    body: #"{"decision":"accept"}"#, contentType: .json, expected: Self.expect(.forbidden, [.office: .ok])),
                Row(method: .POST, route: "/api/v1/supervision-orders/:id/close", path: "/api/v1/supervision-orders/\(try order.requireID())/close",
                    body: #"{"text":"办结"}"#, contentType: .json,
                    expected: Self.expect(.forbidden, [.outsider: .forbidden, .office: .ok])),
                Row(method: .POST, route: "/api/v1/plans/import", path: "/api/v1/plans/import?name=api.txt",
                    body: LedgerFixtures.miniDocument.replacingOccurrences(of: "测试市优化", with: "测试市全面优化"), contentType: plain,
                    expected: Self.expect(.forbidden, [.office: .created])),
                Row(method: .POST, route: "/api/v1/plans/:id/publish", path: "/api/v1/plans/\(draft)/publish", body: "{}", contentType: .json,
                    expected: Self.expect(.forbidden, [.office: .ok])),
                Row(method: .POST, route: "/api/v1/jobs/run", path: "/api/v1/jobs/run", body: nil, contentType: .json,
                    expected: Self.expect(.forbidden, [.office: .ok])),
            ]
            #expect(Set(rows.map { "\($0.method.rawValue) \($0.route)" }) == Self.coveredRoutes)
            for row in rows {
                for actor in [Actor.anonymous, .enterprise, .supervisor, .outsider, .lead, .leader, .office] {
                    let response = try await APIClient(app: app, token: tokens[actor])
                        .send(row.method, row.path, json: row.body, contentType: row.contentType)
                    #expect(response.status == row.expected[actor],
                            "\(row.method) \(row.path) as \(actor): \(response.status.code) \(response.text.prefix(160))")
                }
            }
        }
    }
}
