import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

/// The appeals API answers each role as specified; a unit reaches only appeals dispatched to it.
@Suite("Authorisation matrix: appeals API")
struct AppealAPIMatrixTests {
    enum Actor: String, CaseIterable, Sendable { case anonymous, enterprise, supervisor, outsider, handler, leader, office }

    static let coveredRoutes: Set<String> = [
        "POST /api/v1/appeals", "GET /api/v1/appeals", "GET /api/v1/appeals/similar", "GET /api/v1/appeals/:id",
        "POST /api/v1/appeals/:id/actions",
    ]

    static func expect(_ others: HTTPStatus, _ overrides: [Actor: HTTPStatus]) -> [Actor: HTTPStatus] {
        var result = Dictionary(uniqueKeysWithValues: Actor.allCases.map { ($0, others) })
        result[.anonymous] = .unauthorized
        for (actor, status) in overrides { result[actor] = status }
        return result
    }

    @Test("Every appeals API route answers each role as specified", arguments: TestDatabase.available)
    func matrix(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let region = try await makeUnit(app, code: "R", name: "自治区", kind: .region)
            let unit = try await makeUnit(app, code: "U", name: "市场监管局", parent: region)
            let other = try await makeUnit(app, code: "O", name: "住建厅", parent: region)
            var tokens: [Actor: String] = [:]
            tokens[.enterprise] = try await makeToken(app, for: try await makeUser(app, login: "firm1", role: .enterprise))
            tokens[.supervisor] = try await makeToken(app, for: try await makeUser(app, login: "watcher", role: .supervisor))
            tokens[.outsider] = try await makeToken(app, for: try await makeUser(app, login: "zjt1", role: .unitStaff, unit: other))
            tokens[.handler] = try await makeToken(app, for: try await makeUser(app, login: "scjg1", role: .unitStaff, unit: unit))
            tokens[.leader] = try await makeToken(app, for: try await makeUser(app, login: "leader1", role: .leader))
            let officeUser = try await makeUser(app, login: "operator", role: .admin)
            tokens[.office] = try await makeToken(app, for: officeUser)
            let receipt = try await AppealIntake(app: app, actor: nil).submit(AppealSubmission(
                type: "complaint", title: "施工许可审批时间过长", content: "厂房项目施工许可申请二十个工作日没有结果。",
                contactPhone: "13812340000"), idempotencyKey: nil, clientAddress: nil)
            let appeal = receipt.appeal
            try await AppealService(db: app.db, actor: try Principal(user: officeUser, viaToken: false))
                .perform(.dispatch(units: [try unit.requireID().uuidString]), on: appeal, as: .office)
            let id = try appeal.requireID()
            let submission = #"{"type":"consultation","title":"稳岗补贴申领咨询","content":"今年没有裁员，能否申领稳岗返还？","contact_phone":"13900000000"}"#
            let rows: [(HTTPMethod, String, String, String?, [Actor: HTTPStatus])] = [
                (.POST, "/api/v1/appeals", "/api/v1/appeals", submission, Self.expect(.created, [:])),
                (.GET, "/api/v1/appeals", "/api/v1/appeals", nil, Self.expect(.ok, [.enterprise: .forbidden])),
                (.GET, "/api/v1/appeals/:id", "/api/v1/appeals/\(id)", nil, Self.expect(.ok, [.enterprise: .forbidden, .outsider: .notFound])),
                (.GET, "/api/v1/appeals/similar", "/api/v1/appeals/similar?title=%E6%96%BD%E5%B7%A5%E8%AE%B8%E5%8F%AF", nil,
                 Self.expect(.forbidden, [.office: .ok])),
                (.POST, "/api/v1/appeals/:id/actions", "/api/v1/appeals/\(id)/actions", #"{"action":"sign"}"#,
                 Self.expect(.forbidden, [.enterprise: .forbidden, .outsider: .notFound, .handler: .ok])),
            ]
            #expect(Set(rows.map { "\($0.0.rawValue) \($0.1)" }) == Self.coveredRoutes)
            for (method, _, path, body, expected) in rows {
                for actor in Actor.allCases {
                    let response = try await APIClient(app: app, token: tokens[actor]).send(method, path, json: body)
                    #expect(response.status == expected[actor], "\(method) \(path) as \(actor): \(response.status.code) \(response.text.prefix(160))")
                }
            }
            let supervisorView = try await APIClient(app: app, token: tokens[.supervisor]).send(.GET, "/api/v1/appeals/\(id)")
            #expect(try supervisorView.json(AppealDTO.self).contactPhone == "138****0000")
            let handlerView = try await APIClient(app: app, token: tokens[.handler]).send(.GET, "/api/v1/appeals/\(id)")
            #expect(try handlerView.json(AppealDTO.self).contactPhone == "13812340000")
        }
    }
}
