import Fluent
import Vapor
import YingshangCore

/// The satisfaction indices that survey answers give: per indicator, place and period.
enum SurveyIndices {
    /// The data source that marks an indicator as fed by enterprise surveys (not entered by a unit).
    static let dataSource = "企业问卷"

    static func isSurveyFed(_ indicator: IndicatorDefinition) -> Bool { indicator.dataSource == dataSource }

    struct Key: Hashable { let indicator: String; let place: UUID; let period: String }

    static func load(periods: [EvaluationPeriod], on db: any Database) async throws -> [Key: Double] {
        let surveys = try await SurveyRecord.query(on: db).filter(\.$period ~~ periods.map(\.code)).all()
        guard !surveys.isEmpty else { return [:] }
        let invitations = try await SurveyInvitationRecord.query(on: db).filter(\.$survey.$id ~~ surveys.compactMap(\.id))
            .filter(\.$answeredAt != nil).all()
        var answers: [Key: [(answer: Int, scaleMax: Int)]] = [:]
        for survey in surveys {
            let questions = survey.questions
            for invitation in invitations where invitation.$survey.id == survey.id {
                let key = Key(indicator: survey.indicatorCode, place: invitation.$place.id, period: survey.period)
                answers[key, default: []] += SurveyScoring.scaleAnswers(questions, invitation.answers ?? [])
            }
        }
        return answers.compactMapValues(SurveyScoring.satisfactionIndex)
    }
}

/// Enterprise surveys (监测点问卷): the office writes a questionnaire for an indicator area and period and sends it
/// to the monitoring-point enterprises, at most `surveyCapPerQuarter` surveys per enterprise per quarter; enterprise
/// users answer on a simple page; the answers feed the indicator's satisfaction index at once.
struct SurveyService {
    let db: any Database
    let actor: Principal

    struct Draft: Sendable {
        var title: String
        var indicatorCode: String
        var period: String
        var questions: String
    }

