import Fluent
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

@Suite("Org units")
struct OrgUnitTests {
    @Test("Create, edit and move a unit; every change is audited with before and after", arguments: TestDatabase.available)
    func lifecycle(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await makeUser(app, login: "admin1", role: .admin)
            let api = APIClient(app: app, token: try await makeToken(app, for: admin))
            let region = try await api.send(.POST, "/api/v1/orgunits", json: #"{"code":"GX","name":"自治区人民政府","kind":"region"}"#)
            #expect(region.status == .created)
            let regionID = try region.json(OrgUnitDTO.self).id
            let dept = try await api.send(.POST, "/api/v1/orgunits", json: """
                {"code":"GX-SCJG","name":"自治区市场监督管理局","short_name":"市场监管局","kind":"department",
                 "parent_id":"\(regionID)","aliases":["自治区市场监管局","市场监督管理局"]}
                """).json(OrgUnitDTO.self)
            #expect(dept.aliases == ["自治区市场监管局", "市场监督管理局"])
            let section = try await api.send(.POST, "/api/v1/orgunits", json: """
                {"code":"GX-SCJG-DJ","name":"登记注册处","kind":"section","parent_id":"\(dept.id)"}
                """).json(OrgUnitDTO.self)

            // A cycle is refused with a field message.
            let cycle = try await api.send(.PATCH, "/api/v1/orgunits/\(dept.id)", json: #"{"parent_id":"\#(section.id)"}"#)
            #expect(cycle.status == .unprocessableEntity)
            #expect(cycle.apiError?.fields?["parent_id"] != nil)

            // Move the section to the region's other department.
            let other = try await api.send(.POST, "/api/v1/orgunits", json: """
                {"code":"GX-FGW","name":"自治区发展和改革委员会","kind":"department","parent_id":"\(regionID)"}
                """).json(OrgUnitDTO.self)
            let moved = try await api.send(.PATCH, "/api/v1/orgunits/\(section.id)", json: #"{"parent_id":"\#(other.id)"}"#)
            #expect(moved.status == .ok)
            #expect(try moved.json(OrgUnitDTO.self).parentID == other.id)

            let moves = try await AuditEntry.query(on: app.db).filter(\.$action == "move").all()
            #expect(moves.count == 1)
            #expect(moves[0].before?.contains(dept.id.uuidString) == true)
            #expect(moves[0].after?.contains(other.id.uuidString) == true)
            #expect(moves[0].actor.contains("admin1"))

            // A unit with children cannot be deleted.
            let delete = try await api.send(.DELETE, "/api/v1/orgunits/\(other.id)")
            #expect(delete.status == .conflict)
        }
    }

    @Test("Bad input gets field messages in Chinese and creates nothing", arguments: TestDatabase.available)
    func validation(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let api = APIClient(app: app, token: try await makeToken(app, for: try await makeUser(app, login: "admin1", role: .admin)))
            let empty = try await api.send(.POST, "/api/v1/orgunits", json: #"{"code":"","name":"","kind":"region"}"#)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.apiError?.code == "validation_failed")
            #expect(empty.apiError?.fields?["code"] != nil)
            #expect(empty.apiError?.fields?["name"] != nil)
            let badKind = try await api.send(.POST, "/api/v1/orgunits", json: #"{"code":"X","name":"某单位","kind":"planet"}"#)
            #expect(badKind.status == .unprocessableEntity)
            #expect(badKind.apiError?.fields?["kind"]?.contains("区域") == true)
            _ = try await api.send(.POST, "/api/v1/orgunits", json: #"{"code":"X","name":"某地区","kind":"region"}"#)
            let duplicate = try await api.send(.POST, "/api/v1/orgunits", json: #"{"code":"X","name":"另一地区","kind":"region"}"#)
            #expect(duplicate.apiError?.fields?["code"]?.contains("已被") == true)
            #expect(try await OrgUnit.query(on: app.db).count() == 1)
        }
    }

    @Test("CSV import: one bad row imports nothing and names the row; a good file imports all", arguments: TestDatabase.available)
    func importCSV(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let api = APIClient(app: app, token: try await makeToken(app, for: try await makeUser(app, login: "admin1", role: .admin)))
            let csv = HTTPMediaType(type: "text", subType: "csv")
            let bad = """
            编码,全称,简称,上级编码,类型,别名
            GX,自治区人民政府,自治区,,区域,
            GX-FGW,自治区发展和改革委员会,发展改革委,GX,部门,发改委；自治区发展改革委
            GX-BAD,无上级的部门,,NOPE,部门,
            """
            let refused = try await api.send(.POST, "/api/v1/orgunits/import", json: bad, contentType: csv)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.apiError?.code == "import_failed")
            #expect(refused.apiError?.rows?.first?.row == 4)
            #expect(try await OrgUnit.query(on: app.db).count() == 0)

            let good = bad.replacingOccurrences(of: "GX-BAD,无上级的部门,,NOPE", with: "GX-FGW-ZH,综合处,,GX-FGW")
                .replacingOccurrences(of: "部门,\n", with: "部门,\n").replacingOccurrences(of: "综合处,,GX-FGW,部门", with: "综合处,,GX-FGW,科室")
            let accepted = try await api.send(.POST, "/api/v1/orgunits/import", json: good, contentType: csv)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(try await OrgUnit.query(on: app.db).count() == 3)
            let fgw = try #require(try await OrgUnit.query(on: app.db).filter(\.$code == "GX-FGW").first())
            #expect(fgw.aliases == ["发改委", "自治区发展改革委"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "import").count() == 3)
        }
    }

    @Test("The import page reports errors row by row")
    func importPage() async throws {
        try await withTestApp(.sqlite) { app in
            try await makeUser(app, login: "admin1", role: .admin)
            let browser = TestBrowser(app)
            try await browser.login("admin1")
            let boundary = "----ys\(UUID().uuidString)"
            let file = "编码,全称,简称,上级编码,类型,别名\nA,,,,区域,\n"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf ?? "")\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"units.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let response = try await browser.send(.POST, "/orgunits/import", headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("未导入任何记录"))
            #expect(response.text.contains("<td>2</td>"))
        }
    }

    @Test("Names are shown escaped in pages")
    func escaping() async throws {
        try await withTestApp(.sqlite) { app in
            try await makeUser(app, login: "admin1", role: .admin)
            try await makeUnit(app, code: "XSS", name: "<script>alert(1)</script>", kind: .region)
            let browser = TestBrowser(app)
            try await browser.login("admin1")
            let page = try await browser.get("/orgunits")
            #expect(!page.text.contains("<script>alert(1)</script>"))
            #expect(page.text.contains("&lt;script&gt;"))
        }
    }
}
