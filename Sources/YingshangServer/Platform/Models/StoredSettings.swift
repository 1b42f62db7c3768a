import Fluent
import Foundation

/// A group of settings of this installation stored as one JSON value (defaults when absent or unreadable).
protocol StoredSettings: Codable, Sendable {
    static var key: String { get }
    init()
}

extension StoredSettings {
    static func load(on db: any Database) async throws -> Self {
        guard let setting = try await PlatformSetting.find(key, on: db) else { return Self() }
        return (try? JSONDecoder().decode(Self.self, from: Data(setting.value.utf8))) ?? Self()
    }

    func save(on db: any Database) async throws {
        let json = try AuditLog.snapshot(self)
        if let setting = try await PlatformSetting.find(Self.key, on: db) {
            setting.value = json
            try await setting.save(on: db)
        } else {
            try await PlatformSetting(key: Self.key, value: json).create(on: db)
        }
    }
}
