import Fluent
import Vapor
import YingshangCore

/// Demo data of the evaluation: the 14 cities of the demo region as places; the indicator systems of the years shown
/// (the 18 national areas, four of them with second-level indicators, one computed by formula, one fed by surveys);
/// targets (one adopted from the work-point document); the eight quarters before the current one (and one more for
/// comparison), all approved, with plausible trends and a few misses that opened rectification tasks (the earlier
/// ones done and fixed the quarter after); monitoring points and their survey answers. The current quarter is open
/// for the units to submit. Loaded once.
enum EvaluationDemoData {
    static let cities: [(String, String)] = [
        ("WZ", "梧州市"), ("BH", "北海市"), ("FCG", "防城港市"), ("QZ", "钦州市"), ("GG", "贵港市"), ("YL", "玉林市"),
        ("BS", "百色市"), ("HZ", "贺州市"), ("HC", "河池市"), ("LB", "来宾市"), ("CZ", "崇左市"),
    ]

    /// Second-level indicators by area code: code, name, unit, direction, best, worst, responsible unit code, target.
    struct Leaf { let code, name, unit: String; let direction: IndicatorDirection; let best, worst: Double?; let unitCode: String?
                  let area: String; let target: Double?; let base: ClosedRange<Double>; var exponent = 1.0; var formula: String? = nil
                  var dataElement = false; var source = "" }

    static let leaves: [Leaf] = [
        Leaf(code: "KB01", name: "开办企业时间", unit: "天", direction: .lowerIsBetter, best: 0.5, worst: 5, unitCode: "GX-SCJG", area: "YS01", target: 2, base: 0.8...2.2),
        Leaf(code: "KB02", name: "电子营业执照同步制发率", unit: "%", direction: .higherIsBetter, best: 100, worst: 80, unitCode: "GX-SCJG", area: "YS01", target: 97, base: 97.2...99.8),
        Leaf(code: "KB03", name: "开办企业环节", unit: "个", direction: .lowerIsBetter, best: 1, worst: 6, unitCode: "GX-SCJG", area: "YS01", target: nil, base: 2...4),
        Leaf(code: "JZ01", name: "工程建设项目审批时间", unit: "个工作日", direction: .lowerIsBetter, best: 30, worst: 120, unitCode: "GX-ZJT", area: "YS03", target: 60, base: 38...56),
        Leaf(code: "JZ02A", name: "工程建设审批网上办理件数", unit: "件", direction: .higherIsBetter, best: nil, worst: nil, unitCode: "GX-ZJT", area: "YS03", target: nil, base: 300...900, dataElement: true),
        Leaf(code: "JZ02B", name: "工程建设审批办件总数", unit: "件", direction: .higherIsBetter, best: nil, worst: nil, unitCode: "GX-ZJT", area: "YS03", target: nil, base: 400...1000, dataElement: true),
        Leaf(code: "JZ02", name: "工程建设审批网办率", unit: "%", direction: .higherIsBetter, best: 100, worst: 50, unitCode: nil, area: "YS03", target: 85, base: 0...0, formula: "#{JZ02A} / #{JZ02B} * 100"),
        Leaf(code: "NS01", name: "纳税时间", unit: "小时", direction: .lowerIsBetter, best: nil, worst: nil, unitCode: "GX-SWJ", area: "YS13", target: nil, base: 90...160),
        Leaf(code: "NS02", name: "总税收和缴费率", unit: "%", direction: .lowerIsBetter, best: 26.1, worst: 84, unitCode: "GX-SWJ", area: "YS13", target: nil, base: 55...66, exponent: 0.8),
        Leaf(code: "ZW01", name: "政务服务事项网上可办率", unit: "%", direction: .higherIsBetter, best: 100, worst: 60, unitCode: "GX-DSJ", area: "YS17", target: 90, base: 90.5...98.5),
        Leaf(code: "ZW02", name: "企业办事满意度", unit: "分", direction: .higherIsBetter, best: 100, worst: 0, unitCode: nil, area: "YS17", target: nil, base: 0...0, source: SurveyIndices.dataSource),
    ]

