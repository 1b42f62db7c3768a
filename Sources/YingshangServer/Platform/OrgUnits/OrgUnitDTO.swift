import Vapor
import YingshangCore

/// An org unit as the JSON API shows it.
struct OrgUnitDTO: Content, Equatable {
    var id: UUID
    var code: String
    var name: String
    var shortName: String?
    var kind: OrgUnitKind
    var parentID: UUID?
    var aliases: [String]
    var createdAt: Date?
    var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, code, name, kind, aliases
        case shortName = "short_name", parentID = "parent_id", createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ unit: OrgUnit) throws {
        id = try unit.requireID()
        code = unit.code
        name = unit.name
        shortName = unit.shortName
        kind = unit.unitKind
        parentID = unit.$parent.id
        aliases = unit.aliases
        createdAt = unit.createdAt
        updatedAt = unit.updatedAt
    }

    /// What the audit log keeps of a unit (no timestamps, which change on every save).
    struct Snapshot: Encodable {
        let code: String, name: String, shortName: String?, kind: String, parentID: UUID?, aliases: [String]
    }

    static func snapshot(_ unit: OrgUnit) -> Snapshot {
        Snapshot(code: unit.code, name: unit.name, shortName: unit.shortName, kind: unit.kind,
                 parentID: unit.$parent.id, aliases: unit.aliases)
    }
}

/// The body of a create or update: every field, as a form or JSON sends it.
struct OrgUnitInput: Content {
    var code: String?
    var name: String?
    var shortName: String?
    var kind: String?
    var parentID: String?
    var aliases: AliasList?

    enum CodingKeys: String, CodingKey {
        case code, name, kind, aliases
        case shortName = "short_name", parentID = "parent_id"
    }

    /// Aliases come as a JSON array or, from a form, as one text with separators.
    enum AliasList: Codable {
        case list([String])
        var values: [String] { switch self { case .list(let v): v } }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                self = .list(list)
            } else {
                let text = try container.decode(String.self)
                self = .list(text.split(whereSeparator: { "；;、，,\n".contains($0) }).map(String.init))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(values)
        }
    }
}
