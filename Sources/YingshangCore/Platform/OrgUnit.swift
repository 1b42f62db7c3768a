import Foundation

/// Level of an org unit in the tree region → department → section.
public enum OrgUnitKind: String, Codable, Sendable, CaseIterable {
    case region, department, section

    /// Chinese label shown to users.
    public var label: String {
        switch self {
        case .region: return "区域"
        case .department: return "部门"
        case .section: return "科室"
        }
    }

    /// Parses a Chinese label or English raw value (case-insensitive).
    public init?(label: String) {
        let t = label.trimmingCharacters(in: .whitespacesAndNewlines)
        if let k = OrgUnitKind.allCases.first(where: { $0.label == t || $0.rawValue == t.lowercased() }) {
            self = k
        } else {
            return nil
        }
    }

    /// Kinds allowed as the parent of this kind (see `mayBeRoot` for units without a parent).
    public var allowedParentKinds: Set<OrgUnitKind> {
        switch self {
        case .region: return [.region]
        case .department: return [.region, .department]
        case .section: return [.department, .section]
        }
    }

    /// Whether a unit of this kind may be at the top (no parent).
    public var mayBeRoot: Bool { self == .region }
}

public struct OrgUnitDraft: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var shortName: String?
    public var parentCode: String?
    public var kind: OrgUnitKind
    public var aliases: [String]

    public init(code: String, name: String, shortName: String? = nil, parentCode: String? = nil,
                kind: OrgUnitKind, aliases: [String] = []) {
        self.code = code
        self.name = name
        self.shortName = shortName
        self.parentCode = parentCode
        self.kind = kind
        self.aliases = aliases
    }
}

/// A problem in an uploaded file.
public struct RowError: Codable, Sendable, Equatable {
    /// 1-based record number in the file; the header is 1.
    public var row: Int
    /// Column header as written in the file (or the canonical Chinese header), nil for whole-row problems.
    public var column: String?
    public var message: String

    public init(row: Int, column: String?, message: String) {
        self.row = row
        self.column = column
        self.message = message
    }
}

/// Field rules shared by the import and the edit form.
public struct OrgUnitRules {
    public static let maxNameLength = 100
    public static let maxShortNameLength = 100
    public static let maxAliasLength = 100
    public static let maxCodeLength = 32

    /// Whether `code` matches `[A-Za-z0-9_-]{1,32}`.
    public static func isValidCode(_ code: String) -> Bool {
        guard !code.isEmpty, code.utf8.count <= maxCodeLength else { return false }
        return code.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 45
        }
    }

    static let codeMessage = "编码只能包含英文字母、数字、下划线和连字符，长度 1–32 个字符"

    /// Field → Chinese message for every invalid field of a draft; empty when valid.
    /// Keys: "code", "name", "shortName", "parentCode", "aliases".
    public static func validate(_ draft: OrgUnitDraft) -> [String: String] {
        var errors: [String: String] = [:]
        let code = draft.code.trimmingCharacters(in: .whitespacesAndNewlines)
        if code.isEmpty {
            errors["code"] = "请填写编码"
        } else if !isValidCode(code) {
            errors["code"] = codeMessage
        }
        let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors["name"] = "请填写全称"
        } else if name.count > maxNameLength {
            errors["name"] = "全称不能超过 \(maxNameLength) 个字"
        }
        if let short = draft.shortName?.trimmingCharacters(in: .whitespacesAndNewlines), short.count > maxShortNameLength {
            errors["shortName"] = "简称不能超过 \(maxShortNameLength) 个字"
        }
        let parent = draft.parentCode?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let parent, !parent.isEmpty {
            if !isValidCode(parent) {
                errors["parentCode"] = "上级编码格式不正确：" + codeMessage
            } else if parent == code {
                errors["parentCode"] = "上级不能是自身"
            }
        } else if !draft.kind.mayBeRoot {
            errors["parentCode"] = "\(draft.kind.label)必须填写上级编码"
        }
        if let long = draft.aliases.first(where: { $0.count > maxAliasLength }) {
            errors["aliases"] = "别名“\(long.prefix(20))…”超过 \(maxAliasLength) 个字"
        } else if draft.aliases.contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            errors["aliases"] = "别名不能为空"
        }
        return errors
    }

    /// Whether moving `unit` under `newParent` keeps the tree acyclic.
    /// `parentOf` maps every existing unit code to its parent code (nil for roots).
    /// Moving to the top (`newParent == nil`) is always acyclic; an unknown `newParent` is rejected.
    public static func canMove(unit: String, to newParent: String?, parentOf: [String: String?]) -> Bool {
        guard let newParent else { return true }
        guard newParent != unit, parentOf[newParent] != nil else { return false }
        var visited: Set<String> = [newParent]
        var current: String? = newParent
        while let c = current, let p = parentOf[c] ?? nil {
            if p == unit { return false }
            // Existing data already has a cycle: refuse rather than loop forever.
            if !visited.insert(p).inserted { return false }
            current = p
        }
        return true
    }
}
