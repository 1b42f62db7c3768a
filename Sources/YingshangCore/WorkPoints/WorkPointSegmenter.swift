import Foundation

/// Finds responsibility annotations in a paragraph.
enum WorkPointSegmenter {
    typealias Scalars = [Unicode.Scalar]
    typealias S = WorkPointScan

    struct Found {
        var start: Int
        var end: Int
        var info: WorkPointAnnotationInfo
    }

    static func hasAnnotation(_ p: Scalars) -> Bool { !annotations(in: p).isEmpty }

    static let roleWords = ["负责", "牵头", "指导", "参与", "配合", "督导"].map(S.scalars)

    /// Annotations of a paragraph, in order. Linear: each top-level bracket group is examined once.
    static func annotations(in p: Scalars) -> [Found] {
        var out: [Found] = []
        let n = p.count
        if n == 0 { return out }
        // A label line of its own: "牵头单位：…；配合单位：…"
        if startsWithLabel(p[...]) {
            if let info = WorkPointAnnotationParser.parse(p[...]) {
                return [Found(start: 0, end: n, info: info)]
            }
        }
        var depth = 0
        var openAt = -1
        var i = 0
        var lastSentenceEnd = -1
        var inlineLabelChecked = false
        while i < n {
            let c = p[i]
            if S.isOpenBracket(c) && c != S.lBook {
                if depth == 0 { openAt = i }
                depth += 1
            } else if S.isCloseBracket(c) && c != S.rBook {
                if depth > 0 {
                    depth -= 1
                    if depth == 0 && openAt >= 0 {
                        let len = i - openAt - 1
                        if len >= 2 && (len <= 4000 || startsWithLabel(p[(openAt + 1)..<i])), looksLikeAnnotation(p[(openAt + 1)..<i]),
                           let info = WorkPointAnnotationParser.parse(p[(openAt + 1)..<i]) {
                            out.append(Found(start: openAt, end: i + 1, info: info))
                        } else if p[openAt] == S.lParen || p[openAt] == S.lTortoise || p[openAt] == S.lLenticular,
                                  closesSentence(p, openAt: openAt, closeAt: i),
                                  let info = WorkPointAnnotationParser.parseBareUnitList(p[(openAt + 1)..<i]) {
                            out.append(Found(start: openAt, end: i + 1, info: info))
                        }
                        openAt = -1
                    }
                }
            } else if depth == 0 && c == S.period {
                lastSentenceEnd = i
            } else if depth == 0 && !inlineLabelChecked && lastSentenceEnd == i - 1 && lastSentenceEnd >= 0 {
                // "……。责任单位：市发改委；完成时限：6月底前" without brackets
                if startsWithLabel(p[i...]) {
                    inlineLabelChecked = true
                    if let info = WorkPointAnnotationParser.parse(p[i...]) {
                        out.append(Found(start: i, end: n, info: info))
                        return out
                    }
                }
            }
            i += 1
        }
        // Unclosed bracket at the very end: "（牵头单位：市发改委" — accept if it parses as labelled.
        if depth > 0, openAt >= 0, startsWithLabel(p[(openAt + 1)...]),
           let info = WorkPointAnnotationParser.parse(p[(openAt + 1)...]) {
            var inf = info
            inf.problems.append("责任标注括号未闭合")
            out.append(Found(start: openAt, end: n, info: inf))
        }
        return out
    }

    /// The bracket follows a sentence end ("。（…）") or ends the paragraph: the position of annotations.
    static func closesSentence(_ p: Scalars, openAt: Int, closeAt: Int) -> Bool {
        let before = openAt > 0 ? p[openAt - 1] : nil
        var k = closeAt + 1
        while k < p.count, p[k] == " " { k += 1 }
        let after: Unicode.Scalar? = k < p.count ? p[k] : nil
        let endsParagraph = after == nil || after == S.period || after == S.semicolon || after == S.rParen
        return before == S.period || before == S.semicolon || (endsParagraph && before != nil)
    }

    /// Cheap pre-check before the full parse.
    static func looksLikeAnnotation(_ c: ArraySlice<Unicode.Scalar>) -> Bool {
        if startsWithLabel(c) { return true }
        // unlabelled: must end (before optional rule sentence) with a role verb somewhere
        return roleWords.contains { S.contains(c, $0) }
    }

