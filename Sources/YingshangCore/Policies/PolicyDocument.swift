/// Kinds of policy documents (the corpus's folders map onto these; see `PolicyKind.init(folder:)`).
public enum PolicyKind: String, Codable, Sendable, CaseIterable {
    case law = "法律"
    case administrativeRegulation = "行政法规"
    case departmentalRule = "部门规章"
    case localRegulation = "地方性法规"
    case judicialInterpretation = "司法解释"
    case normativeDocument = "规范性文件"
    case policyDocument = "政策文件"
    case interpretation = "政策解读"
    case caseStudy = "案例"
    case other = "其他"

    /// The kind a corpus folder holds; the folders of national laws (宪法, 经济法, 行政法 …) are laws by topic.
    public init(folder: String) {
        switch folder {
        case "行政法规": self = .administrativeRegulation
        case "部门规章": self = .departmentalRule
        case "地方性法规": self = .localRegulation
        case "司法解释": self = .judicialInterpretation
        case "案例": self = .caseStudy
        case "其他": self = .other
        case "规范性文件": self = .normativeDocument
        case "政策文件": self = .policyDocument
        case "政策解读": self = .interpretation
        default: self = .law
        }
    }
}

public enum PolicyLevel: String, Codable, Sendable, CaseIterable {
    case national = "国家", province = "省", city = "市", county = "县"
}

/// Whether a document is in force (效力状态).
public enum PolicyValidity: String, Codable, Sendable, CaseIterable {
    case inForce = "现行有效", amended = "已修改", repealed = "已废止", notYetEffective = "尚未生效"

    /// Derived from the dates: repealed once the expiry date has come, not yet effective before the effective date,
    /// amended when a later version supersedes it, in force otherwise.
    public static func derive(effective: CivilDate?, expired: CivilDate?, superseded: Bool, on today: CivilDate) -> PolicyValidity {
        if let expired, expired <= today { return .repealed }
        if let effective, effective > today { return .notYetEffective }
        return superseded ? .amended : .inForce
    }
}

/// One article (条) of a document, with where it sits in the outline.
public struct PolicyArticle: Codable, Sendable, Equatable {
    /// Stable anchor for links: `art-36`, `art-10-1` for 第十条之一.
    public var anchor: String
    /// As written: 第三十六条.
    public var label: String
    public var number: Int
    /// The headings it falls under: 第二章 市场主体保护 / 第一节 …
    public var outline: String
    public var text: String

    public init(anchor: String, label: String, number: Int, outline: String, text: String) {
        self.anchor = anchor
        self.label = label
        self.number = number
        self.outline = outline
        self.text = text
    }
}

/// A document as read from a file, before it is stored.
public struct PolicyDraft: Codable, Sendable, Equatable {
    public var title: String
    /// 文号, e.g. 国务院令第722号.
    public var number: String
    public var issuer: String
    public var kind: PolicyKind
    public var level: PolicyLevel
    /// What the document is filed under for browsing (the corpus folder: 经济法, 北京, 公安部 …).
    public var topic: String
    public var issuedOn: CivilDate?
    public var effectiveOn: CivilDate?
    /// The dated lines under the title (通过, 公布, 修正, 施行 …).
    public var history: [String]
    /// Text before the first article (or the whole text of a document without articles).
    public var preamble: String
    public var articles: [PolicyArticle]
}
