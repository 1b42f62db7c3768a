import Fluent
import SQLKit
import Vapor
import YingshangCore

/// Demo data of the appeals line: the catalogue pointed at the demo units and a year of appeals across
/// types, categories, channels and outcomes, each carried through the core's lifecycle rules so that
/// its state, timeline and deadlines are ones the real line could have produced. Loaded once.
enum AppealDemoData {
    static let count = 360

    static let topics: [(category: String, title: String, content: String)] = [
        ("开办企业", "企业开办网上申报被退回", "网上办理企业设立登记，材料多次被退回，没有一次性告知需要修改的内容。"),
        ("开办企业", "咨询个体工商户转企业流程", "个体工商户想转为有限公司，需要准备哪些材料，原有许可能否保留？"),
        ("办理建筑许可", "施工许可审批时间过长", "厂房项目施工许可申请已提交二十个工作日，至今没有结果。"),
        ("纳税", "出口退税办理进度咨询", "上月申报的出口退税尚未到账，想了解目前办理进度。"),
        ("纳税", "增值税留抵退税材料要求", "申请增值税留抵退税需要提供哪些材料，能否全程网上办理？"),
        ("获得电力", "工业园区临时用电报装慢", "新厂房临时用电报装已一个月，供电公司迟迟没有安排勘查。"),
        ("获得用水用气", "燃气开户收费不透明", "燃气公司开户时收取多项费用，没有出示收费依据。"),
        ("登记财产", "不动产登记需要重复提交材料", "办理不动产转移登记时，已在税务窗口提交的材料又被要求提交一次。"),
        ("获得信贷", "小微企业贷款担保门槛高", "申请小微企业贷款时被要求提供房产抵押，希望了解政策性担保渠道。"),
        ("政府采购", "政府采购项目付款拖延", "去年中标的政府采购项目已验收合格，采购单位至今未付尾款。"),
        ("招标投标", "招标文件设置不合理资格条件", "某项目招标文件要求投标人具有本地业绩，涉嫌排斥外地企业。"),
        ("市场监管", "同一事项多部门重复检查", "一个月内被三个部门就同一事项检查，影响正常经营。"),
        ("政务服务", "政务服务大厅窗口办事排队长", "大厅企业办事窗口只开两个，每次排队超过两小时。"),
        ("劳动力市场监管", "稳岗补贴申领咨询", "企业今年没有裁员，是否可以申领稳岗返还，怎么申请？"),
        ("知识产权创造、保护和运用", "商标被恶意抢注投诉", "我公司使用多年的品牌被他人抢注，希望获得维权指导。"),
        ("执行合同", "合同纠纷案件执行难", "胜诉判决已生效半年，对方仍未履行，申请执行进展缓慢。"),
        ("包容普惠创新", "高新技术企业认定政策咨询", "想了解高新技术企业认定的研发费用比例要求和申报时间。"),
        ("其他", "建议延长政务服务中心周末开放时间", "很多企业工作日没有时间，建议周六上午开放企业服务窗口。"),
    ]

    static let categoryUnits: [String: String] = [
        "开办企业": "GX-SCJG", "市场监管": "GX-SCJG", "知识产权创造、保护和运用": "GX-SCJG", "办理建筑许可": "GX-ZJT",
        "获得用水用气": "GX-ZJT", "纳税": "GX-SWJ", "政府采购": "GX-CZT", "政务服务": "GX-DSJ", "劳动力市场监管": "GX-RST",
        "获得电力": "GX-FGW", "招标投标": "GX-FGW", "包容普惠创新": "GX-FGW",
    ]

    static func load(on app: Application) async throws {
        guard try await Appeal.query(on: app.db).count() == 0 else { return }
        let calendar = try await CalendarService(db: app.db).calendar()
        let limits = try await AppealSettings.load(on: app.db).limits
        // One transaction: hundreds of appeals and their timelines in one commit.
        try await app.db.transaction { db in
            try await generate(on: db, calendar: calendar, limits: limits)
            try await AppealNumbering.catchUp(on: db)
            if let sql = db as? any SQLDatabase {
                try await sql.raw("INSERT INTO appeal_stats_dirty (day) SELECT DISTINCT received_on FROM appeals WHERE true ON CONFLICT (day) DO NOTHING").run()
            }
        }
    }

