import Fluent
import Vapor
import YingshangCore

/// `/api/v1/orgunits`: the org-unit directory for machine clients.
struct OrgUnitAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let units = routes.grouped("orgunits")
        units.get(use: list)
        units.post(use: create)
        units.post("import", use: importCSV)
        units.get(":id", use: show)
        units.patch(":id", use: update)
        units.delete(":id", use: delete)
    }

    func list(req: Request) async throws -> PageOf<OrgUnitDTO> {
        let page = try PageRequest(from: req)
        let (items, total) = try await OrgUnitQueries(request: req).query(.init(from: req)).page(page)
        return PageOf(items: try items.map(OrgUnitDTO.init), total: total, limit: page.limit, offset: page.offset)
    }

    func show(req: Request) async throws -> OrgUnitDTO {
        try OrgUnitDTO(try await OrgUnitQueries(request: req).find(req.parameters.get("id", as: UUID.self)))
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.require(.manageOrgUnits)
        let unit = try await OrgUnitService(db: req.db, actor: actor).create(try req.content.decode(OrgUnitInput.self))
        let response = try await OrgUnitDTO(unit).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/orgunits/\(try unit.requireID())")
        return response
    }

    func update(req: Request) async throws -> OrgUnitDTO {
        let actor = try req.require(.manageOrgUnits)
        let unit = try await OrgUnitQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        return try OrgUnitDTO(try await OrgUnitService(db: req.db, actor: actor)
            .update(unit, with: try req.content.decode(OrgUnitInput.self)))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let actor = try req.require(.manageOrgUnits)
        let unit = try await OrgUnitQueries(request: req).find(req.parameters.get("id", as: UUID.self))
        try await OrgUnitService(db: req.db, actor: actor).delete(unit)
        return .noContent
    }

    struct ImportResult: Content {
        var imported: Int
    }

    /// The body is the CSV file itself (`Content-Type: text/csv`).
    func importCSV(req: Request) async throws -> ImportResult {
        let actor = try req.require(.manageOrgUnits)
        guard let buffer = req.body.data else { throw APIError.badRequest("请求体为空：请提交 CSV 文件内容") }
        let rows: [[String]]
        do { rows = try CSV.parse(data: Data(buffer: buffer)) } catch {
            throw APIError.badRequest("无法读取 CSV 文件：\(error.localizedDescription)", code: "invalid_csv")
        }
        switch try await OrgUnitService(db: req.db, actor: actor).importRows(rows) {
        case .success(let count): return ImportResult(imported: count)
        case .failure(let errors): throw APIError.importFailed(errors.rows)
        }
    }
}
