import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

@Suite("First start, demo data, operations, OpenAPI")
struct PlatformTests {
    @Test("An empty database gets one administrator with a one-time password, once", arguments: TestDatabase.available)
    func firstStart(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let password = try #require(try await FirstStart.ensureAdministrator(on: app))
            #expect(try await FirstStart.ensureAdministrator(on: app) == nil)
            let admin = try #require(try await User.query(on: app.db).filter(\.$login == "admin").first())
            #expect(admin.mustChangePassword)
            #expect(admin.userRole == .admin)
            let browser = TestBrowser(app)
            #expect(try await browser.login("admin", password: password).headers.first(name: .location) == "/password")
        }
    }

    @Test("Demo data loads idempotently and its printed passwords work", arguments: TestDatabase.available)
    func demo(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await DemoData.load(on: app)
            let units = try await OrgUnit.query(on: app.db).count()
            let users = try await User.query(on: app.db).count()
            try await DemoData.load(on: app)
            #expect(try await OrgUnit.query(on: app.db).count() == units)
            #expect(try await User.query(on: app.db).count() == users)
            #expect(Set(try await User.query(on: app.db).all().map(\.userRole)) == Set(Role.allCases))
            let secret = try await DemoData.demoSecret(on: app.db)
            for account in DemoData.accounts {
                let response = try await TestBrowser(app).login(account.login, password: DemoData.password(for: account.login, secret: secret))
                #expect(response.headers.first(name: .location) == "/", "demo login \(account.login)")
            }
        }
    }

    @Test("Health check, metrics and request ids")
    func operations() async throws {
        try await withTestApp(.sqlite) { app in
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok)
            #expect(health.text.contains("\"status\":\"ok\""))
            _ = try await app.testing().sendRequest(.GET, "/login")
            let metrics = try await app.testing().sendRequest(.GET, "/metrics")
            #expect(metrics.text.contains("http_requests_total"))
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: "X-Request-Id", value: "trace-123")
            let traced = try await app.testing().sendRequest(.GET, "/about", headers: headers)
            #expect(traced.headers.first(name: "X-Request-Id") == "trace-123")
        }
    }

    @Test("Every API route is in the OpenAPI document")
    func openAPICoversRoutes() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            let document = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            #expect(document?["openapi"] as? String == "3.0.3")
            let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
            for route in app.routes.all where route.path.first?.description == "api" {
                let path = "/" + route.path.dropFirst(2).map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                #expect(paths[path]?[route.method.rawValue.lowercased()] != nil,
                        "\(route.method.rawValue) \(path) is missing from openapi.json")
            }
        }
    }

    @Test("Each role sees its own navigation; anonymous visitors only public pages")
    func navigation() async throws {
        try await withTestApp(.sqlite) { app in
            try await makeUser(app, login: "firm1", role: .enterprise)
            let anonymous = TestBrowser(app)
            #expect(try await anonymous.get("/about").status == .ok)
            #expect(try await anonymous.get("/users").status == .seeOther)
            let firm = TestBrowser(app)
            try await firm.login("firm1")
            let home = try await firm.get("/")
            #expect(!home.text.contains("href=\"/orgunits\""))
            #expect(try await firm.get("/orgunits").status == .forbidden)
        }
    }

    @Test("Notifications reach a user and every user of an org unit", arguments: TestDatabase.available)
    func notifications(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let unit = try await makeUnit(app, code: "A", name: "甲厅", kind: .region)
            let section = try await makeUnit(app, code: "A1", name: "一处", kind: .region, parent: unit)
            let first = try await makeUser(app, login: "one", role: .unitStaff, unit: unit)
            try await makeUser(app, login: "two", role: .unitStaff, unit: section)
            let count = try await Notifier(db: app.db).notify(orgUnitID: try unit.requireID(), includingDescendants: true,
                                                              title: "督办提醒", body: "请于本周五前报送进展")
            #expect(count == 2)
            let browser = TestBrowser(app)
            try await browser.login("one")
            let home = try await browser.get("/")
            #expect(home.text.contains("<span class=\"badge\">1</span>"))
            let api = APIClient(app: app, token: try await makeToken(app, for: first))
            let inbox = try await api.send(.GET, "/api/v1/notifications?unread=true")
            #expect(inbox.text.contains("督办提醒"))
        }
    }
}
