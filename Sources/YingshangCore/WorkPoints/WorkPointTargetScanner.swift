import Foundation

/// Extracts quantitative targets ("97%以上", "不少于60亿元", "增长7%", "进入全国前十").
enum WorkPointTargetScanner {
    typealias Scalars = [Unicode.Scalar]
    typealias S = WorkPointScan
    typealias Cmp = WorkPointTarget.Comparator

    static let timeUnits = ["天", "个工作日", "小时", "分钟"].map(S.scalars)
    static let litEnter = S.scalars("进入")
    static let growthWords = ["增长", "提高", "提升", "增加"].map(S.scalars)

    static let units: [Scalars] = [
        "个百分点", "个工作日", "个月", "周岁", "万千瓦时", "千瓦时", "千伏安", "万千瓦", "千瓦", "万平方米", "平方公里", "平方米", "公里", "千米",
        "万亿元", "亿元", "万元", "元", "万人次", "人次", "万人", "万户", "万家", "万吨", "吨", "毫米", "小时", "分钟",
        "%", "‰", "倍", "个", "家", "项", "件", "户", "人", "天", "次", "所", "批", "条", "座", "台", "辆", "亩", "万", "亿", "岁", "周",
    ].map(S.scalars).sorted { $0.count > $1.count }

    static let preWords: [(Scalars, Cmp)] = ([
        ("不少于", .ge), ("不低于", .ge), ("至少", .ge), ("达到", .ge), ("达", .ge), ("提高至", .ge), ("提高到", .ge),
        ("提升至", .ge), ("提升到", .ge), ("增加到", .ge), ("增加至", .ge),
        ("超过", .gt), ("高于", .gt), ("大于", .gt), ("多于", .gt),
        ("不超过", .le), ("不高于", .le), ("不多于", .le), ("最多", .le), ("最高", .le), ("控制在", .le), ("压缩至", .le), ("压缩到", .le),
        ("压减至", .le), ("压减到", .le), ("缩短至", .le), ("缩短到", .le), ("降至", .le), ("降低至", .le), ("降低到", .le), ("减少至", .le), ("低于", .lt), ("少于", .lt),
    ] as [(String, Cmp)]).map { (S.scalars($0.0), $0.1) }.sorted { $0.0.count > $1.0.count }

    static let postWords: [(Scalars, Cmp)] = ([
        ("及以上", .ge), ("以上", .ge), ("及以下", .le), ("以下", .le), ("以内", .le), ("之内", .le), ("内", .le),
    ] as [(String, Cmp)]).map { (S.scalars($0.0), $0.1) }.sorted { $0.0.count > $1.0.count }

    static func scan(_ s: Scalars, limit: Int = 64) -> [WorkPointTarget] {
        var out: [WorkPointTarget] = []
        let n = s.count
        var i = 0
        var lastCmp: Cmp? = nil
        var lastEnd = -1
        while i < n && out.count < limit {
            let c = s[i]
            if S.isDigit(c) && (i == 0 || (!S.isDigit(s[i - 1]) && s[i - 1] != "." && !isAsciiLetter(s[i - 1]))) {
                var j = i
                while j < n, S.isDigit(s[j]) || s[j] == "," { j += 1 }
                if j + 1 < n, s[j] == ".", S.isDigit(s[j + 1]) {
                    j += 1
                    while j < n, S.isDigit(s[j]) { j += 1 }
                }
                let numText = S.string(s[i..<j].filter { $0 != "," })
                guard j - i <= 12, let value = Double(numText) else { i = j; continue }
                // skip dates, numbering and codes
                if j < n, s[j] == "年" || s[j] == "月" || s[j] == "日" || s[j] == "号" || s[j] == "." || s[j] == "、" || s[j] == "时" || s[j] == "·" { i = j; continue }
                if i > 0, s[i - 1] == "第" { i = j; continue }
                guard let unit = units.first(where: { S.has(s, $0, at: j) }) else { i = j; continue }
                if j < n, isAsciiLetter(s[j]) { i = j; continue }
                var end = j + unit.count
                var cmp: Cmp = .eq
                var start = i
                var explicit = false
                for (w, cm) in preWords where i - w.count >= 0 && S.has(s, w, at: i - w.count) {
                    cmp = cm
                    start = i - w.count
                    explicit = true
                    break
                }
                for (w, cm) in postWords where S.has(s, w, at: end) {
                    // "内" only after time units
                    if w.count == 1 && !timeUnits.contains(unit) { continue }
                    cmp = cm
                    end += w.count
                    explicit = true
                    break
                }
                // "分别增长7%、25%以上": a comparator distributes backwards over a 、 list
                if explicit && cmp == .ge, let prev = out.last, lastEnd >= 0, lastEnd < i, i - lastEnd == 1, s[lastEnd] == "、", prev.comparator == .eq {
                    out[out.count - 1].comparator = cmp
                }
                if !explicit, let lc = lastCmp, lastEnd == i - 1, s[lastEnd] == "、" || s[lastEnd] == "-" {
                    cmp = lc
                }
                // "增长7%"
                if !explicit {
                    for w in growthWords where i - w.count >= 0 && S.has(s, w, at: i - w.count) {
                        start = i - w.count
                        break
                    }
                }
                var unitStr = S.string(unit)
                var val = value
                if unitStr == "万" || unitStr == "亿" {
                    // bare magnitude: keep as unit
                    unitStr = S.string(unit)
                }
                if unitStr == "‰" { val = value; unitStr = "‰" }
                out.append(WorkPointTarget(text: S.string(s[start..<end]), value: val, unit: unitStr, comparator: cmp))
                lastCmp = explicit ? cmp : lastCmp
                lastEnd = end
                i = end
                continue
            }
            // rank: "全国前十", "全国十强", "前三名"
            if c == "前" && i >= 2 && i + 1 < n {
                let scope = S.string(s[(i - 2)..<i])
                if scope.hasSuffix("全国") || scope.hasSuffix("全省") || scope.hasSuffix("全区") || scope.hasSuffix("全市") || scope.hasSuffix("行业") {
                    if let (v, e) = S.number(in: s, at: i + 1), v > 0, v <= 500 {
                        var end = e
                        if end < n, s[end] == "名" || s[end] == "位" { end += 1 }
                        var start = i - 2
                        if start >= 2, S.has(s, litEnter, at: start - 2) { start -= 2 }
                        out.append(WorkPointTarget(text: S.string(s[start..<end]), value: Double(v), unit: "名", comparator: .le))
                        i = end
                        continue
                    }
                }
            }
            if c == "强" && i >= 3 {
                // "全国十强" / "全国百强"
                var b = i
                while b > 0, ChineseNumerals.isNumeralCharacter(s[b - 1]) || S.isDigit(s[b - 1]), i - b < 4 { b -= 1 }
                if b < i, b >= 2 {
                    let scope = S.string(s[(b - 2)..<b])
                    if scope == "全国" || scope == "全省" || scope == "全区" || scope == "全市" || scope == "世界" || scope == "中国",
                       let (v, _) = S.number(in: s, at: b), v > 0 {
                        var start = b - 2
                        if start >= 2, S.has(s, litEnter, at: start - 2) { start -= 2 }
                        out.append(WorkPointTarget(text: S.string(s[start...i]), value: Double(v), unit: "名", comparator: .le))
                    }
                }
            }
            i += 1
        }
        return out
    }

    @inline(__always) private static func isAsciiLetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }
}
