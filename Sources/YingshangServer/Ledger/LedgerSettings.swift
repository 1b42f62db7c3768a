import Fluent
import Foundation
import YingshangCore

/// The ledger's configurable rules, kept as JSON settings of this installation (defaults otherwise).
struct LedgerSettings: StoredSettings, Equatable {
    var reporting: ReportingPolicy = .default
    var supervision: SupervisionRuleSet = .default
    var assessment: AssessmentWeights = .default

    static let key = "ledger_settings"
}
