import Fluent
import Vapor
import YingshangCore

/// The appeals line for staff (诉求办理): the list, operator entry for phone calls, and an appeal's
/// handling page where each role gets the actions its state allows.
struct AppealPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let appeals = routes.grouped("appeals")
        appeals.get(use: index)
        appeals.get("new", use: newForm)
        appeals.post("new", use: create)
        appeals.get(":id", use: show)
        appeals.post(":id", "actions", use: act)
    }

    struct Row: Encodable {
        let id: String, number: String, typeLabel: String, category: String, title: String, stateLabel: String, state: String
        let replyBy: String, deadline: String, deadlineClass: String, receivedOn: String
    }
    struct IndexView: Encodable {
        let rows: [Row]
        let states: [FormOption], types: [FormOption]
        let q: String
        let pager: Pager
        let canRegister: Bool
    }

    func index(req: Request) async throws -> View {
        let access = AppealAccess(request: req)
        let principal = try access.reader()
        let page = try PageRequest(from: req)
        let query = try await access.query().sort(\.$receivedOn, .descending).sort(\.$sequence, .descending)
        let state = req.query[String.self, at: "state"] ?? ""
        let type = req.query[String.self, at: "type"] ?? ""
        let q = req.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let filter = AppealListFilter(state: state, type: type, search: q)
        filter.apply(to: query)
        let appeals = try await query.copy().with(\.$category).range(page.offset..<(page.offset + page.limit)).all()
        // A department's own appeals are counted exactly; all appeals up to 10,000 beyond this page.
        let (total, capped) = try await req.orgUnitScope().allowedUnitIDs == nil
            ? try await filter.count(upTo: page.offset + page.limit + 10_000, on: req.db)
            : (try await query.count(), false)
        let calendar = try await CalendarService(db: req.db).calendar()
        let today = Today.civil()
        return try await req.page("appeals/index", title: "诉求办理", IndexView(
            rows: appeals.map { appeal in
                let s = AppealState(rawValue: appeal.state) ?? .received
                var deadline = "", deadlineClass = ""
                if s.isOpen, let due = appeal.replyBy.flatMap(CivilDate.init(iso:)) {
                    let status = AppealDeadlines.status(dueOn: due, today: today, warningLead: 2, calendar: calendar)
                    deadline = status.label
                    deadlineClass = status.isOverdue ? "overdue" : (status.label.contains("剩") ? "warning" : "")
                }
                return Row(id: appeal.id?.uuidString ?? "", number: appeal.number, typeLabel: AppealType(rawValue: appeal.type)?.label ?? "",
                           category: appeal.category?.name ?? "", title: appeal.title, stateLabel: s.label, state: s.rawValue,
                           replyBy: appeal.replyBy ?? "", deadline: deadline, deadlineClass: deadlineClass, receivedOn: appeal.receivedOn)
            },
            states: [FormOption(value: "", label: "全部状态", selected: state.isEmpty)]
                + AppealState.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == state) },
            types: [FormOption(value: "", label: "全部类型", selected: type.isEmpty)]
                + AppealType.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == type) },
            q: q, pager: Pager(page: page, total: total, capped: capped, query: "state=\(state)&type=\(type)&q=\(q.urlQueryEncoded)"),
            canRegister: principal.role.may(.runAppeals)))
    }

    // MARK: Operator entry

    struct NewView: Encodable {
        let types: [FormOption], categories: [FormOption], channels: [FormOption]
        let idempotencyKey: String
        let values: [String: String]
        let errors: [String: String]
        /// Open appeals resembling what has been entered so far (the page's script refreshes them while typing).
        let similar: [SimilarAppeal]
        let checkedSimilar: Bool
    }

    struct SimilarAppeal: Encodable { let id: String, number: String, title: String, explanation: String }

    func newView(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:],
                 similar: [SimilarAppeal] = [], checkedSimilar: Bool = false) async throws -> NewView {
        let (types, categories) = try await AppealPublicController.options(selectedType: values["type"] ?? AppealType.consultation.rawValue,
                                                                          selectedCategory: values["category_code"], on: req.db)
        let channel = values["channel"] ?? AppealChannel.phone.rawValue
        return NewView(types: types, categories: categories,
                       channels: AppealChannel.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == channel) },
                       idempotencyKey: values["idempotency_key"] ?? UUID().uuidString, values: values, errors: errors,
                       similar: similar, checkedSimilar: checkedSimilar)
    }

    func newForm(req: Request) async throws -> View {
        try req.require(.runAppeals)
        return try await req.page("appeals/new", title: "登记诉求", try await newView(req))
    }

    struct NewForm: Content {
        var form: AppealPublicController.SubmitForm
        var channel: String?
        /// `check`: look for similar open appeals instead of registering (the form without its script).
        var action: String?
        init(from decoder: any Decoder) throws {
            form = try AppealPublicController.SubmitForm(from: decoder)
            let container = try decoder.container(keyedBy: Key.self)
            channel = try container.decodeIfPresent(String.self, forKey: .channel)
            action = try container.decodeIfPresent(String.self, forKey: .action)
        }
        func encode(to encoder: any Encoder) throws { try form.encode(to: encoder) }
        enum Key: String, CodingKey { case channel, action }
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.require(.runAppeals)
        let input = try req.content.decode(NewForm.self)
        var submission = input.form.submission
        submission.channel = input.channel ?? AppealChannel.phone.rawValue
        if input.action == "check" {
            var values = input.form.values
            values["channel"] = submission.channel
            let draft = AppealDraftText(title: submission.title ?? "", content: submission.content ?? "",
                                        enterpriseCode: submission.enterpriseCode)
            let similar = try await AppealSimilarSearch.openMatches(to: draft, on: req.db).map {
                SimilarAppeal(id: try $0.appeal.requireID().uuidString, number: $0.match.number, title: $0.appeal.title,
                              explanation: $0.match.explanation)
            }
            return try await req.page("appeals/new", title: "登记诉求",
                                      try await newView(req, values: values, similar: similar, checkedSimilar: true)).encodeResponse(for: req)
        }
        do {
            let receipt = try await AppealIntake(app: req.application, actor: actor)
                .submit(submission, idempotencyKey: input.form.idempotencyKey.flatMap { $0.isEmpty ? nil : $0 }, clientAddress: nil)
            req.flash("已登记诉求 \(receipt.appeal.number)")
            return req.redirect(to: "/appeals/\(try receipt.appeal.requireID())")
        } catch let error as APIError where error.code == "validation_failed" {
            var values = input.form.values
            values["channel"] = input.channel ?? ""
            return try await req.page("appeals/new", title: "登记诉求", try await newView(req, values: values, errors: error.fields))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    // MARK: Handling page

    struct Step: Encodable { let at: String, actor: String, text: String, isPublic: Bool }
    struct ShowView: Encodable {
        let id: String, number: String, typeLabel: String, category: String, channel: String, title: String, content: String
        let stateLabel: String, state: String, receivedOn: String, signBy: String, replyBy: String, deadline: String
        let contactName: String, contactPhone: String, enterprise: String
        let leadUnit: String, assistingUnits: String
        let reply: String?, satisfaction: String?, ratingComment: String?, outcome: String?
        let steps: [Step]
        let actions: [String]
        let units: [FormOption]
        /// The same units with the dispatch catalogue's default for this category selected.
        let leadUnits: [FormOption]
        let suggestedUnits: [String]
        let outcomes: [FormOption]
        let myUnit: String?
        let similar: [FormOption]
        let repeatFlag: String?
        /// Knowledge-base entries that may answer this appeal (for 直接答复 and replies).
        let knowledge: [KnowledgeSuggestion]
        /// Where the office saves this appeal's reply as a new knowledge-base entry.
        let saveToKnowledge: String?
    }

    struct KnowledgeSuggestion: Encodable { let id: String, question: String, answer: String }

    /// Up to three entries whose question or answer is closest to the appeal's title.
    func knowledgeSuggestions(for appeal: Appeal, on req: Request) async throws -> [KnowledgeSuggestion] {
        var options = SearchOptions()
        options.limit = 3
        let results = try await req.application.policySearch.knowledgeCatalog(on: req.db).search(appeal.title, options: options)
        return results.groups.map { group in
            KnowledgeSuggestion(id: KnowledgeBase.entryID(searchKey: group.document.key)?.uuidString ?? "", question: group.document.title,
                                answer: group.hits.first?.snippet.map(\.text).joined() ?? "")
        }
    }

    func show(req: Request) async throws -> View {
        let access = AppealAccess(request: req)
        let principal = try access.reader()
        let appeal = try await access.appeal(req.parameters.get("id", as: UUID.self))
        let id = try appeal.requireID()
        let category = try await appeal.$category.get(on: req.db)
        let viewer = try await access.viewer(for: appeal)
        let flags = AppealPrivacyFlags(anonymous: appeal.anonymous, type: AppealType(rawValue: appeal.type) ?? .complaint,
                                       handlingUnitIDs: access.handlingUnits(of: appeal).map(\.uuidString),
                                       reportedUnitIDs: appeal.reportedUnitIDs.map(\.uuidString))
        let contact = AppealPrivacy.view(name: appeal.contactName ?? "", phone: appeal.contactPhone ?? "", flags: flags, viewer: viewer)
        try await access.recordPersonalDataView(of: appeal, contact: contact)
        let names = try await OrgUnitDirectory.names(on: req.db)
        let steps = try await AppealEventRecord.query(on: req.db).filter(\.$appeal.$id == id).sort(\.$createdAt).all()
        let state = AppealState(rawValue: appeal.state) ?? .received
        let myUnit = try await access.ownUnit(in: appeal)
        let actions = Self.actions(for: principal, state: state, isLead: myUnit != nil && myUnit == appeal.leadUnitID,
                                   isUnit: myUnit != nil, type: AppealType(rawValue: appeal.type) ?? .complaint)
        let unitOptions = principal.role.may(.runAppeals) ? try await OrgUnitQueries(request: req).options() : []
        let calendar = try await CalendarService(db: req.db).calendar()
        let deadline = state.isOpen ? appeal.replyBy.flatMap(CivilDate.init(iso:)).map {
            AppealDeadlines.status(dueOn: $0, today: Today.civil(), warningLead: 2, calendar: calendar).label } ?? "" : ""
        return try await req.page("appeals/show", title: "\(appeal.number) \(appeal.title)", ShowView(
            id: id.uuidString, number: appeal.number, typeLabel: AppealType(rawValue: appeal.type)?.label ?? "",
            category: category?.name ?? "", channel: AppealChannel(rawValue: appeal.channel)?.label ?? appeal.channel,
            title: appeal.title, content: appeal.content, stateLabel: state.label, state: state.rawValue,
            receivedOn: appeal.receivedOn, signBy: appeal.signBy ?? "", replyBy: appeal.replyBy ?? "", deadline: deadline,
            contactName: contact.name.text, contactPhone: contact.phone.text,
            enterprise: [appeal.enterpriseName, appeal.enterpriseCode].compactMap { $0 }.joined(separator: " "),
            leadUnit: appeal.leadUnitID.flatMap { names[$0] } ?? "", assistingUnits: appeal.assistingUnitIDs.compactMap { names[$0] }.joined(separator: "、"),
            reply: appeal.replyText, satisfaction: appeal.satisfaction.flatMap(AppealSatisfaction.init(rawValue:))?.label,
            ratingComment: appeal.ratingComment, outcome: appeal.outcome.flatMap(AppealOutcome.init(rawValue:))?.label,
            steps: steps.map {
                Step(at: $0.createdAt.map(DisplayDate.minute) ?? "", actor: $0.actor, text: $0.text, isPublic: $0.isPublic)
            },
            actions: actions,
            units: unitOptions,
            leadUnits: unitOptions.selecting(category?.unitIDs.first?.uuidString),
            suggestedUnits: category?.unitIDs.compactMap { names[$0] } ?? [],
            outcomes: AppealOutcome.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == .resolved) },
            myUnit: myUnit.flatMap { names[$0] },
            similar: actions.contains("merge") ? try await similarOpen(to: appeal, on: req.db) : [],
            repeatFlag: principal.role.may(.runAppeals) ? try await repeatFlag(of: appeal, category: category, on: req.db) : nil,
            knowledge: state.isOpen ? try await knowledgeSuggestions(for: appeal, on: req) : [],
            saveToKnowledge: principal.role.may(.managePolicies) && appeal.replyText != nil ? "/knowledge/new?appeal_id=\(id.uuidString)" : nil))
    }

    /// The forms shown on the handling page (the core decides again when one is submitted).
    static func actions(for principal: Principal, state: AppealState, isLead: Bool, isUnit: Bool, type: AppealType) -> [String] {
        var result: [String] = []
        if principal.role.may(.runAppeals) {
            switch state {
            case .received, .returned:
                result.append("dispatch")
                if type == .consultation { result.append("answer_directly") }
                result.append("merge")
            case .dispatched: result.append("merge")
            case .extensionRequested: result += ["approve_extension", "reject_extension"]
            case .replied: result += ["approve_reply", "send_back_reply"]
            case .answered: result += ["record_rating"]
            case .rated: result += ["close", "reopen"]
            default: break
            }
        }
        if isUnit {
            switch state {
            case .dispatched: result += ["sign", "return"]
            case .signed:
                if isLead { result += ["draft_reply", "request_extension"] }
            default: break
            }
        }
        return result
    }

    func act(req: Request) async throws -> Response {
        let access = AppealAccess(request: req)
        let principal = try access.reader()
        let appeal = try await access.appeal(req.parameters.get("id", as: UUID.self))
        let (event, actor) = try req.content.decode(AppealActionInput.self)
            .authorizedEvent(principal: principal, unit: try await access.ownUnit(in: appeal))
        do {
            try await AppealService(db: req.db, actor: principal).perform(event, on: appeal, as: actor)
            req.flash("已\(event.label)")
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
            req.flash("未能\(event.label)：\(error.message)")
        }
        return req.redirect(to: "/appeals/\(try appeal.requireID())")
    }

    /// Open appeals that look like this one (same enterprise, similar text): candidates for 并单.
    func similarOpen(to appeal: Appeal, on db: any Database) async throws -> [FormOption] {
        let draft = AppealDraftText(title: appeal.title, content: appeal.content, enterpriseCode: appeal.enterpriseCode,
                                    excludeNumber: appeal.number)
        return try await AppealSimilarSearch.openMatches(to: draft, on: db).map {
            FormOption(value: $0.match.number, label: "\($0.match.number) \($0.appeal.title)（\($0.match.explanation)）", selected: false)
        }
    }

    /// Whether the same enterprise keeps raising the same matter (重复诉求).
    func repeatFlag(of appeal: Appeal, category: AppealCategory?, on db: any Database) async throws -> String? {
        guard let code = appeal.enterpriseCode, let received = CivilDate(iso: appeal.receivedOn) else { return nil }
        let name = category?.name ?? "其他"
        let earlier = try await Appeal.query(on: db).filter(\.$enterpriseCode == code).filter(\.$id != appeal.requireID())
            .with(\.$category).all().compactMap { other -> AppealRepeatFact? in
                CivilDate(iso: other.receivedOn).map { AppealRepeatFact(number: other.number, enterpriseCode: code,
                                                                        category: other.category?.name ?? "其他", receivedOn: $0) }
            }
        return AppealRepeat.check(AppealRepeatFact(number: appeal.number, enterpriseCode: code, category: name, receivedOn: received),
                                  earlier: earlier, categoryName: name)?.reason
    }
}
