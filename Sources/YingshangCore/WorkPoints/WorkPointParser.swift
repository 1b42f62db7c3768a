import Foundation

/// Parses work-point documents (工作要点 / 任务分工方案 …) into documents, outline and leaf tasks.
/// Pure: no I/O, no global state. Linear in the input size.
public struct WorkPointParser: Sendable {
    public struct Options: Sendable {
        /// Issue date of the document, used for relative deadlines ("印发之日起30日内").
        /// When nil, a signature date found in the text is used.
        public var issuedOn: WorkPointDate?
        /// Year used when neither the title nor the text gives one.
        public var defaultYear: Int?

        public init(issuedOn: WorkPointDate? = nil, defaultYear: Int? = nil) {
            self.issuedOn = issuedOn
            self.defaultYear = defaultYear
        }
    }

    public var options: Options

    public init(options: Options = .init()) {
        self.options = options
    }

    public func parse(_ text: String) -> WorkPointParseResult {
        let norm = WorkPointNormalizer.normalize(text)
        var run = WorkPointParseRun(lines: norm.lines, options: options)
        var docs = run.run()
        if norm.traditionalConverted > 0, !docs.isEmpty {
            docs[0].warnings.insert(WorkPointWarning(
                code: "traditional_converted",
                message: "文本含繁体字（\(norm.traditionalConverted) 处），已按简体识别。"), at: 0)
        }
        return WorkPointParseResult(documents: docs)
    }

    /// Convenience: decode bytes (UTF-8 / UTF-16 / GB18030) and parse.
    public func parse(data: Data) throws -> WorkPointParseResult {
        parse(try WorkPointText.decode(data))
    }
}

/// Mutable state of one parse.
struct WorkPointParseRun {
    typealias Scalars = [Unicode.Scalar]
    typealias S = WorkPointScan

    let lines: [WorkPointLine]
    let options: WorkPointParser.Options

    struct DocState {
        var titleLines: [String] = []
        var titleComplete = false
        var preamble: [Scalars] = []
        var nodes: [WorkPointNode] = []
        var stack: [Int] = []
        var kindLast: [WorkPointMarkerKind: Int] = [:]
        var issuedOn: WorkPointDate?
        var docNumberYear: Int?
        var closed = false
        var warnings: [WorkPointWarning] = []
        var hasItems: Bool { !nodes.isEmpty }
    }

    var docs: [WorkPointDocument] = []
    var cur: DocState? = nil
    /// Carried from an empty transmittal notice to the attached document.
    var carriedIssue: WorkPointDate? = nil
    var carriedDocYear: Int? = nil

    init(lines: [WorkPointLine], options: WorkPointParser.Options) {
        self.lines = WorkPointParseRun.renderTables(lines)
        self.options = options
    }

    /// Tab-separated tables with a responsibility header row become "任务（牵头单位：…；…）" lines.
    static func renderTables(_ lines: [WorkPointLine]) -> [WorkPointLine] {
        guard lines.contains(where: { $0.cells != nil }) else { return lines }
        var out: [WorkPointLine] = []
        out.reserveCapacity(lines.count)
        var i = 0
        while i < lines.count {
            guard let cells = lines[i].cells, WorkPointTableRenderer.isHeader(cells.map { S.string($0) }) else {
                out.append(lines[i])
                i += 1
                continue
            }
            var rows: [[String]] = [cells.map { S.string($0) }]
            var j = i + 1
            while j < lines.count, let c = lines[j].cells, lines[j].blankBefore == 0 {
                rows.append(c.map { S.string($0) })
                j += 1
            }
            var first = true
            for r in WorkPointTableRenderer.render(rows) {
                out.append(WorkPointLine(s: S.scalars(r), blankBefore: first ? lines[i].blankBefore : 0, isTOC: false))
                first = false
            }
            i = j
        }
        return out
    }

