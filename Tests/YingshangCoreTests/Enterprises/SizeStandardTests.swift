import Foundation
import Testing
@testable import YingshangCore

@Suite("Enterprise size classes by 中小企业划型标准规定")
struct SizeStandardTests {
    static let standard = SizeStandard.standard

    @Test("the boundary cases of the shared data file classify as written there")
    func boundaryCases() throws {
        #expect(Self.standard.boundaryCases.count >= 6)
        for example in Self.standard.boundaryCases {
            let industry = try #require(Self.standard.industry(named: example.industry))
            var facts = EnterpriseFacts()
            example.employees.map { facts[.employees] = .number($0) }
            example.revenue.map { facts[.revenue] = .number($0) }
            example.assets.map { facts[.assets] = .number($0) }
            let result = Self.standard.classify(facts, as: industry)
            #expect(result.sizeClass?.label == example.expect, "\(example.industry) \(example)")
        }
    }

    @Test("the bundled copy is the shared file itself, when the shared folder is present")
    func bundledCopyMatchesShared() throws {
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../shared/data/sme-size-standard-2011.json")
        guard let original = try? Data(contentsOf: shared) else { return }
        let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Sources/YingshangCore/Resources/sme-size-standard-2011.json")
        #expect(try Data(contentsOf: bundled) == original)
    }

    @Test("industry codes choose the most specific industry of the standard; too coarse a code is unknown")
    func industryResolution() throws {
        func industry(_ code: String) throws -> String? { Self.standard.industry(for: try IndustryCode.parse(code).get())?.name }
        #expect(try industry("C3911") == "工业")
        #expect(try industry("D4411") == "工业")
        #expect(try industry("5211") == "零售业")
        #expect(try industry("K7010") == "房地产开发经营")
        #expect(try industry("7020") == "物业管理")
        #expect(try industry("7040") == "其他未列明行业")
        #expect(try industry("70") == nil)
        #expect(try industry("L7212") == "租赁和商务服务业")
        #expect(try industry("5912") == "仓储业")
    }

    @Test("a missing fact decides nothing only where it matters")
    func missingFacts() throws {
        let factory = try IndustryCode.parse("C3911").get()
        let tiny = EnterpriseFacts(values: [.industry: .industry(factory), .employees: .number(5)])
        #expect(Self.standard.classify(tiny).sizeClass == .micro)
        let unknown = EnterpriseFacts(values: [.industry: .industry(factory), .employees: .number(500)])
        let result = Self.standard.classify(unknown)
        #expect(result.sizeClass == nil)
        #expect(result.missing == [.revenue])
        #expect(Self.standard.classify(EnterpriseFacts()).missing == [.industry])
    }
}

@Suite("Enterprise facts: codes, units and the facts file")
struct EnterpriseFactsTests {
    @Test("GB/T 4754 codes parse with or without the section letter and refuse unknown divisions")
    func industryCodes() throws {
        let code = try IndustryCode.parse("3911").get()
        #expect(code.description == "C3911")
        #expect(code.low == 3911 && code.high == 3911)
        #expect(try IndustryCode.parse("C").get().low == 1300)
        #expect(try IndustryCode.parse("C").get().high == 4399)
        #expect(IndustryClassification.standard.name(of: code) == "计算机、通信和其他电子设备制造业")
        #expect(throws: IndustryCodeProblem.self) { try IndustryCode.parse("99").get() }
        #expect(throws: IndustryCodeProblem.self) { try IndustryCode.parse("F3911").get() }
        #expect(throws: IndustryCodeProblem.self) { try IndustryCode.parse("3").get() }
    }

    @Test("amounts convert 元, 万元 and 亿元; negatives are refused with the field's name")
    func units() throws {
        #expect(try FactField.assets.parse("0.5亿元").get() == .number(5000))
        #expect(try FactField.assets.parse("3,000万元").get() == .number(3000))
        #expect(try FactField.monthlySales.parse("100000元").get() == .number(10))
        #expect(try FactField.employees.parse("300人").get() == .number(300))
        #expect(throws: FactProblem("营业收入不能为负数（-5）")) { try FactField.revenue.parse("-5").get() }
        #expect(throws: FactProblem.self) { try FactField.employees.parse("12.5").get() }
        #expect(try FactField.registeredOn.parse("2020年3月1日").get() == .date(CivilDate(year: 2020, month: 3, day: 1)!))
        #expect(try FactField.registeredOn.parse("45292").get() == .date(CivilDate(year: 2024, month: 1, day: 1)!), "a spreadsheet's date serial")
        #expect(try FactField.taxCredit.parse("a").get() == .text("A"))
    }

    @Test("a facts file: missing keys are unknown, tags absent are unknown, unknown keys are errors")
    func factsFile() throws {
        let facts = try EnterpriseFacts.decode(json: Data(#"{"industry": "C3911", "employees": 120, "revenue_wan": "2000万元", "registered_on": "2019-05-01"}"#.utf8))
        #expect(facts[.employees] == .number(120))
        #expect(facts[.assets] == nil)
        #expect(facts.tags == nil)
        #expect(facts.value(.ageYears, asOf: CivilDate(year: 2023, month: 12, day: 31)!) == .number(4))
        let tagged = try EnterpriseFacts.decode(json: Data(#"{"tags": []}"#.utf8))
        #expect(tagged.tags == [])
        #expect(throws: FactProblem.self) { try EnterpriseFacts.decode(json: Data(#"{"staff": 3}"#.utf8)) }
        #expect(throws: FactProblem.self) { try EnterpriseFacts.decode(json: Data(#"{"assets_wan": -1}"#.utf8)) }
    }

    @Test("completed years count birthdays, before and after")
    func completedYears() {
        let start = CivilDate(year: 2020, month: 12, day: 31)!
        #expect(EnterpriseFacts.completedYears(from: start, to: CivilDate(year: 2023, month: 12, day: 30)!) == 2)
        #expect(EnterpriseFacts.completedYears(from: start, to: CivilDate(year: 2023, month: 12, day: 31)!) == 3)
        #expect(EnterpriseFacts.completedYears(from: start, to: CivilDate(year: 2020, month: 6, day: 1)!) == -1)
    }

    @Test("synthetic enterprises carry valid credit codes and are the same for the same seed")
    func synthetic() {
        var a = SyntheticEnterprises(seed: 7), b = SyntheticEnterprises(seed: 7)
        let first = a.make(200), second = b.make(200)
        #expect(first.map(\.creditCode) == second.map(\.creditCode))
        #expect(first.allSatisfy { CreditCode.isValid($0.creditCode) })
        #expect(first.map(\.facts) == second.map(\.facts))
    }
}
