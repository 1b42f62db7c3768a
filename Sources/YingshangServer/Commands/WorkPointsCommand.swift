import Fluent
import Foundation
import Vapor
import YingshangCore

/// `yingshang workpoints parse FILE [--json]`: reads a work-point document and prints the tasks it
/// finds, without touching any database. `yingshang workpoints import FILE` turns it into draft plans
/// (or pending revisions of published ones) to review and publish in the web UI. Exit code 2 when the
/// file cannot be read.
struct WorkPointsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "parse 或 import")
        var action: String
        @Argument(name: "file", help: "工作要点文件（.txt UTF-8/GBK 或 .docx）")
        var file: String
        @Flag(name: "json", help: "输出 JSON（格式见 docs/workpoints.md）")
        var json: Bool
        @Option(name: "issued-on", help: "印发日期 YYYY-MM-DD（用于“印发之日起30日内”之类的相对期限）")
        var issuedOn: String?
    }

    var help: String {
        "工作要点：workpoints parse 文件 [--json] 解析任务、责任单位和完成时限（不读写数据库）；workpoints import 文件 导入为待审核的工作计划"
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard ["parse", "import"].contains(signature.action) else {
            throw CommandFailure("未知操作“\(signature.action)”，可用：parse、import")
        }
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            throw CommandFailure("无法读取文件：\(signature.file)", exitCode: 2)
        }
        var options = WorkPointParser.Options()
        if let raw = signature.issuedOn {
            guard let date = CivilDate(iso: raw) else { throw CommandFailure("印发日期格式应为 YYYY-MM-DD", exitCode: 2) }
            options.issuedOn = WorkPointDate(year: date.year, month: date.month, day: date.day)
        }
        let text: String
        do { text = try WorkPointFile.text(from: data) } catch {
            throw CommandFailure("\(signature.file)：\(error.localizedDescription)", exitCode: 2)
        }
        if signature.action == "import" {
            try await importPlans(text: text, file: signature.file, issuedOn: options.issuedOn, context: context)
            return
        }
        let result = WorkPointParser(options: options).parse(text)
        if signature.json {
            FileHandle.standardOutput.write(result.jsonData(pretty: true))
            FileHandle.standardOutput.write(Data("\n".utf8))
            return
        }
        context.console.output(WorkPointSummary.render(result).consoleText())
    }

    private func importPlans(text: String, file: String, issuedOn: WorkPointDate?, context: CommandContext) async throws {
        let app = context.application
        try await DatabaseSetup.prepareStorage(app)
        try await app.autoMigrate()
        let issued = issuedOn.flatMap { CivilDate(year: $0.year, month: $0.month, day: $0.day) }
        let outcome: PlanImport.Outcome
        do {
            outcome = try await PlanImport(db: app.db, actor: nil)
                .run(text: text, sourceName: (file as NSString).lastPathComponent, issuedOn: issued)
        } catch let error as APIError {
            throw CommandFailure(error.fields.values.first ?? error.message, exitCode: 2)
        }
        for id in outcome.drafts {
            let plan = try await WorkPlan.find(id, on: app.db)
            let count = try await PlanTask.query(on: app.db).filter(\.$plan.$id == id).count()
            context.console.output("待审核：\(plan?.title ?? "")（\(count) 项任务）/ledger/plans/\(id)".consoleText())
        }
        for id in outcome.revisions {
            let plan = try await WorkPlan.find(id, on: app.db)
            context.console.output("修订待确认：\(plan?.title ?? "") /ledger/plans/\(id)".consoleText())
        }
        for title in outcome.unchanged { context.console.output("无变化：\(title)".consoleText()) }
    }
}

/// The plain-text listing of a parse result, for people reading a terminal.
enum WorkPointSummary {
    static func render(_ result: WorkPointParseResult) -> String {
        var lines: [String] = []
        for document in result.documents {
            lines.append("【\(document.title)】\(document.year.map { "（\($0) 年）" } ?? "")  任务 \(document.items.count) 项")
            for task in document.items {
                var line = "  \((task.path + [task.number]).joined(separator: " ")) \(task.title)"
                if !task.leadUnits.isEmpty { line += "\n      牵头：\(task.leadUnits.joined(separator: "、"))" }
                if !task.coUnits.isEmpty { line += "\n      配合：\(task.coUnits.joined(separator: "、"))" }
                if let deadline = task.deadline { line += "\n      时限：\(deadline.text)" }
                lines.append(line)
            }
            for warning in document.warnings { lines.append("  ⚠ \(warning.message)") }
            lines.append("")
        }
        if result.documents.isEmpty { lines.append("未识别出任何工作要点文件。") }
        return lines.joined(separator: "\n")
    }
}
