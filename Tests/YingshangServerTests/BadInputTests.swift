import Fluent
import Testing
import Vapor
import VaporTesting
@testable import YingshangServer

@Suite("Bad input never gives a 500")
struct BadInputTests {
    @Test("Malformed JSON, wrong types, missing fields, bad paging and oversized bodies get a 4xx with the error shape",
          arguments: TestDatabase.available)
    func badBodies(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let api = APIClient(app: app, token: try await makeToken(app, for: try await makeUser(app, login: "admin1", role: .admin)))
            let malformed = try await api.send(.POST, "/api/v1/orgunits", json: "{not json")
            #expect(malformed.status == .badRequest)
            #expect(malformed.apiError?.code == "invalid_body")
            #expect(malformed.apiError?.message.contains("JSON") == true)

            let wrongType = try await api.send(.POST, "/api/v1/orgunits", json: #"{"code": 12, "name": "某单位"}"#)
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.apiError?.fields?["code"] != nil)

            let missing = try await api.send(.POST, "/api/v1/tokens", json: "{}")
            #expect(missing.status == .badRequest)
            #expect(missing.apiError?.message.contains("name") == true)

            let paging = try await api.send(.GET, "/api/v1/orgunits?limit=100000")
            #expect(paging.status == .unprocessableEntity)
            #expect(paging.apiError?.fields?["limit"] != nil)

            let badFilter = try await api.send(.GET, "/api/v1/orgunits?kind=planet")
            #expect(badFilter.status == .unprocessableEntity)

            let badID = try await api.send(.GET, "/api/v1/orgunits/not-a-uuid")
            #expect(badID.status == .notFound)
        }
    }

    @Test("A body over the configured limit is refused with 413 by the running server")
    func oversized() async throws {
        try await withTestApp(.sqlite) { app in
            let token = try await makeToken(app, for: try await makeUser(app, login: "admin1", role: .admin))
            let huge = String(repeating: "长", count: 700_000)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: token)
            headers.contentType = .json
            let port = Int.random(in: 20_000...40_000)
            let response = try await app.testing(method: .running(hostname: "127.0.0.1", port: port)).sendRequest(
                .POST, "/api/v1/orgunits", headers: headers,
                body: ByteBuffer(string: #"{"code":"X","name":"\#(huge)","kind":"region"}"#))
            #expect(response.status == .payloadTooLarge)
            #expect(response.apiError?.code == "payload_too_large")
            #expect(try await OrgUnit.query(on: app.db).count() == 0)
        }
    }

    @Test("Unknown pages answer 404 in Chinese; every response carries a request id")
    func notFound() async throws {
        try await withTestApp(.sqlite) { app in
            let page = try await TestBrowser(app).get("/no-such-page")
            #expect(page.status == .notFound)
            #expect(page.text.contains("页面不存在"))
            #expect(page.headers.first(name: "X-Request-Id")?.isEmpty == false)
            let api = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/nothing")
            #expect(api.apiError?.code == "not_found")
        }
    }

    @Test("A forged bearer token is refused with a clear message")
    func forgedToken() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await APIClient(app: app, token: "ys_forged").send(.GET, "/api/v1/me")
            #expect(response.status == .unauthorized)
            #expect(response.apiError?.message == "接口令牌无效或已被撤销")
        }
    }
}