    static func startsWithLabel(_ c: ArraySlice<Unicode.Scalar>) -> Bool {
        var i = c.startIndex
        while i < c.endIndex, S.isSpace(c[i]) { i += 1 }
        guard i < c.endIndex, WorkPointAnnotationParser.mayStartLabel(c[i]) else { return false }
        for (lab, _) in WorkPointAnnotationParser.labels where S.has(c, lab, at: i) {
            var j = i + lab.count
            while j < c.endIndex, S.isSpace(c[j]) { j += 1 }
            if j < c.endIndex, c[j] == S.colon { return true }
        }
        return false
    }
}

/// Turns the outline of one document into leaf tasks.
struct WorkPointTaskBuilder {
    typealias Scalars = [Unicode.Scalar]
    typealias S = WorkPointScan

    let state: WorkPointParseRun.DocState
    let year: Int?
    let issuedOn: WorkPointDate?
    var warnings: [WorkPointWarning] = []
    var firstIsLeadRule = false

    init(state: WorkPointParseRun.DocState, year: Int?, issuedOn: WorkPointDate?) {
        self.state = state
        self.year = year
        self.issuedOn = issuedOn
    }

    mutating func build() -> [WorkPointTask] {
        let nodes = state.nodes
        // Preamble may state the first-is-lead rule.
        for p in state.preamble where WorkPointAnnotationParser.statesFirstIsLeadRule(p) {
            firstIsLeadRule = true
        }
        var tasks: [WorkPointTask] = []
        if nodes.isEmpty {
            // Unnumbered document: the annotated preamble paragraphs are the tasks.
            tasks += leafTasks(number: "", path: [], paragraphs: state.preamble, inherited: nil, isLastLeaf: true)
            return tasks
        }
        // Headings (number + lead phrase) for paths, and annotations written on non-leaf headings.
        var headings: [String] = []
        headings.reserveCapacity(nodes.count)
        var ownAnnotation: [WorkPointAnnotationInfo?] = Array(repeating: nil, count: nodes.count)
        for (k, node) in nodes.enumerated() {
            // only ancestors appear in paths
            headings.append(node.hasChildren ? node.number + WorkPointTaskBuilder.headingTitle(node.heading) : "")
            if node.hasChildren {
                var merged: WorkPointAnnotationInfo? = nil
                for p in [node.heading] + node.body {
                    for f in WorkPointSegmenter.annotations(in: p) {
                        if merged == nil { merged = f.info } else { merged!.merge(f.info) }
                    }
                }
                ownAnnotation[k] = merged
            }
        }
        let lastLeaf = nodes.lastIndex(where: { !$0.hasChildren }) ?? (nodes.count - 1)
        // A non-leaf item with its own annotation is a task of its own when all its leaves carry their own
        // annotations (otherwise the leaves inherit the annotation).
        var allLeavesAnnotated: [Bool] = []
        if ownAnnotation.contains(where: { $0 != nil }) {
            allLeavesAnnotated = Array(repeating: true, count: nodes.count)
            for k in stride(from: nodes.count - 1, through: 0, by: -1) {
                if !nodes[k].hasChildren {
                    allLeavesAnnotated[k] = ([nodes[k].heading] + nodes[k].body).contains { WorkPointSegmenter.hasAnnotation($0) }
                }
                if let p = nodes[k].parent { allLeavesAnnotated[p] = allLeavesAnnotated[p] && allLeavesAnnotated[k] }
            }
        }
        for (k, node) in nodes.enumerated() {
            if node.hasChildren {
                guard ownAnnotation[k] != nil, !allLeavesAnnotated.isEmpty, allLeavesAnnotated[k] else { continue }
            }
            var path: [String] = []
            var inherited: WorkPointAnnotationInfo? = nil
            var p = node.parent
            while let q = p {
                path.append(headings[q])
                if inherited == nil, let a = ownAnnotation[q] { inherited = a }
                p = nodes[q].parent
            }
            path.reverse()
            if node.hasChildren { inherited = nil }
            tasks += leafTasks(number: node.number, path: path, paragraphs: [node.heading] + node.body,
                               inherited: inherited, isLastLeaf: k == lastLeaf)
        }
        return tasks
    }

