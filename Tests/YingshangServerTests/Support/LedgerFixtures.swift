import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YingshangCore
@testable import YingshangServer

/// A small work-point document and the org units and users it names.
enum LedgerFixtures {
    static let miniDocument = """
    2026年测试市优化营商环境工作要点

    一、提升政务服务水平
    （一）推进企业开办一网通办。全面推行企业开办全程网上办理，压缩开办时间至1个工作日以内。（牵头单位：市甲局；配合单位：市乙局；完成时限：2026年6月底前）
    （二）优化纳税服务。进一步压减办税时间，推行非接触式办税。（牵头单位：市乙局；完成时限：长期坚持）
    二、强化监管执法
    （三）规范涉企检查。推行“综合查一次”，减少对企业的干扰。（牵头单位：市甲局、市乙局按职责分工负责；完成时限：2026年12月底前）
    """

    struct World {
        let city: OrgUnit, jia: OrgUnit, yi: OrgUnit, bing: OrgUnit
        let office: User, staffJia: User, staffYi: User, staffBing: User, supervisor: User
        let planID: UUID
    }

    /// Units 市甲局 / 市乙局 / 市丙局 with one staff user each, an office user, a supervisor,
    /// and the mini document imported and published.
    static func world(_ app: Application) async throws -> World {
        let city = try await makeUnit(app, code: "C", name: "测试市人民政府", kind: .region)
        let jia = try await makeUnit(app, code: "C-J", name: "测试市甲局", parent: city)
        jia.aliases = ["市甲局"]
        try await jia.save(on: app.db)
        let yi = try await makeUnit(app, code: "C-Y", name: "测试市乙局", parent: city)
        yi.aliases = ["市乙局"]
        try await yi.save(on: app.db)
        let bing = try await makeUnit(app, code: "C-B", name: "测试市丙局", parent: city)
        let office = try await makeUser(app, login: "office1", role: .admin)
        let staffJia = try await makeUser(app, login: "jia1", role: .unitStaff, unit: jia)
        let staffYi = try await makeUser(app, login: "yi1", role: .unitStaff, unit: yi)
        let staffBing = try await makeUser(app, login: "bing1", role: .unitStaff, unit: bing)
        let supervisor = try await makeUser(app, login: "watcher1", role: .supervisor)
        let actor = try Principal(user: office, viaToken: false)
        let outcome = try await PlanImport(db: app.db, actor: actor).run(text: miniDocument, sourceName: "mini.txt")
        let planID = try #require(outcome.drafts.first)
        let plan = try #require(try await WorkPlan.find(planID, on: app.db))
        try await PlanService(db: app.db, actor: actor).publish(plan, title: nil, year: 2026, issuer: "测试市政府办公室")
        return World(city: city, jia: jia, yi: yi, bing: bing, office: office, staffJia: staffJia, staffYi: staffYi,
                     staffBing: staffBing, supervisor: supervisor, planID: planID)
    }

    static func task(_ app: Application, number: String) async throws -> PlanTask {
        try #require(try await PlanTask.query(on: app.db).filter(\.$number == number).first())
    }

    /// A multipart body with fields and files.
    static func multipart(_ fields: [String: String], files: [(field: String, name: String, type: String, data: Data)])
        -> (HTTPHeaders, ByteBuffer) {
        let boundary = "----ys\(UUID().uuidString)"
        var body = Data()
        for (key, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, ByteBuffer(data: body))
    }
}

extension TestBrowser {
    /// Posts a multipart form (with the CSRF token).
    @discardableResult
    func postMultipart(_ path: String, fields: [String: String],
                       files: [(field: String, name: String, type: String, data: Data)]) async throws -> TestingHTTPResponse {
        if csrf == nil { try await get("/login") }
        var all = fields
        all[CSRFMiddleware.fieldName] = csrf
        let (headers, body) = LedgerFixtures.multipart(all, files: files)
        return try await send(.POST, path, headers: headers, body: body)
    }
}
