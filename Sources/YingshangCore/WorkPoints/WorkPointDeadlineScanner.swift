import Foundation

/// Finds and resolves deadlines ("2023年7月底前", "年底前", "本意见印发之日起30日内", "长期坚持").
enum WorkPointDeadlineScanner {
    typealias Scalars = [Unicode.Scalar]
    typealias S = WorkPointScan

    struct Found {
        var text: String
        var kind: WorkPointDeadline.Kind
        var date: WorkPointDate?
        var days: Int?
        var months: Int?
        var anchor: String?
        /// Needs the document year (no year written).
        var yearMissing = false
        /// Needs the issue date.
        var issueMissing = false
    }

    static let ongoingWords: [Scalars] = ["长期坚持", "持续推进", "长期推进", "持续开展", "长期执行", "常态化推进", "常态化开展", "常态化", "长期", "持续", "每年", "每季度", "每月", "每半年", "定期", "全年", "动态调整", "逐年推进", "久久为功"]
        .map(S.scalars)

    /// Resolves a deadline value written in an annotation ("完成时限：…").
    static func resolveAnnotation(_ text: String, year: Int?, issuedOn: WorkPointDate?) -> Found {
        let s = S.scalars(text)
        // Several dates ("4月启动，12月底前完成"): the latest one is the completion deadline.
        var best: Found? = nil
        var offset = 0
        var guardCount = 0
        while offset < s.count, guardCount < 16, let f = scan(Array(s[offset...]), year: year, issuedOn: issuedOn, body: false) {
            guardCount += 1
            if best == nil || (f.date != nil && (best!.date == nil || f.date! > best!.date!)) { best = f }
            let ft = S.scalars(f.text)
            guard !ft.isEmpty, let at = S.find(ft, in: s, from: offset) else { break }
            offset = at + ft.count
        }
        if var r = best {
            r.text = text
            return r
        }
        for w in ongoingWords where S.contains(s, w) {
            return Found(text: text, kind: .ongoing)
        }
        return Found(text: text, kind: .unresolved)
    }

    /// Finds the first deadline phrase in body text (policy periods are skipped).
    static func scanBody(_ s: Scalars, year: Int?, issuedOn: WorkPointDate?) -> Found? {
        scan(s, year: year, issuedOn: issuedOn, body: true)
    }

    private static func isPeriodConnector(_ c: Unicode.Scalar) -> Bool {
        c == "至" || c == "到" || c == "-" || c == "—" || c == "~" || c == "～" || c == "起" || c == "–"
    }

    static func scan(_ s: Scalars, year: Int?, issuedOn: WorkPointDate?, body: Bool) -> Found? {
        let n = s.count
        var i = 0
        while i < n {
            let c = s[i]
            // Relative: "(本意见)印发之日起30日内"
            if c == "之" && i + 2 < n && s[i + 1] == "日" && s[i + 2] == "起" {
                if let f = relative(s, at: i, issuedOn: issuedOn) { return f }
            }
            if S.isDigit(c) && (i == 0 || !S.isDigit(s[i - 1])) {
                var j = i
                var v = 0
                while j < n, S.isDigit(s[j]), j - i < 5 { v = v * 10 + S.digitValue(s[j]); j += 1 }
                if j < n, s[j] == "年", j - i == 4, v >= 1990, v <= 2100 {
                    if let (f, end) = yearDate(s, start: i, year: v, after: j + 1, body: body) {
                        if let f { return f }
                        i = end
                        continue
                    }
                } else if j < n, s[j] == "月", v >= 1, v <= 12, j - i <= 2 {
                    // month without year: "11月底前", "6月底完成", "9月30日前"
                    if let f = monthDate(s, start: i, month: v, after: j + 1, year: year, body: body) { return f }
                }
                i = j
                continue
            }
            // "年底前" / "年底" / "年内" without a year
            if c == "年" && (i == 0 || !S.isDigit(s[i - 1])) && i + 1 < n {
                let prevOK = i == 0 || s[i - 1] != "今" && s[i - 1] != "当" && s[i - 1] != "每" && s[i - 1] != "明" && s[i - 1] != "上" && s[i - 1] != "下" || !body
                if prevOK {
                    let nx = s[i + 1]
                    if nx == "底" || nx == "末" {
                        var e = i + 2
                        var hasBefore = false
                        if e < n, s[e] == "前" { e += 1; hasBefore = true }
                        if !body || hasBefore || (e < n && (s[e] == "完" || s[e] == "实" || s[e] == "建" || s[e] == "出")) {
                            var f = Found(text: S.string(s[i..<e]), kind: .date)
                            if let y = year { f.date = WorkPointDate(year: y, month: 12, day: 31) } else { f.kind = .unresolved; f.yearMissing = true }
                            return f
                        }
                    } else if nx == "内" && !body {
                        var f = Found(text: "年内", kind: .date)
                        if let y = year { f.date = WorkPointDate(year: y, month: 12, day: 31) } else { f.kind = .unresolved; f.yearMissing = true }
                        return f
                    }
                }
            }
            // "上半年" / "下半年" (annotation only, or preceded by a year handled above)
            if !body && (c == "上" || c == "下") && i + 2 < n && s[i + 1] == "半" && s[i + 2] == "年" {
                var f = Found(text: S.string(s[i..<(i + 3)]), kind: .date)
                if let y = year { f.date = c == "上" ? WorkPointDate(year: y, month: 6, day: 30) : WorkPointDate(year: y, month: 12, day: 31) } else { f.kind = .unresolved; f.yearMissing = true }
                return f
            }
            i += 1
        }
        return nil
    }

