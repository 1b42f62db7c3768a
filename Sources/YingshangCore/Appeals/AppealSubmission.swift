import Foundation

/// What an appellant or an operator submits (受理登记), before it gets a number.
public struct AppealSubmission: Codable, Sendable, Equatable {
    public var type: String?
    public var categoryCode: String?
    public var title: String?
    public var content: String?
    public var enterpriseCode: String?
    public var enterpriseName: String?
    public var contactName: String?
    public var contactPhone: String?
    public var anonymous: Bool
    public var channel: String?

    public static let maxTitle = 100
    public static let maxContent = 5_000

    public init(type: String?, categoryCode: String? = nil, title: String?, content: String?, enterpriseCode: String? = nil,
                enterpriseName: String? = nil, contactName: String? = nil, contactPhone: String? = nil, anonymous: Bool = false,
                channel: String? = nil) {
        self.type = type
        self.categoryCode = categoryCode
        self.title = title
        self.content = content
        self.enterpriseCode = enterpriseCode
        self.enterpriseName = enterpriseName
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.anonymous = anonymous
        self.channel = channel
    }

    enum CodingKeys: String, CodingKey {
        case type, title, content, anonymous, channel
        case categoryCode = "category_code", enterpriseCode = "enterprise_code", enterpriseName = "enterprise_name"
        case contactName = "contact_name", contactPhone = "contact_phone"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        categoryCode = try c.decodeIfPresent(String.self, forKey: .categoryCode)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        content = try c.decodeIfPresent(String.self, forKey: .content)
        enterpriseCode = try c.decodeIfPresent(String.self, forKey: .enterpriseCode)
        enterpriseName = try c.decodeIfPresent(String.self, forKey: .enterpriseName)
        contactName = try c.decodeIfPresent(String.self, forKey: .contactName)
        contactPhone = try c.decodeIfPresent(String.self, forKey: .contactPhone)
        anonymous = try c.decodeIfPresent(Bool.self, forKey: .anonymous) ?? false
        channel = try c.decodeIfPresent(String.self, forKey: .channel)
    }

    /// The cleaned submission, or the problems by field in Chinese.
    public func validated() -> Result<ValidAppealSubmission, AppealSubmissionErrors> {
        var errors: [String: String] = [:]
        func text(_ value: String?) -> String? {
            value.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let type = text(self.type).flatMap { AppealType(rawValue: $0) ?? AppealType(label: $0) }
        if type == nil {
            errors["type"] = self.type == nil ? "请选择诉求类型" : "诉求类型只能是 咨询 / 求助 / 投诉 / 举报 / 建议"
        }
        let title = text(self.title) ?? ""
        if title.isEmpty { errors["title"] = "请填写标题" } else if title.count > Self.maxTitle {
            errors["title"] = "标题不能超过 \(Self.maxTitle) 个字"
        }
        let content = text(self.content) ?? ""
        if content.isEmpty { errors["content"] = "请填写诉求内容" } else if content.count > Self.maxContent {
            errors["content"] = "诉求内容不能超过 \(Self.maxContent) 个字，附件请另行上传"
        }
        let code = text(enterpriseCode)?.uppercased()
        if let code, let problem = CreditCode.problem(with: code) { errors["enterprise_code"] = problem }
        let phone = text(contactPhone)?.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "-", with: "")
        if let phone, phone.wholeMatch(of: /\+?[0-9]{7,15}/) == nil { errors["contact_phone"] = "联系电话格式不正确" }
        if phone == nil && !anonymous { errors["contact_phone"] = "请填写联系电话（用于回访和查询办理进度），或选择匿名" }
        let name = text(contactName)
        if let name, name.count > 50 { errors["contact_name"] = "联系人不能超过 50 个字" }
        let channel = text(self.channel).map { AppealChannel(rawValue: $0) } ?? .web
        if channel == nil { errors["channel"] = "来源渠道无效" }
        guard errors.isEmpty, let type, let channel else { return .failure(AppealSubmissionErrors(fields: errors)) }
        return .success(ValidAppealSubmission(
            type: type, categoryCode: text(categoryCode), title: title, content: content, enterpriseCode: code,
            enterpriseName: text(enterpriseName), contactName: anonymous ? nil : name, contactPhone: phone,
            anonymous: anonymous, channel: channel))
    }
}

/// A submission that passed validation.
public struct ValidAppealSubmission: Sendable, Equatable {
    public var type: AppealType
    public var categoryCode: String?
    public var title: String
    public var content: String
    public var enterpriseCode: String?
    public var enterpriseName: String?
    public var contactName: String?
    public var contactPhone: String?
    public var anonymous: Bool
    public var channel: AppealChannel
}

public struct AppealSubmissionErrors: Error, Sendable, Equatable {
    public var fields: [String: String]
}
