import Fluent
import SQLKit
import Testing
import Vapor
import YingshangCore
@testable import YingshangServer

@Suite("Audit log")
struct AuditLogTests {
    func seed(_ app: Application) async throws {
        let admin = try await makeUser(app, login: "admin1", role: .admin)
        let api = APIClient(app: app, token: try await makeToken(app, for: admin))
        for index in 1...5 {
            _ = try await api.send(.POST, "/api/v1/orgunits", json: #"{"code":"U\#(index)","name":"单位\#(index)","kind":"region"}"#)
        }
    }

    @Test("An untouched log verifies; an edited entry is found", arguments: TestDatabase.available)
    func detectsEdit(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await seed(app)
            let clean = try await AuditLog.verify(on: app.db)
            #expect(clean.problem == nil)
            #expect(clean.checked == 6)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE audit_entries SET after = '{\"name\":\"篡改\"}' WHERE sequence = 3").run()
            #expect(try await AuditLog.verify(on: app.db).problem == .edited(sequence: 3))
        }
    }

    @Test("A deleted entry is found", arguments: TestDatabase.available)
    func detectsDeletion(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await seed(app)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DELETE FROM audit_entries WHERE sequence = 4").run()
            #expect(try await AuditLog.verify(on: app.db).problem == .missing(expected: 4, found: 5))
        }
    }

    @Test("Concurrent changes keep one unbroken chain", arguments: TestDatabase.available)
    func concurrentAppends(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await makeUser(app, login: "admin1", role: .admin)
            let token = try await makeToken(app, for: admin)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 1...12 {
                    group.addTask {
                        let response = try await APIClient(app: app, token: token)
                            .send(.POST, "/api/v1/orgunits", json: #"{"code":"C\#(index)","name":"并发\#(index)","kind":"region"}"#)
                        #expect(response.status == .created)
                    }
                }
                try await group.waitForAll()
            }
            let result = try await AuditLog.verify(on: app.db)
            #expect(result.problem == nil)
            #expect(result.checked == 13)
        }
    }

    @Test("The audit page filters by entity and is for administrators only")
    func page() async throws {
        try await withTestApp(.sqlite) { app in
            try await seed(app)
            try await makeUser(app, login: "leader1", role: .leader)
            let leader = TestBrowser(app)
            try await leader.login("leader1")
            #expect(try await leader.get("/audit").status == .forbidden)
            let admin = TestBrowser(app)
            try await admin.login("admin1")
            let page = try await admin.get("/audit?entity_type=org_unit")
            #expect(page.status == .ok)
            #expect(page.text.contains("单位5"))
            #expect(!page.text.contains("接口令牌</td>"))
            let csv = try await admin.get("/audit/export.csv?entity_type=org_unit")
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.text.split(whereSeparator: \.isNewline).count == 6, "header and five units")
        }
    }
}
