import Foundation

/// The row-by-row problems of an import, as the failure of `Result`.
public struct RowErrors: Error, Sendable, Equatable {
    public var rows: [RowError]
    public init(_ rows: [RowError]) { self.rows = rows }
}

/// Validation of an org-unit CSV/XLSX upload.
///
/// Columns (header row; Chinese or English, any order): 编码 code, 全称 name, 简称 short_name,
/// 上级编码 parent_code, 类型 kind (区域/部门/科室 or region/department/section), 别名 aliases
/// (separated by 、 ； ;). Rows whose cells are all empty are skipped.
public enum OrgUnitImport {
    enum Field: CaseIterable {
        case code, name, shortName, parentCode, kind, aliases

        var header: String {
            switch self {
            case .code: return "编码"
            case .name: return "全称"
            case .shortName: return "简称"
            case .parentCode: return "上级编码"
            case .kind: return "类型"
            case .aliases: return "别名"
            }
        }

        var accepted: [String] {
            switch self {
            case .code: return ["编码", "code"]
            case .name: return ["全称", "名称", "name"]
            case .shortName: return ["简称", "short_name", "shortname"]
            case .parentCode: return ["上级编码", "parent_code", "parentcode", "parent"]
            case .kind: return ["类型", "kind", "type"]
            case .aliases: return ["别名", "aliases", "alias"]
            }
        }

        var required: Bool { self == .code || self == .name || self == .kind }

        static func match(_ header: String) -> Field? {
            let h = normalizeHeader(header)
            return allCases.first { $0.accepted.contains(h) }
        }
    }

