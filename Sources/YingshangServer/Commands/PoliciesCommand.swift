import Fluent
import Foundation
import Vapor
import YingshangCore

/// `yingshang policies import DIR|FILE`: reads documents in the corpus layout into the policy library, with a
/// progress line, a summary and the files it could not read (and why). Re-importing updates, never duplicates.
struct PoliciesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "import")
        var action: String
        @Argument(name: "path", help: "文件夹或文件（Markdown 或文本，按文件夹名区分类别）")
        var path: String
    }

    var help: String { "政策文件库：policies import 文件夹或文件 导入法规和规范性文件（再次导入只更新有变化的文件）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "import" else { throw CommandFailure("未知操作“\(signature.action)”，可用：import") }
        let root = URL(fileURLWithPath: signature.path)
        guard FileManager.default.fileExists(atPath: root.path) else { throw CommandFailure("找不到：\(signature.path)", exitCode: 2) }
        let app = context.application
        try await app.autoMigrate()
        var lastShown = Date.distantPast
        let report = try await PolicyImport.run(root, actor: nil, on: app.db) { done, total in
            guard Date().timeIntervalSince(lastShown) > 0.5 || done == total else { return }
            lastShown = Date()
            FileHandle.standardError.write(Data("\r导入中：\(done)/\(total)".utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        context.console.print("共 \(report.total) 个文件：新增 \(report.created)，更新 \(report.updated)，未变 \(report.unchanged)，失败 \(report.failures.count)")
        for failure in report.failures { context.console.print("  无法导入 \(failure.path)：\(failure.reason)") }
    }
}

/// `yingshang search QUERY [--limit N] [--json]`: ranked hits from the library the database holds.
struct SearchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "query", help: "检索词，如 审批、\"优化营商环境条例 第三十六条\"、国务院令第722号")
        var query: String
        @Option(name: "limit", help: "最多返回几份文件（默认 10）")
        var limit: Int?
        @Flag(name: "json", help: "输出 JSON")
        var json: Bool
    }

    var help: String { "检索政策文件库：search 检索词 [--limit N] [--json]" }

    struct Hit: Encodable {
        let title: String, number: String, kind: String, validity: String
        let article: String?, anchor: String?, snippet: String, score: Double
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        var options = SearchOptions()
        options.limit = max(1, min(signature.limit ?? 10, 100))
        let results = try await app.policySearch.current(on: app.db).search(signature.query, options: options)
        let hits = results.groups.flatMap { group in
            group.hits.map { hit in
                Hit(title: group.document.title, number: group.document.number, kind: group.document.facets.kind,
                    validity: group.document.facets.validity, article: hit.unit.label, anchor: hit.unit.anchor,
                    snippet: hit.snippet.map { $0.highlighted ? "【\($0.text)】" : $0.text }.joined(), score: hit.score)
            }
        }
        if signature.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(["total_documents": AnyEncodable(results.totalDocuments),
                                                                "total_is_estimate": AnyEncodable(results.totalIsEstimate),
                                                                "suggestion": AnyEncodable(results.suggestion), "hits": AnyEncodable(hits)]))
            FileHandle.standardOutput.write(Data("\n".utf8))
            return
        }
        if let suggestion = results.suggestion { context.console.print("您是不是要找：《\(suggestion)》") }
        context.console.print("\(results.totalIsEstimate ? "约" : "共") \(results.totalDocuments) 份文件")
        for hit in hits {
            let place = hit.article.map { " \($0)" } ?? ""
            let number = hit.number.isEmpty ? "" : "（\(hit.number)）"
            context.console.print("《\(hit.title)》\(number)\(place) [\(hit.validity)]")
            context.console.print("    \(hit.snippet)")
        }
    }
}

/// Wraps any Encodable value so values of different types fit one dictionary.
struct AnyEncodable: Encodable {
    private let encodeValue: (any Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
