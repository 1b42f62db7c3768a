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
        var unitIDs: Set<UUID> = [orgUnitID]
        if includingDescendants {
            var parentOf: [String: String] = [:]
            for unit in try await OrgUnit.query(on: db).all() {
                if let id = unit.id, let parent = unit.$parent.id { parentOf[id.uuidString] = parent.uuidString }
            }
            unitIDs = Set(OrgUnitScope.subtree(of: orgUnitID.uuidString, parentOf: parentOf).compactMap(UUID.init(uuidString:)))
        }
        let users = try await User.query(on: db).filter(\.$orgUnit.$id ~~ unitIDs).filter(\.$isActive == true).all()
        for user in users {
            try await notify(userID: try user.requireID(), title: title, body: body, link: link)
        }
        return users.count
    }
}
