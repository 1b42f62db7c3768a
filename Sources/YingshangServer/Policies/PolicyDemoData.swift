import Fluent
import Vapor
import YingshangCore

/// Demo data of the policy library: the business-environment subset of the corpus shipped in
/// `Resources/Demo/policies` (640 documents), core clauses for the national regulation, and a few knowledge-base
/// entries citing its articles. Loaded once; a second start changes nothing.
enum PolicyDemoData {
    static func load(on app: Application) async throws {
        let db = app.db
        guard try await PolicyRecord.query(on: db).count() == 0 else { return }
        let root = URL(fileURLWithPath: app.directory.resourcesDirectory).appendingPathComponent("Demo/policies")
        guard FileManager.default.fileExists(atPath: root.path) else {
            app.logger.warning("demo: \(root.path) is missing; the policy library demo is skipped")
            return
        }
        let report = try await PolicyImport.run(root, actor: nil, on: db)
        app.logger.notice("demo: \(report.created) policy documents imported")
        guard let regulation = try await PolicyRecord.query(on: db).filter(\.$title == "优化营商环境条例").first() else { return }
        var clauses = CoreClauses()
        clauses.beneficiaries = "各类市场主体（企业、个体工商户等）"
        clauses.conditions = "在中华人民共和国境内从事经营活动"
        clauses.benefits = "平等保护、简化审批、政务服务“一网通办”、涉企收费清单管理、拖欠账款清理"
        clauses.handlingUnit = "优化营商环境办公室"
        clauses.contact = "营商环境专线 12345"
        regulation.coreClauses = String(decoding: try JSONEncoder().encode(clauses), as: UTF8.self)
        try await regulation.save(on: db)
        let office = try await OrgUnit.query(on: db).filter(\.$code == "GX-YSJ").first()
        let entries: [(String, String, String)] = [
            ("企业办理政务服务事项能否一次办结？",
             "可以。政府及其有关部门应当推行当场办结、一次办结、限时办结等制度，实现集中办理、就近办理、网上办理、异地可办。",
             "优化营商环境条例 第三十六条"),
            ("涉企收费有哪些规定？",
             "国家实行涉企收费目录清单管理，清单之外的涉企收费一律不得执行。",
             "优化营商环境条例 第二十五条"),
            ("营商环境评价会不会增加企业负担？",
             "不会。开展营商环境评价不得影响市场主体正常生产经营活动或者增加市场主体负担。",
             "优化营商环境条例 第八条"),
        ]
        for (question, answer, citation) in entries {
            let input = KnowledgeBase.Input(question: question, answer: answer, ownerUnitID: office?.id?.uuidString,
                                            reviewOn: Today.civil().adding(days: 180).iso, citations: citation, appealID: nil)
            if case .success(let valid) = try await KnowledgeBase.validate(input, on: db) {
                try await KnowledgeBase.save(KnowledgeEntry(), valid, actor: nil, on: db)
            }
        }
    }
}