    /// Designed misses: (place code, indicator, quarters before the current one, value) and the fix the quarter after.
    static let misses: [(String, String, Int, Double)] = [
        ("BS", "KB02", 4, 92.0), ("BS", "KB02", 3, 97.6),
        ("HZ", "JZ01", 2, 68.0), ("HZ", "JZ01", 1, 57.0),
        ("HC", "ZW01", 1, 82.0), ("CZ", "KB02", 1, 93.1),
    ]

    static func load(on app: Application) async throws {
        let db = app.db
        guard try await IndicatorRecord.query(on: db).count() == 0 else { return }
        try await createCities(on: db)
        let units = Dictionary(try await OrgUnit.query(on: db).all().map { ($0.code, $0.id!) }, uniquingKeysWith: { a, _ in a })
        let places = try await EvaluationPlace.all(on: db)
        let current = EvaluationPeriod(.quarter, containing: Today.civil())
        let periods = current.offset(by: -9).through(current.previous)
        let years = Array(Set(periods.dropFirst().map(\.year) + [current.year])).sorted()
        try await Transactions.run(on: db) { tx in
            for year in years { try await IndicatorSystemController.insert(year: year, system(units: units), on: tx) }
        }
        try await setTargets(years: years, units: units, on: db)
        try await writeValues(places: places, periods: periods, units: units, on: db)
        try await surveys(places: places, periods: periods, on: db)
        try await EvaluationRevision.bump(on: db)
        // The rule, period by period, as the office's approvals would have run it; all but the last quarter's tasks are done.
        let settings = try await EvaluationSettings.load(on: db)
        for period in periods.dropFirst() {
            let scores = try await app.evaluationBoard.scores(year: period.year, on: db)
            try await RectificationService(db: db, actor: nil).applyRule(period: period, scores: scores, settings: settings)
        }
        for record in try await RectificationRecord.query(on: db).with(\.$task).all() where record.period != current.previous.code {
            record.task.status = TaskStatus.completed.rawValue
            record.task.completedOn = EvaluationPeriod(code: record.period)!.next.lastDay.adding(days: -20).iso
            try await record.task.save(on: db)
        }
    }

    static func createCities(on db: any Database) async throws {
        guard let root = try await OrgUnit.query(on: db).filter(\.$code == "GX").first() else { return }
        let existing = Set(try await OrgUnit.query(on: db).all().map(\.code))
        for (code, name) in cities where !existing.contains(code) {
            try await OrgUnit(draft: OrgUnitDraft(code: code, name: "\(name)人民政府", shortName: name, parentCode: "GX", kind: .region),
                              parentID: root.id).create(on: db)
        }
    }

    static func system(units: [String: UUID]) -> [IndicatorDefinition] {
        var indicators = IndicatorSystem.nationalFirstLevel(year: 0).indicators
        for leaf in leaves {
            indicators.append(IndicatorDefinition(
                code: leaf.code, name: leaf.name, unit: leaf.unit, direction: leaf.direction, best: leaf.best, worst: leaf.worst,
                exponent: leaf.exponent, parentCode: leaf.area, formula: leaf.formula, isDataElement: leaf.dataElement,
                dataSource: leaf.source.isEmpty ? (leaf.formula == nil ? "部门报送" : "公式计算") : leaf.source,
                responsibleUnitID: leaf.unitCode.flatMap { units[$0]?.uuidString },
                minimum: leaf.unit == "%" ? 0 : leaf.dataElement ? 0 : nil, maximum: leaf.unit == "%" ? 100 : nil,
                isRequired: leaf.formula == nil && leaf.source.isEmpty, outlierChange: leaf.dataElement ? nil : 0.3))
        }
        return indicators
    }

