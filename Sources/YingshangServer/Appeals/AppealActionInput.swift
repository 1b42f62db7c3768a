import Vapor
import YingshangCore

/// An action on an appeal as a form or JSON sends it, turned into the core's event and actor.
struct AppealActionInput: Content {
    var action: String
    var units: [String]?
    var lead: String?
    var text: String?
    var days: String?
    var satisfaction: String?
    var outcome: String?

    /// The event, acting as the office or as `unit` (the user's own handling unit, if any).
    func event(office: Bool, unit: String?) throws -> (AppealEvent, AppealActor) {
        let text = self.text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let me = unit ?? ""
        let unitActor = AppealActor.unit(me)
        let days = Int(self.days?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        switch action {
        case "dispatch", "reopen":
            var chosen: [String] = []
            for candidate in [lead ?? ""] + (units ?? []) where !candidate.isEmpty && !chosen.contains(candidate) { chosen.append(candidate) }
            return (action == "dispatch" ? .dispatch(units: chosen) : .reopen(units: chosen), .office)
        case "answer_directly": return (.answerDirectly(text: text), .office)
        case "sign": return (.sign(unit: me), unitActor)
        case "return": return (.returnToOffice(unit: me, reason: text), unitActor)
        case "request_extension": return (.requestExtension(days: days, reason: text), unitActor)
        case "approve_extension": return (.approveExtension(days: days), .office)
        case "reject_extension": return (.rejectExtension(reason: text), .office)
        case "draft_reply": return (.draftReply(unit: me, text: text), unitActor)
        case "approve_reply": return (.approveReply, .office)
        case "merge": return (.merge(into: text.uppercased()), .office)
        case "send_back_reply": return (.sendBackReply(reason: text), .office)
        case "record_rating":
            guard let satisfaction = satisfaction.flatMap(AppealSatisfaction.init(rawValue:)) else {
                throw APIError.validation(["satisfaction": "请选择回访结果：满意 / 基本满意 / 不满意"])
            }
            // An operator's call-back records the appellant's own rating.
            return (.rate(satisfaction: satisfaction, comment: text), .appellant)
        case "close":
            guard let outcome = outcome.flatMap(AppealOutcome.init(rawValue:)) else {
                throw APIError.validation(["outcome": "请选择办理结果：已解决 / 部分解决 / 未解决 / 已解释说明"])
            }
            return (.close(outcome: outcome), .office)
        default:
            throw APIError.validation(["action": "未知操作“\(action)”"])
        }
    }

    /// The event and actor, refused unless the signed-in user may act in that role.
    func authorizedEvent(principal: Principal, unit: UUID?) throws -> (AppealEvent, AppealActor) {
        let isOffice = principal.role.may(.runAppeals)
        let (event, actor) = try event(office: isOffice, unit: unit?.uuidString)
        switch actor {
        case .office, .appellant: guard isOffice else { throw APIError.forbidden }
        case .unit: guard unit != nil, principal.role == .unitStaff else { throw APIError.forbidden }
        case .system: throw APIError.forbidden
        }
        return (event, actor)
    }
}