    static func normalizeHeader(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}*＊")))
        t = t.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        return t
    }

    /// Alias separators: 、 ； ;
    public static func splitAliases(_ s: String) -> [String] {
        var seen = Set<String>()
        return s.split(whereSeparator: { $0 == "、" || $0 == "；" || $0 == ";" })
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Validates with only the codes of existing units known (kinds of existing parents are not checked).
    public static func validate(rows: [[String]], existingCodes: Set<String>) -> Result<[OrgUnitDraft], RowErrors> {
        var existing: [String: OrgUnitKind?] = [:]
        for code in existingCodes { existing[code] = .some(nil) }
        return validate(rows: rows, existing: existing)
    }

    /// Validates the rows (header first). `existing` maps codes already in the system to their kind
    /// (nil when unknown); it is used to resolve parents and to reject codes already taken.
    /// On success the drafts are ordered so that every parent comes before its children.
    /// On failure every problem of every row is returned, ordered by row.
    public static func validate(rows: [[String]], existing: [String: OrgUnitKind?]) -> Result<[OrgUnitDraft], RowErrors> {
        var errors: [RowError] = []
        guard let header = rows.first, header.contains(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else {
            return .failure(RowErrors([RowError(row: 1, column: nil, message: "文件为空或缺少表头行")]))
        }

        // Header.
        var columns: [Field: Int] = [:]
        var headerNames: [Field: String] = [:]
        for (i, raw) in header.enumerated() {
            let title = raw.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
            if title.isEmpty {
                // An empty header over an empty column is harmless (Excel often exports trailing blanks).
                let columnHasData = rows.dropFirst().contains { i < $0.count && !$0[i].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
                if columnHasData {
                    errors.append(RowError(row: 1, column: "第 \(i + 1) 列", message: "第 \(i + 1) 列缺少表头，但有数据"))
                }
                continue
            }
            guard let field = Field.match(title) else {
                errors.append(RowError(row: 1, column: title, message: "无法识别的列“\(title)”，可用的列为：编码、全称、简称、上级编码、类型、别名"))
                continue
            }
            if columns[field] != nil {
                errors.append(RowError(row: 1, column: title, message: "列“\(title)”重复出现"))
                continue
            }
            columns[field] = i
            headerNames[field] = title
        }
        for field in Field.allCases where field.required && columns[field] == nil {
            errors.append(RowError(row: 1, column: field.header, message: "缺少必填列“\(field.header)”"))
        }
        if !errors.isEmpty { return .failure(RowErrors(errors)) }

        // Rows.
        struct Entry { var draft: OrgUnitDraft; var row: Int }
        var entries: [Entry] = []
        var firstRowOfCode: [String: Int] = [:]
        var rowHasError = Set<Int>()

        func cell(_ row: [String], _ field: Field) -> String {
            guard let i = columns[field], i < row.count else { return "" }
            return row[i].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func fail(_ row: Int, _ field: Field?, _ message: String) {
            errors.append(RowError(row: row, column: field.map { headerNames[$0] ?? $0.header }, message: message))
            rowHasError.insert(row)
        }

        for (index, raw) in rows.enumerated().dropFirst() {
            let rowNumber = index + 1
            if raw.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { continue }

            let code = cell(raw, .code)
            let name = cell(raw, .name)
            let shortName = cell(raw, .shortName)
            let parent = cell(raw, .parentCode)
            let kindText = cell(raw, .kind)

            if code.isEmpty {
                fail(rowNumber, .code, "请填写编码")
            } else if !OrgUnitRules.isValidCode(code) {
                fail(rowNumber, .code, "编码“\(code)”格式不正确：" + OrgUnitRules.codeMessage)
            } else if let first = firstRowOfCode[code] {
                fail(rowNumber, .code, "编码“\(code)”与第 \(first) 行重复")
            } else if existing.keys.contains(code) {
                fail(rowNumber, .code, "编码“\(code)”已存在于系统中")
            }
            if !code.isEmpty, firstRowOfCode[code] == nil { firstRowOfCode[code] = rowNumber }

            if name.isEmpty {
                fail(rowNumber, .name, "请填写全称")
            } else if name.count > OrgUnitRules.maxNameLength {
                fail(rowNumber, .name, "全称不能超过 \(OrgUnitRules.maxNameLength) 个字（当前 \(name.count) 个字）")
            }
            if shortName.count > OrgUnitRules.maxShortNameLength {
                fail(rowNumber, .shortName, "简称不能超过 \(OrgUnitRules.maxShortNameLength) 个字")
            }

            var kind: OrgUnitKind?
            if kindText.isEmpty {
                fail(rowNumber, .kind, "请填写类型（区域、部门或科室）")
            } else if let k = OrgUnitKind(label: kindText) {
                kind = k
            } else {
                fail(rowNumber, .kind, "类型“\(kindText)”无效，应为区域、部门或科室")
            }

            if !parent.isEmpty {
                if !OrgUnitRules.isValidCode(parent) {
                    fail(rowNumber, .parentCode, "上级编码“\(parent)”格式不正确：" + OrgUnitRules.codeMessage)
                } else if parent == code {
                    fail(rowNumber, .parentCode, "上级编码不能是本单位自身的编码")
                }
            } else if let kind, !kind.mayBeRoot {
                fail(rowNumber, .parentCode, "\(kind.label)必须填写上级编码")
            }

            let aliases = splitAliases(cell(raw, .aliases)).filter { $0 != name }
            if let long = aliases.first(where: { $0.count > OrgUnitRules.maxAliasLength }) {
                fail(rowNumber, .aliases, "别名“\(long.prefix(20))…”超过 \(OrgUnitRules.maxAliasLength) 个字")
            }

            if let kind {
                entries.append(Entry(
                    draft: OrgUnitDraft(code: code, name: name, shortName: shortName.isEmpty ? nil : shortName,
                                        parentCode: parent.isEmpty ? nil : parent, kind: kind, aliases: aliases),
                    row: rowNumber))
            }
        }

        if entries.isEmpty && errors.isEmpty {
            return .failure(RowErrors([RowError(row: 1, column: nil, message: "文件中没有数据行")]))
        }

        // Parents: existence, hierarchy, cycles. Only first occurrences of valid codes take part.
        var byCode: [String: Entry] = [:]
        for e in entries where OrgUnitRules.isValidCode(e.draft.code) && firstRowOfCode[e.draft.code] == e.row {
            byCode[e.draft.code] = e
        }
        for e in entries {
            guard let parent = e.draft.parentCode, OrgUnitRules.isValidCode(parent), parent != e.draft.code else { continue }
            let parentKind: OrgUnitKind?
            if let p = byCode[parent] {
                parentKind = p.draft.kind
            } else if let known = existing[parent] {
                parentKind = known
            } else if firstRowOfCode[parent] != nil {
                continue  // parent row exists but is itself invalid; its errors are reported there
            } else {
                fail(e.row, .parentCode, "上级编码“\(parent)”不存在（既不在本文件中，也不在系统中）")
                continue
            }
            if let parentKind, !e.draft.kind.allowedParentKinds.contains(parentKind) {
                let allowed = OrgUnitKind.allCases.filter { e.draft.kind.allowedParentKinds.contains($0) }.map(\.label).joined(separator: "或")
                fail(e.row, .parentCode, "\(e.draft.kind.label)的上级必须是\(allowed)，而“\(parent)”是\(parentKind.label)")
            }
        }

        // Order parents first (depth-first, keeping file order) and detect cycles.
        var state: [String: Int] = [:]  // 1 = visiting, 2 = done
        var ordered: [OrgUnitDraft] = []
        var inCycle = Set<String>()
        func visit(_ code: String, path: [String]) {
            guard let e = byCode[code] else { return }
            if state[code] == 2 { return }
            if state[code] == 1 {
                if let start = path.firstIndex(of: code) { inCycle.formUnion(path[start...]) }
                return
            }
            state[code] = 1
            if let parent = e.draft.parentCode, byCode[parent] != nil {
                visit(parent, path: path + [code])
            }
            state[code] = 2
            ordered.append(e.draft)
        }
        for e in entries where byCode[e.draft.code]?.row == e.row {
            visit(e.draft.code, path: [])
        }
        for code in inCycle.sorted(by: { byCode[$0]!.row < byCode[$1]!.row }) {
            let e = byCode[code]!
            var chain = [code]
            var c = e.draft.parentCode
            while let p = c, p != code, chain.count <= inCycle.count {
                chain.append(p)
                c = byCode[p]?.draft.parentCode
            }
            chain.append(code)
            fail(e.row, .parentCode, "上级关系形成循环：" + chain.joined(separator: " → "))
        }

        if !errors.isEmpty {
            let indexed: [(offset: Int, element: RowError)] = Array(errors.enumerated())
            let sorted = indexed.sorted { (a: (offset: Int, element: RowError), b: (offset: Int, element: RowError)) -> Bool in
                if a.element.row != b.element.row { return a.element.row < b.element.row }
                return a.offset < b.offset
            }
            return .failure(RowErrors(sorted.map { $0.element }))
        }
        return .success(ordered)
    }
}