    static func setTargets(years: [Int], units: [String: UUID], on db: any Database) async throws {
        // 电子营业执照同步制发率97%以上 is a target of the work-point document: adopted from its task when the ledger demo has it.
        let task = try await PlanTask.query(on: db).filter(\.$text ~~ "电子营业执照同步制发率").first()
        for year in years {
            let system = IndicatorSystem(year: year, indicators: system(units: units))
            for leaf in leaves {
                guard let target = leaf.target, let indicator = system.indicator(leaf.code) else { continue }
                let adopted = leaf.code == "KB02" ? task : nil
                try await IndicatorSystemController.setTarget(year: year, indicator: indicator, placeID: nil, value: target,
                                                              source: adopted.map { "工作要点 \($0.number)：97%以上" } ?? "年度目标",
                                                              taskID: adopted?.id, actor: nil, on: db)
            }
        }
    }

    static func writeValues(places: [EvaluationPlace], periods: [EvaluationPeriod], units: [String: UUID], on db: any Database) async throws {
        let current = periods.last!.next
        let designed = Dictionary(misses.map { ("\($0.0)|\($0.1)|\(current.offset(by: -$0.2).code)", $0.3) }, uniquingKeysWith: { a, _ in a })
        let collected = leaves.filter { $0.formula == nil && $0.source.isEmpty }
        try await Transactions.run(on: db) { tx in
            var random = SplitMix64(seed: 2026_11)
            for place in places {
                // Each place has its own level within the range, and improves a little every quarter.
                var levels: [String: Double] = [:]
                for leaf in collected { levels[leaf.code] = Double.random(in: leaf.base, using: &random) }
                for (k, period) in periods.enumerated() {
                    var rows: [IndicatorValueRecord] = []
                    for leaf in collected {
                        let span = leaf.base.upperBound - leaf.base.lowerBound
                        let drift = Double(k) * span * 0.015 * (leaf.direction == .higherIsBetter ? 1 : -1)
                        var value = levels[leaf.code]! + drift + Double.random(in: -0.04...0.04, using: &random) * span
                        if leaf.unit == "%" { value = min(99.9, value) }
                        if let target = leaf.target {   // only the designed cells miss their target
                            value = leaf.direction == .higherIsBetter ? max(value, target + 0.3) : min(value, target - 2)
                        }
                        value = designed["\(place.code)|\(leaf.code)|\(period.code)"] ?? value
                        let record = IndicatorValueRecord()
                        record.year = period.year
                        record.indicatorCode = leaf.code
                        record.$place.id = place.id
                        record.period = period.code
                        record.value = leaf.dataElement || leaf.unit == "个" ? value.rounded() : (value * 10).rounded() / 10
                        record.reason = ""
                        record.$unit.id = units[leaf.unitCode!]!
                        rows.append(record)
                    }
                    // 网上办理件数 is a share of 办件总数 (86–97%), so the computed 网办率 is plausible.
                    if let a = rows.first(where: { $0.indicatorCode == "JZ02A" }), let total = rows.first(where: { $0.indicatorCode == "JZ02B" })?.value {
                        a.value = (total * Double.random(in: 0.86...0.97, using: &random)).rounded()
                    }
                    for row in rows { try await row.create(on: tx) }
                }
            }
            for period in periods {
                for unitCode in Set(collected.compactMap(\.unitCode)).sorted() {
                    let submission = SubmissionRecord()
                    submission.$unit.id = units[unitCode]!
                    submission.period = period.code
                    submission.status = SubmissionStatus.approved.rawValue
                    submission.comment = ""
                    let end = period.lastDay.adding(days: 12).startOfDay(in: DisplayDate.timeZone)
                    submission.submittedAt = end
                    submission.decidedAt = end.addingTimeInterval(2 * 86_400)
                    try await submission.create(on: tx)
                }
            }
        }
    }