    mutating func run() -> [WorkPointDocument] {
        var i = 0
        let n = lines.count
        var firstEmptyDoc: WorkPointDocument? = nil
        while i < n {
            let line = lines[i]
            let s = line.s
            if WorkPointNoise.isNoise(line) { i += 1; continue }
            if let d = WorkPointNoise.dateOnly(s) {
                if cur != nil {
                    if cur!.issuedOn == nil { cur!.issuedOn = d }
                    if cur!.hasItems || !cur!.preamble.isEmpty { cur!.closed = true }
                }
                i += 1
                continue
            }
            if isSignatureName(i) { i += 1; continue }
            if let y = WorkPointNoise.docNumberYear(s), s.count <= 40, cur == nil || !cur!.hasItems {
                if cur == nil { cur = DocState() }
                cur!.docNumberYear = y
                i += 1
                continue
            }
            if let (title, next, complete) = titleAt(i), startsNewDocument(line, at: i) {
                finishDocument(keepEmptyInto: &firstEmptyDoc)
                var d = DocState()
                d.titleLines = title
                d.titleComplete = complete
                cur = d
                i = next
                continue
            }
            if cur == nil { cur = DocState() }
            if let m = WorkPointMarkerParser.parse(s), pushMarker(m, line: s) {
                i += 1
                continue
            }
            // Unnumbered text.
            if cur!.nodes.isEmpty {
                if cur!.titleLines.isEmpty && cur!.preamble.isEmpty && isLooseTitle(s) {
                    cur!.titleLines = [S.string(s)]
                } else {
                    cur!.preamble.append(s)
                }
            } else {
                let top = cur!.stack.last ?? (cur!.nodes.count - 1)
                cur!.nodes[top].body.append(s)
            }
            i += 1
        }
        finishDocument(keepEmptyInto: &firstEmptyDoc)
        if docs.isEmpty, let e = firstEmptyDoc { docs.append(e) }
        return docs
    }

    /// Builds the heading tree from the flat node list (parents always precede children). Iterative: no recursion depth issues.
    static func outline(_ nodes: [WorkPointNode]) -> [WorkPointOutlineNode] {
        if nodes.isEmpty { return [] }
        var children: [[Int]] = Array(repeating: [], count: nodes.count)
        var roots: [Int] = []
        var level: [Int] = Array(repeating: 1, count: nodes.count)
        for (k, n) in nodes.enumerated() {
            if let p = n.parent { children[p].append(k); level[k] = level[p] + 1 } else { roots.append(k) }
        }
        var built: [WorkPointOutlineNode?] = Array(repeating: nil, count: nodes.count)
        for k in stride(from: nodes.count - 1, through: 0, by: -1) {
            let n = nodes[k]
            built[k] = WorkPointOutlineNode(number: n.number, title: WorkPointTaskBuilder.headingTitle(n.heading),
                                            style: styleName(n.kind), level: level[k],
                                            children: children[k].map { built[$0]! })
        }
        return roots.map { built[$0]! }
    }

    static func styleName(_ k: WorkPointMarkerKind) -> String {
        switch k {
        case .chapter: return "chapter"
        case .cnComma: return "cn_comma"
        case .cnParen: return "cn_paren"
        case .arabicDot: return "arabic_dot"
        case .arabicParen: return "arabic_paren"
        case .arabicHalf: return "arabic_half_paren"
        case .circled: return "circled"
        }
    }

    // MARK: - Titles

    func startsNewDocument(_ line: WorkPointLine, at index: Int) -> Bool {
        guard let c = cur else { return true }
        if c.closed { return true }
        if c.hasItems { return line.blankBefore >= 1 || numberingRestartsAfter(index) }
        if c.preamble.isEmpty { return c.titleComplete || c.titleLines.isEmpty || line.blankBefore >= 1 }
        return false
    }

    /// Without a blank line, a title inside a document only starts a new one when the numbering restarts after it.
    func numberingRestartsAfter(_ i: Int) -> Bool {
        var j = i + 1
        while j < lines.count, j - i <= 40 {
            if let m = WorkPointMarkerParser.parse(lines[j].s) {
                return m.value == 1 && (m.kind == .cnComma || m.kind == .chapter || cur?.nodes.first?.kind == m.kind)
            }
            j += 1
        }
        return false
    }

    static let genreEndings: [[Unicode.Scalar]] = [
        "要点", "方案", "意见", "通知", "办法", "计划", "措施", "规划", "决定", "清单", "细则", "安排", "汇编", "纲要",
        "规定", "条例", "通报", "决议", "分工", "举措", "行动", "台账", "指引", "若干措施", "任务", "责任分解", "工作要点",
    ].map(S.scalars)