    /// Parses after "YYYY年". Returns (found or nil-to-skip, resume index) or nil if nothing matched.
    private static func yearDate(_ s: Scalars, start: Int, year: Int, after: Int, body: Bool) -> (Found?, Int)? {
        let n = s.count
        var j = after
        var month: Int? = nil
        var day: Int? = nil
        var date: WorkPointDate? = nil
        // month
        var m = 0
        var k = j
        while k < n, S.isDigit(s[k]), k - j < 2 { m = m * 10 + S.digitValue(s[k]); k += 1 }
        if k > j, k < n, s[k] == "月", m >= 1, m <= 12 {
            month = m
            j = k + 1
            var d = 0
            var k2 = j
            while k2 < n, S.isDigit(s[k2]), k2 - j < 2 { d = d * 10 + S.digitValue(s[k2]); k2 += 1 }
            if k2 > j, k2 < n, (s[k2] == "日" || s[k2] == "号"), d >= 1, d <= 31 {
                day = d
                j = k2 + 1
            }
        }
        // policy period?  "2019年1月1日至12月31日", "从2019年1月1日起"
        let before: Unicode.Scalar? = start > 0 ? s[start - 1] : nil
        if let b = before, b == "从" || b == "自" || b == "至" || b == "—" || b == "-" || b == "~" || b == "～" {
            return (nil, j)
        }
        if j < n, isPeriodConnector(s[j]) {
            // skip the second half of the period as well
            var e = j + 1
            while e < n, S.isDigit(s[e]) || s[e] == "年" || s[e] == "月" || s[e] == "日" || s[e] == "号" { e += 1 }
            return (nil, e)
        }
        var textEnd = j
        var qualifies = false
        if let mo = month {
            if let d = day {
                date = WorkPointDate(year: year, month: mo, day: min(d, WorkPointDate.daysInMonth(year: year, month: mo)))
                if j < n, s[j] == "前" { textEnd = j + 1; qualifies = true }
                else if j + 1 < n, (s[j] == "以" || s[j] == "之"), s[j + 1] == "前" { textEnd = j + 2; qualifies = true }
                else if hasFinishVerb(s, j) { qualifies = true }
                else if !body { qualifies = true }
            } else {
                date = WorkPointDate.endOfMonth(year: year, month: mo)
                if j < n, s[j] == "底" || s[j] == "末" {
                    textEnd = j + 1
                    qualifies = true
                    if textEnd < n, s[textEnd] == "前" { textEnd += 1 }
                } else if j < n, s[j] == "前" {
                    textEnd = j + 1
                    qualifies = true
                } else if j + 1 < n, s[j] == "中", s[j + 1] == "旬" {
                    date = WorkPointDate(year: year, month: mo, day: 20)
                    textEnd = j + 2
                    if textEnd < n, s[textEnd] == "前" { textEnd += 1 }
                    qualifies = true
                } else if j + 1 < n, s[j] == "上", s[j + 1] == "旬" {
                    date = WorkPointDate(year: year, month: mo, day: 10)
                    textEnd = j + 2
                    if textEnd < n, s[textEnd] == "前" { textEnd += 1 }
                    qualifies = true
                } else if !body || hasFinishVerb(s, j) {
                    qualifies = true
                }
            }
        } else {
            // "2023年底前", "2023年年底", "2019年上半年", "2025年前", "到2020年"
            if j < n, s[j] == "底" || s[j] == "末" {
                textEnd = j + 1
                if textEnd < n, s[textEnd] == "前" { textEnd += 1 }
                date = WorkPointDate(year: year, month: 12, day: 31)
                qualifies = true
            } else if j + 1 < n, s[j] == "年", (s[j + 1] == "底" || s[j + 1] == "末") {
                textEnd = j + 2
                if textEnd < n, s[textEnd] == "前" { textEnd += 1 }
                date = WorkPointDate(year: year, month: 12, day: 31)
                qualifies = true
            } else if j + 2 < n, (s[j] == "上" || s[j] == "下"), s[j + 1] == "半", s[j + 2] == "年" {
                textEnd = j + 3
                if textEnd < n, s[textEnd] == "前" || s[textEnd] == "内" { textEnd += 1 }
                date = s[j] == "上" ? WorkPointDate(year: year, month: 6, day: 30) : WorkPointDate(year: year, month: 12, day: 31)
                qualifies = true
            } else if j + 2 < n, s[j] == "第" || ChineseNumerals.digit(s[j]) != nil, let q = quarter(s, j) {
                date = WorkPointDate.endOfMonth(year: year, month: q.0 * 3)
                textEnd = q.1
                if textEnd < n, s[textEnd] == "末" || s[textEnd] == "底" { textEnd += 1 }
                if textEnd < n, s[textEnd] == "前" { textEnd += 1 }
                qualifies = true
            } else if j < n, s[j] == "前", !(j + 1 < n && (ChineseNumerals.isNumeralCharacter(s[j + 1]) || s[j + 1] == "季" || s[j + 1] == "半" || S.isDigit(s[j + 1]))) {
                // "2025年前" (but not "2022年前三季度")
                textEnd = j + 1
                date = WorkPointDate(year: year, month: 12, day: 31)
                qualifies = true
            } else if j < n, s[j] == "内" {
                textEnd = j + 1
                date = WorkPointDate(year: year, month: 12, day: 31)
                qualifies = true
            } else {
                date = WorkPointDate(year: year, month: 12, day: 31)
                if let b = before, b == "到" { qualifies = true }
                if !body { qualifies = true }
            }
        }
        guard qualifies, let dt = date else { return (nil, j) }
        var textStart = start
        if let b = before, b == "到", month == nil, day == nil, textEnd == j { textStart = start - 1 }
        return (Found(text: S.string(s[textStart..<textEnd]), kind: .date, date: dt), textEnd)
    }

