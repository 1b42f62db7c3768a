import Fluent
import Foundation

/// An enterprise appeal (诉求): one number from intake to closure (一号归集、一号响应).
final class Appeal: Model, @unchecked Sendable {
    static let schema = "appeals"

    @ID(key: .id) var id: UUID?
    /// YS2026-00001234
    @Field(key: "number") var number: String
    @Field(key: "year") var year: Int
    @Field(key: "sequence") var sequence: Int
    /// consultation / help / complaint / report / suggestion
    @Field(key: "type") var type: String
    @OptionalParent(key: "category_id") var category: AppealCategory?
    @Field(key: "title") var title: String
    @Field(key: "content") var content: String
    @Field(key: "channel") var channel: String
    @Field(key: "state") var state: String
    @OptionalField(key: "enterprise_code") var enterpriseCode: String?
    @OptionalField(key: "enterprise_name") var enterpriseName: String?
    @OptionalField(key: "contact_name") var contactName: String?
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @Field(key: "anonymous") var anonymous: Bool
    /// For a 举报: the units it is about, which must never see who reported.
    @Field(key: "reported_unit_ids") var reportedUnitIDs: [UUID]
    @OptionalField(key: "submitted_by") var submittedBy: UUID?
    @Field(key: "received_on") var receivedOn: String
    @OptionalField(key: "dispatched_on") var dispatchedOn: String?
    @OptionalField(key: "sign_by") var signBy: String?
    @OptionalField(key: "reply_by") var replyBy: String?
    @Field(key: "extension_days") var extensionDays: Int
    @OptionalField(key: "lead_unit_id") var leadUnitID: UUID?
    @Field(key: "assisting_unit_ids") var assistingUnitIDs: [UUID]
    @OptionalField(key: "signed_on") var signedOn: String?
    @OptionalField(key: "reply_text") var replyText: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    @OptionalField(key: "satisfaction") var satisfaction: String?
    @OptionalField(key: "rating_comment") var ratingComment: String?
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// The number of the appeal this one was merged into (并单): its reply answers this one too.
    @OptionalField(key: "merged_into") var mergedInto: String?
    @OptionalField(key: "idempotency_key") var idempotencyKey: String?
    /// For appellants without a phone number: the code that, with the number, opens the query page.
    @Field(key: "query_code") var queryCode: String
    /// The core's lifecycle facts (``AppealCase``) as JSON: the source of truth for what may happen next;
    /// the columns above are derived from it for lists and filters.
    @Field(key: "case_json") var caseJSON: String
    @OptionalField(key: "client_address") var clientAddress: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A category of appeals and the units it is normally dispatched to (派单目录).
final class AppealCategory: Model, @unchecked Sendable {
    static let schema = "appeal_categories"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "unit_ids") var unitIDs: [UUID]
    @Field(key: "position") var position: Int
    @Field(key: "active") var active: Bool

    init() {}
}

/// One step in an appeal's life, shown in its timeline (and, where public, on the query page).
final class AppealEventRecord: Model, @unchecked Sendable {
    static let schema = "appeal_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "appeal_id") var appeal: Appeal
    @Field(key: "kind") var kind: String
    @Field(key: "actor") var actor: String
    @OptionalField(key: "unit_id") var unitID: UUID?
    @Field(key: "text") var text: String
    /// Shown to the appellant on the query page.
    @Field(key: "public") var isPublic: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A unit handling an appeal (lead or assisting), for "appeals of my unit" queries on both databases.
final class AppealUnit: Model, @unchecked Sendable {
    static let schema = "appeal_units"

    @ID(key: .id) var id: UUID?
    @Parent(key: "appeal_id") var appeal: Appeal
    @Field(key: "org_unit_id") var orgUnitID: UUID
    /// lead / assisting
    @Field(key: "role") var role: String

    init() {}

    /// Replaces an appeal's unit rows with its current lead and assisting units.
    static func sync(_ appeal: Appeal, on db: any Database) async throws {
        let id = try appeal.requireID()
        try await AppealUnit.query(on: db).filter(\.$appeal.$id == id).delete()
        let units = (appeal.leadUnitID.map { [($0, "lead")] } ?? []) + appeal.assistingUnitIDs.map { ($0, "assisting") }
        for (unit, role) in units {
            let row = AppealUnit()
            row.$appeal.id = id
            row.orgUnitID = unit
            row.role = role
            try await row.create(on: db)
        }
    }
}

extension AppealCategory {
    /// Category names by ID (as text), the key the statistics keep categories under.
    static func namesByID(on db: any Database) async throws -> [String: String] {
        Dictionary(try await query(on: db).all().compactMap { c in c.id.map { ($0.uuidString, c.name) } },
                   uniquingKeysWith: { first, _ in first })
    }
}