    func create(_ draft: Draft) async throws -> SurveyRecord {
        var fields: [String: String] = [:]
        let title = draft.title.trimmingCharacters(in: .whitespaces)
        if title.isEmpty { fields["title"] = "请填写问卷标题" }
        let period = EvaluationPeriod(code: draft.period)
        if period == nil { fields["period"] = "期间格式应为 2024Q3" }
        if let period {
            let system = try await EvaluationBoard.system(year: period.year, on: db)
            if let indicator = system.indicator(draft.indicatorCode) {
                if !SurveyIndices.isSurveyFed(indicator) { fields["indicator"] = "“\(indicator.name)”的数据来源不是“企业问卷”，不能由问卷计分" }
            } else {
                fields["indicator"] = "\(period.year)年指标体系中没有指标“\(draft.indicatorCode)”"
            }
        }
        var questions: [SurveyQuestion] = []
        switch SurveyQuestion.parse(draft.questions) {
        case .success(let parsed): questions = parsed
        case .failure(let refusal): fields["questions"] = refusal.message
        }
        guard fields.isEmpty, let period else { throw APIError.validation(fields) }
        let survey = SurveyRecord()
        survey.title = title
        survey.indicatorCode = draft.indicatorCode
        survey.period = period.code
        survey.questionsText = questions.map { $0.kind == .text ? "文字：\($0.text)" : $0.scaleMax == 5 ? $0.text : "\($0.text)（1-\($0.scaleMax)）" }
            .joined(separator: "\n")
        survey.status = SurveyStatus.draft.rawValue
        let actor = actor
        try await Transactions.run(on: db) { tx in
            try await survey.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "evaluation_survey",
                                      entityID: try survey.requireID().uuidString, before: nil,
                                      after: ["title": title, "indicator": draft.indicatorCode, "period": period.code])
        }
        return survey
    }

    struct Sending: Sendable { let sent: Int; let skipped: [String] }

    /// Sends the survey to every monitoring point that has not reached this quarter's cap; the others are named.
    func send(_ survey: SurveyRecord, today: CivilDate = Today.civil()) async throws -> Sending {
        guard survey.surveyStatus == .draft else { throw APIError.conflict("问卷已发送") }
        let settings = try await EvaluationSettings.load(on: db)
        let quarter = EvaluationPeriod(.quarter, containing: today).code
        let points = try await MonitoringPointRecord.query(on: db).with(\.$enterprise).all()
        guard !points.isEmpty else { throw APIError.badRequest("还没有监测点企业，请先在“监测点”中添加") }
        let sentCounts = Dictionary(grouping: try await SurveyInvitationRecord.query(on: db).filter(\.$quarter == quarter).all(),
                                    by: { $0.$enterprise.id }).mapValues(\.count)
        let split = SurveyScoring.recipients(points.map { $0.$enterprise.id }, sentThisQuarter: sentCounts, cap: settings.surveyCapPerQuarter)
        let send = Set(split.send)
        let actor = actor
        let surveyID = try survey.requireID()
        try await Transactions.run(on: db) { tx in
            for point in points where send.contains(point.$enterprise.id) {
                let invitation = SurveyInvitationRecord()
                invitation.$survey.id = surveyID
                invitation.$enterprise.id = point.$enterprise.id
                invitation.$place.id = point.$place.id
                invitation.quarter = quarter
                invitation.sentAt = Date()
                try await invitation.create(on: tx)
            }
            guard let fresh = try await SurveyRecord.find(surveyID, on: tx), fresh.surveyStatus == .draft else { throw APIError.conflict("问卷已发送") }
            fresh.status = SurveyStatus.sent.rawValue
            fresh.sentAt = Date()
            try await fresh.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .publish, entityType: "evaluation_survey", entityID: surveyID.uuidString,
                                      before: ["status": SurveyStatus.draft.label], after: ["status": SurveyStatus.sent.label, "sent": String(send.count), "skipped": String(split.skipped.count)])
            let users = try await User.query(on: tx).filter(\.$enterpriseID ~~ Array(send)).all()
            for user in users {
                try await Notifier(db: tx).notify(userID: try user.requireID(), title: "请填写营商环境问卷", body: survey.title, link: "/my/surveys")
            }
        }
        let skippedNames = points.filter { split.skipped.contains($0.$enterprise.id) }.map(\.enterprise.name)
        return Sending(sent: send.count, skipped: skippedNames)
    }

    /// An enterprise answers its copy: every scale question 1…max, text optional. Answers can be changed until the
    /// survey closes.
    func answer(_ invitation: SurveyInvitationRecord, answers: [String]) async throws {
        let survey = try await invitation.$survey.get(on: db)
        guard survey.surveyStatus == .sent else { throw APIError.conflict("问卷已结束") }
        let questions = survey.questions
        var fields: [String: String] = [:], cleaned: [String] = []
        for (index, question) in questions.enumerated() {
            let text = index < answers.count ? answers[index].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            if question.kind == .scale, !(Int(text).map { (1...question.scaleMax).contains($0) } ?? false) {
                fields["q\(index)"] = "请为“\(question.text)”选择 1–\(question.scaleMax) 分"
            }
            cleaned.append(String(text.prefix(2000)))
        }
        guard fields.isEmpty else { throw APIError.validation(fields, message: "还有题目没有作答") }
        let actor = actor, given = cleaned
        try await Transactions.run(on: db) { tx in
            invitation.answers = given
            invitation.answeredAt = Date()
            try await invitation.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .submit, entityType: "evaluation_survey_answer",
                                      entityID: try invitation.requireID().uuidString, before: nil, after: ["survey": survey.title])
            try await EvaluationRevision.bump(on: tx)
        }
    }

    func close(_ survey: SurveyRecord) async throws {
        guard survey.surveyStatus == .sent else { throw APIError.conflict("只有已发送的问卷可以结束") }
        let actor = actor
        try await Transactions.run(on: db) { tx in
            survey.status = SurveyStatus.closed.rawValue
            try await survey.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .close, entityType: "evaluation_survey",
                                      entityID: try survey.requireID().uuidString, before: ["status": SurveyStatus.sent.label], after: ["status": SurveyStatus.closed.label])
        }
    }
}