    private static func quarter(_ s: Scalars, _ j: Int) -> (Int, Int)? {
        var k = j
        if s[k] == "第" { k += 1 }
        guard k + 2 < s.count || k + 1 < s.count, let d = ChineseNumerals.digit(s[k]), (1...4).contains(d) else { return nil }
        if k + 2 < s.count, s[k + 1] == "季", s[k + 2] == "度" { return (d, k + 3) }
        return nil
    }

    private static func hasFinishVerb(_ s: Scalars, _ j: Int) -> Bool {
        guard j + 1 < s.count else { return false }
        let a = s[j], b = s[j + 1]
        return (a == "完" && b == "成") || (a == "实" && b == "现") || (a == "建" && b == "成") || (a == "出" && b == "台")
            || (a == "办" && b == "结") || (a == "启" && b == "动") || (a == "上" && b == "线") || (a == "印" && b == "发")
    }

    /// Month without a year: "11月底前", "6月底完成", "9月30日前".
    private static func monthDate(_ s: Scalars, start: Int, month: Int, after: Int, year: Int?, body: Bool) -> Found? {
        let n = s.count
        if start > 0, s[start - 1] == "年" || s[start - 1] == "至" || s[start - 1] == "-" || s[start - 1] == "每" || S.isDigit(s[start - 1]) { return nil }
        var j = after
        var textEnd = j
        var day: Int? = nil
        var d = 0
        var k = j
        while k < n, S.isDigit(s[k]), k - j < 2 { d = d * 10 + S.digitValue(s[k]); k += 1 }
        if k > j, k < n, s[k] == "日" || s[k] == "号", d >= 1, d <= 31 { day = d; j = k + 1; textEnd = j }
        var qualifies = false
        if day == nil, j < n, s[j] == "底" || s[j] == "末" {
            textEnd = j + 1
            if textEnd < n, s[textEnd] == "前" { textEnd += 1 }
            qualifies = true
        } else if j < n, s[j] == "前" {
            textEnd = j + 1
            qualifies = true
        } else if day != nil, j + 1 < n, (s[j] == "以" || s[j] == "之"), s[j + 1] == "前" {
            textEnd = j + 2
            qualifies = true
        } else if !body {
            qualifies = true
        }
        if j < n, isPeriodConnector(s[j]) { return nil }
        guard qualifies else { return nil }
        var f = Found(text: S.string(s[start..<textEnd]), kind: .date)
        if let y = year {
            f.date = day.map { WorkPointDate(year: y, month: month, day: min($0, WorkPointDate.daysInMonth(year: y, month: month))) }
                ?? WorkPointDate.endOfMonth(year: y, month: month)
        } else {
            f.kind = .unresolved
            f.yearMissing = true
        }
        return f
    }

