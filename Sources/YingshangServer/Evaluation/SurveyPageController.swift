import Fluent
import Vapor
import YingshangCore

/// Surveys of monitoring-point enterprises: the office's list, editor, sending and results; monitoring points;
/// and the enterprise user's "我的问卷" where it answers.
struct SurveyPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let surveys = routes.grouped("evaluation", "surveys")
        surveys.get(use: index)
        surveys.post(use: create)
        surveys.get(":id", use: show)
        surveys.post(":id", "send", use: send)
        surveys.post(":id", "close", use: close)
        let points = routes.grouped("evaluation", "monitoring-points")
        points.post(use: addPoint)
        points.post(":id", "delete", use: removePoint)
        routes.get("my", "surveys", use: mine)
        routes.get("my", "surveys", ":id", use: answerForm)
        routes.post("my", "surveys", ":id", use: answer)
    }

    struct SurveyRow: Encodable { let id: UUID; let title, indicator, period, status: String; let sent, answered: Int }
    struct PointRow: Encodable { let id: UUID; let enterprise, place, thisQuarter: String }
    struct IndexView: Encodable {
        let rows: [SurveyRow]
        let points: [PointRow]
        let indicators: [FormOption]
        let places: [FormOption]
        let period: String
        let cap: Int
        let isOffice: Bool
    }

    func index(req: Request) async throws -> View {
        let principal = try req.require(.readEvaluation)
        let today = Today.civil()
        let quarter = EvaluationPeriod(.quarter, containing: today)
        let surveys = try await SurveyRecord.query(on: req.db).sort(\.$updatedAt, .descending).range(..<200).all()
        let invitations = try await SurveyInvitationRecord.query(on: req.db).filter(\.$survey.$id ~~ surveys.compactMap(\.id)).all()
        let system = try await EvaluationBoard.system(year: today.year, on: req.db)
        let points = try await MonitoringPointRecord.query(on: req.db).with(\.$enterprise).with(\.$place).all()
        let counts = Dictionary(grouping: try await SurveyInvitationRecord.query(on: req.db).filter(\.$quarter == quarter.code).all(),
                                by: { $0.$enterprise.id }).mapValues(\.count)
        let settings = try await EvaluationSettings.load(on: req.db)
        return try await req.page("evaluation/surveys", title: "监测问卷", IndexView(
            rows: surveys.map { s in
                let mine = invitations.filter { $0.$survey.id == s.id }
                return SurveyRow(id: s.id!, title: s.title, indicator: system.indicator(s.indicatorCode)?.name ?? s.indicatorCode,
                                 period: EvaluationPeriod(code: s.period)?.label ?? s.period, status: s.surveyStatus.label,
                                 sent: mine.count, answered: mine.count { $0.answeredAt != nil })
            },
            points: points.map { PointRow(id: $0.id!, enterprise: $0.enterprise.name, place: $0.place.shortName ?? $0.place.name,
                                          thisQuarter: "\(counts[$0.$enterprise.id, default: 0])/\(settings.surveyCapPerQuarter)") },
            indicators: system.indicators.filter(SurveyIndices.isSurveyFed).map { FormOption(value: $0.code, label: $0.name, selected: false) },
            places: try await EvaluationPlace.all(on: req.db).map { FormOption(value: $0.id.uuidString, label: $0.name, selected: false) },
            period: quarter.code, cap: settings.surveyCapPerQuarter, isOffice: principal.role.may(.runEvaluation)))
    }

    struct CreateForm: Content { var title: String?; var indicator: String?; var period: String?; var questions: String? }

    func create(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        let form = try req.content.decode(CreateForm.self)
        do {
            let survey = try await SurveyService(db: req.db, actor: actor).create(.init(
                title: form.title ?? "", indicatorCode: form.indicator ?? "", period: form.period ?? "", questions: form.questions ?? ""))
            req.flash("问卷已保存为草稿，核对后请发送。")
            return req.redirect(to: "/evaluation/surveys/\(try survey.requireID())")
        } catch let error as APIError where error.isCorrectable {
            req.flash(error.fields.isEmpty ? error.message : error.fields.values.sorted().joined(separator: "；"))
            return req.redirect(to: "/evaluation/surveys")
        }
    }

    struct QuestionResult: Encodable { let text, kind, average: String; let texts: [String] }
    struct PlaceResult: Encodable { let place, index: String; let answered, sent: Int }
    struct ShowView: Encodable {
        let id: UUID
        let title, indicator, period, status: String
        let isDraft, isSent, isOffice: Bool
        let questions: [QuestionResult]
        let places: [PlaceResult]
        let sent, answered: Int
    }

    func show(req: Request) async throws -> View {
        let principal = try req.require(.readEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let survey = try await SurveyRecord.find(id, on: req.db) else { throw APIError.notFound }
        let invitations = try await SurveyInvitationRecord.query(on: req.db).filter(\.$survey.$id == id).with(\.$place).all()
        let answered = invitations.filter { $0.answeredAt != nil }
        let questions = survey.questions
        let results = questions.enumerated().map { k, q -> QuestionResult in
            let answers = answered.compactMap { ($0.answers ?? []).count > k ? $0.answers![k] : nil }
            if q.kind == .text { return QuestionResult(text: q.text, kind: "文字", average: "", texts: answers.filter { !$0.isEmpty }) }
            let numbers = answers.compactMap(Int.init)
            return QuestionResult(text: q.text, kind: "1–\(q.scaleMax)分",
                                  average: numbers.isEmpty ? "—" : String(format: "%.2f", Double(numbers.reduce(0, +)) / Double(numbers.count)),
                                  texts: [])
        }
        let byPlace = Dictionary(grouping: invitations, by: { $0.$place.id })
        let places = byPlace.values.map { group -> PlaceResult in
            let done = group.filter { $0.answeredAt != nil }
            let pairs = done.flatMap { SurveyScoring.scaleAnswers(questions, $0.answers ?? []) }
            return PlaceResult(place: group[0].place.shortName ?? group[0].place.name,
                               index: EvaluationFormat.score(SurveyScoring.satisfactionIndex(pairs)),
                               answered: done.count, sent: group.count)
        }.sorted { $0.place < $1.place }
        let system = try await EvaluationBoard.system(year: EvaluationPeriod(code: survey.period)?.year ?? Today.civil().year, on: req.db)
        return try await req.page("evaluation/survey", title: survey.title, ShowView(
            id: id, title: survey.title, indicator: system.indicator(survey.indicatorCode)?.name ?? survey.indicatorCode,
            period: EvaluationPeriod(code: survey.period)?.label ?? survey.period, status: survey.surveyStatus.label,
            isDraft: survey.surveyStatus == .draft, isSent: survey.surveyStatus == .sent, isOffice: principal.role.may(.runEvaluation),
            questions: results, places: places, sent: invitations.count, answered: answered.count))
    }

    func send(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let survey = try await SurveyRecord.find(id, on: req.db) else { throw APIError.notFound }
        do {
            let sending = try await SurveyService(db: req.db, actor: actor).send(survey)
            let skipped = sending.skipped.isEmpty ? "" :
                "；\(sending.skipped.count) 家企业本季度已收到 \((try await EvaluationSettings.load(on: req.db)).surveyCapPerQuarter) 份问卷，为不增加企业负担未发送：\(sending.skipped.prefix(5).joined(separator: "、"))\(sending.skipped.count > 5 ? "等" : "")"
            req.flash("已发送给 \(sending.sent) 家监测点企业\(skipped)。")
        } catch let error as APIError where error.isCorrectable {
            req.flash(error.message)
        }
        return req.redirect(to: "/evaluation/surveys/\(id)")
    }

    func close(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let survey = try await SurveyRecord.find(id, on: req.db) else { throw APIError.notFound }
        do { try await SurveyService(db: req.db, actor: actor).close(survey) } catch let error as APIError where error.isCorrectable { req.flash(error.message) }
        return req.redirect(to: "/evaluation/surveys/\(id)")
    }

    struct PointForm: Content { var code: String?; var place: UUID? }

    /// Adds a monitoring point by the enterprise's 统一社会信用代码.
    func addPoint(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        let form = try req.content.decode(PointForm.self)
        let code = (form.code ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard let enterprise = try await EnterpriseRecord.query(on: req.db).filter(\.$creditCode == code).first() else {
            req.flash("企业档案中没有统一社会信用代码为“\(code)”的企业")
            return req.redirect(to: "/evaluation/surveys")
        }
        guard let placeID = form.place, try await EvaluationPlace.all(on: req.db).contains(where: { $0.id == placeID }) else {
            req.flash("请选择监测点所在地区")
            return req.redirect(to: "/evaluation/surveys")
        }
        if try await MonitoringPointRecord.query(on: req.db).filter(\.$enterprise.$id == enterprise.requireID()).first() != nil {
            req.flash("“\(enterprise.name)”已是监测点")
            return req.redirect(to: "/evaluation/surveys")
        }
        try await Transactions.run(on: req.db) { tx in
            let point = MonitoringPointRecord()
            point.$enterprise.id = try enterprise.requireID()
            point.$place.id = placeID
            try await point.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "evaluation_monitoring_point",
                                      entityID: try point.requireID().uuidString, before: nil, after: ["enterprise": enterprise.name])
        }
        req.flash("已将“\(enterprise.name)”设为监测点。")
        return req.redirect(to: "/evaluation/surveys")
    }

    func removePoint(req: Request) async throws -> Response {
        let actor = try req.require(.runEvaluation)
        guard let id = req.parameters.get("id", as: UUID.self), let point = try await MonitoringPointRecord.find(id, on: req.db) else { throw APIError.notFound }
        try await Transactions.run(on: req.db) { tx in
            try await point.delete(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .delete, entityType: "evaluation_monitoring_point",
                                      entityID: id.uuidString, before: ["enterprise": point.$enterprise.id.uuidString], after: nil)
        }
        return req.redirect(to: "/evaluation/surveys")
    }

    // MARK: The enterprise's side

    struct MineRow: Encodable { let id: UUID; let title, period, sentAt, status: String; let open: Bool }

    func mine(req: Request) async throws -> View {
        let enterpriseID = try await Self.enterpriseID(req)
        let invitations = try await SurveyInvitationRecord.query(on: req.db).filter(\.$enterprise.$id == enterpriseID)
            .with(\.$survey).sort(\.$sentAt, .descending).all()
        return try await req.page("evaluation/my-surveys", title: "我的问卷", invitations.map { i in
            MineRow(id: i.id!, title: i.survey.title, period: EvaluationPeriod(code: i.survey.period)?.label ?? i.survey.period,
                    sentAt: DisplayDate.minute(i.sentAt), status: i.answeredAt == nil ? (i.survey.surveyStatus == .sent ? "待填写" : SurveyStatus.closed.label) : "已提交",
                    open: i.survey.surveyStatus == .sent)
        })
    }

    struct Question: Encodable { let index, number: Int; let text: String; let isScale: Bool; let options: [FormOption]; let answer: String; let error: String? }
    struct AnswerView: Encodable { let id: UUID; let title: String; let questions: [Question]; let open: Bool; let answered: Bool }

    func answerForm(req: Request) async throws -> View {
        let invitation = try await Self.invitation(req)
        return try await answerPage(req, invitation, answers: invitation.answers ?? [], errors: [:])
    }

    private func answerPage(_ req: Request, _ invitation: SurveyInvitationRecord, answers: [String], errors: [String: String]) async throws -> View {
        let survey = invitation.survey
        let labels = ["非常不满意", "不满意", "一般", "满意", "非常满意"]
        return try await req.page("evaluation/my-survey", title: survey.title, AnswerView(
            id: invitation.id!, title: survey.title,
            questions: survey.questions.enumerated().map { k, q in
                let given = k < answers.count ? answers[k] : ""
                return Question(index: k, number: k + 1, text: q.text, isScale: q.kind == .scale,
                                options: q.kind == .text ? [] : (1...q.scaleMax).map { n in
                                    FormOption(value: String(n), label: q.scaleMax == 5 ? "\(n) \(labels[n - 1])" : String(n), selected: given == String(n))
                                },
                                answer: given, error: errors["q\(k)"])
            },
            open: survey.surveyStatus == .sent, answered: invitation.answeredAt != nil))
    }

    func answer(req: Request) async throws -> Response {
        let actor = try req.requirePrincipal()
        let invitation = try await Self.invitation(req)
        let fields = try req.content.decode([String: String].self)
        let answers = invitation.survey.questions.indices.map { fields["q\($0)"] ?? "" }
        do {
            try await SurveyService(db: req.db, actor: actor).answer(invitation, answers: answers)
        } catch let error as APIError where error.isCorrectable {
            return try await answerPage(req, invitation, answers: answers, errors: error.fields).encodeResponse(status: .unprocessableEntity, for: req)
        }
        req.flash("问卷已提交，感谢您的参与！")
        return req.redirect(to: "/my/surveys")
    }

    /// The enterprise the signed-in enterprise user speaks for.
    static func enterpriseID(_ req: Request) async throws -> UUID {
        let principal = try req.requirePrincipal()
        guard principal.role == .enterprise, let user = try await User.find(principal.userID, on: req.db), let id = user.enterpriseID else {
            throw APIError.forbidden
        }
        return id
    }

    /// One of the user's own invitations; another enterprise's is "not found".
    static func invitation(_ req: Request) async throws -> SurveyInvitationRecord {
        let enterpriseID = try await enterpriseID(req)
        guard let id = req.parameters.get("id", as: UUID.self),
              let invitation = try await SurveyInvitationRecord.query(on: req.db).filter(\.$id == id)
                .filter(\.$enterprise.$id == enterpriseID).with(\.$survey).first() else { throw APIError.notFound }
        return invitation
    }
}
