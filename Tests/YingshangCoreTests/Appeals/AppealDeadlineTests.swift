import Foundation
import Testing
@testable import YingshangCore

@Suite("Appeal deadlines")
struct AppealDeadlineTests {
    let cal = WorkingCalendar.china
    let limits = AppealTimeLimits()

    func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test("a 投诉 received 2023-09-27 is due 15 working days later, across National Day and make-up days")
    func complaintAcrossNationalDay() {
        // Hand count: 09-28 (1); 09-29 … 10-06 off; 10-07 Sat, 10-08 Sun make-up (2, 3);
        // 10-09 … 10-13 (4–8); 10-16 … 10-20 (9–13); 10-23 (14); 10-24 (15).
        #expect(AppealDeadlines.replyBy(type: .complaint, receivedOn: d("2023-09-27"), limits: limits, calendar: cal) == d("2023-10-24"))
        #expect(AppealDeadlines.replyBy(type: .report, receivedOn: d("2023-09-27"), limits: limits, calendar: cal) == d("2023-10-24"))
        #expect(AppealDeadlines.replyBy(type: .suggestion, receivedOn: d("2023-09-27"), limits: limits, calendar: cal) == d("2023-10-24"))
        // 咨询 3 days: 09-28, 10-07, 10-08 (a Sunday make-up day).
        #expect(AppealDeadlines.replyBy(type: .consultation, receivedOn: d("2023-09-27"), limits: limits, calendar: cal) == d("2023-10-08"))
        // 求助 5 days: … 10-09, 10-10.
        #expect(AppealDeadlines.replyBy(type: .help, receivedOn: d("2023-09-27"), limits: limits, calendar: cal) == d("2023-10-10"))
    }