    static func generate(on db: any Database, calendar: WorkingCalendar, limits: AppealTimeLimits) async throws {
        var unitByCode: [String: UUID] = [:]
        for unit in try await OrgUnit.query(on: db).all() { unitByCode[unit.code] = unit.id }
        let categories = try await AppealCategory.query(on: db).all()
        for category in categories {
            if let code = categoryUnits[category.name], let unit = unitByCode[code] {
                category.unitIDs = [unit]
                try await category.save(on: db)
            }
        }
        let fallback = unitByCode["GX-YSJ"]
        let categoryByName = Dictionary(categories.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let today = Today.civil()
        var random = SeededGenerator(seed: 20_260_101)
        let types: [AppealType] = [.consultation, .consultation, .consultation, .help, .help, .complaint, .complaint, .complaint, .report, .suggestion]
        let channels: [AppealChannel] = [.phone, .phone, .phone, .web, .web, .wechat, .api]
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
        var sequenceByYear: [Int: Int] = [:]
        for _ in 0..<count {
            let topic = topics[Int(random.next() % UInt64(topics.count))]
            let type = topic.title.contains("咨询") ? AppealType.consultation : types[Int(random.next() % UInt64(types.count))]
            // More appeals in recent months, so the hot-topic view has something to say.
            let age = Int(Double(random.next() % 1000) / 1000 * Double(random.next() % 1000) / 1000 * 360)
            let received = calendar.addingWorkingDays(0, to: today.adding(days: -age))
            let year = received.year
            sequenceByYear[year, default: 0] += 1
            let number = AppealNumber.format(year: year, sequence: sequenceByYear[year]!)
            let category = categoryByName[topic.category]
            guard let lead = (category?.unitIDs.first ?? fallback)?.uuidString else { continue }
            var lifecycle = AppealCase(number: number, type: type)
            var steps: [(Int, String, String, Bool)] = [(0, "receive", "已受理，编号 \(number)", true)]
            var dispatchedOn: CivilDate?, signedOn: CivilDate?
            func step(_ event: AppealEvent, _ actor: AppealActor, after days: Int, kind: String, text: String, isPublic: Bool = true) -> Bool {
                guard case .success(let next) = AppealLifecycle.apply(event, to: lifecycle, actor: actor, limits: limits) else { return false }
                let day = steps.last.map { $0.0 } ?? 0
                guard age - (day + days) >= 0 else { return false }
                lifecycle = next
                steps.append((day + days, kind, text, isPublic))
                return true
            }
            let replyLimit = limits.replyLimit(for: type)
            let speed = Int(random.next() % UInt64(max(1, replyLimit)))
            if type == .consultation && random.next() % 2 == 0 {
                _ = step(.answerDirectly(text: "已电话答复：\(topic.title)相关政策和办理流程，并告知咨询渠道。"), .office, after: 0,
                         kind: "answer", text: "专线直接答复")
            } else if step(.dispatch(units: [lead]), .office, after: 0, kind: "dispatch", text: "已派单至承办单位办理") {
                dispatchedOn = received
                if step(.sign(unit: lead), .unit(lead), after: 1, kind: "sign", text: "承办单位已签收，正在办理") {
                    signedOn = received.adding(days: 1)
                    if step(.draftReply(unit: lead, text: "经核查：\(topic.title)。已与企业沟通，说明政策并协调解决。"), .unit(lead),
                            after: speed, kind: "draft_reply", text: "承办单位提交答复（待审核）", isPublic: false) {
                        _ = step(.approveReply, .office, after: 1, kind: "answer", text: "答复：已与企业沟通，说明政策并协调解决。")
                    }
                }
            }
            if lifecycle.state == .answered {
                let roll = random.next() % 10
                let satisfaction: AppealSatisfaction = roll < 6 ? .satisfied : (roll < 9 ? .basicallySatisfied : .dissatisfied)
                if step(.rate(satisfaction: satisfaction, comment: satisfaction == .dissatisfied ? "问题没有实质解决" : ""), .appellant,
                        after: 2, kind: "rate", text: "回访评价：\(satisfaction.label)") {
                    let outcome: AppealOutcome = satisfaction == .dissatisfied ? .partiallyResolved : (type == .consultation ? .explained : .resolved)
                    _ = step(.close(outcome: outcome), .office, after: 1, kind: "close", text: "已办结：\(outcome.label)")
                }
            }
            let appeal = Appeal()
            appeal.number = number
            appeal.year = year
            appeal.sequence = sequenceByYear[year]!
            appeal.type = type.rawValue
            appeal.$category.id = category?.id
            appeal.title = topic.title
            appeal.content = topic.content
            appeal.channel = channels[Int(random.next() % UInt64(channels.count))].rawValue
            appeal.state = lifecycle.state.rawValue
            appeal.anonymous = random.next() % 12 == 0
            appeal.contactName = appeal.anonymous ? nil : "\(surnames[Int(random.next() % UInt64(surnames.count))])先生"
            appeal.contactPhone = String(format: "1387%07d", Int(random.next() % 10_000_000))
            appeal.reportedUnitIDs = []
            appeal.receivedOn = received.iso
            appeal.dispatchedOn = dispatchedOn?.iso
            appeal.signBy = dispatchedOn.map { AppealDeadlines.signBy(dispatchedOn: $0, limits: limits, calendar: calendar).iso }
            appeal.signedOn = signedOn?.iso
            appeal.replyBy = AppealDeadlines.replyBy(type: type, receivedOn: received, limits: limits, calendar: calendar).iso
            appeal.extensionDays = 0
            appeal.leadUnitID = lifecycle.leadUnitID.flatMap(UUID.init(uuidString:))
            appeal.assistingUnitIDs = []
            appeal.replyText = lifecycle.sentReply ?? lifecycle.draftReply
            appeal.satisfaction = lifecycle.satisfaction?.rawValue
            appeal.ratingComment = lifecycle.ratingComment
            appeal.outcome = lifecycle.outcome?.rawValue
            appeal.queryCode = String(format: "%06d", Int(random.next() % 1_000_000))
            appeal.caseJSON = try AuditLog.snapshot(lifecycle)
            let base = received.startOfDay(in: DisplayDate.timeZone).addingTimeInterval(9.5 * 3600)
            appeal.answeredAt = steps.first { $0.1 == "answer" }.map { base.addingTimeInterval(Double($0.0) * 86_400) }
            appeal.closedAt = lifecycle.state == .closed ? steps.last.map { base.addingTimeInterval(Double($0.0) * 86_400) } : nil
            try await appeal.create(on: db)
            try await Appeal.query(on: db).filter(\.$id == appeal.requireID()).set(\.$createdAt, to: base).update()
            try await AppealUnit.sync(appeal, on: db)
            for (offset, (day, kind, text, isPublic)) in steps.enumerated() {
                let event = AppealEventRecord()
                event.$appeal.id = try appeal.requireID()
                event.kind = kind
                event.actor = kind == "rate" ? "诉求人" : (kind == "sign" || kind == "draft_reply" ? "承办单位" : "专线工作人员")
                event.text = text
                event.isPublic = isPublic
                try await event.create(on: db)
                try await AppealEventRecord.query(on: db).filter(\.$id == event.requireID())
                    .set(\.$createdAt, to: base.addingTimeInterval(Double(day) * 86_400 + Double(offset) * 600)).update()
            }
        }
    }
}

/// A small deterministic generator (SplitMix64), so the demo is the same at every load.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
