import Foundation
import Testing
@testable import YingshangCore

private func drafts(_ r: Result<[OrgUnitDraft], RowErrors>) -> [OrgUnitDraft]? {
    if case .success(let d) = r { return d }
    return nil
}

private func errors(_ r: Result<[OrgUnitDraft], RowErrors>) -> [RowError] {
    if case .failure(let e) = r { return e.rows }
    return []
}

@Suite("OrgUnitKind")
struct OrgUnitKindTests {
    @Test func labels() {
        #expect(OrgUnitKind.region.label == "区域")
        #expect(OrgUnitKind.department.label == "部门")
        #expect(OrgUnitKind.section.label == "科室")
        #expect(OrgUnitKind(label: "科室") == .section)
        #expect(OrgUnitKind(label: " Department ") == .department)
        #expect(OrgUnitKind(label: "处室") == nil)
    }
}

@Suite("OrgUnitImport")
struct OrgUnitImportTests {
    let header = ["编码", "全称", "简称", "上级编码", "类型", "别名"]

    @Test func validFileOrdersParentsFirst() throws {
        let rows = [
            header,
            ["S01", "营商环境科", "营商科", "D01", "科室", "营商环境股；环境科、营商科"],
            ["D01", "发展和改革委员会", "发改委", "R01", "部门", ""],
            ["R01", "颍上县", "", "", "区域", ""],
            ["S02", "审批一科", "", "D01", "section", "审批科;一科"],
            ["", "", "", "", "", ""],
            ["D02", "市场监督管理局", "市场监管局", "CITY", "部门", ""],
        ]
        let result = OrgUnitImport.validate(rows: rows, existingCodes: ["CITY"])
        let list = try #require(drafts(result), "\(errors(result))")
        #expect(list.map(\.code) == ["R01", "D01", "S01", "S02", "D02"])
        let s01 = try #require(list.first { $0.code == "S01" })
        #expect(s01 == OrgUnitDraft(code: "S01", name: "营商环境科", shortName: "营商科", parentCode: "D01",
                                    kind: .section, aliases: ["营商环境股", "环境科", "营商科"]))
        #expect(list.first { $0.code == "R01" }?.shortName == nil)
        #expect(list.first { $0.code == "R01" }?.parentCode == nil)
        #expect(list.first { $0.code == "S02" }?.aliases == ["审批科", "一科"])
    }

    @Test func englishHeadersAnyOrder() throws {
        let rows = [
            ["kind", "Code", "name", "parent_code", "short_name", "aliases"],
            ["region", "R1", "Region One", "", "", ""],
            ["department", "D1", "Dept", "R1", "", "a;b"],
        ]
        let list = try #require(drafts(OrgUnitImport.validate(rows: rows, existingCodes: [])))
        #expect(list.map(\.code) == ["R1", "D1"])
        #expect(list[1].aliases == ["a", "b"])
    }

    @Test func optionalColumnsMayBeMissing() throws {
        let rows = [["编码", "全称", "类型"], ["R1", "颍上县", "区域"]]
        let list = try #require(drafts(OrgUnitImport.validate(rows: rows, existingCodes: [])))
        #expect(list == [OrgUnitDraft(code: "R1", name: "颍上县", kind: .region)])
    }

    @Test func headerProblems() {
        let e = errors(OrgUnitImport.validate(rows: [["编码", "全称", "电话", "全称"], ["R1", "x", "", ""]], existingCodes: []))
        #expect(e.contains(RowError(row: 1, column: "电话", message: "无法识别的列“电话”，可用的列为：编码、全称、简称、上级编码、类型、别名")))
        #expect(e.contains(RowError(row: 1, column: "全称", message: "列“全称”重复出现")))
        #expect(e.contains(RowError(row: 1, column: "类型", message: "缺少必填列“类型”")))
        #expect(e.allSatisfy { $0.row == 1 })
        #expect(errors(OrgUnitImport.validate(rows: [], existingCodes: [])) == [RowError(row: 1, column: nil, message: "文件为空或缺少表头行")])
        #expect(errors(OrgUnitImport.validate(rows: [header], existingCodes: [])) == [RowError(row: 1, column: nil, message: "文件中没有数据行")])
    }

    @Test func emptyTrailingHeaderColumnsIgnored() throws {
        let rows = [["编码", "全称", "类型", ""], ["R1", "颍上县", "区域", ""]]
        #expect(drafts(OrgUnitImport.validate(rows: rows, existingCodes: [])) != nil)
        let bad = [["编码", "全称", "类型", ""], ["R1", "颍上县", "区域", "x"]]
        #expect(errors(OrgUnitImport.validate(rows: bad, existingCodes: [])).first?.message == "第 4 列缺少表头，但有数据")
    }

    @Test func reportsAllErrorsOfAllRows() {
        let rows = [
            header,
            ["", "", "", "", "", ""].enumerated().map { $0.offset == 2 ? "x" : $0.element },  // row 2: missing code, name, kind
            ["bad code!", String(repeating: "名", count: 101), "", "", "区县", ""],            // row 3
            ["R1", "颍上县", "", "", "区域", ""],                                                 // row 4
            ["R1", "重复", "", "", "区域", ""],                                                   // row 5
            ["D1", "部门一", "", "", "部门", ""],                                                 // row 6: department without parent
            ["S1", "科室一", "", "NOPE", "科室", ""],                                             // row 7: unknown parent
            ["S2", "科室二", "", "R1", "科室", ""],                                               // row 8: section under region
            ["D2", "部门二", "", "D2", "部门", ""],                                               // row 9: self parent
            ["EXIST", "已有", "", "", "区域", ""],                                                // row 10: code taken
        ]
        let e = errors(OrgUnitImport.validate(rows: rows, existingCodes: ["EXIST"]))
        #expect(e.map(\.row) == e.map(\.row).sorted())
        func has(_ row: Int, _ column: String?, _ fragment: String) -> Bool {
            e.contains { $0.row == row && $0.column == column && $0.message.contains(fragment) }
        }
        #expect(has(2, "编码", "请填写编码"))
        #expect(has(2, "全称", "请填写全称"))
        #expect(has(2, "类型", "请填写类型"))
        #expect(has(3, "编码", "格式不正确"))
        #expect(has(3, "全称", "不能超过 100 个字"))
        #expect(has(3, "类型", "类型“区县”无效"))
        #expect(has(5, "编码", "编码“R1”与第 4 行重复"))
        #expect(has(6, "上级编码", "部门必须填写上级编码"))
        #expect(has(7, "上级编码", "上级编码“NOPE”不存在"))
        #expect(has(8, "上级编码", "科室的上级必须是部门或科室，而“R1”是区域"))
        #expect(has(9, "上级编码", "不能是本单位自身"))
        #expect(has(10, "编码", "编码“EXIST”已存在于系统中"))
        #expect(!e.contains { $0.row == 4 })
    }

    @Test func hierarchyRules() {
        func check(_ childKind: String, under parentKind: String) -> Bool {
            let rows = [header, ["P", "上级", "", parentKind == "区域" ? "" : "ROOT", parentKind, ""],
                        ["C", "下级", "", "P", childKind, ""]]
            let withRoot = parentKind == "区域" ? rows : rows + [["ROOT", "根", "", parentKind == "科室" ? "ROOTD" : "", parentKind == "科室" ? "部门" : "区域", ""]]
                + (parentKind == "科室" ? [["ROOTD", "根部门", "", "ROOTR", "部门", ""], ["ROOTR", "根区域", "", "", "区域", ""]] : [])
            return drafts(OrgUnitImport.validate(rows: withRoot, existingCodes: [])) != nil
        }
        #expect(check("区域", under: "区域"))
        #expect(check("部门", under: "区域"))
        #expect(check("部门", under: "部门"))
        #expect(check("科室", under: "部门"))
        #expect(check("科室", under: "科室"))
        #expect(!check("区域", under: "部门"))
        #expect(!check("区域", under: "科室"))
        #expect(!check("部门", under: "科室"))
        #expect(!check("科室", under: "区域"))
    }

    @Test func existingParentKindsChecked() {
        let rows = [header, ["S1", "科室", "", "REG", "科室", ""], ["D1", "部门", "", "DEP", "部门", ""]]
        let e = errors(OrgUnitImport.validate(rows: rows, existing: ["REG": .region, "DEP": .department]))
        #expect(e.count == 1)
        #expect(e.first?.row == 2)
        // Unknown kinds (code-only API) are not checked.
        #expect(drafts(OrgUnitImport.validate(rows: rows, existingCodes: ["REG", "DEP"])) != nil)
    }

    @Test func cyclesDetected() {
        let rows = [
            header,
            ["R0", "根", "", "", "区域", ""],
            ["A", "甲", "", "C", "部门", ""],
            ["B", "乙", "", "A", "部门", ""],
            ["C", "丙", "", "B", "部门", ""],
            ["X", "戊", "", "A", "部门", ""],   // hangs below the cycle: no separate cycle error
        ]
        let e = errors(OrgUnitImport.validate(rows: rows, existingCodes: []))
        #expect(e.map(\.row) == [3, 4, 5])
        #expect(e.allSatisfy { $0.column == "上级编码" && $0.message.hasPrefix("上级关系形成循环：") })
        #expect(e[0].message == "上级关系形成循环：A → C → B → A")
    }

    @Test func invalidParentRowDoesNotCascade() {
        let rows = [header, ["R1", "", "", "", "区域", ""], ["D1", "部门", "", "R1", "部门", ""]]
        let e = errors(OrgUnitImport.validate(rows: rows, existingCodes: []))
        #expect(e == [RowError(row: 2, column: "全称", message: "请填写全称")])
    }

    @Test func aliasesSplitAndDeduplicated() {
        #expect(OrgUnitImport.splitAliases("甲；乙;丙、丁 ； 甲;;") == ["甲", "乙", "丙", "丁"])
        #expect(OrgUnitImport.splitAliases("") == [])
    }

    @Test func worksWithCSVParser() throws {
        let csv = "\u{FEFF}编码,全称,简称,上级编码,类型,别名\r\nR1,颍上县,,,区域,\r\nD1,\"发展和改革委员会\",发改委,R1,部门,\"发改；发改局\"\r\n"
        let list = try #require(drafts(OrgUnitImport.validate(rows: try CSV.parse(csv), existingCodes: [])))
        #expect(list.map(\.code) == ["R1", "D1"])
        #expect(list[1].aliases == ["发改", "发改局"])
    }

    @Test func largeImportIsFast() throws {
        var rows = [header, ["R", "根", "", "", "区域", ""]]
        for i in 0..<3000 { rows.append(["D\(i)", "部门\(i)", "", i == 0 ? "R" : "D\(i - 1)", "部门", ""]) }
        let list = try #require(drafts(OrgUnitImport.validate(rows: rows, existingCodes: [])))
        #expect(list.count == 3001)
        #expect(list.last?.code == "D2999")
    }
}

