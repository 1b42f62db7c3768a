import BenchSupport
import Foundation

/// Writes `count` realistic appeals straight into the database, spread evenly over the days from 2021-01-01 to
/// `lastDay`: every type, channel, category and unit; the last 30 days partly still open, everything older closed
/// and rated. Numbers follow `YS<year>-<n>` with a running n, so every appeal's number is known to the benchmark.
struct Generator {
    let database: any ScaleDatabase
    let count: Int
    let firstDay = "2021-01-01"
    let lastDay: String
    let days: Int
    let categoryIDs: [String]
    let unitIDs: [String]
    let caseJSON: String

    static let topics: [(String, String)] = [
        ("施工许可审批时间过长", "厂房扩建项目的施工许可申请已提交二十个工作日仍未办结，请协调住建部门加快审批。"),
        ("出口退税迟迟未到账", "我公司上月申报的出口退税至今未到账，资金周转困难，请税务部门尽快办理。"),
        ("企业开办手续咨询", "新设立一家贸易公司，想了解营业执照、公章刻制和银行开户能否一次办结。"),
        ("用水报装周期长", "新建车间申请用水报装，供水企业答复需要两个月，超出公开承诺时限。"),
        ("用电报装收费不明", "申请高压用电接入，供电公司要求缴纳的费用没有明确依据，请核实。"),
        ("不动产登记材料反复补交", "办理厂房不动产登记时，窗口多次要求补交材料，每次要求都不一样。"),
        ("招标文件设置不合理条件", "某项目招标文件要求投标人在本地设立分公司，涉嫌排斥外地企业。"),
        ("政府采购款项拖欠", "我公司中标的政府采购项目已验收半年，采购单位仍未支付合同款项。"),
        ("稳岗补贴申领咨询", "今年没有裁员，想咨询稳岗返还补贴的申领条件和办理渠道。"),
        ("涉企检查过于频繁", "本月内三个部门先后到企业检查同一事项，影响正常生产经营。"),
        ("获得信贷融资难", "小微企业申请贷款被要求提供房产抵押，希望了解政府性融资担保政策。"),
        ("跨境贸易通关时间长", "进口原材料通关查验时间较长，影响生产计划，请海关协调提高效率。"),
        ("知识产权被侵权", "我公司注册商标被他人在网店冒用，请市场监管部门依法查处。"),
        ("惠企政策兑现慢", "去年申报的技术改造奖补资金至今未拨付，请相关部门说明进度。"),
        ("市场准入隐性壁垒", "申请设立分支机构时被要求提供法律法规未规定的证明材料。"),
        ("劳动用工纠纷调解", "与离职员工就经济补偿产生争议，希望人社部门指导调解。"),
        ("纳税缴费流程咨询", "想了解电子税务局办理增值税留抵退税的具体流程和所需材料。"),
        ("园区道路施工噪音扰民", "园区道路夜间施工噪音严重，影响员工休息，希望规范施工时间。"),
        ("建议推行容缺受理", "建议对次要材料实行容缺受理，企业承诺后先行办理，事后补齐。"),
        ("举报窗口工作人员索要好处", "办理审批时窗口工作人员暗示需要“打点”，请纪检部门调查。"),
    ]

    func run(progress: (Int) -> Void) async throws {
        let chunk = 250_000
        var first = 1
        while first <= count {
            let last = min(count, first + chunk - 1)
            try await database.execute("BEGIN")
            try await database.execute(insert(from: first, to: last))
            try await database.execute("COMMIT")
            progress(last)
            first = last + 1
        }
    }

    private func pick(_ values: [String], by expression: String) -> String {
        "CASE (\(expression)) % \(values.count) " + values.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ") + " END"
    }

