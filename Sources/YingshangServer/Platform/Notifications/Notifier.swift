import Fluent
import Foundation
import YingshangCore

/// The core API other capabilities call to put a message in inboxes (站内信).
struct Notifier {
    let db: any Database

    func notify(userID: UUID, title: String, body: String, link: String? = nil) async throws {
        try await InboxMessage(userID: userID, title: title, body: body, link: link).create(on: db)
    }

    /// Notifies every active user of an org unit (and, if asked, of the units below it).
    @discardableResult
    func notify(orgUnitID: UUID, includingDescendants: Bool = false, title: String, body: String,
                link: String? = nil) async throws -> Int {
        let unitIDs = includingDescendants ? try await OrgUnitDirectory.subtree(of: orgUnitID, on: db) : [orgUnitID]
        let users = try await User.query(on: db).filter(\.$orgUnit.$id ~~ unitIDs).filter(\.$isActive == true).all()
        for user in users {
            try await notify(userID: try user.requireID(), title: title, body: body, link: link)
        }
        return users.count
    }

    /// Notifies the office: every active administrator.
    func notifyOffice(title: String, body: String, link: String? = nil) async throws {
        for user in try await User.query(on: db).filter(\.$role == Role.admin.rawValue).filter(\.$isActive == true).all() {
            try await notify(userID: try user.requireID(), title: title, body: body, link: link)
        }
    }
}
