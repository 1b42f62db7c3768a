import Fluent
import Foundation

/// A message in a user's inbox (站内信).
final class InboxMessage: Model, @unchecked Sendable {
    static let schema = "inbox_messages"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @OptionalField(key: "link") var link: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}

    init(userID: UUID, title: String, body: String, link: String?) {
        self.$user.id = userID
        self.title = title
        self.body = body
        self.link = link
    }
}
