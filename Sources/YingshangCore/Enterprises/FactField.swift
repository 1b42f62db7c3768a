import Foundation

/// What kind of value a fact holds, which fixes its unit and how it is compared.
public enum FactKind: Sendable, Equatable {
    /// Money in 万元 (10,000 yuan); `元` and `亿元` are converted.
    case amount
    /// People (人).
    case headcount
    /// A percentage (5 means 5 %).
    case percent
    /// Whole years.
    case years
    case date
    case industry
    case region
    /// One of a fixed list of labels (纳税信用等级 A/B/M/C/D, 企业规模 大型/中型/小型/微型).
    case category([String])

    /// The unit written after numbers of this kind, for display.
    public var unit: String {
        switch self {
        case .amount: "万元"
        case .headcount: "人"
        case .percent: "%"
        case .years: "年"
        default: ""
        }
    }

    /// What to type, for form labels and the rule editor's help: the unit, or the form of a code or date.
    public var hint: String {
        switch self {
        case .amount, .headcount, .percent, .years: unit
        case .date: "日期，如 2020-03-01"
        case .industry: "国民经济行业代码，如 C3911"
        case .region: "行政区划代码，如 450103"
        case .category(let options): options.joined(separator: " / ")
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .amount, .headcount, .percent, .years: true
        default: false
        }
    }
}

/// A fact about an enterprise that rules may ask about (企业档案字段). Stored facts come from the enterprise file; the
/// derived ones (研发费用占比, 成立年限, 企业规模) are computed from them for the date a question is asked.
public enum FactField: String, CaseIterable, Sendable, Codable, Hashable {
    case industry
    case region
    case registeredOn = "registered_on"
    case registeredCapital = "registered_capital_wan"
    case employees
    case revenue = "revenue_wan"
    case assets = "assets_wan"
    case taxableIncome = "taxable_income_wan"
    case rdExpense = "rd_expense_wan"
    case monthlySales = "monthly_sales_wan"
    case highTechRevenueShare = "high_tech_revenue_share"
    case techStaffShare = "tech_staff_share"
    case taxCredit = "tax_credit"
    // Derived.
    case rdIntensity = "rd_intensity"
    case ageYears = "age_years"
    case sizeClass = "size_class"

    /// The Chinese name used in forms, files, rules and explanations.
    public var label: String {
        switch self {
        case .industry: "行业"
        case .region: "地区"
        case .registeredOn: "成立日期"
        case .registeredCapital: "注册资本"
        case .employees: "从业人数"
        case .revenue: "营业收入"
        case .assets: "资产总额"
        case .taxableIncome: "应纳税所得额"
        case .rdExpense: "研发费用"
        case .monthlySales: "月销售额"
        case .highTechRevenueShare: "高新技术产品收入占比"
        case .techStaffShare: "科技人员占比"
        case .taxCredit: "纳税信用等级"
        case .rdIntensity: "研发费用占比"
        case .ageYears: "成立年限"
        case .sizeClass: "企业规模"
        }
    }

    /// Other names a clerk may write for the same fact.
    public var aliases: [String] {
        switch self {
        case .employees: ["从业人员", "从业人员数", "职工人数", "员工人数"]
        case .revenue: ["年营业收入", "营业收入总额"]
        case .assets: ["总资产"]
        case .industry: ["所属行业", "行业代码"]
        case .region: ["所在地区", "行政区划", "地区代码"]
        case .registeredOn: ["注册日期", "设立日期"]
        case .sizeClass: ["企业规模类型", "规模"]
        case .monthlySales: ["月销售额（含）", "月度销售额"]
        default: []
        }
    }

    public var kind: FactKind {
        switch self {
        case .industry: .industry
        case .region: .region
        case .registeredOn: .date
        case .registeredCapital, .revenue, .assets, .taxableIncome, .rdExpense, .monthlySales: .amount
        case .employees: .headcount
        case .highTechRevenueShare, .techStaffShare, .rdIntensity: .percent
        case .ageYears: .years
        case .taxCredit: .category(TaxCreditRating.allCases.map(\.rawValue))
        case .sizeClass: .category(SizeClass.allCases.map(\.label))
        }
    }

    /// Whether the value is computed from other facts rather than recorded.
    public var isDerived: Bool { self == .rdIntensity || self == .ageYears || self == .sizeClass }

    /// The stored facts, in the order forms and files list them.
    public static let stored: [FactField] = allCases.filter { !$0.isDerived }

    /// The field a Chinese name (or alias, or the facts-file key) stands for.
    public static func named(_ name: String) -> FactField? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        return allCases.first { $0.label == trimmed || $0.aliases.contains(trimmed) || $0.rawValue == trimmed }
    }

    /// Every name the rule language accepts, longest first so that a lexer can match greedily.
    public static let namesLongestFirst: [(String, FactField)] = allCases
        .flatMap { field in ([field.label] + field.aliases).map { ($0, field) } }
        .sorted { $0.0.count > $1.0.count }
}

/// 纳税信用等级 (A best, D worst; M for new enterprises).
public enum TaxCreditRating: String, CaseIterable, Sendable, Codable {
    case a = "A", b = "B", m = "M", c = "C", d = "D"
}