    private static func isSubstantive(_ s: [Unicode.Scalar]) -> Bool {
        var count = 0
        for c in s where S.isCJK(c) || S.isDigit(c) {
            count += 1
            if count >= 2 { return true }
        }
        return false
    }

    mutating func leafTasks(number: String, path: [String], paragraphs: [Scalars],
                            inherited: WorkPointAnnotationInfo?, isLastLeaf: Bool) -> [WorkPointTask] {
        var tasks: [WorkPointTask] = []
        var pending: Scalars = []
        var pendingPara = 1
        var infos: [WorkPointAnnotationInfo?] = []
        var texts: [Scalars] = []
        for (pi, para) in paragraphs.enumerated() {
            let anns = WorkPointSegmenter.annotations(in: para)
            var cursor = 0
            var seg = 0
            if !WorkPointTaskBuilder.isSubstantive(pending) { pendingPara = pi + 1 }
            for a in anns {
                if !pending.isEmpty && cursor == 0 && a.start > 0 { pending.append("\n") }
                pending += para[cursor..<a.start]
                cursor = a.end
                if WorkPointTaskBuilder.isSubstantive(pending) || tasks.isEmpty {
                    seg += 1
                    tasks.append(makeTask(number: number, path: path, text: pending, annotation: a.info,
                                          paragraph: pi + 1, segment: seg))
                    infos.append(a.info)
                    texts.append(pending)
                } else {
                    // a second annotation for the same text ("（牵头单位：…）（完成时限：…）" or label lines)
                    let last = tasks.removeLast()
                    var info = infos.removeLast() ?? a.info
                    info.merge(a.info)
                    let rawText = texts.removeLast()
                    tasks.append(makeTask(number: last.number, path: last.path, text: rawText, annotation: info,
                                          paragraph: last.paragraph, segment: last.segment))
                    infos.append(info)
                    texts.append(rawText)
                }
                pending.removeAll(keepingCapacity: true)
                pendingPara = pi + 1
            }
            let rest = para[cursor...]
            if !rest.isEmpty {
                if !pending.isEmpty { pending.append("\n") }
                pending += rest
            }
        }
        if WorkPointTaskBuilder.isSubstantive(pending) {
            if tasks.isEmpty {
                var t = makeTask(number: number, path: path, text: pending, annotation: inherited, paragraph: pendingPara, segment: 1)
                if inherited != nil { t.annotated = true }
                tasks.append(t)
            } else if !isLastLeaf {
                tasks.append(makeTask(number: number, path: path, text: pending, annotation: nil, paragraph: pendingPara, segment: 1))
            }
            // trailing text after the last annotated item of a document is closing text, not a task
        }
        return tasks
    }

    mutating func makeTask(number: String, path: [String], text raw: Scalars, annotation: WorkPointAnnotationInfo?,
                           paragraph: Int, segment: Int) -> WorkPointTask {
        let text = S.trimmed(raw[...], extra: { $0 == "\n" || $0 == "）" || $0 == "，" || $0 == "；" })
        let textArr = Array(text)
        // e.g. "二、（一）": numbers of the enclosing headings and of the item
        let itemRef = { path.compactMap { WorkPointMarkerParser.parse(S.scalars($0))?.display }.joined() + number }
        var task = WorkPointTask(number: number, path: path, title: WorkPointTaskBuilder.leadPhrase(textArr),
                                 text: S.string(textArr), paragraph: paragraph, segment: segment)
        if var info = annotation {
            if info.firstIsLeadRule { firstIsLeadRule = true }
            if info.plainLeadGroup && firstIsLeadRule && info.lead.count > 1 {
                info.co = Array(info.lead.dropFirst()) + info.co
                info.lead = [info.lead[0]]
            }
            task.annotated = true
            task.annotation = info.raw
            task.leadUnits = dedupe(info.lead)
            if task.leadUnits.count <= 12 {
                let leads = task.leadUnits
                task.coUnits = dedupe(info.co).filter { c in !leads.contains { $0.utf8.elementsEqual(c.utf8) } }
            } else {
                let leadSet = Set(task.leadUnits)
                task.coUnits = dedupe(info.co).filter { !leadSet.contains($0) }
            }
            task.guideUnits = dedupe(info.guide)
            task.scope = info.scope
            for p in info.problems {
                warnings.append(WorkPointWarning(code: "unit_split", message: p, item: itemRef()))
            }
            if let dt = info.deadlineText {
                let f = WorkPointDeadlineScanner.resolveAnnotation(dt, year: year, issuedOn: issuedOn)
                task.deadline = deadline(from: f, source: "annotation", item: itemRef)
            }
            if task.leadUnits.isEmpty && task.guideUnits.isEmpty && !info.co.isEmpty {
                warnings.append(WorkPointWarning(code: "lead_missing", message: "责任标注中未识别到牵头单位。", item: itemRef()))
            }
        }
        if task.deadline == nil, let f = WorkPointDeadlineScanner.scanBody(textArr, year: year, issuedOn: issuedOn) {
            task.deadline = deadline(from: f, source: "body", item: itemRef)
        }
        task.targets = WorkPointTargetScanner.scan(textArr)
        return task
    }

