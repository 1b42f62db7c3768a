import Foundation

/// Who is looking at an appeal.
public enum AppealViewer: Codable, Sendable, Hashable {
    /// 营商环境办 / 专线工作人员.
    case office
    /// A unit, by org-unit ID (handling, reported on, or uninvolved — decided from the flags).
    case unit(String)
    /// 督查 / 纪检 staff following supervision orders.
    case supervisor
    /// The public (公开的诉求、统计).
    case `public`
}

/// The privacy-relevant facts of an appeal.
public struct AppealPrivacyFlags: Codable, Sendable, Equatable {
    public var anonymous: Bool
    public var type: AppealType
    /// Units currently handling it (lead and assisting).
    public var handlingUnitIDs: [String]
    /// For a 举报: units reported on.
    public var reportedUnitIDs: [String]

    public init(anonymous: Bool = false, type: AppealType, handlingUnitIDs: [String] = [], reportedUnitIDs: [String] = []) {
        self.anonymous = anonymous
        self.type = type
        self.handlingUnitIDs = handlingUnitIDs
        self.reportedUnitIDs = reportedUnitIDs
    }
}

/// What a viewer sees of one field.
public enum AppealFieldView: Codable, Sendable, Equatable {
    case full(String)
    case masked(String)
    /// Not shown; the text to show instead ("匿名", "举报人信息保密", "不公开").
    case hidden(String)

    public var text: String {
        switch self {
        case .full(let s), .masked(let s), .hidden(let s): return s
        }
    }

    public var isFull: Bool {
        if case .full = self { return true }
        return false
    }

    public var isHidden: Bool {
        if case .hidden = self { return true }
        return false
    }
}

public struct AppealContactView: Codable, Sendable, Equatable {
    public var name: AppealFieldView
    public var phone: AppealFieldView
}

/// Who sees the appellant's name and phone.
///
/// - Ordinary appeals: the office and the handling units see both in full; other units and supervisors see
///   them masked (`PersonalDataMask.name` / `.phone`); the public sees the masked name and no phone.
/// - Anonymous appeals (匿名): nobody sees a name, not even the office ("匿名"). The phone, if the appellant left
///   one for the reply and 回访, is seen in full by the office only — units reply through the office.
///   The server should store no identity beyond that phone.
/// - 举报: the reporter is never revealed to a unit reported on (even if it were also handling it), and only the
///   office and the (non-reported) handling units see the contact; everyone else sees "举报人信息保密".
///   Anonymity, where also set, applies on top.
public enum AppealPrivacy {
    public static let anonymousText = "匿名"
    public static let reporterProtectedText = "举报人信息保密"
    public static let notPublicText = "不公开"

    public static func view(name: String, phone: String, flags: AppealPrivacyFlags, viewer: AppealViewer) -> AppealContactView {
        let isOffice = viewer == .office
        var unitID: String?
        if case .unit(let id) = viewer { unitID = id }
        let isReported = flags.type == .report && unitID.map(flags.reportedUnitIDs.contains) == true
        let isHandling = !isReported && unitID.map(flags.handlingUnitIDs.contains) == true

        if flags.anonymous {
            return AppealContactView(name: .hidden(anonymousText),
                                     phone: isOffice ? .full(phone) : .hidden(anonymousText))
        }
        if isOffice || isHandling {
            return AppealContactView(name: .full(name), phone: .full(phone))
        }
        if flags.type == .report {
            return AppealContactView(name: .hidden(reporterProtectedText), phone: .hidden(reporterProtectedText))
        }
        let maskedName = AppealFieldView.masked(PersonalDataMask.name(name))
        if viewer == .public {
            return AppealContactView(name: maskedName, phone: .hidden(notPublicText))
        }
        return AppealContactView(name: maskedName, phone: .masked(PersonalDataMask.phone(phone)))
    }

    /// Whether the viewer may see who the appellant is at all (name in any form).
    public static func revealsAuthor(flags: AppealPrivacyFlags, viewer: AppealViewer) -> Bool {
        !view(name: "x", phone: "", flags: flags, viewer: viewer).name.isHidden
    }
}
