import Testing
@testable import YingshangCore

@Suite("Enterprise files: dated history and the spreadsheet form")
struct EnterpriseFileTests {
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    @Test("facts as of a date: the latest value on or before it, a cleared fact unknown, tags by their spans")
    func history() {
        let history = EnterpriseHistory(entries: [
            .init(field: .employees, value: .number(90), effectiveOn: Self.date("2023-01-01"), sequence: 1),
            .init(field: .employees, value: .number(120), effectiveOn: Self.date("2024-01-01"), sequence: 2),
            .init(field: .assets, value: .number(3000), effectiveOn: Self.date("2023-01-01"), sequence: 3),
            .init(field: .assets, value: nil, effectiveOn: Self.date("2024-06-01"), sequence: 4),
        ], tags: [.init(tag: "专精特新", from: Self.date("2023-03-01"), until: Self.date("2023-12-31")),
                  .init(tag: "高新技术企业", from: Self.date("2024-01-01"), until: nil)], tagsRecorded: true)
        let early = history.facts(asOf: Self.date("2023-06-30"))
        #expect(early[.employees] == .number(90))
        #expect(early.tags == ["专精特新"])
        let late = history.facts(asOf: Self.date("2024-07-01"))
        #expect(late[.employees] == .number(120))
        #expect(late[.assets] == nil, "a cleared fact is unknown from its date on")
        #expect(late.tags == ["高新技术企业"])
        #expect(history.facts(asOf: Self.date("2022-12-31")).values.isEmpty)
        let changes = history.tagChanges(to: ["一般纳税人"], on: Self.date("2024-08-01"))
        #expect(changes.open == ["一般纳税人"])
        #expect(changes.close == ["高新技术企业"])
        #expect(EnterpriseHistory(entries: [], tags: [], tagsRecorded: false).facts(asOf: Self.date("2024-01-01")).tags == nil)
    }

    @Test("a sheet: Chinese or key headers, row-by-row problems, an empty cell left unknown")
    func sheet() throws {
        var generator = SyntheticEnterprises(seed: 11)
        let good = generator.make(2)
        let parsed = EnterpriseSheet.parse([
            ["credit_code", "企业名称", "行业代码", "资产总额（万元）", "资质标签"],
            [good[0].creditCode, "甲公司", "C3911", "", "高新技术企业"],
            [good[1].creditCode, "", "99", "-1", "金牌企业"],
            [good[0].creditCode, "重复公司", "", "", ""],
        ])
        #expect(parsed.rows.count == 1)
        let row = try #require(parsed.rows.first)
        #expect(row.facts[.assets] == nil)
        #expect(row.tags == ["高新技术企业"])
        #expect(parsed.badLines == [3, 4])
        #expect(Set(parsed.problems.filter { $0.line == 3 }.map(\.column)) == ["企业名称", "行业代码", "资产总额（万元）", "资质标签"])
        #expect(parsed.problems.contains { $0.line == 4 && $0.message == "与第 2 行的统一社会信用代码重复" })
        let header = EnterpriseSheet.parse([["企业名称", "员工"]])
        #expect(header.rows.isEmpty)
        #expect(header.problems.map(\.message).contains { $0.hasPrefix("未知的列“员工”") })
        #expect(header.problems.map(\.message).contains("缺少必填列“统一社会信用代码”"))
    }

    @Test("an exported row reads back as the same facts")
    func roundTrip() throws {
        var generator = SyntheticEnterprises(seed: 12)
        let enterprise = generator.next()
        let cells = EnterpriseSheet.cells(creditCode: enterprise.creditCode, name: enterprise.name, facts: enterprise.facts,
                                          asOf: Self.date("2024-01-01"))
        let parsed = EnterpriseSheet.parse([EnterpriseSheet.columns.map(\.header), cells])
        let row = try #require(parsed.rows.first, "\(parsed.problems)")
        #expect(EnterpriseFacts(values: row.facts, tags: enterprise.facts.tags == nil ? nil : Set(row.tags ?? [])) == enterprise.facts)
    }
}

@Suite("Redemption lifecycle")
struct RedemptionLifecycleTests {
    @Test("申请 → 审核（可核定金额）→ 拨付; 驳回 needs a reason; nothing after payment")
    func steps() throws {
        let applied = RedemptionState(status: .applied, amountWan: 18)
        let approved = try RedemptionLifecycle.decide(.approve(amountWan: 15), from: applied).get()
        #expect(approved == RedemptionState(status: .approved, amountWan: 15))
        let paid = try RedemptionLifecycle.decide(.pay, from: approved).get()
        #expect(paid.status == .paid)
        #expect(RedemptionLifecycle.decide(.reject(reason: "迟了"), from: paid) == .failure(RedemptionRefusal("当前状态为“已拨付”，不能进行此操作")))
        #expect(RedemptionLifecycle.decide(.pay, from: applied) == .failure(RedemptionRefusal("当前状态为“已申请”，不能进行此操作")))
        #expect(RedemptionLifecycle.decide(.reject(reason: "  "), from: applied) == .failure(RedemptionRefusal("驳回须写明理由")))
        #expect(try RedemptionLifecycle.decide(.reject(reason: " 材料不全 "), from: approved).get().reason == "材料不全")
        #expect(RedemptionLifecycle.decide(.approve(amountWan: -1), from: applied) == .failure(RedemptionRefusal("金额不能为负数")))
        #expect(RedemptionLifecycle.decide(.pay, from: RedemptionState(status: .approved, amountWan: nil))
            == .failure(RedemptionRefusal("金额未定，请先在审核时填写金额")))
    }
}