    static func isTitleCandidate(_ s: Scalars) -> Bool {
        guard s.count >= 6, s.count <= 70 else { return false }
        for c in s where c == "。" || c == "；" || c == "：" || c == "！" || c == "？" || c == "，" { return false }
        if s.first == S.lParen || WorkPointMarkerParser.parse(s) != nil { return false }
        var body = s[...]
        // strip a trailing bracket group: "（4篇）", "（试行）", "（2023年）"
        if body.last == S.rParen, let k = body.lastIndex(of: S.lParen), k > body.startIndex { body = body[body.startIndex..<k] }
        if body.last == "》" || body.last == "”" { body = body.dropLast() }
        return genreEndings.contains { S.hasSuffix(body, $0) }
    }

    /// A title may span up to three physical lines ("国务院关于做好当前和今后一个时期" / "促进就业工作的若干意见").
    func titleAt(_ i: Int) -> ([String], Int, Bool)? {
        var parts: [String] = []
        let atDocumentStart = cur == nil || cur!.closed || (!cur!.hasItems && cur!.preamble.isEmpty)
        var j = i
        while j < lines.count, j - i < 3 {
            let s = lines[j].s
            if j > i && lines[j].blankBefore > 0 { break }
            if WorkPointParseRun.isTitleCandidate(s) {
                parts.append(S.string(s))
                // "（2018—2020年）" / "（试行）" on the next line belongs to the title
                if j + 1 < lines.count, lines[j + 1].blankBefore == 0, let nx = lines[j + 1].s.first, nx == S.lParen,
                   lines[j + 1].s.last == S.rParen, lines[j + 1].s.count <= 16,
                   WorkPointMarkerParser.parse(lines[j + 1].s) == nil, !WorkPointSegmenter.startsWithLabel(lines[j + 1].s.dropFirst()) {
                    parts.append(S.string(lines[j + 1].s))
                    return (parts, j + 2, true)
                }
                return (parts, j + 1, true)
            }
            // continuation line: short, no punctuation, not numbered
            guard s.count >= 2, s.count <= 40, WorkPointMarkerParser.parse(s) == nil,
                  !s.contains(where: { $0 == "。" || $0 == "；" || $0 == "：" || $0 == "，" || $0 == "！" }) else { return nil }
            if j == i && !(S.contains(s, WorkPointNoise.litAbout) || S.contains(s, WorkPointNoise.litIssue) || atDocumentStart) { return nil }
            parts.append(S.string(s))
            j += 1
        }
        return nil
    }

    /// First line of a file that is short and unpunctuated is taken as the title even without a genre word.
    func isLooseTitle(_ s: Scalars) -> Bool {
        s.count >= 4 && s.count <= 40 && !s.contains(where: { $0 == "。" || $0 == "；" || $0 == "：" || $0 == "，" })
            && docs.isEmpty
    }

    /// Issuer line directly above a date-only signature line.
    func isSignatureName(_ i: Int) -> Bool {
        let s = lines[i].s
        guard s.count <= 30, i + 1 < lines.count, lines[i + 1].blankBefore <= 1,
              WorkPointNoise.dateOnly(lines[i + 1].s) != nil else { return false }
        if WorkPointMarkerParser.parse(s) != nil { return false }
        return !s.contains(where: { $0 == "。" || $0 == "；" || $0 == "，" || $0 == "：" })
    }

    // MARK: - Outline

    mutating func pushMarker(_ m: WorkPointMarker, line: Scalars) -> Bool {
        guard var d = cur else { return false }
        let heading = Array(line[m.length...])
        let lastOfKind = d.kindLast[m.kind] ?? 0
        if let pos = d.stack.lastIndex(where: { d.nodes[$0].kind == m.kind }) {
            let prev = d.nodes[d.stack[pos]].value
            if m.value == prev + 1 || m.value == lastOfKind + 1 {
                d.stack.removeSubrange(pos...)
            } else if m.value == prev + 2 {
                d.warnings.append(WorkPointWarning(code: "numbering_gap",
                                                   message: "编号不连续：\(m.display) 前缺少一项。", item: m.display))
                d.stack.removeSubrange(pos...)
            } else {
                return false
            }
        } else {
            let ok = m.value == 1 || m.value == lastOfKind + 1
            if !ok { return false }
            // A marker kind that is conventionally outer than the current top is unlikely to be a child
            // (e.g. "一、" directly after "（三）" without an enclosing "一、"): attach it at root level.
            while let top = d.stack.last, d.nodes[top].kind.rawValue > m.kind.rawValue,
                  !d.stack.contains(where: { d.nodes[$0].kind.rawValue < m.kind.rawValue }) {
                d.stack.removeLast()
            }
        }
        var node = WorkPointNode(kind: m.kind, value: m.value, number: m.display, heading: heading)
        node.parent = d.stack.last
        if let p = node.parent { d.nodes[p].hasChildren = true }
        d.nodes.append(node)
        d.stack.append(d.nodes.count - 1)
        d.kindLast[m.kind] = m.value
        cur = d
        return true
    }

