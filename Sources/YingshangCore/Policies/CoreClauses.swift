/// A document's core clauses (核心条款), edited by the office and shown first on its page; policy matching reads them.
public struct CoreClauses: Codable, Sendable, Equatable {
    /// 惠及对象
    public var beneficiaries = ""
    /// 申报条件
    public var conditions = ""
    /// 支持内容
    public var benefits = ""
    /// 办理时限
    public var deadline = ""
    /// 办理单位
    public var handlingUnit = ""
    /// 联系方式
    public var contact = ""

    public init() {}

    public var isEmpty: Bool { Self.fields.allSatisfy { self[keyPath: $0.path].isEmpty } }

    /// The clauses with their labels, in display order.
    nonisolated(unsafe) public static let fields: [(key: String, label: String, path: WritableKeyPath<CoreClauses, String>)] = [
        ("beneficiaries", "惠及对象", \.beneficiaries), ("conditions", "申报条件", \.conditions),
        ("benefits", "支持内容", \.benefits), ("deadline", "办理时限", \.deadline),
        ("handling_unit", "办理单位", \.handlingUnit), ("contact", "联系方式", \.contact),
    ]
}

/// Why a knowledge-base entry needs its owner's attention (待复核).
public enum KnowledgeFlag: Equatable, Sendable {
    case reviewDue(CivilDate)
    case citedDocument(title: String, validity: PolicyValidity)
    case citedArticleChanged(title: String, label: String)
    case citedArticleGone(title: String, label: String)

    public var message: String {
        switch self {
        case .reviewDue(let date): "复核日期 \(date.iso) 已到"
        case .citedDocument(let title, let validity): "引用的《\(title)》\(validity.rawValue)"
        case .citedArticleChanged(let title, let label): "引用的《\(title)》\(label)内容已修改"
        case .citedArticleGone(let title, let label): "引用的《\(title)》\(label)已不存在"
        }
    }

    /// What a citation looks like now, against what it was when the entry cited it.
    public struct Citation: Sendable {
        public var title: String
        public var validity: PolicyValidity
        /// Nil when the entry cites the whole document.
        public var label: String?
        public var citedTextHash: String?
        /// Nil when the article no longer exists.
        public var currentTextHash: String?

        public init(title: String, validity: PolicyValidity, label: String?, citedTextHash: String?, currentTextHash: String?) {
            self.title = title
            self.validity = validity
            self.label = label
            self.citedTextHash = citedTextHash
            self.currentTextHash = currentTextHash
        }
    }

    public static func flags(reviewOn: CivilDate?, citations: [Citation], today: CivilDate) -> [KnowledgeFlag] {
        var flags: [KnowledgeFlag] = []
        if let reviewOn, reviewOn <= today { flags.append(.reviewDue(reviewOn)) }
        for c in citations {
            if c.validity == .repealed || c.validity == .amended { flags.append(.citedDocument(title: c.title, validity: c.validity)) }
            guard let label = c.label else { continue }
            if c.currentTextHash == nil { flags.append(.citedArticleGone(title: c.title, label: label)) }
            else if c.currentTextHash != c.citedTextHash { flags.append(.citedArticleChanged(title: c.title, label: label)) }
        }
        return flags
    }
}
