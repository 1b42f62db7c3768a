import Fluent
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

@Suite("Sign-in, sessions, CSRF and throttling")
struct AuthenticationTests {
    @Test("A user signs in, sees the home page with their name, and signs out", arguments: TestDatabase.available)
    func signInAndOut(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await makeUser(app, login: "zhang", role: .leader)
            let browser = TestBrowser(app)
            let login = try await browser.login("zhang")
            #expect(login.status == .seeOther)
            let session = try #require(login.headers[.setCookie].first { $0.hasPrefix("ys_session=") })
            #expect(session.contains("HttpOnly"))
            #expect(session.contains("SameSite=Lax"))
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("测试zhang"))
            try await browser.post("/logout", form: [:])
            let after = try await browser.get("/orgunits")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test("Unknown login and wrong password give the same message", arguments: TestDatabase.available)
    func noEnumeration(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await makeUser(app, login: "zhang", role: .leader)
            let wrongPassword = try await TestBrowser(app).login("zhang", password: "wrong-password")
            let unknownUser = try await TestBrowser(app).login("nobody", password: "wrong-password")
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownUser.status == .unauthorized)
            #expect(wrongPassword.text.contains(SessionController.badCredentials))
            #expect(unknownUser.text.contains(SessionController.badCredentials))
        }
    }

    @Test("Five failures lock the account for 15 minutes, even with the right password", arguments: TestDatabase.available)
    func throttlesAccount(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await makeUser(app, login: "zhang", role: .leader)
            func browser(from address: String) -> TestBrowser {
                let browser = TestBrowser(app)
                browser.defaultHeaders.replaceOrAdd(name: .xForwardedFor, value: address)
                return browser
            }
            for attempt in 1...4 {
                _ = try await browser(from: "10.0.0.\(attempt)").login("zhang", password: "wrong-\(attempt)")
            }
            #expect(try await browser(from: "10.0.1.1").login("zhang").status == .seeOther, "4 failures do not lock")
            for attempt in 1...5 {
                _ = try await browser(from: "10.0.2.\(attempt)").login("zhang", password: "wrong-\(attempt)")
            }
            let locked = try await browser(from: "10.0.3.1").login("zhang")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("登录失败次数过多"))
            #expect(locked.text.contains("15 分钟"))
        }
    }

    @Test("Five failures from one address lock that address for every account", arguments: TestDatabase.available)
    func throttlesAddress(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await makeUser(app, login: "victim", role: .leader)
            for attempt in 1...5 {
                _ = try await TestBrowser(app).login("guess\(attempt)", password: "x")
            }
            let locked = try await TestBrowser(app).login("victim")
            #expect(locked.status == .tooManyRequests)
        }
    }

    @Test("A form post without the CSRF token is refused and changes nothing", arguments: TestDatabase.available)
    func csrf(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await makeUser(app, login: "admin1", role: .admin)
            let browser = TestBrowser(app)
            try await browser.login("admin1")
            let forged = try await browser.post("/orgunits", form: ["code": "X1", "name": "伪造单位", "kind": "region"], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("请刷新页面后重新提交"))
            #expect(try await OrgUnit.query(on: app.db).count() == 0)
            let genuine = try await browser.post("/orgunits", form: ["code": "X1", "name": "真实单位", "kind": "region"])
            #expect(genuine.status == .seeOther)
            #expect(try await OrgUnit.query(on: app.db).count() == 1)
        }
    }

    @Test("A one-time password must be changed before anything else", arguments: TestDatabase.available)
    func mustChangePassword(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await makeUser(app, login: "newbie", role: .leader, mustChange: true)
            let browser = TestBrowser(app)
            let login = try await browser.login("newbie")
            #expect(login.headers.first(name: .location) == "/password")
            #expect(try await browser.get("/orgunits").headers.first(name: .location) == "/password")
            let weak = try await browser.post("/password", form: ["current": "Correct-Horse-9", "new": "short", "confirm": "short"])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.text.contains("密码至少需要"))
            let changed = try await browser.post("/password", form: [
                "current": "Correct-Horse-9", "new": "Brand-New-Pass-42", "confirm": "Brand-New-Pass-42"])
            #expect(changed.status == .seeOther)
            #expect(try await browser.get("/orgunits").status == .ok)
            let fresh = TestBrowser(app)
            #expect(try await fresh.login("newbie", password: "Brand-New-Pass-42").headers.first(name: .location) == "/")
        }
    }

    @Test("API tokens act as their user, are stored hashed and stop working when revoked", arguments: TestDatabase.available)
    func apiTokens(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let user = try await makeUser(app, login: "robot", role: .leader)
            let token = try await makeToken(app, for: user)
            #expect(try await APIToken.query(on: app.db).filter(\.$tokenHash == token).count() == 0)
            let client = APIClient(app: app, token: token)
            let me = try await client.send(.GET, "/api/v1/me")
            #expect(me.status == .ok)
            #expect(try me.json(UserDTO.self).login == "robot")
            let tokens = try await client.send(.GET, "/api/v1/tokens").json(PageOf<APITokenDTO>.self)
            #expect(try await client.send(.DELETE, "/api/v1/tokens/\(tokens.items[0].id)").status == .noContent)
            let revoked = try await client.send(.GET, "/api/v1/me")
            #expect(revoked.status == .unauthorized)
            #expect(revoked.apiError?.code == "invalid_token")
        }
    }
}
