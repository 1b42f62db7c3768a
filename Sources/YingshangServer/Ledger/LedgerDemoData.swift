import Fluent
import Vapor
import YingshangCore

/// Demo data of the ledger: the four documents of the founding text, moved to the current year,
/// imported as four published plans, with monthly reports since January (some late, some returned,
/// some tasks done), the units the documents name, and the scheduled jobs run once (overdue tasks,
/// supervision orders), plus a published bulletin. Loaded once; a second start changes nothing.
enum LedgerDemoData {
    static func load(on app: Application) async throws {
        let db = app.db
        guard try await WorkPlan.query(on: db).count() == 0 else { return }
        let url = URL(fileURLWithPath: app.directory.resourcesDirectory).appendingPathComponent("Demo/workpoints-2023.txt")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            app.logger.warning("demo: \(url.path) is missing; the ledger demo is skipped")
            return
        }
        let today = Today.civil()
        let year = today.year
        let text = try WorkPointText.decode(data).replacingOccurrences(of: "2023", with: String(year))
        try await createMissingUnits(in: text, on: db)

        let outcome = try await PlanImport(db: db, actor: nil).run(text: text, sourceName: "\(year)年营商环境工作要点汇编（演示）")
        let publishedOn = CivilDate(year: year, month: 1, day: 20)!
        let publishedAt = publishedOn.startOfDay(in: DisplayDate.timeZone).addingTimeInterval(9 * 3600)
        for planID in outcome.drafts {
            guard let plan = try await WorkPlan.find(planID, on: db) else { continue }
            plan.state = PlanState.published.rawValue
            plan.publishedAt = publishedAt
            plan.issuer = plan.title.contains("政务公开") ? "XX市营商环境建设局" : "\(plan.title.prefix(4))人民政府办公厅"
            try await plan.save(on: db)
            try await PlanTask.query(on: db).filter(\.$plan.$id == planID).set(\.$createdAt, to: publishedAt).update()
        }
        try await writeReports(year: year, today: today, on: app)
        _ = await Jobs.runAll(on: app, today: today)
        try await publishBulletin(today: today, on: app)
    }

    /// Every unit the documents name becomes an org unit of the demo region (a real office confirms these by hand).
    static func createMissingUnits(in text: String, on db: any Database) async throws {
        let result = WorkPointParser().parse(text)
        let resolver = try await UnitDirectory.resolver(on: db)
        var names: [String] = []
        for document in result.documents {
            for item in document.items {
                for name in item.leadUnits + item.coUnits where resolver.resolve(name).matchedID == nil && !names.contains(name) {
                    names.append(name)
                }
            }
        }
        var parents: [String: OrgUnit] = [:]
        for code in ["GX", "NN"] { parents[code] = try await OrgUnit.query(on: db).filter(\.$code == code).first() }
        for (index, name) in names.enumerated() {
            let parent = name.hasPrefix("市") || name.hasPrefix("XX市") ? parents["NN"] : parents["GX"]
            let unit = OrgUnit(draft: OrgUnitDraft(code: String(format: "DEMO-%03d", index + 1), name: name, shortName: nil,
                                                   parentCode: parent?.code, kind: .department, aliases: []),
                               parentID: parent?.id)
            try await unit.create(on: db)
        }
    }

    /// Reports from January to last month, deterministic per task: most on time and accepted, a few late,
    /// a few returned, a quarter of the dated tasks finished by their deadline.
    static func writeReports(year: Int, today: CivilDate, on app: Application) async throws {
        let db = app.db
        let settings = try await LedgerSettings.load(on: db)
        let calendar = try await CalendarService(db: db).calendar()
        let lastMonth = ReportPeriod(containing: today).previous
        let tasks = try await PlanTask.query(on: db).sort(\.$position).all()
        let leadUnits = try await TaskUnit.query(on: db).filter(\.$role == TaskUnitRole.lead.rawValue).all()
        let staff = try await User.query(on: db).filter(\.$role == Role.unitStaff.rawValue).all()
        let office = try await User.query(on: db).filter(\.$role == Role.admin.rawValue).first()
        let phrases = ["召开专题推进会，细化分解任务清单", "完成系统改造并上线试运行", "组织业务培训，覆盖各市县窗口人员",
                       "开展督导检查，发现问题已立行立改", "与相关部门会商，形成工作方案", "梳理事项清单，压减办理时限",
                       "推广典型经验做法，编印案例汇编", "收集企业意见建议，完善配套措施"]
        let led = tasks.filter { task in leadUnits.contains { $0.$task.id == task.id } }
        guard lastMonth.year == year else { return }
        for (index, task) in led.enumerated() {
            guard let taskID = task.id else { continue }
            let seed = index * 7 + 3
            // Some tasks were due at the end of September and are still open: the jobs mark them overdue.
            let slipped = index % 6 == 4 && task.deadline.date != nil
            if slipped, let september = CivilDate(year: year, month: 9, day: 30) { task.setDeadline(.date(september), text: "\(year)年9月底前") }
            let finishMonth: Int? = {
                guard !slipped, case .date(let deadline) = task.deadline, seed % 4 == 0 else { return nil }
                return min(deadline.month, lastMonth.month)
            }()
            // Department staff of a demo account leave the current month to be filed in the demo.
            let skipsLastMonth = seed % 5 == 1
            for month in 1...lastMonth.month {
                if let finishMonth, month > finishMonth { break }
                if month == lastMonth.month && skipsLastMonth { continue }
                // A task whose unit reports irregularly misses two months in the spring.
                if index % 9 == 2 && (month == 3 || month == 4) { continue }
                guard let period = ReportPeriod(year: year, month: month) else { continue }
                let due = ReportingRules.dueDate(for: period, policy: settings.reporting, calendar: calendar)
                let late = seed % 6 == 0 && month % 3 == 0
                let submitted = late ? calendar.addingWorkingDays(3, to: due) : calendar.addingWorkingDays(-((seed + month) % 3), to: due)
                let done = finishMonth == month
                let report = ProgressReport()
                report.$task.id = taskID
                report.periodYear = year
                report.periodMonth = month
                report.progressStatus = done ? ProgressStatus.done.rawValue : (seed % 7 == 0 && month > 6 ? ProgressStatus.behind.rawValue : ProgressStatus.onTrack.rawValue)
                report.percent = done ? 100 : min(95, month * 8 + seed % 10)
                report.summary = "\(month)月：\(phrases[(seed + month) % phrases.count])。"
                report.submittedBy = staff.first?.id
                report.firstSubmittedOn = submitted.iso
                report.submittedAt = submitted.startOfDay(in: DisplayDate.timeZone).addingTimeInterval(15 * 3600)
                let returned = seed % 8 == 5 && month == lastMonth.month - 1
                report.returnedCount = returned ? 1 : 0
                report.state = (month == lastMonth.month && seed % 3 == 0) ? ReportState.submitted.rawValue : ReportState.accepted.rawValue
                if report.state == ReportState.accepted.rawValue {
                    report.reviewedBy = office?.id
                    report.reviewedAt = report.submittedAt?.addingTimeInterval(2 * 86_400)
                    report.reviewComment = returned ? "首次报送缺少量化数据，补充后通过" : nil
                }
                try await report.create(on: db)
                if done {
                    task.status = TaskStatus.completed.rawValue
                    task.completedOn = submitted.iso
                } else if task.status == TaskStatus.notStarted.rawValue {
                    task.status = TaskStatus.inProgress.rawValue
                }
            }
            try await task.save(on: db)
        }
    }

    static func publishBulletin(today: CivilDate, on app: Application) async throws {
        guard let plan = try await WorkPlan.query(on: app.db).sort(\.$publishedAt).first(),
              let leader = try await User.query(on: app.db).filter(\.$role == Role.leader.rawValue).first() else { return }
        let lastMonth = ReportPeriod(containing: today).previous
        let bulletin = Bulletin()
        bulletin.$plan.id = try plan.requireID()
        bulletin.periodKind = BulletinPeriod.Kind.month.rawValue
        bulletin.periodYear = lastMonth.year
        bulletin.periodNumber = lastMonth.month
        bulletin.state = "draft"
        bulletin.goodNotes = "市场监管、住房城乡建设等部门按月报送进展，企业开办、工程建设项目审批等改革推进较快。"
        bulletin.badNotes = "个别单位进展报告不及时、内容空泛；部分到期任务尚未完成，已挂牌督办。"
        try await bulletin.create(on: app.db)
        try await BulletinService(db: app.db).publish(bulletin, actor: try Principal(user: leader, viaToken: false))
    }
}