    @Test func extensionAddsWorkingDays() {
        // 10-24 + 5 working days: 10-25, 26, 27, 30, 31.
        #expect(AppealDeadlines.replyBy(type: .complaint, receivedOn: d("2023-09-27"), extensionDays: 5, limits: limits,
                                        calendar: cal) == d("2023-10-31"))
        // Across Spring Festival 2024 (02-10 … 02-17 off, 02-04 and 02-18 make-up Sundays).
        #expect(AppealDeadlines.replyBy(type: .consultation, receivedOn: d("2024-02-08"), extensionDays: 1, limits: limits,
                                        calendar: cal) == d("2024-02-20"))
    }

    @Test func signingAndReturnDeadlines() {
        // Dispatched the day before National Day: next working day is the make-up Saturday.
        #expect(AppealDeadlines.signBy(dispatchedOn: d("2023-09-28"), limits: limits, calendar: cal) == d("2023-10-07"))
        #expect(AppealDeadlines.signBy(dispatchedOn: d("2023-10-20"), limits: limits, calendar: cal) == d("2023-10-23"))
        #expect(AppealDeadlines.signBy(dispatchedOn: d("2023-10-20"), limits: AppealTimeLimits(signing: 2), calendar: cal) == d("2023-10-24"))
        #expect(AppealDeadlines.returnBy(dispatchedOn: d("2023-09-28"), limits: limits, calendar: cal) == d("2023-10-07"))
        // Custom per-type limit.
        var custom = limits
        custom.byType[.consultation] = 1
        #expect(AppealDeadlines.replyBy(type: .consultation, receivedOn: d("2023-09-28"), limits: custom, calendar: cal) == d("2023-10-07"))
    }

    @Test func warningAndOverdueStatus() {
        let due = d("2023-10-24") // Tuesday
        func st(_ today: String, lead: Int = 1) -> AppealDeadlineStatus {
            AppealDeadlines.status(dueOn: due, today: d(today), warningLead: lead, calendar: cal)
        }
        #expect(st("2023-10-20") == .onTime)            // Fri: 10-23, 10-24 left
        #expect(st("2023-10-20", lead: 2) == .warning(daysLeft: 2))
        #expect(st("2023-10-21") == .onTime)            // Sat: still 2 working days left
        #expect(st("2023-10-23") == .warning(daysLeft: 1))
        #expect(st("2023-10-24") == .warning(daysLeft: 0))
        #expect(st("2023-10-24", lead: 0) == .warning(daysLeft: 0))
        #expect(st("2023-10-23", lead: 0) == .onTime)
        #expect(st("2023-10-25") == .overdue(workingDays: 1))
        #expect(st("2023-10-30") == .overdue(workingDays: 4))
        // Due Friday, seen on Saturday: past due, no working day lost yet.
        let fri = AppealDeadlines.status(dueOn: d("2023-10-27"), today: d("2023-10-28"), warningLead: 1, calendar: cal)
        #expect(fri == .overdue(workingDays: 0) && fri.isOverdue)
        // Warning across a holiday: from 09-28 only one working day (10-07) until a 10-07 deadline.
        #expect(AppealDeadlines.status(dueOn: d("2023-10-07"), today: d("2023-09-28"), warningLead: 1, calendar: cal) == .warning(daysLeft: 1))
        #expect(AppealDeadlineStatus.warning(daysLeft: 0).label == "预警：今天到期")
        #expect(AppealDeadlineStatus.warning(daysLeft: 2).label == "预警：剩余 2 个工作日")
        #expect(AppealDeadlineStatus.overdue(workingDays: 3).label == "已逾期 3 个工作日")
    }

    @Test func limitsValidationAndCoding() throws {
        #expect(AppealTimeLimits().validate().isEmpty)
        #expect(AppealTimeLimits().byType == [.consultation: 3, .help: 5, .complaint: 15, .report: 15, .suggestion: 15])
        var bad = AppealTimeLimits(signing: 0, warningLeadWorkingDays: 11, maxExtensionWorkingDays: -1, returnWorkingDays: 0)
        bad.byType[.help] = nil
        bad.byType[.report] = 61
        let problems = bad.validate()
        #expect(problems.contains("签收时限应在 1 至 10 个工作日之间，当前为 0"))
        #expect(problems.contains("未设置求助类诉求的办理时限"))
        #expect(problems.contains("举报类诉求的办理时限应在 1 至 60 个工作日之间，当前为 61"))
        #expect(problems.contains("预警提前量应在 0 至 10 个工作日之间，当前为 11"))
        #expect(problems.count == 6)
        #expect(bad.replyLimit(for: .help) == 5, "missing types fall back to the national default")
        var short = AppealTimeLimits(signing: 4)
        short.byType[.consultation] = 3
        #expect(short.validate() == ["咨询类诉求的办理时限（3 个工作日）不应短于签收时限（4 个工作日）"])

        let json = try JSONEncoder().encode(AppealTimeLimits(signing: 2))
        #expect(String(decoding: json, as: UTF8.self).contains("\"complaint\":15"))
        #expect(try JSONDecoder().decode(AppealTimeLimits.self, from: json) == AppealTimeLimits(signing: 2))
        #expect(try JSONDecoder().decode(AppealTimeLimits.self, from: Data("{}".utf8)) == AppealTimeLimits())
    }

    @Test func overdueAppealsOpenSupervision() {
        let rules = AppealSupervisionRules()
        var c = AppealCase(number: "YS2023-00000042", type: .complaint, state: .dispatched, leadUnitID: "tax", assistingUnitIDs: ["park"])
        // Dispatched 09-28, sign by 10-07 (make-up Saturday); seen on 10-08 (make-up Sunday).
        var p = AppealSupervision.proposals(appeal: c, title: "退税未到账", receivedOn: d("2023-09-27"), dispatchedOn: d("2023-09-28"),
                                            today: d("2023-10-08"), limits: limits, rules: rules, calendar: cal)
        #expect(p.count == 1)
        #expect(p.first?.key == "appeal_overdue:YS2023-00000042:signing:2023-10-07")
        #expect(p.first?.level == .reminder && p.first?.overdueWorkingDays == 1 && p.first?.unitIDs == ["tax", "park"])
        #expect(p.first?.rectifyBy == d("2023-10-11"))
        #expect(p.first?.reason == "诉求 YS2023-00000042“退税未到账”签收期限为 2023-10-07，至今未签收（已逾期 1 个工作日），请提醒")
        // On the sign-by day itself: nothing.
        #expect(AppealSupervision.proposals(appeal: c, title: "t", receivedOn: d("2023-09-27"), dispatchedOn: d("2023-09-28"),
                                            today: d("2023-10-07"), limits: limits, rules: rules, calendar: cal).isEmpty)
        // Signed, past the reply deadline 10-24 by 5 working days → 挂牌督办.
        c.state = .signed
        c.signedUnitIDs = ["tax"]
        p = AppealSupervision.proposals(appeal: c, title: "t", receivedOn: d("2023-09-27"), dispatchedOn: d("2023-09-28"),
                                        today: d("2023-10-31"), limits: limits, rules: rules, calendar: cal)
        #expect(p.map(\.kind) == [.reply] && p.first?.level == .listed && p.first?.overdueWorkingDays == 5)
        p = AppealSupervision.proposals(appeal: c, title: "t", receivedOn: d("2023-09-27"), dispatchedOn: nil,
                                        today: d("2023-10-25"), limits: limits, rules: rules, calendar: cal)
        #expect(p.first?.level == .supervision && p.first?.key == "appeal_overdue:YS2023-00000042:reply:2023-10-24")
        // An approved extension moves the deadline.
        c.grantedExtensionDays = 5
        #expect(AppealSupervision.proposals(appeal: c, title: "t", receivedOn: d("2023-09-27"), dispatchedOn: nil,
                                            today: d("2023-10-31"), limits: limits, rules: rules, calendar: cal).isEmpty)
        // Waiting on the office's check: no order for the unit.
        c.grantedExtensionDays = 0
        c.state = .replied
        #expect(AppealSupervision.proposals(appeal: c, title: "t", receivedOn: d("2023-09-27"), dispatchedOn: nil,
                                            today: d("2023-10-31"), limits: limits, rules: rules, calendar: cal).isEmpty)
        // Disabled rule.
        c.state = .signed
        #expect(AppealSupervision.proposals(appeal: c, title: "t", receivedOn: d("2023-09-27"), dispatchedOn: nil, today: d("2023-10-31"),
                                            limits: limits, rules: AppealSupervisionRules(replyOverdueLevel: nil), calendar: cal).isEmpty)
        #expect(AppealSupervisionRules().validate().isEmpty)
        #expect(AppealSupervisionRules(listedAfterWorkingDays: 0, rectificationWorkingDays: 31).validate().count == 2)
    }
}
