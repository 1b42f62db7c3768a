import Vapor
import YingshangCore

/// A user as the JSON API shows it (never the password hash).
struct UserDTO: Content {
    var id: UUID
    var login: String
    var displayName: String
    var role: Role
    var orgUnitID: UUID?
    var phone: String?
    var email: String?
    var isActive: Bool
    var mustChangePassword: Bool

    enum CodingKeys: String, CodingKey {
        case id, login, role, phone, email
        case displayName = "display_name", orgUnitID = "org_unit_id", isActive = "is_active"
        case mustChangePassword = "must_change_password"
    }

    init(_ user: User, masked: Bool) throws {
        id = try user.requireID()
        login = user.login
        displayName = user.displayName
        role = user.userRole
        orgUnitID = user.$orgUnit.id
        phone = masked ? user.phone.map(PersonalDataMask.phone) : user.phone
        email = masked ? user.email.map(PersonalDataMask.email) : user.email
        isActive = user.isActive
        mustChangePassword = user.mustChangePassword
    }

    /// What the audit log keeps of a user.
    struct Snapshot: Encodable {
        let login: String, displayName: String, role: String, orgUnitID: UUID?, phone: String?, email: String?, isActive: Bool
    }

    static func snapshot(_ user: User) -> Snapshot {
        Snapshot(login: user.login, displayName: user.displayName, role: user.role, orgUnitID: user.$orgUnit.id,
                 phone: user.phone, email: user.email, isActive: user.isActive)
    }
}

/// Create or update a user.
struct UserInput: Content {
    var login: String?
    var displayName: String?
    var role: String?
    var orgUnitID: String?
    var phone: String?
    var email: String?
    var isActive: Bool?

    enum CodingKeys: String, CodingKey {
        case login, role, phone, email
        case displayName = "display_name", orgUnitID = "org_unit_id", isActive = "is_active"
    }
}

/// A user with the one-time password just set (shown once to the administrator).
struct UserWithPassword: Content {
    var user: UserDTO
    var oneTimePassword: String

    enum CodingKeys: String, CodingKey {
        case user
        case oneTimePassword = "one_time_password"
    }
}