    private func insert(from first: Int, to last: Int) -> String {
        let sqlite = database.dialect == .sqlite
        let series = sqlite
            ? "WITH RECURSIVE seq(n) AS (SELECT \(first) UNION ALL SELECT n + 1 FROM seq WHERE n < \(last)), g AS (SELECT n, (n - 1) * \(days) / \(count) AS di FROM seq)"
            : "WITH g AS (SELECT n, ((n - 1)::bigint * \(days) / \(count))::int AS di FROM generate_series(\(first), \(last)) AS n)"
        let day = sqlite ? "date('\(firstDay)', '+' || di || ' days')" : "to_char(DATE '\(firstDay)' + di, 'YYYY-MM-DD')"
        func plusDays(_ k: Int) -> String {
            sqlite ? "date('\(firstDay)', '+' || (di + \(k)) || ' days')" : "to_char(DATE '\(firstDay)' + di + \(k), 'YYYY-MM-DD')"
        }
        let uuid = sqlite
            ? "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
            : "gen_random_uuid()"
        let uuidValue = { (text: String) in sqlite ? text : "(\(text))::uuid" }
        let emptyArray = sqlite ? "'[]'" : "'{}'::uuid[]"
        let printf8 = sqlite ? "printf('%08d', n)" : "lpad(n::text, 8, '0')"
        let year = sqlite ? "CAST(substr(\(day), 1, 4) AS INTEGER)" : "substr(\(day), 1, 4)::int"
        let text = { (expression: String) in sqlite ? "CAST(\(expression) AS TEXT)" : "(\(expression))::text" }
        let created = sqlite
            ? "(julianday(\(day)) - 2440587.5) * 86400 + 32400 + (n % 28800)"
            : "to_timestamp(extract(epoch FROM DATE '\(firstDay)' + di) + 32400 + (n % 28800))"
        let recent = "di >= \(days - 30)"
        let state = "CASE WHEN \(recent) THEN \(pick(["received", "dispatched", "signed", "answered", "closed", "closed"], by: "n")) ELSE 'closed' END"
        let isReceived = "(\(recent) AND n % 6 = 0)"
        let isClosed = "(NOT \(recent) OR n % 6 >= 4)"
        let topic = "(n * 7) % \(Self.topics.count)"
        let titles = pick(Self.topics.map(\.0), by: topic)
        let contents = pick(Self.topics.map(\.1), by: topic)
        return """
        \(series)
        INSERT INTO appeals (id, number, year, sequence, type, category_id, title, content, channel, state, enterprise_code,
            enterprise_name, contact_name, contact_phone, anonymous, reported_unit_ids, received_on, dispatched_on, sign_by,
            reply_by, extension_days, lead_unit_id, assisting_unit_ids, signed_on, reply_text, satisfaction, outcome,
            query_code, case_json, created_at, updated_at)
        SELECT \(uuid), 'YS' || \(text(year)) || '-' || \(printf8), \(year), n,
            \(pick(["consultation", "consultation", "help", "complaint", "complaint", "complaint", "report", "suggestion", "suggestion", "help"], by: "n * 3")),
            \(uuidValue(pick(categoryIDs, by: "n * 13"))), \(titles), \(contents),
            \(pick(["phone", "phone", "phone", "web", "web", "wechat", "api", "open311"], by: "n * 11")), \(state),
            CASE WHEN n % 3 = 0 THEN '91130100MA0' || \(text("n % 10000000")) ELSE NULL END,
            CASE WHEN n % 3 = 0 THEN '河北某某有限公司' || \(text("n % 5000")) ELSE NULL END,
            '王先生', '138' || \(printf8), n % 12 = 0, \(emptyArray), \(day),
            CASE WHEN \(isReceived) THEN NULL ELSE \(day) END,
            CASE WHEN \(isReceived) THEN NULL ELSE \(plusDays(1)) END,
            \(plusDays(21)), 0,
            CASE WHEN \(isReceived) THEN NULL ELSE \(uuidValue(pick(unitIDs, by: "n * 17"))) END, \(emptyArray),
            CASE WHEN \(isReceived) OR (\(recent) AND n % 6 = 1) THEN NULL WHEN n % 20 = 0 THEN \(plusDays(3)) ELSE \(day) END,
            CASE WHEN \(isClosed) OR (\(recent) AND n % 6 = 3) THEN '经核实，已协调相关部门依法办理，并向企业反馈。' ELSE NULL END,
            CASE WHEN \(isClosed) THEN \(pick(["dissatisfied", "basically_satisfied", "basically_satisfied", "satisfied", "satisfied", "satisfied", "satisfied", "satisfied", "satisfied", "satisfied"], by: "n")) ELSE NULL END,
            CASE WHEN \(isClosed) THEN \(pick(["explained", "partially_resolved", "resolved", "resolved", "resolved", "resolved", "resolved", "resolved"], by: "n")) ELSE NULL END,
            \(sqlite ? "printf('%06d', n % 1000000)" : "lpad((n % 1000000)::text, 6, '0')"), '\(caseJSON.replacingOccurrences(of: "'", with: "''"))',
            \(created), \(created)
        FROM g
        """
    }
}