@Suite("OrgUnitRules")
struct OrgUnitRulesTests {
    @Test func validDraft() {
        #expect(OrgUnitRules.validate(OrgUnitDraft(code: "D-01_a", name: "发改委", parentCode: "R1", kind: .department)).isEmpty)
        #expect(OrgUnitRules.validate(OrgUnitDraft(code: "R1", name: "颍上县", kind: .region)).isEmpty)
    }

    @Test func fieldMessages() {
        let e = OrgUnitRules.validate(OrgUnitDraft(code: "中文", name: " ", shortName: String(repeating: "x", count: 101),
                                                   parentCode: nil, kind: .section, aliases: [""]))
        #expect(e["code"] == OrgUnitRules.codeMessage)
        #expect(e["name"] == "请填写全称")
        #expect(e["shortName"] == "简称不能超过 100 个字")
        #expect(e["parentCode"] == "科室必须填写上级编码")
        #expect(e["aliases"] == "别名不能为空")
        #expect(OrgUnitRules.validate(OrgUnitDraft(code: "", name: "x", kind: .region))["code"] == "请填写编码")
        #expect(OrgUnitRules.validate(OrgUnitDraft(code: "A", name: "x", parentCode: "A", kind: .region))["parentCode"] == "上级不能是自身")
        #expect(OrgUnitRules.validate(OrgUnitDraft(code: String(repeating: "a", count: 33), name: "x", kind: .region))["code"] != nil)
        #expect(OrgUnitRules.validate(OrgUnitDraft(code: String(repeating: "a", count: 32), name: "x", kind: .region))["code"] == nil)
    }