    // MARK: - Finishing a document

    mutating func finishDocument(keepEmptyInto firstEmpty: inout WorkPointDocument?) {
        guard let d = cur else { return }
        cur = nil
        let title = d.titleLines.joined()
        let titleScalars = S.scalars(title)
        var year = WorkPointNoise.firstYear(in: titleScalars)
        let issued = options.issuedOn ?? d.issuedOn ?? carriedIssue
        if year == nil { year = issued?.year }
        if year == nil { year = d.docNumberYear ?? carriedDocYear }
        if year == nil { year = options.defaultYear }
        var yearInferred = false
        if year == nil, let y = d.preamble.lazy.compactMap({ WorkPointNoise.firstYear(in: $0) }).first {
            year = y
            yearInferred = true
        }
        let preamble = d.preamble.map { S.string($0) }.joined(separator: "\n")
        if !d.hasItems && !d.preamble.contains(where: { WorkPointSegmenter.hasAnnotation($0) }) {
            // e.g. a transmittal notice (印发…的通知) or the cover of a compilation: keep its dates for the next document.
            carriedIssue = d.issuedOn ?? carriedIssue
            carriedDocYear = d.docNumberYear ?? year ?? carriedDocYear
            if firstEmpty == nil && (!title.isEmpty || !preamble.isEmpty) {
                firstEmpty = WorkPointDocument(title: title, year: year, issuedOn: issued, preamble: preamble, items: [], warnings: d.warnings)
            }
            return
        }
        var builder = WorkPointTaskBuilder(state: d, year: year, issuedOn: issued)
        let items = builder.build()
        var warnings = d.warnings + builder.warnings
        if title.isEmpty {
            warnings.insert(WorkPointWarning(code: "title_missing", message: "未识别到文件标题。"), at: 0)
        }
        if year == nil {
            warnings.append(WorkPointWarning(code: "year_missing", message: "未识别到文件年份，无年份的时限无法换算为日期。"))
        } else if yearInferred, let y = year {
            warnings.insert(WorkPointWarning(code: "year_inferred", message: "标题中没有年份，按导语中的“\(y)年”确定文件年份，请核对。"), at: 0)
        }
        docs.append(WorkPointDocument(title: title, year: year, issuedOn: issued, preamble: preamble, items: items,
                                      warnings: warnings, outline: WorkPointParseRun.outline(d.nodes)))
        carriedIssue = nil
        carriedDocYear = nil
    }
}

/// Noise and metadata line recognisers.
enum WorkPointNoise {
    typealias S = WorkPointScan

    static let litAbout = S.scalars("关于")
    static let litIssue = S.scalars("印发")
    static let litTOC = S.scalars("目录")
    static let litTOCSpaced = S.scalars("目 录")
    static let pageNotes = ["（此件", "（此页", "（本页"].map(S.scalars)
    static let contactPrefixes = ["联系人：", "联系电话：", "联系电话", "电话：", "传真：", "邮箱：", "电子邮箱：", "抄送：", "地址："].map(S.scalars)

    static let adWords: [[Unicode.Scalar]] = [
        "素材", "会员", "公众号", "客服", "微信", "QQ", "网盘", "下载", "扫码", "关注我们", "VIP", "vip", "代发布", "接单",
        "好评", "原创", "淘宝", "加群", "版权所有", "侵权", "免费领取", "一键", "获取更多", "更多资料", "整理发布", "文库",
    ].map(S.scalars)

    static let adWordsByFirst: [Unicode.Scalar: [Int]] = {
        var m: [Unicode.Scalar: [Int]] = [:]
        for (k, w) in adWords.enumerated() { m[w[0], default: []].append(k) }
        return m
    }()

    static let adFirstMask: UInt64 = adWords.reduce(0) { $0 | (1 << UInt64($1[0].value & 63)) }
    static let adFirstMask2: UInt64 = adWords.reduce(0) { $0 | (1 << UInt64(($1[0].value >> 6) & 63)) }

