import Fluent
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

/// For every API route, each role gets exactly what it should; department staff cannot reach
/// another department's records by guessing ids or by filters.
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    enum Actor: String, CaseIterable, Sendable {
        case anonymous, admin, leader, staffA, supervisor, enterprise
    }

    /// Expected status per actor; `nil` entries default to the given `others` status.
    struct Case: Sendable {
        let method: HTTPMethod
        let route: String
        let path: String
        let body: String?
        let expected: [Actor: HTTPStatus]
    }

    struct World {
        let region: OrgUnit, unitA: OrgUnit, sectionA: OrgUnit, unitB: OrgUnit
        let userA: User, userB: User
        let tokens: [Actor: String]
        let foreignTokenID: UUID
    }

    func makeWorld(_ app: Application) async throws -> World {
        let region = try await makeUnit(app, code: "R", name: "自治区", kind: .region)
        let unitA = try await makeUnit(app, code: "A", name: "甲厅", parent: region)
        let sectionA = try await makeUnit(app, code: "A1", name: "甲厅一处", kind: .section, parent: unitA)
        let unitB = try await makeUnit(app, code: "B", name: "乙厅", parent: region)
        let userA = try await makeUser(app, login: "staffa", role: .unitStaff, unit: unitA)
        let userB = try await makeUser(app, login: "staffb", role: .unitStaff, unit: unitB)
        var tokens: [Actor: String] = [:]
        tokens[.admin] = try await makeToken(app, for: try await makeUser(app, login: "admin1", role: .admin))
        tokens[.leader] = try await makeToken(app, for: try await makeUser(app, login: "leader1", role: .leader))
        tokens[.staffA] = try await makeToken(app, for: userA)
        tokens[.supervisor] = try await makeToken(app, for: try await makeUser(app, login: "watcher", role: .supervisor))
        tokens[.enterprise] = try await makeToken(app, for: try await makeUser(app, login: "firm1", role: .enterprise))
        _ = try await makeToken(app, for: userB)
        let foreign = try #require(try await APIToken.query(on: app.db).filter(\.$user.$id == userB.requireID()).first())
        return World(region: region, unitA: unitA, sectionA: sectionA, unitB: unitB, userA: userA, userB: userB,
                     tokens: tokens, foreignTokenID: try foreign.requireID())
    }

    static func expect(_ others: HTTPStatus, _ overrides: [Actor: HTTPStatus]) -> [Actor: HTTPStatus] {
        var result = Dictionary(uniqueKeysWithValues: Actor.allCases.map { ($0, others) })
        result[.anonymous] = .unauthorized
        for (actor, status) in overrides { result[actor] = status }
        return result
    }

    func cases(_ w: World) throws -> [Case] {
        let a = try w.unitA.requireID(), b = try w.unitB.requireID(), userB = try w.userB.requireID()
        let newUnit = #"{"code":"N\#(UUID().uuidString.prefix(4))","name":"新单位","kind":"department","parent_id":"\#(try w.region.requireID())"}"#
        return [
            Case(method: .GET, route: "/api/v1/openapi.json", path: "/api/v1/openapi.json", body: nil,
                 expected: Self.expect(.ok, [.anonymous: .ok])),
            Case(method: .GET, route: "/api/v1/orgunits", path: "/api/v1/orgunits", body: nil,
                 expected: Self.expect(.ok, [.enterprise: .forbidden])),
            Case(method: .GET, route: "/api/v1/orgunits/:id", path: "/api/v1/orgunits/\(a)", body: nil,
                 expected: Self.expect(.ok, [.enterprise: .forbidden])),
            Case(method: .GET, route: "/api/v1/orgunits/:id", path: "/api/v1/orgunits/\(b)", body: nil,
                 expected: Self.expect(.ok, [.enterprise: .forbidden, .staffA: .notFound])),
            Case(method: .POST, route: "/api/v1/orgunits", path: "/api/v1/orgunits", body: newUnit,
                 expected: Self.expect(.forbidden, [.admin: .created])),
            Case(method: .PATCH, route: "/api/v1/orgunits/:id", path: "/api/v1/orgunits/\(a)", body: #"{"name":"甲厅（改）"}"#,
                 expected: Self.expect(.forbidden, [.admin: .ok])),
            Case(method: .DELETE, route: "/api/v1/orgunits/:id", path: "/api/v1/orgunits/\(try w.sectionA.requireID())",
                 body: nil, expected: Self.expect(.forbidden, [.admin: .noContent])),
            Case(method: .POST, route: "/api/v1/orgunits/import", path: "/api/v1/orgunits/import",
                 body: "编码,全称,简称,上级编码,类型,别名\nZ9,导入单位,,R,部门,\n",
                 expected: Self.expect(.forbidden, [.admin: .ok])),
            Case(method: .GET, route: "/api/v1/users", path: "/api/v1/users", body: nil,
                 expected: Self.expect(.ok, [.supervisor: .forbidden, .enterprise: .forbidden])),
            Case(method: .GET, route: "/api/v1/users/:id", path: "/api/v1/users/\(userB)", body: nil,
                 expected: Self.expect(.ok, [.supervisor: .forbidden, .enterprise: .forbidden, .staffA: .notFound])),
            Case(method: .POST, route: "/api/v1/users", path: "/api/v1/users",
                 body: #"{"login":"new\#(Int.random(in: 100...999))","display_name":"新人","role":"leader"}"#,
                 expected: Self.expect(.forbidden, [.admin: .created])),
            Case(method: .PATCH, route: "/api/v1/users/:id", path: "/api/v1/users/\(userB)", body: #"{"display_name":"改名"}"#,
                 expected: Self.expect(.forbidden, [.admin: .ok, .staffA: .forbidden])),
            Case(method: .POST, route: "/api/v1/users/:id/reset-password", path: "/api/v1/users/\(userB)/reset-password",
                 body: nil, expected: Self.expect(.forbidden, [.admin: .ok])),
            Case(method: .GET, route: "/api/v1/me", path: "/api/v1/me", body: nil, expected: Self.expect(.ok, [:])),
            Case(method: .GET, route: "/api/v1/tokens", path: "/api/v1/tokens", body: nil, expected: Self.expect(.ok, [:])),
            Case(method: .POST, route: "/api/v1/tokens", path: "/api/v1/tokens", body: #"{"name":"脚本"}"#,
                 expected: Self.expect(.created, [:])),
            Case(method: .DELETE, route: "/api/v1/tokens/:id", path: "/api/v1/tokens/\(w.foreignTokenID)", body: nil,
                 expected: Self.expect(.notFound, [.admin: .noContent])),
            Case(method: .GET, route: "/api/v1/audit", path: "/api/v1/audit", body: nil,
                 expected: Self.expect(.forbidden, [.admin: .ok])),
            Case(method: .GET, route: "/api/v1/notifications", path: "/api/v1/notifications", body: nil,
                 expected: Self.expect(.ok, [:])),
            Case(method: .POST, route: "/api/v1/notifications/:id/read", path: "/api/v1/notifications/\(UUID())/read",
                 body: nil, expected: Self.expect(.notFound, [:])),
            Case(method: .GET, route: "/api/v1/calendar/add-working-days",
                 path: "/api/v1/calendar/add-working-days?from=2023-09-28&days=10", body: nil, expected: Self.expect(.ok, [:])),
            Case(method: .GET, route: "/api/v1/calendar/years/:year", path: "/api/v1/calendar/years/2024", body: nil,
                 expected: Self.expect(.ok, [:])),
            // The policy library is public, like the portal; only the office writes to the knowledge base.
            Case(method: .GET, route: "/api/v1/policies", path: "/api/v1/policies", body: nil,
                 expected: Self.expect(.ok, [.anonymous: .ok])),
            Case(method: .GET, route: "/api/v1/policies/:id", path: "/api/v1/policies/\(UUID())", body: nil,
                 expected: Self.expect(.notFound, [.anonymous: .notFound])),
            Case(method: .GET, route: "/api/v1/search", path: "/api/v1/search?q=%E5%AE%A1%E6%89%B9", body: nil,
                 expected: Self.expect(.ok, [.anonymous: .ok])),
            Case(method: .GET, route: "/api/v1/knowledge", path: "/api/v1/knowledge", body: nil,
                 expected: Self.expect(.ok, [.anonymous: .ok])),
            Case(method: .GET, route: "/api/v1/knowledge/:id", path: "/api/v1/knowledge/\(UUID())", body: nil,
                 expected: Self.expect(.notFound, [.anonymous: .notFound])),
            Case(method: .POST, route: "/api/v1/knowledge", path: "/api/v1/knowledge", body: #"{"question":"问题","answer":"答复"}"#,
                 expected: Self.expect(.forbidden, [.admin: .created])),
            // Benefit policies: every signed-in role reads and evaluates; an enterprise file's results are staff's or its own.
            Case(method: .GET, route: "/api/v1/benefits", path: "/api/v1/benefits", body: nil, expected: Self.expect(.ok, [:])),
            Case(method: .POST, route: "/api/v1/eligibility/evaluate", path: "/api/v1/eligibility/evaluate",
                 body: #"{"policy":"XWWL","facts":{"employees":100,"assets_wan":3000,"taxable_income_wan":200},"as_of":"2023-12-31"}"#,
                 expected: Self.expect(.ok, [:])),
            Case(method: .GET, route: "/api/v1/enterprises/:id/eligibility", path: "/api/v1/enterprises/\(UUID())/eligibility", body: nil,
                 expected: Self.expect(.notFound, [:])),
            Case(method: .GET, route: "/api/v1/evaluation/ranking", path: "/api/v1/evaluation/ranking", body: nil,
                 expected: Self.expect(.ok, [.enterprise: .forbidden])),
            Case(method: .GET, route: "/api/v1/evaluation/places/:id", path: "/api/v1/evaluation/places/\(a)", body: nil,
                 expected: Self.expect(.notFound, [.enterprise: .forbidden])),
        ]
    }

    @Test("Every API route answers each role as specified", arguments: TestDatabase.available)
    func matrix(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await makeWorld(app)
            let cases = try cases(world)
            let covered = Set(cases.map { "\($0.method.rawValue) \($0.route)" }).union(LedgerAPIMatrixTests.coveredRoutes).union(AppealAPIMatrixTests.coveredRoutes)
            for route in app.routes.all where route.path.first?.description == "api" {
                let key = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                #expect(covered.contains(key), "route \(key) has no row in the authorisation matrix")
            }
            // Destructive rows last, so earlier rows see the records they need.
            let ordered = cases.filter { $0.method != .DELETE } + cases.filter { $0.method == .DELETE }
            for row in ordered {
                for actor in [Actor.anonymous, .enterprise, .supervisor, .staffA, .leader, .admin] {
                    let client = APIClient(app: app, token: world.tokens[actor])
                    let isCSV = row.route.hasSuffix("import")
                    let response = try await client.send(row.method, row.path, json: row.body,
                                                         contentType: isCSV ? HTTPMediaType(type: "text", subType: "csv") : .json)
                    #expect(response.status == row.expected[actor],
                            "\(row.method) \(row.path) as \(actor): \(response.status.code) \(response.text.prefix(200))")
                }
            }
        }
    }

    @Test("Department staff see only their own subtree in lists and filters", arguments: TestDatabase.available)
    func scopedLists(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let world = try await makeWorld(app)
            let staff = APIClient(app: app, token: world.tokens[.staffA])
            let units = try await staff.send(.GET, "/api/v1/orgunits").json(PageOf<OrgUnitDTO>.self)
            #expect(Set(units.items.map(\.code)) == ["A", "A1"])
            let byParent = try await staff.send(.GET, "/api/v1/orgunits?parent_id=\(try world.region.requireID())")
                .json(PageOf<OrgUnitDTO>.self)
            #expect(byParent.items.map(\.code) == ["A"])
            let users = try await staff.send(.GET, "/api/v1/users?org_unit_id=\(try world.unitB.requireID())")
                .json(PageOf<UserDTO>.self)
            #expect(users.items.isEmpty)
            let all = try await staff.send(.GET, "/api/v1/users").json(PageOf<UserDTO>.self)
            #expect(all.items.map(\.login) == ["staffa"])
        }
    }
}
