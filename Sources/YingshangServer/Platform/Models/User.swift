import Fluent
import Foundation
import YingshangCore

/// A person who signs in (用户), with one role and, for department staff, one org unit.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "login") var login: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: String
    @OptionalParent(key: "org_unit_id") var orgUnit: OrgUnit?
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "email") var email: String?
    /// For an enterprise user: the enterprise file the user speaks for.
    @OptionalField(key: "enterprise_id") var enterpriseID: UUID?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, login: String, displayName: String, role: Role, orgUnitID: UUID?,
         passwordHash: String, mustChangePassword: Bool) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.role = role.rawValue
        self.$orgUnit.id = orgUnitID
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
        self.isActive = true
    }

    var userRole: Role { Role(rawValue: role) ?? .enterprise }
}
