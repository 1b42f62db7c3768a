import Foundation

/// Whether a higher or a lower value is better (e.g. 网办率 higher, 办理时间 lower).
public enum IndicatorDirection: String, Codable, Sendable, CaseIterable {
    case higherIsBetter = "higher"
    case lowerIsBetter = "lower"

    public var label: String { self == .higherIsBetter ? "越高越好" : "越低越好" }

    /// Whether `a` is better than `b`.
    public func prefers(_ a: Double, over b: Double) -> Bool { self == .higherIsBetter ? a > b : a < b }
}

/// How a parent indicator's score is made from its children's.
public enum IndicatorAggregation: String, Codable, Sendable, CaseIterable {
    case mean
    case weightedMean = "weighted"
    case sumOfIndexes = "sum_of_indexes"

    public var label: String {
        switch self {
        case .mean: "算术平均"
        case .weightedMean: "加权平均"
        case .sumOfIndexes: "指数相加"
        }
    }
}

/// One indicator (评价指标) of a year's indicator system: a first-level area, a second-level indicator, or a data
/// element (数据项) that is collected only to feed formulas.
public struct IndicatorDefinition: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var unit: String
    public var direction: IndicatorDirection
    /// Fixed scoring bounds (前沿值 / 下限值). When absent the period's best and worst place are used (前沿距离法).
    public var best: Double?
    public var worst: Double?
    /// Power transform of the score share (1 = linear; Doing Business used 0.8 for the total tax rate).
    public var exponent: Double
    /// Weight among its siblings (used by a weighted-mean parent and by the overall score).
    public var weight: Double
    public var parentCode: String?
    /// DHIS2-style formula over other indicators; a formula indicator is computed, never entered.
    public var formula: String?
    /// How a parent aggregates its children.
    public var aggregation: IndicatorAggregation
    /// Collected for formulas only, not scored or ranked.
    public var isDataElement: Bool
    /// Where the value comes from (数据来源), e.g. "一体化政务服务平台".
    public var dataSource: String
    /// The org unit that enters the value (责任单位); the server's id as text.
    public var responsibleUnitID: String?
    /// Validation: allowed range, required, and the relative change against last period that needs a reason.
    public var minimum: Double?
    public var maximum: Double?
    public var isRequired: Bool
    public var outlierChange: Double?

    public init(code: String, name: String, unit: String = "", direction: IndicatorDirection = .higherIsBetter,
                best: Double? = nil, worst: Double? = nil, exponent: Double = 1, weight: Double = 1,
                parentCode: String? = nil, formula: String? = nil, aggregation: IndicatorAggregation = .mean,
                isDataElement: Bool = false, dataSource: String = "", responsibleUnitID: String? = nil,
                minimum: Double? = nil, maximum: Double? = nil, isRequired: Bool = true, outlierChange: Double? = nil) {
        self.code = code
        self.name = name
        self.unit = unit
        self.direction = direction
        self.best = best
        self.worst = worst
        self.exponent = exponent
        self.weight = weight
        self.parentCode = parentCode
        self.formula = formula
        self.aggregation = aggregation
        self.isDataElement = isDataElement
        self.dataSource = dataSource
        self.responsibleUnitID = responsibleUnitID
        self.minimum = minimum
        self.maximum = maximum
        self.isRequired = isRequired
        self.outlierChange = outlierChange
    }

    /// Fixed bounds, when both are set.
    public var fixedBounds: ScoringBounds? {
        guard let best, let worst, best != worst else { return nil }
        return ScoringBounds(best: best, worst: worst, exponent: exponent)
    }

    /// Whether the value is entered by a unit (not computed by a formula).
    public var isCollected: Bool { formula?.isEmpty ?? true }
}

/// A year's indicator system (评价指标体系): the tree of indicators, versioned per year.
public struct IndicatorSystem: Sendable, Equatable {
    public let year: Int
    /// In display order; children follow their parent's order among siblings.
    public let indicators: [IndicatorDefinition]

    public init(year: Int, indicators: [IndicatorDefinition]) {
        self.year = year
        self.indicators = indicators
    }

    public func indicator(_ code: String) -> IndicatorDefinition? { indicators.first { $0.code == code } }

    public func children(of code: String?) -> [IndicatorDefinition] { indicators.filter { $0.parentCode == code } }

