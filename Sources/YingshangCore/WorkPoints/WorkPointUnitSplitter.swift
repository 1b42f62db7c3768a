import Foundation

/// Splits a responsibility unit list into unit names.
///
/// - `、` separates units of one kind, `，` / `；` separate kinds (groups);
/// - separators inside brackets or quotes do not split (`各县（市、区）人民政府`, `…中心〔分中心〕`);
/// - a leading `各` distributes over bare level nouns (`各市、县人民政府`, `各省、自治区、直辖市人民政府`);
/// - a level prefix of the first unit of a group carries over to the following units of that group
///   (`自治区发展改革委、自然资源厅` → `自治区自然资源厅`);
/// - `X等有关部门和单位` is split at `等`.
enum WorkPointUnitSplitter {
    typealias Scalars = [Unicode.Scalar]
    typealias S = WorkPointScan

    static let litMunicipal = S.scalars("市政")
    static let litCityGov = S.scalars("市政府")
    static let relatedWords = ["有关", "相关"].map(S.scalars)
    static let dengFollowers = ["有关", "相关", "其他", "各", "部门", "单位", "成员"].map(S.scalars)

    static let levelPrefixes: [Scalars] = ["自治区", "自治州", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡", "街道"]
        .map(S.scalars).sorted { $0.count > $1.count }
    /// Words that start with a level character but are not a level prefix.
    static let notPrefixes: [Scalars] = ["市场", "省级", "县级", "区域", "市级", "区级", "州级", "乡村", "乡镇企业", "镇级", "县域"]
        .map(S.scalars)
    static let bareLevelNouns: Set<String> = [
        "市", "县", "区", "省", "自治区", "直辖市", "县级市", "州", "盟", "旗", "乡", "镇", "乡镇", "街道", "市州", "地",
        "县市区", "特区", "县（市、区）", "县（市）", "市（州）", "市（地）", "地市", "区县", "县区", "开发区", "园区", "管委会",
        "自治州", "自治县", "计划单列市", "新疆生产建设兵团", "兵团",
    ]
    /// Names that must not receive a carried-over level prefix.
    static let noCarryStarts: [Scalars] = ["各", "全", "有关", "相关", "其他", "其它", "国家", "中国", "中央", "人民银行", "人行", "本级", "驻"]
        .map(S.scalars)
    static let noCarryContains: [Scalars] = ["银行", "海关", "公司", "集团", "支行", "分行", "总站", "银保监", "证监", "保监", "邮政管理", "海事", "边防", "检验检疫", "电网", "铁路"]
        .map(S.scalars)

    static func split(_ raw: ArraySlice<Unicode.Scalar>, problems: inout [String]) -> [String] {
        let s = WorkPointAnnotationParser.stripRoleMarker(raw)
        if s.isEmpty { return [] }
        var result: [String] = []
        let groups = WorkPointAnnotationParser.splitTopLevel(s, separators: [S.comma, S.semicolon, ",", ";", "，"])
        for g in groups {
            let pieces = WorkPointAnnotationParser.splitTopLevel(g, separators: [S.dunhao, "/"])
                .flatMap(splitAtJi)
                .map { S.trimmed($0, extra: WorkPointAnnotationParser.isFieldSeparator) }
                .filter { !$0.isEmpty }
            // Merge 各-collectives: "各市、县人民政府".
            var merged: [Scalars] = []
            var k = 0
            while k < pieces.count {
                var cur = Array(pieces[k])
                if isDistributiveStart(cur) {
                    while k + 1 < pieces.count {
                        cur.append(S.dunhao)
                        cur += pieces[k + 1]
                        k += 1
                        if !S.string(pieces[k]).isEmpty && !bareLevelNouns.contains(S.string(pieces[k])) { break }
                    }
                }
                merged.append(cur)
                k += 1
            }
            // Level prefix carry-over within the group.
            var prefix: Scalars? = nil
            for (idx, p0) in merged.enumerated() {
                var p = cleanup(p0[...])
                if p.isEmpty { continue }
                if idx == 0 {
                    prefix = levelPrefix(of: p)
                } else if let pre = prefix, levelPrefix(of: p) == nil, canCarry(p) {
                    p = pre + p
                }
                for part in splitAtDeng(p) {
                    let str = S.string(part)
                    if part.count > 30 && !part.contains(S.lParen) {
                        problems.append("无法拆分单位列表：“\(str)”")
                    } else if looksLikeSeveralUnits(part) {
                        problems.append("单位名称可能包含多个单位，未能拆分：“\(str)”")
                    }
                    result.append(str)
                }
            }
        }
        return result
    }

    /// "州委编办及州直相关单位" → ["州委编办", "州直相关单位"]; "以及" likewise. Not inside brackets.
    static func splitAtJi(_ p: ArraySlice<Unicode.Scalar>) -> [ArraySlice<Unicode.Scalar>] {
        var out: [ArraySlice<Unicode.Scalar>] = []
        var depth = 0
        var start = p.startIndex
        var i = p.startIndex
        while i < p.endIndex {
            let c = p[i]
            if S.isOpenBracket(c) { depth += 1 } else if S.isCloseBracket(c) { depth = max(0, depth - 1) }
            else if depth == 0 && c == "及" && i - start >= 2 && i + 2 < p.endIndex {
                let prev = p[i - 1]
                let next = p[i + 1]
                if prev != "涉" && prev != "普" && prev != "危" && next != "时" {
                    let end = prev == "以" ? i - 1 : i
                    out.append(p[start..<end])
                    start = i + 1
                }
            }
            i += 1
        }
        out.append(p[start..<p.endIndex])
        return out
    }

    /// "市发改委和市财政局", "省财政厅省税务局": an organisation suffix or 和 directly followed by a level prefix.
    static func looksLikeSeveralUnits(_ p: Scalars) -> Bool {
        var depth = 0
        var i = 1
        while i + 2 < p.count {
            let c = p[i]
            if S.isOpenBracket(c) { depth += 1 } else if S.isCloseBracket(c) { depth = max(0, depth - 1) }
            else if depth == 0 {
                let n = p[i + 1]
                let isLevel = n == "市" || n == "省" || n == "县" || (n == "区" && p[i + 2] != "域") || (n == "自" && p[i + 2] == "治")
                let blocked = (n == "市" && (p[i + 2] == "场" || p[i + 2] == "级" || (p[i + 2] == "政" && !(i + 3 < p.count && p[i + 3] == "府"))))
                    || ((n == "省" || n == "县") && p[i + 2] == "级")
                if isLevel && !blocked && c != "市" && c != "省" && c != "县" && c != "区"
                    && (c == "和" || c == "与" || WorkPointAnnotationParser.unitSuffixChars.contains(c)) {
                    return true
                }
            }
            i += 1
        }
        return false
    }

    static func isDistributiveStart(_ p: Scalars) -> Bool {
        guard p.first == "各" else { return false }
        var rest = Array(p.dropFirst())
        for w in relatedWords where S.hasPrefix(rest, w) { rest = Array(rest.dropFirst(2)) }
        return rest.count <= 10 && bareLevelNouns.contains(S.string(rest))
    }

    static func levelPrefix(of p: Scalars) -> Scalars? {
        for n in notPrefixes where S.hasPrefix(p, n) { return nil }
        if S.hasPrefix(p, litMunicipal) && !S.hasPrefix(p, litCityGov) { return nil }
        for pre in levelPrefixes where S.hasPrefix(p, pre) && p.count > pre.count + 1 {
            return pre
        }
        return nil
    }

    static func canCarry(_ p: Scalars) -> Bool {
        for n in noCarryStarts where S.hasPrefix(p, n) { return false }
        for n in noCarryContains where S.contains(p, n) { return false }
        if p.count > 16 { return false }
        // already qualified by a place name ("南宁市发改委"): a level character early in the name.
        let lim = min(p.count - 1, 5)
        if lim >= 1 {
            for i in 1...lim {
                let c = p[i]
                if c == "市" || c == "县" || c == "省" || c == "州" || c == "盟" || c == "旗" || (c == "区" && i >= 2) {
                    if c == "市" && i + 1 < p.count && (p[i + 1] == "场" || (p[i + 1] == "政" && !(i + 2 < p.count && p[i + 2] == "府"))) { continue }
                    if c == "区" && i + 1 < p.count && p[i + 1] == "域" { continue }
                    if c == "县" && i + 1 < p.count && (p[i + 1] == "级" || p[i + 1] == "域") { continue }
                    if c == "省" && i + 1 < p.count && p[i + 1] == "级" { continue }
                    return false
                }
            }
        }
        return true
    }

    static func cleanup(_ s: ArraySlice<Unicode.Scalar>) -> Scalars {
        var v = S.trimmed(s, extra: { WorkPointAnnotationParser.isFieldSeparator($0) || $0 == "“" || $0 == "”" })
        if (v.first == "由" || v.first == "请") && v.count > 2 { v = v.dropFirst() }
        if v.last == "等" && v.count > 2 { v = v.dropLast() }
        return Array(v)
    }

    /// "人力资源社会保障部等有关部门和单位" → ["人力资源社会保障部", "有关部门和单位"].
    static func splitAtDeng(_ p: Scalars) -> [Scalars] {
        var i = 1
        while i < p.count - 1 {
            if p[i] == "等" {
                let rest = Array(p[(i + 1)...])
                let head = Array(p[..<i])
                if dengFollowers.contains(where: { S.hasPrefix(rest, $0) }) {
                    if rest.count >= 4 { return [head, rest] }
                    return [head]
                }
            }
            i += 1
        }
        return [p]
    }
}
