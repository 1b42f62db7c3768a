import Fluent
import Foundation
import Vapor
import YingshangCore

/// `yingshang portrait --facts FILE.json [--as-of DATE] [--json]`: size class, 小型微利企业 and tags of one
/// enterprise described by a facts file (a missing key is an unknown fact).
struct PortraitCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "facts", help: "事实文件（JSON），如 {\"industry\": \"C3911\", \"employees\": 120, \"assets_wan\": 3000}")
        var facts: String?
        @Option(name: "as-of", help: "按哪一天的政策判断（默认今天），如 2023-12-31")
        var asOf: String?
        @Flag(name: "json", help: "输出 JSON")
        var json: Bool
    }

    var help: String { "企业画像：portrait --facts 事实文件.json [--as-of 日期] [--json]" }

    struct Output: Encodable {
        let asOf: String
        let sizeClass: String?
        let sizeIndustry: String?
        let sizeExplanation: String
        let sizeMissing: [String]
        let smallLowProfit: EvaluationDTO
        let ageBand: String?
        let sector: String?
        let tags: [String]?
        enum CodingKeys: String, CodingKey {
            case asOf = "as_of", sizeClass = "size_class", sizeIndustry = "size_industry", sizeExplanation = "size_explanation"
            case sizeMissing = "size_missing", smallLowProfit = "small_low_profit", ageBand = "age_band", sector, tags
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let facts = try EligibilityCommand.readFacts(signature.facts)
        let date = try EligibilityCommand.date(signature.asOf)
        let portrait = Portrait(facts: facts, asOf: date)
        let output = Output(asOf: date.iso, sizeClass: portrait.size.sizeClass?.label, sizeIndustry: portrait.size.industryName,
                            sizeExplanation: portrait.size.explanation, sizeMissing: portrait.size.missing.map(\.label),
                            smallLowProfit: EvaluationDTO(BuiltInPolicies.smallLowProfit, portrait.smallLowProfit),
                            ageBand: portrait.ageBand, sector: portrait.sector, tags: portrait.tags)
        if signature.json { return try EligibilityCommand.printJSON(output) }
        context.console.print("企业规模：\(output.sizeClass ?? "未能划型")（\(output.sizeExplanation)）")
        context.console.print("小型微利企业：\(output.smallLowProfit.result)" + EligibilityCommand.missingText(output.smallLowProfit.missing))
        context.console.print("成立年限：\(output.ageBand ?? "未知")；行业门类：\(output.sector ?? "未知")；资质：\(output.tags.map { $0.joined(separator: "、") } ?? "未登记")")
    }
}

/// `yingshang eligibility evaluate --policy CODE --facts FILE.json [--as-of DATE] [--json]`: one policy's result
/// for one enterprise, with the explanation per condition, the missing facts and the near miss. The policy is a
/// built-in one or one of the database's (published or draft).
struct EligibilityCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "evaluate")
        var action: String
        @Option(name: "policy", help: "政策编号，如 XWWL（小型微利企业）")
        var policy: String?
        @Option(name: "facts", help: "事实文件（JSON）")
        var facts: String?
        @Option(name: "as-of", help: "判断日期（默认今天），如 2023-12-31")
        var asOf: String?
        @Flag(name: "json", help: "输出 JSON")
        var json: Bool
    }

    var help: String { "政策匹配：eligibility evaluate --policy 编号 --facts 事实文件.json [--as-of 日期] [--json]" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "evaluate" else { throw CommandFailure("未知操作“\(signature.action)”，可用：evaluate") }
        guard let code = signature.policy, !code.isEmpty else { throw CommandFailure("请用 --policy 指定政策编号", exitCode: 2) }
        let facts = try Self.readFacts(signature.facts)
        let date = try Self.date(signature.asOf)
        var policy = BuiltInPolicies.policy(code)
        if policy == nil {
            try await context.application.autoMigrate()
            policy = try await BenefitPolicyRecord.query(on: context.application.db).filter(\.$code == code).first()?.parsed()
        }
        guard let policy else {
            throw CommandFailure("找不到编号为“\(code)”的政策。内置政策：\(BuiltInPolicies.all.map(\.code).joined(separator: "、"))", exitCode: 2)
        }
        let output = EvaluationDTO(policy, policy.evaluate(facts, asOf: date))
        if signature.json { return try Self.printJSON(output) }
        context.console.print("《\(output.name)》（\(output.policy)）\(output.asOf)：\(output.standing)" + Self.missingText(output.missing))
        if let reason = output.notInForce { context.console.print("  \(reason)") }
        for condition in output.explanation {
            context.console.print("  [\(condition.result)] \(condition.condition)　企业数值：\(condition.value)")
        }
        for hint in output.nearMiss { context.console.print("  差一点：\(hint)") }
        if let amount = output.amountWan { context.console.print("  金额：约 \(FactValue.format((amount * 100).rounded() / 100))万元") }
    }

    static func readFacts(_ path: String?) throws -> EnterpriseFacts {
        guard let path, !path.isEmpty else { throw CommandFailure("请用 --facts 指定事实文件（JSON）", exitCode: 2) }
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("找不到事实文件：\(path)", exitCode: 2) }
        do { return try EnterpriseFacts.decode(json: data) } catch let problem as FactProblem {
            throw CommandFailure("事实文件有误：\(problem.message)", exitCode: 2)
        }
    }

    static func date(_ text: String?) throws -> CivilDate {
        guard let text, !text.isEmpty else { return Today.civil() }
        guard let date = CivilDate(iso: text) else { throw CommandFailure("日期“\(text)”应写成 2023-12-31", exitCode: 2) }
        return date
    }

    static func missingText(_ missing: [String]) -> String { missing.isEmpty ? "" : "（缺少：\(missing.joined(separator: "、"))）" }

    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
