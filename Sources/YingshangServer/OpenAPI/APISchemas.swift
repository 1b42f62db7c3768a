import YingshangCore
import Foundation

/// JSON Schemas of the API's bodies, for the OpenAPI document.
enum APISchemas {
    static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    static let string: JSONValue = .object(["type": "string"])
    static let nullableString: JSONValue = .object(["type": "string", "nullable": true])
    static let uuid: JSONValue = .object(["type": "string", "format": "uuid"])
    static let nullableUUID: JSONValue = .object(["type": "string", "format": "uuid", "nullable": true])
    static let dateTime: JSONValue = .object(["type": "string", "format": "date-time", "nullable": true])
    static let date: JSONValue = .object(["type": "string", "format": "date"])
    static let integer: JSONValue = .object(["type": "integer"])
    static let nullableInteger: JSONValue = .object(["type": "integer", "nullable": true])
    static let nullableNumber: JSONValue = .object(["type": "number", "nullable": true])
    static let boolean: JSONValue = .object(["type": "boolean"])
    static func enumeration(_ values: [String]) -> JSONValue {
        .object(["type": "string", "enum": .array(values.map { .string($0) })])
    }
    static func array(_ items: JSONValue) -> JSONValue { .object(["type": "array", "items": items]) }
    static func page(of item: String) -> JSONValue {
        object(["items": array(.ref(item)), "total": integer, "limit": integer, "offset": integer],
               required: ["items", "total", "limit", "offset"])
    }

    static let roles = enumeration(["admin", "leader", "unit_staff", "supervisor", "enterprise"])

