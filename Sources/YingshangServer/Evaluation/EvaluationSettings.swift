import Fluent
import Foundation
import YingshangCore

/// The evaluation's configurable rules, kept as a JSON setting of this installation.
struct EvaluationSettings: StoredSettings, Equatable {
    /// At most this many surveys reach one enterprise in a quarter (不增加企业负担).
    var surveyCapPerQuarter = 4
    /// How close to a target still counts as 接近 (share of the target).
    var nearShare = 0.05
    /// When a result calls for a rectification task.
    var rectification = RectificationRule(onMissedTarget: true, bottomRanks: 0)
    /// Whether approving a submission opens the tasks the rule finds, or the office opens them by hand.
    var openRectificationsAutomatically = true
    /// A quarter's values are due this many working days after the quarter ends.
    var submissionWorkingDays = 10
    /// Units are reminded this many working days before the due date.
    var reminderLeadWorkingDays = 3
    /// The period values are collected and ranked for (quarters by default; months or years possible).
    var periodKind = EvaluationPeriod.Kind.quarter
    /// The region whose sub-regions are compared (its code); nil for the top region's (the cities of a province, the
    /// districts and development zones of a city).
    var placesUnder: String?

    static let key = "evaluation_settings"

    /// What is wrong with the numbers, in Chinese; empty when they can be saved.
    func problems() -> [String] {
        var problems: [String] = []
        if surveyCapPerQuarter < 1 || surveyCapPerQuarter > 20 { problems.append("每季度问卷上限应在 1–20 份之间") }
        if nearShare < 0 || nearShare > 0.5 { problems.append("接近目标的范围应在 0–50% 之间") }
        if rectification.bottomRanks < 0 { problems.append("排名靠后位数不能为负") }
        if submissionWorkingDays < 0 || reminderLeadWorkingDays < 0 { problems.append("天数不能为负") }
        return problems
    }

    var schedule: SubmissionSchedule {
        SubmissionSchedule(workingDaysAfterEnd: submissionWorkingDays, reminderLeadWorkingDays: reminderLeadWorkingDays)
    }
}

/// The places compared (地区): the regions directly under the region the settings name, by default under the top
/// region — the cities of a province, the districts and development zones of a city.
struct EvaluationPlace: Sendable, Encodable {
    let id: UUID
    let code: String
    let name: String

    static func all(on db: any Database) async throws -> [EvaluationPlace] {
        let regions = try await OrgUnit.query(on: db).filter(\.$kind == OrgUnitKind.region.rawValue).sort(\.$code).all()
        let chosen = try await EvaluationSettings.load(on: db).placesUnder.flatMap { code in regions.first { $0.code == code }?.id }
        let parents = chosen.map { Set([$0]) } ?? Set(regions.filter { $0.$parent.id == nil }.compactMap(\.id))
        return regions.filter { $0.$parent.id.map(parents.contains) ?? false }
            .map { EvaluationPlace(id: $0.id!, code: $0.code, name: $0.shortName ?? $0.name) }
    }
}

/// A counter bumped in the same transaction as every change to evaluation data, so every server process knows when
/// its scores are stale with one key read.
enum EvaluationRevision {
    static let key = "evaluation_revision"

    static func current(on db: any Database) async throws -> String {
        try await PlatformSetting.find(key, on: db)?.value ?? "0"
    }

    /// The row exists from migration 008 on, so concurrent bumps update one row and never race to create it.
    static func bump(on db: any Database) async throws {
        try await PlatformSetting.query(on: db).filter(\.$id == key).set(\.$value, to: UUID().uuidString).update()
    }
}
