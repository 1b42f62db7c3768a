import Fluent
import Foundation
import YingshangCore

/// The ledger's configurable rules, kept as JSON settings of this installation (defaults otherwise).
struct LedgerSettings: Codable, Sendable, Equatable {
    var reporting: ReportingPolicy = .default
    var supervision: SupervisionRuleSet = .default
    var assessment: AssessmentWeights = .default

    static let key = "ledger_settings"

    static func load(on db: any Database) async throws -> LedgerSettings {
        guard let setting = try await PlatformSetting.find(key, on: db) else { return LedgerSettings() }
        return (try? JSONDecoder().decode(LedgerSettings.self, from: Data(setting.value.utf8))) ?? LedgerSettings()
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