    /// The indicators in tree order (depth first), each with its depth (0 = first level).
    public var outline: [(indicator: IndicatorDefinition, depth: Int)] {
        var result: [(IndicatorDefinition, Int)] = []
        var byParent: [String: [IndicatorDefinition]] = [:]
        for indicator in indicators { byParent[indicator.parentCode ?? "", default: []].append(indicator) }
        func walk(_ parent: String, _ depth: Int) {
            for child in byParent[parent] ?? [] {
                result.append((child, depth))
                if depth < indicators.count { walk(child.code, depth + 1) }
            }
        }
        walk("", 0)
        return result
    }

    /// What is wrong with the system, in Chinese; empty when it can be scored.
    public func problems() -> [String] {
        var problems: [String] = []
        var codes: Set<String> = []
        for indicator in indicators {
            let code = indicator.code
            if code.isEmpty || code.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "}" || $0 == "#" }) {
                problems.append("指标编码“\(code)”不可用：不能为空，不能含空格或 # { }")
            }
            if !codes.insert(code).inserted { problems.append("指标编码“\(code)”重复") }
            if indicator.name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("指标“\(code)”缺少名称") }
            if let best = indicator.best, let worst = indicator.worst {
                if best == worst { problems.append("指标“\(indicator.name)”的最优值与最差值相同，无法计分") }
                else if indicator.direction.prefers(worst, over: best) {
                    problems.append("指标“\(indicator.name)”为\(indicator.direction.label)，最优值应\(indicator.direction == .higherIsBetter ? "大于" : "小于")最差值")
                }
            } else if (indicator.best == nil) != (indicator.worst == nil) {
                problems.append("指标“\(indicator.name)”的最优值和最差值应同时填写（或都不填，按当期最好和最差地区计分）")
            }
            if indicator.exponent <= 0 { problems.append("指标“\(indicator.name)”的幂次应大于 0") }
            if indicator.weight < 0 { problems.append("指标“\(indicator.name)”的权重不能为负") }
            if let min = indicator.minimum, let max = indicator.maximum, min > max {
                problems.append("指标“\(indicator.name)”的取值下限大于上限")
            }
        }
        for indicator in indicators {
            if let parent = indicator.parentCode, !codes.contains(parent) {
                problems.append("指标“\(indicator.name)”的上级指标“\(parent)”不存在")
            }
        }
        problems += parentCycles()
        problems += formulaProblems(codes: codes)
        return problems
    }

    private func parentCycles() -> [String] {
        let parentOf = Dictionary(indicators.compactMap { i in i.parentCode.map { (i.code, $0) } }, uniquingKeysWith: { a, _ in a })
        for indicator in indicators {
            var seen: Set<String> = [indicator.code], current = indicator.code
            while let parent = parentOf[current] {
                if !seen.insert(parent).inserted { return ["指标“\(indicator.name)”的上级关系形成循环"] }
                current = parent
            }
        }
        return []
    }

    private func formulaProblems(codes: Set<String>) -> [String] {
        var problems: [String] = []
        var references: [String: [String]] = [:]
        let parents = Set(indicators.compactMap(\.parentCode))
        for indicator in indicators {
            guard let text = indicator.formula, !text.isEmpty else { continue }
            if parents.contains(indicator.code) { problems.append("指标“\(indicator.name)”有下级指标，不能再设公式") }
            do {
                let formula = try IndicatorFormula(text)
                references[indicator.code] = formula.references
                for code in formula.references where !codes.contains(code) {
                    problems.append("指标“\(indicator.name)”的公式引用了不存在的指标“\(code)”")
                }
            } catch {
                problems.append("指标“\(indicator.name)”的公式有误：\(error.description)")
            }
        }
        // A formula may not depend on itself, directly or through others.
        var state: [String: Int] = [:]
        func visit(_ code: String) -> Bool {
            if state[code] == 1 { return false }
            if state[code] == 2 { return true }
            state[code] = 1
            for next in references[code] ?? [] where !visit(next) { return false }
            state[code] = 2
            return true
        }
        for code in references.keys.sorted() where !visit(code) {
            problems.append("指标“\(indicator(code)?.name ?? code)”的公式循环引用")
            break
        }
        return problems
    }

    /// The default tree: the 18 national first-level indicators (《中国营商环境报告2020》), equal weights,
    /// codes `YS01`…`YS18`; second-level indicators are the office's to configure.
    public static func nationalFirstLevel(year: Int) -> IndicatorSystem {
        IndicatorSystem(year: year, indicators: BusinessEnvironmentIndicators.firstLevel.enumerated().map { index, name in
            IndicatorDefinition(code: String(format: "YS%02d", index + 1), name: name, unit: "分",
                                aggregation: .mean, isRequired: false)
        })
    }
}