    static let all: [String: JSONValue] = [
        "Error": object(["error": object([
            "code": string, "message": string,
            "fields": .object(["type": "object", "additionalProperties": string]),
            "rows": array(object(["row": integer, "column": nullableString, "message": string])),
        ], required: ["code", "message"])], required: ["error"]),
        "OrgUnit": object([
            "id": uuid, "code": string, "name": string, "short_name": nullableString,
            "kind": enumeration(["region", "department", "section"]), "parent_id": nullableUUID,
            "aliases": array(string), "created_at": dateTime, "updated_at": dateTime,
        ], required: ["id", "code", "name", "kind", "aliases"]),
        "OrgUnitInput": object([
            "code": string, "name": string, "short_name": string, "kind": enumeration(["region", "department", "section"]),
            "parent_id": string, "aliases": array(string),
        ]),
        "OrgUnitPage": page(of: "OrgUnit"),
        "ImportResult": object(["imported": integer], required: ["imported"]),
        "User": object([
            "id": uuid, "login": string, "display_name": string, "role": roles, "org_unit_id": nullableUUID,
            "phone": nullableString, "email": nullableString, "is_active": boolean, "must_change_password": boolean,
        ], required: ["id", "login", "display_name", "role", "is_active", "must_change_password"]),
        "UserInput": object([
            "login": string, "display_name": string, "role": roles, "org_unit_id": string, "phone": string,
            "email": string, "is_active": boolean,
        ]),
        "UserPage": page(of: "User"),
        "UserWithPassword": object(["user": .ref("User"), "one_time_password": string], required: ["user", "one_time_password"]),
        "APIToken": object([
            "id": uuid, "name": string, "prefix": string, "user_id": uuid, "created_at": dateTime,
            "last_used_at": dateTime, "revoked_at": dateTime,
        ], required: ["id", "name", "prefix", "user_id"]),
        "APITokenInput": object(["name": string], required: ["name"]),
        "APITokenPage": page(of: "APIToken"),
        "CreatedAPIToken": object(["token": .ref("APIToken"), "secret": string], required: ["token", "secret"]),
        "AuditEntry": object([
            "sequence": integer, "occurred_at": dateTime, "actor_id": nullableUUID, "actor": string, "action": string,
            "entity_type": string, "entity_id": string, "before": nullableString, "after": nullableString, "hash": string,
        ], required: ["sequence", "occurred_at", "actor", "action", "entity_type", "entity_id", "hash"]),
        "AuditEntryPage": page(of: "AuditEntry"),
        "Notification": object([
            "id": uuid, "title": string, "body": string, "link": nullableString, "created_at": dateTime, "read_at": dateTime,
        ], required: ["id", "title", "body"]),
        "NotificationPage": page(of: "Notification"),
        "WorkingDaysAnswer": object(["from": date, "days": integer, "date": date, "covered": boolean],
                                    required: ["from", "days", "date", "covered"]),
        "Plan": object(["id": uuid, "title": string, "year": .object(["type": "integer", "nullable": true]), "issuer": nullableString,
                        "state": enumeration(["draft", "published"]), "revision_of": nullableUUID, "published_at": dateTime],
                       required: ["id", "title", "state"]),
        "PlanPage": page(of: "Plan"),
        "PublishInput": object(["title": string, "year": integer, "issuer": string]),
        "ImportOutcome": object(["drafts": array(uuid), "revisions": array(uuid), "unchanged": array(string)],
                                required: ["drafts", "revisions", "unchanged"]),
        "Task": object([
            "id": uuid, "plan_id": uuid, "number": string, "path": array(string), "title": string, "text": string,
            "lead_units": array(string), "co_units": array(string),
            "deadline": .object(["type": "string", "description": "YYYY-MM-DD、ongoing（长期）或 none"]), "deadline_text": nullableString,
            "status": enumeration(["not_started", "in_progress", "completed", "overdue", "closed"]), "completed_on": nullableString,
            "archived": boolean,
        ], required: ["id", "plan_id", "number", "title", "text", "lead_units", "co_units", "deadline", "status"]),
        "TaskPage": page(of: "Task"),
        "Report": object([
            "id": uuid, "task_id": uuid, "period": string, "state": enumeration(["draft", "submitted", "returned", "accepted"]),
            "progress_status": enumeration(["on_track", "behind", "done"]), "summary": string, "percent": integer,
            "first_submitted_on": nullableString, "review_comment": nullableString, "returned_count": integer,
        ], required: ["id", "task_id", "period", "state", "progress_status", "summary", "percent"]),
        "ReportList": array(.ref("Report")),
        "ReportInput": object(["period": string, "progress_status": enumeration(["on_track", "behind", "done"]), "summary": string,
                               "percent": integer], required: ["progress_status", "summary", "percent"]),
        "ReviewInput": object(["decision": enumeration(["accept", "return"]), "comment": string], required: ["decision"]),
        "SupervisionOrder": object([
            "id": uuid, "source_type": string, "source_id": uuid, "source_title": string, "trigger": string,
            "level": enumeration(["reminder", "supervision", "listed"]), "reason": string, "rectify_by": string,
            "unit_ids": array(uuid), "state": enumeration(["open", "responded", "closed"]), "response": nullableString, "opened_on": string,
        ], required: ["id", "source_type", "source_id", "level", "reason", "rectify_by", "state"]),
        "SupervisionOrderList": array(.ref("SupervisionOrder")),
        "SupervisionOrderInput": object(["level": enumeration(["reminder", "supervision", "listed"]), "reason": string, "rectify_by": string],
                                        required: ["level", "reason", "rectify_by"]),
        "TextInput": object(["text": string], required: ["text"]),
        "AssessmentList": array(object(["unitID": string, "unitName": string, "total": .object(["type": "number"]), "rank": integer,
                                        "lines": array(object(["item": string, "detail": string, "points": .object(["type": "number"])]))])),
        "JobOutcomeList": array(object(["job": string, "outcome": string, "message": string])),
        "Document": string,
        "AppealSubmission": object([
            "type": enumeration(["consultation", "help", "complaint", "report", "suggestion"]), "category_code": string, "title": string,
            "content": string, "enterprise_code": string, "enterprise_name": string, "contact_name": string, "contact_phone": string,
            "anonymous": boolean,
        ], required: ["type", "title", "content"]),
        "Appeal": object([
            "id": uuid, "number": string, "type": string, "category_code": nullableString, "title": string, "content": string,
            "channel": string, "state": string, "received_on": string, "sign_by": nullableString, "reply_by": nullableString,
            "lead_unit_id": nullableUUID, "assisting_unit_ids": array(uuid), "reply": nullableString, "satisfaction": nullableString,
            "outcome": nullableString, "contact_name": string, "contact_phone": string,
        ], required: ["id", "number", "type", "title", "content", "state", "received_on"]),
        "AppealPage": page(of: "Appeal"),
        "AppealAction": object(["action": string, "lead": string, "units": array(string), "text": string, "days": string,
                                "satisfaction": string, "outcome": string], required: ["action"]),
        "AppealMatchList": array(object(["number": string, "id": uuid, "title": string, "score": .object(["type": "number"]),
                                         "explanation": string])),
        "PolicySummary": object(["id": uuid, "title": string, "number": string, "issuer": string, "kind": string, "level": string,
                                 "topic": string, "validity": enumeration(PolicyValidity.allCases.map(\.rawValue)),
                                 "issued_on": nullableString, "effective_on": nullableString],
                                required: ["id", "title", "number", "kind", "validity"]),
        "PolicyPage": page(of: "PolicySummary"),
        "PolicyDetail": object([
            "document": .ref("PolicySummary"), "expired_on": nullableString, "history": array(string), "preamble": string,
            "core_clauses": array(object(["key": string, "label": string, "text": string])),
            "articles": array(object(["anchor": string, "label": string, "number": integer, "outline": string, "text": string])),
            "versions": array(object(["id": uuid, "title": string, "issued_on": nullableString, "validity": string])),
            "interprets": .object(["allOf": .array([object(["id": uuid, "title": string, "issued_on": nullableString, "validity": string])]),
                                   "nullable": true]),
            "interpretations": array(object(["id": uuid, "title": string, "issued_on": nullableString, "validity": string])),
            "knowledge": array(object(["id": uuid, "question": string])),
            "attachments": array(object(["id": uuid, "file_name": string, "size": integer, "href": string])),
        ], required: ["document", "articles"]),
        "SearchResults": object([
            "query": string, "total_documents": integer, "total_is_estimate": boolean, "suggestion": nullableString,
            "groups": array(object([
                "source": enumeration(["policy", "knowledge"]), "id": string, "title": string, "number": string, "kind": string,
                "validity": string, "href": string, "score": .object(["type": "number"]),
                "hits": array(object(["article": nullableString, "anchor": nullableString, "score": .object(["type": "number"]),
                                      "snippet": array(object(["text": string, "highlighted": boolean]))])),
            ])),
        ], required: ["query", "total_documents", "total_is_estimate", "groups"]),
        "Knowledge": object([
            "id": uuid, "question": string, "answer": string, "owner_unit_id": nullableUUID, "review_on": nullableString,
            "citations": array(object(["document_id": uuid, "title": string, "article": nullableString, "anchor": nullableString,
                                       "text": nullableString, "validity": string])),
            "flags": array(string),
        ], required: ["id", "question", "answer", "citations"]),
        "KnowledgePage": page(of: "Knowledge"),
        "KnowledgeInput": object(["question": string, "answer": string, "owner_unit_id": nullableUUID, "review_on": nullableString,
                                  "citations": array(string)], required: ["question", "answer"]),
        "BenefitList": array(object([
            "code": string, "name": string, "mode": string, "unit": string, "contact": string, "basis": string,
            "valid_from": nullableString, "valid_until": nullableString, "eligible": nullableInteger, "undecided": nullableInteger,
        ], required: ["code", "name", "mode"])),
        "EligibilityRequest": object(["policy": string, "facts": object([:], required: []), "as_of": nullableString], required: ["policy"]),
        "Evaluation": object([
            "policy": string, "name": string, "as_of": string, "result": string, "standing": string,
            "explanation": array(object(["condition": string, "value": string, "result": string, "requirement": string])),
            "missing": array(string), "near_miss": array(string), "amount_wan": nullableNumber, "amount_note": nullableString,
            "not_in_force": nullableString, "parameters": array(object(["name": string, "value": string, "reference": string])),
        ], required: ["policy", "result", "explanation", "missing", "near_miss"]),
        "EvaluationList": array(.ref("Evaluation")),
        "EvaluationRanking": object([
            "period": string, "period_label": string, "ranked": integer,
            "places": array(object(["place_id": uuid, "name": string, "total": nullableNumber, "rank": nullableInteger,
                                    "change": nullableNumber], required: ["place_id", "name"])),
        ], required: ["period", "places"]),
        "EvaluationScorecard": object([
            "place_id": uuid, "name": string, "period": string, "total": nullableNumber, "rank": nullableInteger,
            "indicators": array(object(["code": string, "name": string, "unit": string, "value": nullableNumber, "score": nullableNumber,
                                        "rank": nullableInteger, "target": nullableString, "status": nullableString,
                                        "calculation": array(string)], required: ["code", "name", "calculation"])),
        ], required: ["place_id", "name", "period", "indicators"]),
        "HolidayYear": object(["year": integer, "notice": nullableString, "off": array(date), "work": array(date)],
                              required: ["year", "off", "work"]),
    ]
}
