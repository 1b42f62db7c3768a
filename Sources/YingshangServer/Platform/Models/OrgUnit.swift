import Fluent
import Foundation
import YingshangCore

/// An org unit (组织机构): a region, a department or a section, in one tree.
final class OrgUnit: Model, @unchecked Sendable {
    static let schema = "org_units"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "short_name") var shortName: String?
    @Field(key: "kind") var kind: String
    @OptionalParent(key: "parent_id") var parent: OrgUnit?
    @Field(key: "aliases") var aliases: [String]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, draft: OrgUnitDraft, parentID: UUID?) {
        self.id = id
        apply(draft, parentID: parentID)
    }

    func apply(_ draft: OrgUnitDraft, parentID: UUID?) {
        code = draft.code
        name = draft.name
        shortName = draft.shortName
        kind = draft.kind.rawValue
        $parent.id = parentID
        aliases = draft.aliases
    }

    var unitKind: OrgUnitKind { OrgUnitKind(rawValue: kind) ?? .department }
}
