import Vapor
import YingshangCore

/// The OpenAPI 3 description of `/api/v1`, served at `/api/v1/openapi.json`.
/// Every API route must appear in ``APIOperations/all``; a test checks this against the router.
enum OpenAPIDocument {
    static func serve(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: json))
        response.headers.contentType = .json
        return response
    }

    static let json: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data("{}".utf8)
    }()

    static var document: JSONValue {
        var paths: [String: JSONValue] = [:]
        for operation in APIOperations.all {
            var item = paths[operation.path]?.objectValue ?? [:]
            item[operation.method.lowercased()] = operation.json
            paths[operation.path] = .object(item)
        }
        return .object([
            "openapi": "3.0.3",
            "info": .object([
                "title": "营商环境工作平台 API",
                "version": .string(YingshangVersion.current),
                "description": "认证：`Authorization: Bearer <接口令牌>`。错误统一为 {\"error\":{\"code\",\"message\",\"fields\"}}；列表支持 limit/offset 分页；时间为带时区的 ISO-8601。",
            ]),
            "servers": .array([.object(["url": "/api/v1"])]),
            "security": .array([.object(["bearerAuth": .array([])])]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object(["bearerAuth": .object(["type": "http", "scheme": "bearer"])]),
                "schemas": .object(APISchemas.all),
                "responses": .object([
                    "Error": .object(["description": "错误", "content": .object([
                        "application/json": .object(["schema": .ref("Error")])])]),
                ]),
            ]),
        ])
    }
}

/// One documented operation.
struct APIOperation: Sendable {
    var method: String
    /// OpenAPI path relative to `/api/v1`, e.g. `/orgunits/{id}`.
    var path: String
    var tag: String
    var summary: String
    var query: [String] = []
    var body: String? = nil
    var bodyMediaType = "application/json"
    var response: String? = nil
    var status = 200
    var isPublic = false

    var json: JSONValue {
        var parameters: [JSONValue] = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
            .object(["name": .string(String(segment.dropFirst().dropLast())), "in": "path", "required": true,
                     "schema": .object(["type": "string"])])
        }
        for name in query {
            let type: String = ["limit", "offset", "days"].contains(name) ? "integer" : (name == "unread" ? "boolean" : "string")
            parameters.append(.object(["name": .string(name), "in": "query", "required": false,
                                       "schema": .object(["type": .string(type)])]))
        }
        var responses: [String: JSONValue] = ["default": .object(["$ref": "#/components/responses/Error"])]
        if let response {
            responses[String(status)] = .object(["description": "成功", "content": .object([
                "application/json": .object(["schema": .ref(response)])])])
        } else {
            responses[String(status)] = .object(["description": "成功"])
        }
        var operation: [String: JSONValue] = [
            "tags": .array([.string(tag)]), "summary": .string(summary),
            "operationId": .string(method.lowercased() + path.split(separator: "/").map {
                $0.replacingOccurrences(of: "{", with: "By_").replacingOccurrences(of: "}", with: "")
                    .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
            }.joined(separator: "_")),
            "responses": .object(responses),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body {
            operation["requestBody"] = .object(["required": true, "content": .object([
                .init(bodyMediaType): .object(["schema": bodyMediaType == "application/json" ? .ref(body) : .object(["type": "string"])])])])
        }
        if isPublic { operation["security"] = .array([]) }
        return .object(operation)
    }
}