    static func isNoise(_ line: WorkPointLine) -> Bool {
        let s = line.s
        if line.isTOC { return true }
        if s.isEmpty { return true }
        if s.first == "#" { return true }
        // "附件" / "附件2" on a line of its own
        if s.count <= 4, s.first == "附", s.count >= 2, s[1] == "件", s.dropFirst(2).allSatisfy({ S.isDigit($0) || $0 == "：" }) { return true }
        if s.count <= 3 && (S.equals(s[...], litTOC) || S.equals(s[...], litTOCSpaced)) { return true }
        if s.first == S.lParen && pageNotes.contains(where: { S.hasPrefix(s, $0) }) { return true }
        // page marks: "— 2 —", "-2-", "第2页 共10页", "2/10"
        if s.count <= 16 {
            var onlyPage = true
            var digits = 0
            for c in s {
                if S.isDigit(c) { digits += 1; continue }
                if c == "-" || c == "—" || c == " " || c == "/" || c == "第" || c == "页" || c == "共" || c == "·" || c == "－" || c == "–" { continue }
                onlyPage = false
                break
            }
            if onlyPage && digits > 0 { return true }
        }
        // advertisements / contact blurbs
        var score = 0
        var seen = Set<Int>()
        var i = 0
        while i < s.count {
            let v = s[i].value
            if adFirstMask & (1 << UInt64(v & 63)) != 0, adFirstMask2 & (1 << UInt64((v >> 6) & 63)) != 0,
               let cands = adWordsByFirst[s[i]] {
                for k in cands where !seen.contains(k) && S.has(s, adWords[k], at: i) {
                    seen.insert(k)
                    score += 1
                }
            }
            i += 1
        }
        if score >= 2 || (score >= 1 && s.first == "【") { return true }
        for p in contactPrefixes where S.hasPrefix(s, p) {
            return true
        }
        if s.count <= 40 && S.hasSuffix(s, litIssue) && firstYear(in: s) != nil && s.contains("月") { return true }
        return false
    }

    /// "2018年11月16日" (also with Chinese numerals) on a line of its own.
    static func dateOnly(_ s: [Unicode.Scalar]) -> WorkPointDate? {
        guard s.count >= 8, s.count <= 16 else { return nil }
        guard let (y, e1) = S.number(in: s, at: 0), e1 < s.count, s[e1] == "年",
              let (m, e2) = S.number(in: s, at: e1 + 1), e2 < s.count, s[e2] == "月",
              let (d, e3) = S.number(in: s, at: e2 + 1), e3 < s.count, s[e3] == "日" || s[e3] == "号",
              e3 + 1 == s.count, (1900...2200).contains(y), (1...12).contains(m),
              d >= 1, d <= WorkPointDate.daysInMonth(year: y, month: m) else { return nil }
        return WorkPointDate(year: y, month: m, day: d)
    }

    /// "国发〔2018〕39号" → 2018
    static func docNumberYear(_ s: [Unicode.Scalar]) -> Int? {
        guard s.last == "号", let k = s.firstIndex(where: { $0 == "〔" || $0 == "[" || $0 == "［" || $0 == "（" }),
              k + 5 < s.count else { return nil }
        var v = 0
        for q in (k + 1)...(k + 4) {
            guard S.isDigit(s[q]) else { return nil }
            v = v * 10 + S.digitValue(s[q])
        }
        let close = s[k + 5]
        guard close == "〕" || close == "]" || close == "］" || close == "）" else { return nil }
        return v
    }

    static func firstYear(in s: [Unicode.Scalar]) -> Int? { firstYear(in: s[...]) }
    static func firstYear(in s: ArraySlice<Unicode.Scalar>) -> Int? {
        var i = s.startIndex
        while i + 4 < s.endIndex {
            // "2023年", or the start of a period "2018—2020年"
            if S.isDigit(s[i]), i == s.startIndex || !S.isDigit(s[i - 1]),
               S.isDigit(s[i + 1]), S.isDigit(s[i + 2]), S.isDigit(s[i + 3]),
               s[i + 4] == "年" || ((s[i + 4] == "—" || s[i + 4] == "-" || s[i + 4] == "至") && i + 9 < s.endIndex && s[i + 9] == "年") {
                let v = S.digitValue(s[i]) * 1000 + S.digitValue(s[i + 1]) * 100 + S.digitValue(s[i + 2]) * 10 + S.digitValue(s[i + 3])
                if (1990...2100).contains(v) { return v }
            }
            i += 1
        }
        return nil
    }
}
