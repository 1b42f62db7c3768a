import Fluent
import Foundation

/// One login attempt, kept for throttling (by account and by client address).
final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "login_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "login") var login: String
    @Field(key: "address") var address: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "attempted_at") var attemptedAt: Date

    init() {}

    init(login: String, address: String, succeeded: Bool, at: Date) {
        self.login = login
        self.address = address
        self.succeeded = succeeded
        self.attemptedAt = at
    }
}