    private mutating func deadline(from f: WorkPointDeadlineScanner.Found, source: String, item itemRef: () -> String) -> WorkPointDeadline {
        var d = WorkPointDeadline(text: f.text, kind: f.kind, date: f.date?.iso, days: f.days, months: f.months,
                                  anchor: f.anchor, source: source)
        if f.kind == .unresolved {
            if f.yearMissing {
                warnings.append(WorkPointWarning(code: "deadline_year_missing", message: "完成时限“\(f.text)”未写年份，且未能确定文件年份。", item: itemRef()))
            } else {
                warnings.append(WorkPointWarning(code: "deadline_unresolved", message: "无法解析完成时限：“\(f.text)”。", item: itemRef()))
            }
        }
        if f.kind == .relative && f.issueMissing {
            warnings.append(WorkPointWarning(code: "deadline_relative_no_issue_date",
                                             message: "完成时限“\(f.text)”以印发日期为起点，但未知印发日期，无法换算为具体日期。", item: itemRef()))
            d.date = nil
        }
        return d
    }

    private func dedupe(_ a: [String]) -> [String] {
        if a.count <= 12 {
            // byte comparison: String == on CJK text goes through Unicode normalisation
            var out: [String] = []
            for x in a where !x.isEmpty && !out.contains(where: { $0.utf8.elementsEqual(x.utf8) }) { out.append(x) }
            return out
        }
        var seen = Set<String>()
        var out: [String] = []
        for x in a where !x.isEmpty && seen.insert(x).inserted { out.append(x) }
        return out
    }

    /// Lead phrase of a heading line with its annotations removed.
    static func headingTitle(_ heading: Scalars) -> String {
        let quick = leadPhrase(heading)
        // only when the phrase reaches into a bracket can an annotation be part of it
        if !quick.unicodeScalars.contains(where: { S.isOpenBracket($0) }) { return quick }
        let anns = WorkPointSegmenter.annotations(in: heading)
        if anns.isEmpty { return leadPhrase(heading) }
        var out: Scalars = []
        var cur = 0
        for a in anns {
            out += heading[cur..<a.start]
            cur = a.end
        }
        out += heading[cur...]
        return leadPhrase(out)
    }

    /// The lead phrase: first sentence if short, else first clause, else the first 40 characters.
    static func leadPhrase(_ s: Scalars) -> String {
        var t = s[...]
        if let nl = t.firstIndex(of: "\n") { t = t[t.startIndex..<nl] }
        var depth = 0
        var firstComma: Int? = nil
        var i = t.startIndex
        while i < t.endIndex {
            let c = t[i]
            if S.isOpenBracket(c) || c == S.lQuote { depth += 1 }
            else if S.isCloseBracket(c) || c == S.rQuote { if depth > 0 { depth -= 1 } }
            else if depth == 0 {
                if c == "。" || c == "；" || c == "！" || c == "？" || c == "：" {
                    if i - t.startIndex <= 50 { return S.string(S.trimmed(t[t.startIndex..<i])) }
                    break
                }
                if c == "，" && firstComma == nil { firstComma = i }
            }
            i += 1
        }
        if i >= t.endIndex && t.count <= 50 { return S.string(S.trimmed(t, extra: { $0 == "。" })) }
        if let fc = firstComma, fc - t.startIndex >= 4, fc - t.startIndex <= 50 {
            return S.string(t[t.startIndex..<fc])
        }
        return S.string(t.prefix(40))
    }
}
