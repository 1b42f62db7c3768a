import Foundation

/// The benefit policies shipped with the platform (`Resources/BenefitPolicies/*.txt`): real national rules with their
/// sources (小型微利企业, 小规模纳税人免征增值税, 高新技术企业, 研发费用加计扣除, …) and a few marked 示例 for the demo.
public enum BuiltInPolicies {
    /// The texts by file name, for tests that report each file's parse errors.
    public static let sources: [(file: String, text: String)] = {
        guard let root = Bundle.module.resourceURL else { return [] }
        let folder = [root.appendingPathComponent("Resources/BenefitPolicies"), root.appendingPathComponent("BenefitPolicies")]
            .first { FileManager.default.fileExists(atPath: $0.path) }
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".txt") }.sorted().compactMap { name in
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
        }
    }()

    /// Every built-in policy. A built-in text that does not parse is a programming error the tests catch.
    public static let all: [BenefitPolicy] = sources.compactMap { try? BenefitPolicySource.parse($0.text).get() }

    public static func policy(_ code: String) -> BenefitPolicy? { all.first { $0.code == code } }

    /// 小型微利企业: the portrait shows it for every enterprise.
    public static var smallLowProfit: BenefitPolicy {
        guard let policy = policy("XWWL") else { fatalError("the built-in 小型微利企业 policy is missing from the bundle") }
        return policy
    }
}
