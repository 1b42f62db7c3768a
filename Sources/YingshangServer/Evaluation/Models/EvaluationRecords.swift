import Fluent
import Foundation
import YingshangCore

/// An indicator of a year's system (评价指标); see ``IndicatorDefinition``.
final class IndicatorRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_indicators"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "position") var position: Int
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "unit") var unit: String
    @Field(key: "direction") var direction: String
    @OptionalField(key: "best") var best: Double?
    @OptionalField(key: "worst") var worst: Double?
    @Field(key: "exponent") var exponent: Double
    @Field(key: "weight") var weight: Double
    @OptionalField(key: "parent_code") var parentCode: String?
    @OptionalField(key: "formula") var formula: String?
    @Field(key: "aggregation") var aggregation: String
    @Field(key: "is_data_element") var isDataElement: Bool
    @Field(key: "data_source") var dataSource: String
    @OptionalParent(key: "responsible_unit_id") var responsibleUnit: OrgUnit?
    @OptionalField(key: "minimum") var minimum: Double?
    @OptionalField(key: "maximum") var maximum: Double?
    @Field(key: "is_required") var isRequired: Bool
    @OptionalField(key: "outlier_change") var outlierChange: Double?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var definition: IndicatorDefinition {
        IndicatorDefinition(code: code, name: name, unit: unit, direction: IndicatorDirection(rawValue: direction) ?? .higherIsBetter,
                            best: best, worst: worst, exponent: exponent, weight: weight, parentCode: parentCode, formula: formula,
                            aggregation: IndicatorAggregation(rawValue: aggregation) ?? .mean, isDataElement: isDataElement,
                            dataSource: dataSource, responsibleUnitID: $responsibleUnit.id?.uuidString, minimum: minimum,
                            maximum: maximum, isRequired: isRequired, outlierChange: outlierChange)
    }

    func apply(_ d: IndicatorDefinition) {
        code = d.code; name = d.name; unit = d.unit; direction = d.direction.rawValue; best = d.best; worst = d.worst
        exponent = d.exponent; weight = d.weight; parentCode = d.parentCode; formula = d.formula; aggregation = d.aggregation.rawValue
        isDataElement = d.isDataElement; dataSource = d.dataSource; $responsibleUnit.id = d.responsibleUnitID.flatMap(UUID.init(uuidString:))
        minimum = d.minimum; maximum = d.maximum; isRequired = d.isRequired; outlierChange = d.outlierChange
    }
}

/// One value (指标数据) of an indicator for a place and period, as the responsible unit entered it.
final class IndicatorValueRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_values"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "indicator_code") var indicatorCode: String
    @Parent(key: "place_id") var place: OrgUnit
    @Field(key: "period") var period: String
    @OptionalField(key: "value") var value: Double?
    /// Why the value moved far from last period (异常说明), or a note.
    @Field(key: "reason") var reason: String
    /// The unit whose submission holds the value.
    @Parent(key: "unit_id") var unit: OrgUnit
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A unit's submission of a period (数据报送单).
final class SubmissionRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_submissions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: OrgUnit
    @Field(key: "period") var period: String
    @Field(key: "status") var status: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @Field(key: "comment") var comment: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var submissionStatus: SubmissionStatus { SubmissionStatus(rawValue: status) ?? .draft }
}

/// A request to change an approved value (更正申请).
final class CorrectionRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_corrections"

    @ID(key: .id) var id: UUID?
    @Parent(key: "value_id") var valueRecord: IndicatorValueRecord
    @OptionalField(key: "old_value") var oldValue: Double?
    @OptionalField(key: "new_value") var newValue: Double?
    @Field(key: "reason") var reason: String
    @Field(key: "status") var status: String
    @Field(key: "requested_by") var requestedBy: String
    @OptionalField(key: "decision_note") var decisionNote: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}

    var correctionStatus: CorrectionStatus { CorrectionStatus(rawValue: status) ?? .pending }
}

/// A target (目标值) for an indicator in a year, for one place or (place nil) every place.
final class TargetRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_targets"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "indicator_code") var indicatorCode: String
    @OptionalParent(key: "place_id") var place: OrgUnit?
    @Field(key: "value") var value: Double
    @Field(key: "direction") var direction: String
    /// Where the target comes from: "手工设定" or the work-point text it was adopted from.
    @Field(key: "source") var source: String
    @OptionalParent(key: "task_id") var task: PlanTask?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    func target(nearShare: Double) -> IndicatorTarget {
        IndicatorTarget(value: value, direction: IndicatorDirection(rawValue: direction) ?? .higherIsBetter, nearShare: nearShare)
    }
}

/// The link between a weak result and the ledger task opened to fix it (以评促改).
final class RectificationRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_rectifications"

    @ID(key: .id) var id: UUID?
    @Field(key: "indicator_code") var indicatorCode: String
    @Parent(key: "place_id") var place: OrgUnit
    @Field(key: "period") var period: String
    @Parent(key: "task_id") var task: PlanTask
    @Field(key: "reason") var reason: String
    /// Nil when the rule opened it.
    @OptionalField(key: "opened_by") var openedBy: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// An enterprise monitoring point (营商环境监测点) and the place it reports for.
final class MonitoringPointRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_monitoring_points"

    @ID(key: .id) var id: UUID?
    @Parent(key: "enterprise_id") var enterprise: EnterpriseRecord
    @Parent(key: "place_id") var place: OrgUnit
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A questionnaire (监测问卷) for one indicator area and period; its satisfaction index per place is the value of
/// the indicator it feeds.
final class SurveyRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_surveys"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "indicator_code") var indicatorCode: String
    @Field(key: "period") var period: String
    @Field(key: "questions") var questionsText: String
    /// ``SurveyStatus``
    @Field(key: "status") var status: String
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var questions: [SurveyQuestion] { (try? SurveyQuestion.parse(questionsText).get()) ?? [] }
    var surveyStatus: SurveyStatus { SurveyStatus(rawValue: status) ?? .draft }
}

/// One enterprise's copy of a survey, and its answers once given.
final class SurveyInvitationRecord: Model, @unchecked Sendable {
    static let schema = "evaluation_survey_invitations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "survey_id") var survey: SurveyRecord
    @Parent(key: "enterprise_id") var enterprise: EnterpriseRecord
    @Parent(key: "place_id") var place: OrgUnit
    /// The quarter the sending counts against (the burden cap).
    @Field(key: "quarter") var quarter: String
    @Field(key: "sent_at") var sentAt: Date
    @OptionalField(key: "answered_at") var answeredAt: Date?
    /// One entry per question: the scale answer as text, or the free text.
    @OptionalField(key: "answers") var answers: [String]?

    init() {}
}
