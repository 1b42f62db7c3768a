import Fluent
import Vapor
import YingshangCore

/// Importing enterprise files from CSV or XLSX. A file with any bad row imports nothing and lists every problem
/// by row and column; the office may then fix the file, or choose to import the valid rows only.
struct EnterpriseImportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("enterprises", "import", use: form)
        routes.on(.POST, "enterprises", "import", body: .collect(maxSize: "20mb"), use: upload)
    }

    struct Problem: Encodable { let line: Int; let column, message: String }
    struct ImportView: Encodable {
        let problems: [Problem]
        let message: String?
        let created: Int?
        let updated: Int?
        let skipped: Int?
        let columns: [String]
    }

    struct UploadForm: Content {
        var file: File?
        var validOnly: String?
        var effectiveOn: String?
        enum CodingKeys: String, CodingKey { case file, validOnly = "valid_only", effectiveOn = "effective_on" }
    }

    func form(req: Request) async throws -> View {
        try req.require(.runBenefits)
        return try await page(req, ImportView(problems: [], message: nil, created: nil, updated: nil, skipped: nil, columns: columns))
    }

    var columns: [String] { EnterpriseSheet.columns.map(\.header) }

    func upload(req: Request) async throws -> Response {
        let actor = try req.require(.runBenefits)
        let upload = try req.content.decode(UploadForm.self)
        func fail(_ message: String, problems: [Problem] = []) async throws -> Response {
            try await page(req, ImportView(problems: problems, message: message, created: nil, updated: nil, skipped: nil, columns: columns))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard let file = upload.file, file.data.readableBytes > 0 else { return try await fail("请选择 CSV 或 XLSX 文件") }
        let defaultDate = (upload.effectiveOn ?? "").isEmpty ? Today.civil() : CivilDate(iso: upload.effectiveOn ?? "")
        guard let defaultDate else { return try await fail("数据日期应写成 2024-01-01") }
        let table: [[String]]
        do { table = try SpreadsheetUpload.table(file) } catch let error as SpreadsheetUpload.Unreadable { return try await fail(error.message) }
        let parsed = EnterpriseSheet.parse(table)
        let problems = parsed.problems.map { Problem(line: $0.line, column: $0.column, message: $0.message) }
        let validOnly = upload.validOnly == "1" || upload.validOnly == "on"
        let fileLevel = parsed.problems.contains { $0.line == 1 }
        if !problems.isEmpty && (!validOnly || fileLevel) {
            let rows = parsed.badLines.count
            let hint = fileLevel ? "请修正表头后重新上传。" : "请修正后重新上传，或勾选“只导入无误的行”。"
            return try await fail("文件有 \(problems.count) 处错误（涉及 \(rows) 行），未导入任何企业。\(hint)", problems: problems)
        }
        let result = try await EnterpriseStore.importRows(parsed.rows, defaultDate: defaultDate, file: file.filename,
                                                          skippedLines: parsed.badLines.count, actor: actor, on: req.db)
        if result.created > 0 {
            await req.application.benefitMatcher.reset()
        } else {
            for id in result.ids { try await req.application.benefitMatcher.enterpriseChanged(id, on: req.db) }
        }
        return try await page(req, ImportView(problems: problems, message: nil, created: result.created, updated: result.updated,
                                              skipped: parsed.badLines.count, columns: columns)).encodeResponse(for: req)
    }

    private func page(_ req: Request, _ view: ImportView) async throws -> View {
        try await req.page("enterprises/import", title: "导入企业档案", view)
    }
}