    /// Three monitoring points per city (the demo enterprise user's firm in 南宁), a satisfaction survey each quarter
    /// answered by most of them, and this quarter four surveys already sent to the 南宁 points (the demo user has one
    /// to answer) and a fifth in draft: sending it skips them, at the cap of four.
    static func surveys(places: [EvaluationPlace], periods: [EvaluationPeriod], on db: any Database) async throws {
        let own = try await EnterpriseRecord.query(on: db).filter(\.$creditCode == EnterpriseDemoData.ownCreditCode).first()
        let others = try await EnterpriseRecord.query(on: db).sort(\.$creditCode).range(..<(places.count * 3)).all()
        try await Transactions.run(on: db) { tx in
            var random = SplitMix64(seed: 12_345)
            var points: [(UUID, UUID)] = []
            for (k, enterprise) in others.enumerated() where enterprise.id != own?.id { points.append((enterprise.id!, places[k % places.count].id)) }
            if let own, let nanning = places.first(where: { $0.code == "NN" }) { points.append((own.id!, nanning.id)) }
            for (enterprise, place) in points {
                let point = MonitoringPointRecord()
                point.$enterprise.id = enterprise
                point.$place.id = place
                try await point.create(on: tx)
            }
            let placeBias = Dictionary(uniqueKeysWithValues: places.map { ($0.id, Double.random(in: -0.6...0.6, using: &random)) })
            func survey(_ title: String, _ period: EvaluationPeriod, status: SurveyStatus) async throws -> SurveyRecord {
                let record = SurveyRecord()
                record.title = title
                record.indicatorCode = "ZW02"
                record.period = period.code
                record.questionsText = "办事效率是否满意？\n窗口和网上服务态度是否满意？\n政策兑现是否及时？\n文字：您对改进政务服务有什么建议？"
                record.status = status.rawValue
                record.sentAt = status == .draft ? nil : period.lastDay.adding(days: -20).startOfDay(in: DisplayDate.timeZone)
                try await record.create(on: tx)
                return record
            }
            for period in periods.dropFirst() {
                let record = try await survey("\(period.label)政务服务满意度调查", period, status: .closed)
                for (enterprise, place) in points where Double.random(in: 0...1, using: &random) < 0.85 {
                    let level = 3.6 + placeBias[place]! + Double(periods.firstIndex(of: period)!) * 0.05
                    let answers = (0..<3).map { _ in String(min(5, max(1, Int((level + Double.random(in: -1.2...1.2, using: &random)).rounded())))) }
                    let invitation = SurveyInvitationRecord()
                    invitation.$survey.id = record.id!
                    invitation.$enterprise.id = enterprise
                    invitation.$place.id = place
                    invitation.quarter = period.code
                    invitation.sentAt = record.sentAt!
                    invitation.answeredAt = record.sentAt!.addingTimeInterval(3 * 86_400)
                    invitation.answers = answers + ["希望进一步压缩审批时间"]
                    try await invitation.create(on: tx)
                }
            }
            let current = EvaluationPeriod(.quarter, containing: Today.civil())
            let nanning = points.filter { $0.1 == places.first { $0.code == "NN" }?.id }
            for (index, title) in ["企业开办便利度调查", "办理建筑许可体验调查", "纳税服务满意度调查", "政务服务满意度调查"].enumerated() {
                let record = try await survey("\(current.label)\(title)", current, status: .sent)
                for (enterprise, place) in nanning {
                    let invitation = SurveyInvitationRecord()
                    invitation.$survey.id = record.id!
                    invitation.$enterprise.id = enterprise
                    invitation.$place.id = place
                    invitation.quarter = current.code
                    invitation.sentAt = Date().addingTimeInterval(Double(index - 4) * 86_400)
                    let ownUnanswered = enterprise == own?.id && index == 3
                    invitation.answeredAt = ownUnanswered ? nil : invitation.sentAt.addingTimeInterval(3_600)
                    invitation.answers = ownUnanswered ? nil : ["4", "4", "5", "无"]
                    try await invitation.create(on: tx)
                }
            }
            _ = try await survey("\(current.label)惠企政策知晓度调查", current, status: .draft)
        }
    }
}