    @Test func codePattern() {
        for ok in ["a", "A1", "x_y-z", String(repeating: "9", count: 32)] { #expect(OrgUnitRules.isValidCode(ok)) }
        for bad in ["", " a", "a b", "a.b", "编码", "ａ", String(repeating: "9", count: 33)] { #expect(!OrgUnitRules.isValidCode(bad)) }
    }

    @Test func canMove() {
        // R ─ D1 ─ S1 ─ S2 ; R ─ D2
        let tree: [String: String?] = ["R": nil, "D1": "R", "S1": "D1", "S2": "S1", "D2": "R"]
        #expect(OrgUnitRules.canMove(unit: "S2", to: "D2", parentOf: tree))
        #expect(OrgUnitRules.canMove(unit: "D1", to: "D2", parentOf: tree))
        #expect(OrgUnitRules.canMove(unit: "D1", to: nil, parentOf: tree))
        #expect(!OrgUnitRules.canMove(unit: "D1", to: "D1", parentOf: tree))
        #expect(!OrgUnitRules.canMove(unit: "D1", to: "S2", parentOf: tree))
        #expect(!OrgUnitRules.canMove(unit: "R", to: "S1", parentOf: tree))
        #expect(!OrgUnitRules.canMove(unit: "D1", to: "UNKNOWN", parentOf: tree))
        // Corrupt data with an existing cycle terminates.
        let corrupt: [String: String?] = ["A": "B", "B": "A", "C": nil]
        #expect(!OrgUnitRules.canMove(unit: "C", to: "A", parentOf: corrupt))
    }
}