enum APIOperations {
    static let page = ["limit", "offset"]

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/openapi.json", tag: "平台", summary: "本 OpenAPI 文档", isPublic: true),
        APIOperation(method: "GET", path: "/orgunits", tag: "组织机构", summary: "单位列表（按权限范围）",
                     query: page + ["q", "kind", "parent_id"], response: "OrgUnitPage"),
        APIOperation(method: "POST", path: "/orgunits", tag: "组织机构", summary: "新建单位（管理员）",
                     body: "OrgUnitInput", response: "OrgUnit", status: 201),
        APIOperation(method: "POST", path: "/orgunits/import", tag: "组织机构", summary: "从 CSV 批量导入（全部有效才导入）",
                     body: "CSV", bodyMediaType: "text/csv", response: "ImportResult"),
        APIOperation(method: "GET", path: "/orgunits/{id}", tag: "组织机构", summary: "单位详情", response: "OrgUnit"),
        APIOperation(method: "PATCH", path: "/orgunits/{id}", tag: "组织机构", summary: "修改或移动单位（管理员）",
                     body: "OrgUnitInput", response: "OrgUnit"),
        APIOperation(method: "DELETE", path: "/orgunits/{id}", tag: "组织机构", summary: "删除单位（无下级、无用户时）", status: 204),
        APIOperation(method: "GET", path: "/users", tag: "用户", summary: "用户列表（按权限范围）",
                     query: page + ["q", "role", "org_unit_id"], response: "UserPage"),
        APIOperation(method: "POST", path: "/users", tag: "用户", summary: "新建用户，返回一次性密码（管理员）",
                     body: "UserInput", response: "UserWithPassword", status: 201),
        APIOperation(method: "GET", path: "/users/{id}", tag: "用户", summary: "用户详情", response: "User"),
        APIOperation(method: "PATCH", path: "/users/{id}", tag: "用户", summary: "修改用户（管理员）", body: "UserInput", response: "User"),
        APIOperation(method: "POST", path: "/users/{id}/reset-password", tag: "用户", summary: "重置为一次性密码（管理员）",
                     response: "UserWithPassword"),
        APIOperation(method: "GET", path: "/me", tag: "用户", summary: "当前用户", response: "User"),
        APIOperation(method: "GET", path: "/tokens", tag: "接口令牌", summary: "我的接口令牌（管理员可见全部）", query: page,
                     response: "APITokenPage"),
        APIOperation(method: "POST", path: "/tokens", tag: "接口令牌", summary: "新建令牌（令牌只显示这一次）",
                     body: "APITokenInput", response: "CreatedAPIToken", status: 201),
        APIOperation(method: "DELETE", path: "/tokens/{id}", tag: "接口令牌", summary: "撤销令牌", status: 204),
        APIOperation(method: "GET", path: "/audit", tag: "操作日志", summary: "操作日志（管理员）",
                     query: page + ["actor_id", "entity_type", "entity_id", "from", "to"], response: "AuditEntryPage"),
        APIOperation(method: "GET", path: "/notifications", tag: "站内信", summary: "我的站内信", query: page + ["unread"],
                     response: "NotificationPage"),
        APIOperation(method: "POST", path: "/notifications/{id}/read", tag: "站内信", summary: "标记为已读", status: 204),
        APIOperation(method: "GET", path: "/calendar/add-working-days", tag: "工作日历", summary: "某日之后第 N 个工作日",
                     query: ["from", "days"], response: "WorkingDaysAnswer"),
        APIOperation(method: "GET", path: "/calendar/years/{year}", tag: "工作日历", summary: "某年的节假日与调休上班日",
                     response: "HolidayYear"),
        APIOperation(method: "GET", path: "/plans", tag: "工作台账", summary: "工作计划列表", query: page, response: "PlanPage"),
        APIOperation(method: "POST", path: "/plans/import", tag: "工作台账", summary: "导入工作要点文件（正文为 .txt 或 .docx），生成待审核计划或修订稿（营商办）",
                     query: ["name"], body: "Document", bodyMediaType: "text/plain", response: "ImportOutcome", status: 201),
        APIOperation(method: "GET", path: "/plans/{id}", tag: "工作台账", summary: "工作计划", response: "Plan"),
        APIOperation(method: "POST", path: "/plans/{id}/publish", tag: "工作台账", summary: "发布计划，或应用修订稿（营商办）",
                     body: "PublishInput", response: "Plan"),
        APIOperation(method: "GET", path: "/plans/{id}/assessment", tag: "工作台账", summary: "绩效考评：各单位得分、排名和逐项计算",
                     query: ["kind", "year", "number"], response: "AssessmentList"),
        APIOperation(method: "GET", path: "/tasks", tag: "工作台账", summary: "任务列表（按权限范围）",
                     query: page + ["plan_id", "unit_id", "status", "overdue", "deadline_from", "deadline_to", "q"], response: "TaskPage"),
        APIOperation(method: "GET", path: "/tasks/{id}", tag: "工作台账", summary: "任务", response: "Task"),
        APIOperation(method: "GET", path: "/tasks/{id}/reports", tag: "工作台账", summary: "任务的各期进展报告", response: "ReportList"),
        APIOperation(method: "POST", path: "/tasks/{id}/reports", tag: "工作台账", summary: "报送或修改后重新报送进展（牵头单位）",
                     body: "ReportInput", response: "Report", status: 201),
        APIOperation(method: "POST", path: "/tasks/{id}/supervision-orders", tag: "工作台账", summary: "开具督办单（营商办）",
                     body: "SupervisionOrderInput", response: "SupervisionOrder", status: 201),
        APIOperation(method: "POST", path: "/reports/{id}/review", tag: "工作台账", summary: "审核报告：通过或退回（营商办）",
                     body: "ReviewInput", response: "Report"),
        APIOperation(method: "GET", path: "/supervision-orders", tag: "工作台账", summary: "督办单（领导、特邀监督员可见全部）",
                     query: ["state"], response: "SupervisionOrderList"),
        APIOperation(method: "POST", path: "/supervision-orders/{id}/respond", tag: "工作台账", summary: "答复整改情况（被督办单位）",
                     body: "TextInput", response: "SupervisionOrder"),
        APIOperation(method: "POST", path: "/supervision-orders/{id}/close", tag: "工作台账", summary: "办结督办单（营商办）",
                     body: "TextInput", response: "SupervisionOrder"),
        APIOperation(method: "POST", path: "/jobs/run", tag: "运维", summary: "立即运行一次全部定时任务（营商办）", response: "JobOutcomeList"),
        APIOperation(method: "POST", path: "/appeals", tag: "诉求办理", summary: "登记诉求（接口渠道）；请求头 Idempotency-Key 使重试不重复受理",
                     body: "AppealSubmission", response: "Appeal", status: 201),
        APIOperation(method: "GET", path: "/appeals", tag: "诉求办理", summary: "诉求列表（按权限范围；联系方式按角色脱敏）",
                     query: page + ["state", "type"], response: "AppealPage"),
        APIOperation(method: "GET", path: "/appeals/similar", tag: "诉求办理", summary: "与正在登记的诉求相似的在办诉求（并单参考）",
                     query: ["title", "content", "enterprise_code"], response: "AppealMatchList"),
        APIOperation(method: "GET", path: "/appeals/{id}", tag: "诉求办理", summary: "诉求", response: "Appeal"),
        APIOperation(method: "POST", path: "/appeals/{id}/actions", tag: "诉求办理",
                     summary: "办理操作：dispatch / answer_directly / sign / return / request_extension / approve_extension / reject_extension / draft_reply / approve_reply / send_back_reply / record_rating / reopen / close",
                     body: "AppealAction", response: "Appeal"),
        APIOperation(method: "GET", path: "/policies", tag: "政策文件库", summary: "文件列表（按发布日期倒序）",
                     query: page + ["kind", "level", "topic", "title"], response: "PolicyPage", isPublic: true),
        APIOperation(method: "GET", path: "/policies/{id}", tag: "政策文件库", summary: "文件全文：条款（带锚点）、核心条款、版本、解读、相关问答",
                     response: "PolicyDetail", isPublic: true),
        APIOperation(method: "GET", path: "/search", tag: "政策文件库",
                     summary: "检索文件、条款和问答：q 支持空格分隔多词、\"整句\"、-排除、文号、“文件名 第X条”；按文件分组，附高亮摘要",
                     query: page + ["q", "kind", "level", "issuer", "validity", "from", "to", "sort", "source"], response: "SearchResults",
                     isPublic: true),
        APIOperation(method: "GET", path: "/knowledge", tag: "政策文件库", summary: "知识库条目（登录后附待复核原因）", query: page,
                     response: "KnowledgePage", isPublic: true),
        APIOperation(method: "GET", path: "/knowledge/{id}", tag: "政策文件库", summary: "知识库条目及所引条款原文", response: "Knowledge",
                     isPublic: true),
        APIOperation(method: "POST", path: "/knowledge", tag: "政策文件库", summary: "新增知识库条目（引用：每项为“文件标题或文号 [第X条]”）",
                     body: "KnowledgeInput", response: "Knowledge", status: 201),
        APIOperation(method: "GET", path: "/benefits", tag: "惠企政策", summary: "已发布的惠企政策（工作人员可见今天符合和待补充信息的企业数）",
                     response: "BenefitList"),
        APIOperation(method: "POST", path: "/eligibility/evaluate", tag: "惠企政策",
                     summary: "按请求中的企业事实判断一项政策：符合 / 不符合 / 待补充信息，逐条理由、缺少的信息、差一点、金额",
                     body: "EligibilityRequest", response: "Evaluation"),
        APIOperation(method: "GET", path: "/enterprises/{id}/eligibility", tag: "惠企政策",
                     summary: "企业档案对全部已发布政策的判断（as_of 指定日期）；企业用户只能查看本企业", query: ["as_of"],
                     response: "EvaluationList"),
        APIOperation(method: "GET", path: "/evaluation/ranking", tag: "营商环境评价",
                     summary: "一个监测期间各地区的综合得分、名次和较上期变化（按已审核数据实时计算；period 如 2026Q3，缺省为最近一期）",
                     query: ["period"], response: "EvaluationRanking"),
        APIOperation(method: "GET", path: "/evaluation/places/{id}", tag: "营商环境评价",
                     summary: "一个地区的评分卡：各指标的数值、得分、名次、目标和状态，以及每个分数的计算过程", query: ["period"],
                     response: "EvaluationScorecard"),
    ]
}
