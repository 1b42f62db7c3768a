import Foundation
import Vapor
import YingshangCore

/// `yingshang workpoints parse FILE [--json]`: reads a work-point document and prints the tasks it
/// finds, without touching any database. Exit code 2 when the file cannot be read.
struct WorkPointsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "parse")
        var action: String
        @Argument(name: "file", help: "工作要点文件（.txt UTF-8/GBK 或 .docx）")
        var file: String
        @Flag(name: "json", help: "输出 JSON（格式见 docs/workpoints.md）")
        var json: Bool
        @Option(name: "issued-on", help: "印发日期 YYYY-MM-DD（用于“印发之日起30日内”之类的相对期限）")
        var issuedOn: String?
    }

    var help: String { "工作要点：workpoints parse 文件 [--json] 解析任务、责任单位和完成时限（不读写数据库）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "parse" else { throw CommandFailure("未知操作“\(signature.action)”，可用：parse") }
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
        let result = WorkPointParser(options: options).parse(text)
        if signature.json {
            FileHandle.standardOutput.write(result.jsonData(pretty: true))
            FileHandle.standardOutput.write(Data("\n".utf8))
            return
        }
        context.console.output(WorkPointSummary.render(result).consoleText())
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
