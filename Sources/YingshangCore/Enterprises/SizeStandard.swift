import Foundation

/// Enterprise size class (企业规模) of 中小企业划型标准规定.
public enum SizeClass: String, CaseIterable, Sendable, Codable {
    case large, medium, small, micro

    public var label: String {
        switch self {
        case .large: "大型"
        case .medium: "中型"
        case .small: "小型"
        case .micro: "微型"
        }
    }

    public init?(label: String) {
        guard let match = SizeClass.allCases.first(where: { $0.label == label }) else { return nil }
        self = match
    }
}

/// 中小企业划型标准规定 (工信部联企业〔2011〕300号), read from `Resources/sme-size-standard-2011.json`: an enterprise
/// is small-or-medium when it is under ANY of its industry's ceilings, medium when it reaches EVERY medium floor,
/// small when it reaches every small floor, otherwise micro. Missing facts make the answer unknown only where they
/// matter: a factory of 5 people is micro whatever its revenue.
public struct SizeStandard: Sendable {
    public struct Industry: Sendable, Decodable {
        public let name: String
        public let codes: [String]
        public let ceilingAny: [String: Double]
        public let mediumAll: [String: Double]
        public let smallAll: [String: Double]

        enum CodingKeys: String, CodingKey {
            case name, codes = "gbt4754_2017", ceilingAny = "ceiling_any", mediumAll = "medium_all", smallAll = "small_all"
        }
    }

    /// The answer, with the industry used and the facts that were missing when there is no answer.
    public struct Classification: Sendable, Equatable {
        public let sizeClass: SizeClass?
        public let industryName: String?
        public let missing: [FactField]
        /// How the class was reached, in Chinese.
        public let explanation: String
    }

    /// A worked example the standard's data file carries (`boundary_cases`), checked by the tests.
    public struct BoundaryCase: Sendable, Decodable {
        public let industry: String
        public let employees: Double?
        public let revenue: Double?
        public let assets: Double?
        public let expect: String
    }

    public let industries: [Industry]
    public let boundaryCases: [BoundaryCase]
    private let industryCodes: [[IndustryCode]]

    public static let standard: SizeStandard = {
        let url = Bundle.module.url(forResource: "sme-size-standard-2011", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "sme-size-standard-2011", withExtension: "json")
        struct File: Decodable {
            let industries: [Industry]
            let boundaryCases: [BoundaryCase]
            enum CodingKeys: String, CodingKey { case industries, boundaryCases = "boundary_cases" }
        }
        guard let url, let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            fatalError("the SME size standard is missing from the YingshangCore bundle")
        }
        return SizeStandard(industries: file.industries, boundaryCases: file.boundaryCases)
    }()

    init(industries: [Industry], boundaryCases: [BoundaryCase]) {
        self.industries = industries
        self.boundaryCases = boundaryCases
        industryCodes = industries.map { industry in
            industry.codes.compactMap { code in code == "*" ? nil : try? IndustryCode.parse(code).get() }
        }
    }

    /// The standard's industry an enterprise of `code` falls under: the most specific one listing it, or
    /// 其他未列明行业. Nil when the code is too coarse to tell (a `70` may be 房地产开发经营 or 物业管理).
    public func industry(for code: IndustryCode) -> Industry? {
        var best: (index: Int, width: Int)?
        var ambiguousWidth = Int.max
        for (index, codes) in industryCodes.enumerated() {
            for listed in codes {
                let width = Int(listed.high - listed.low)
                switch code.lies(in: listed) {
                case .yes where width < (best?.width ?? Int.max): best = (index, width)
                case .unknown: ambiguousWidth = min(ambiguousWidth, width)
                default: break
                }
            }
        }
        if ambiguousWidth < (best?.width ?? Int.max) { return nil }
        if let best { return industries[best.index] }
        return industries.first { $0.codes == ["*"] }
    }

    /// The industry of the standard by its name (工业, 零售业, …), as the shared boundary cases name them.
    public func industry(named name: String) -> Industry? { industries.first { $0.name == name } }

    public func classify(_ facts: EnterpriseFacts) -> Classification {
        guard case .industry(let code)? = facts[.industry] else {
            return Classification(sizeClass: nil, industryName: nil, missing: [.industry], explanation: "缺少行业，无法划型")
        }
        guard let industry = industry(for: code) else {
            return Classification(sizeClass: nil, industryName: nil, missing: [.industry],
                                  explanation: "行业代码 \(code) 不够细，无法确定划型标准中的行业，请填写到小类")
        }
        return classify(facts, as: industry)
    }

    public func classify(_ facts: EnterpriseFacts, as industry: Industry) -> Classification {
        let sizeClass = decide(facts, as: industry)
        let used = Set(industry.ceilingAny.keys).union(industry.mediumAll.keys).union(industry.smallAll.keys)
        let fields = used.compactMap(Self.field).sorted { $0.label < $1.label }
        let missing = sizeClass == nil ? fields.filter { facts[$0] == nil } : []
        let values = fields.map { field in "\(field.label) \(facts[field]?.display(for: field) ?? "缺少")" }.joined(separator: "，")
        let explanation = sizeClass.map { "按\(industry.name)标准（\(values)）划为\($0.label)企业" }
            ?? "按\(industry.name)标准划型还缺少：\(missing.map(\.label).joined(separator: "、"))"
        return Classification(sizeClass: sizeClass, industryName: industry.name, missing: missing, explanation: explanation)
    }

    /// The size class alone (no explanation), as rules and the matcher's columns use it.
    public func sizeClass(of facts: EnterpriseFacts) -> SizeClass? {
        guard case .industry(let code)? = facts[.industry], let industry = industry(for: code) else { return nil }
        return decide(facts, as: industry)
    }

    func decide(_ facts: EnterpriseFacts, as industry: Industry) -> SizeClass? {
        func truth(_ limits: [String: Double], _ test: (Double, Double) -> Bool, any: Bool) -> Truth {
            var result: Truth = any ? .no : .yes
            for (key, limit) in limits {
                let holds = Self.field(key).flatMap { facts[$0]?.number }.map { Truth(test($0, limit)) } ?? .unknown
                result = any ? result || holds : result && holds
            }
            return result
        }
        switch (truth(industry.ceilingAny, <, any: true), truth(industry.mediumAll, >=, any: false), truth(industry.smallAll, >=, any: false)) {
        case (.no, _, _): return .large
        case (.yes, .yes, _): return .medium
        case (.yes, .no, .yes): return .small
        case (.yes, .no, .no): return .micro
        default: return nil
        }
    }

    static func field(_ key: String) -> FactField? {
        switch key {
        case "employees": .employees
        case "revenue": .revenue
        case "assets": .assets
        default: nil
        }
    }
}