    /// At `i` is "之日起". Looks back for "本意见印发" and forward for "30日内".
    private static func relative(_ s: Scalars, at i: Int, issuedOn: WorkPointDate?) -> Found? {
        let n = s.count
        var j = i + 3
        guard let (num, e) = S.number(in: s, at: j) else { return nil }
        j = e
        var months: Int? = nil
        var days: Int? = nil
        if j < n, s[j] == "个" { j += 1 }
        if j + 2 < n, s[j] == "工", s[j + 1] == "作", s[j + 2] == "日" { days = num; j += 3 } // working days approximated
        else if j < n, s[j] == "日" || s[j] == "天" { days = num; j += 1 }
        else if j < n, s[j] == "月" { months = num; j += 1 }
        else if j < n, s[j] == "年" { months = num * 12; j += 1 }
        else { return nil }
        if j < n, s[j] == "内" { j += 1 } else if j + 1 < n, s[j] == "以", s[j + 1] == "内" { j += 2 } else { return nil }
        // look back for the anchor start
        var b = i
        var steps = 0
        while b > 0, steps < 12, S.isCJK(s[b - 1]) || s[b - 1] == "《" || s[b - 1] == "》" {
            b -= 1
            steps += 1
            if s[b] == "本" || s[b] == "自" || s[b] == "从" { break }
        }
        if b < i, s[b] == "自" || s[b] == "从", b + 1 < i { /* keep 自 in text */ }
        // only keep the look-back if it ends in a publishing verb
        let anchorSlice = s[b..<i]
        let verbs = ["印发", "发布", "下发", "出台", "实施", "施行", "公布", "生效"].map(S.scalars)
        guard verbs.contains(where: { S.hasSuffix(anchorSlice, $0) }) else { return nil }
        var start = b
        if s[b] != "本" && s[b] != "自" && s[b] != "从" {
            // trim to the verb only
            start = i - 2
        }
        var f = Found(text: S.string(s[start..<j]), kind: .relative, days: days, months: months, anchor: S.string(s[start..<(i + 2)]))
        if let base = issuedOn {
            if let d = days { f.date = base.adding(days: d) } else if let m = months { f.date = base.adding(months: m) }
        } else {
            f.issueMissing = true
        }
        return f
    }
}
