/// A user's role (角色). Every permission check on the server goes through ``Role`` and ``AccessScope``.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// 管理员: office staff, may do everything.
    case admin
    /// 领导: reads everything, approves.
    case leader
    /// 责任单位: department staff, limited to their org unit and its children.
    case unitStaff = "unit_staff"
    /// 特邀监督员: read-only supervision with personal data masked.
    case supervisor
    /// 企业用户: an enterprise's own records.
    case enterprise

    public var label: String {
        switch self {
        case .admin: "管理员"
        case .leader: "领导"
        case .unitStaff: "责任单位"
        case .supervisor: "特邀监督员"
        case .enterprise: "企业用户"
        }
    }

    /// Whether a user of this role must belong to an org unit.
    public var requiresOrgUnit: Bool { self == .unitStaff }

    /// How far this role may read records that belong to org units.
    public var readScope: AccessScope {
        switch self {
        case .admin, .leader, .supervisor: .everything
        case .unitStaff: .ownSubtree
        case .enterprise: .nothing
        }
    }

    /// Whether personal data (phone numbers, names of appellants, …) is masked for this role.
    public var seesMaskedPersonalData: Bool { self == .supervisor }

    public func may(_ permission: Permission) -> Bool {
        switch permission {
        case .manageOrgUnits, .manageUsers, .readAuditLog, .manageCalendar, .manageAllTokens, .runLedger, .runAppeals, .managePolicies, .runBenefits, .runEvaluation:
            self == .admin
        case .readOrgUnits, .readEnterpriseFiles, .readEvaluation:
            self != .enterprise
        case .readUsers:
            self == .admin || self == .leader || self == .unitStaff
        case .approve:
            self == .admin || self == .leader
        }
    }
}

/// A platform-wide permission that does not depend on which org unit a record belongs to.
public enum Permission: Sendable {
    case manageOrgUnits, readOrgUnits, manageUsers, readUsers, readAuditLog, manageCalendar, manageAllTokens, approve
    /// Import and publish plans, review reports, open and close supervision orders (the office's work).
    case runLedger
    /// Register, dispatch and check appeals, approve extensions and replies, close (the appeals line's operators).
    case runAppeals
    /// Edit the policy library, its core clauses, the knowledge base and the search synonyms.
    case managePolicies
    /// Read every enterprise file, policy roster and redemption (staff; an enterprise user reads only its own file).
    case readEnterpriseFiles
    /// Keep enterprise files, write and publish benefit policies, confirm rosters, review and pay redemptions.
    case runBenefits
    /// Read the evaluation: indicators, approved values, scores, rankings, targets, rectifications (staff).
    case readEvaluation
    /// Keep the indicator system and targets, approve submissions and corrections, run surveys, open rectifications.
    case runEvaluation
}

/// The set of org units whose records a role may read.
public enum AccessScope: Sendable, Equatable {
    case everything
    /// The user's own org unit and every unit below it.
    case ownSubtree
    case nothing
}

/// Decides whether a user may touch a record that belongs to an org unit, given the tree.
public struct OrgUnitScope: Sendable {
    /// The ids of the units the user may read, or `nil` for "every unit".
    public let allowedUnitIDs: Set<String>?

    public init(role: Role, userUnitID: String?, parentOf: [String: String]) {
        switch role.readScope {
        case .everything:
            allowedUnitIDs = nil
        case .nothing:
            allowedUnitIDs = []
        case .ownSubtree:
            guard let root = userUnitID else { allowedUnitIDs = []; return }
            allowedUnitIDs = OrgUnitScope.subtree(of: root, parentOf: parentOf)
        }
    }

    public func allows(_ unitID: String?) -> Bool {
        guard let allowed = allowedUnitIDs else { return true }
        guard let unitID else { return false }
        return allowed.contains(unitID)
    }

    /// `root` and all its descendants, computed in one pass over the parent map.
    public static func subtree(of root: String, parentOf: [String: String]) -> Set<String> {
        var children: [String: [String]] = [:]
        for (child, parent) in parentOf { children[parent, default: []].append(child) }
        var result: Set<String> = [root]
        var stack = [root]
        while let next = stack.popLast() {
            for child in children[next] ?? [] where result.insert(child).inserted { stack.append(child) }
        }
        return result
    }
}
