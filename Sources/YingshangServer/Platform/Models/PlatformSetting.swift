import Fluent
import Foundation

/// A key/value setting of this installation (e.g. the demo-account secret).
final class PlatformSetting: Model, @unchecked Sendable {
    static let schema = "platform_settings"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String

    init() {}

    init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}
