import Foundation

/// Parsed responsibility annotation, e.g. "（牵头单位：…；配合单位：…；完成时限：…）".
struct WorkPointAnnotationInfo: Sendable {
    var raw: String
    var lead: [String] = []
    var co: [String] = []
    var guide: [String] = []
    /// Deadline value as written in the annotation.
    var deadlineText: String?
    var scope: String?
    /// The annotation states the rule "列第一位者为牵头单位".
    var firstIsLeadRule = false
    /// Units listed with a plain lead verb (负责 …) without explicit labels; subject to the first-is-lead rule.
    var plainLeadGroup = false
    /// Problems found while splitting unit lists (Chinese messages).
    var problems: [String] = []

    mutating func merge(_ o: WorkPointAnnotationInfo) {
        raw += "；" + o.raw
        lead += o.lead
        co += o.co
        guide += o.guide
        if deadlineText == nil { deadlineText = o.deadlineText }
        if scope == nil { scope = o.scope }
        firstIsLeadRule = firstIsLeadRule || o.firstIsLeadRule
        plainLeadGroup = plainLeadGroup && o.plainLeadGroup
        problems += o.problems
    }
}

enum WorkPointAnnotationParser {
    typealias Scalars = [Unicode.Scalar]
    typealias S = WorkPointScan

    /// `.responsible` (责任单位 …) leads unless a 牵头 label is present, in which case it cooperates.
    enum Role { case lead, responsible, co, guide, deadline, scope, ignore }

    static let litLead = S.scalars("牵头")
    static let litLeadResponsible = S.scalars("牵头负责")
    static let litResponsible = S.scalars("负责")
    /// Verbs that name every listed unit as lead, overriding a first-listed-is-lead rule.
    static let explicitLeadVerbs = ["牵头", "牵头负责", "分别牵头", "分别牵头负责", "分别负责", "共同牵头"].map(S.scalars)
    static let litTogetherWith = S.scalars("会同")
    static let litPurpose = S.scalars("目的")
    static let litRequirement = S.scalars("要求")
    static let firstPositionWords = ["第一位", "首位", "排名第一", "第一个", "排第一"].map(S.scalars)
    static let ruleSentencePrefixes = ["以下", "下同", "此处", "其中"].map(S.scalars)
    static let ruleSentenceWords = ["不再列出", "不再一一列出"].map(S.scalars)

    private static func list(_ items: [(String, Role)]) -> [(Scalars, Role)] {
        items.map { (S.scalars($0.0), $0.1) }.sorted { $0.0.count > $1.0.count }
    }

    /// Labels that introduce a value with a colon.
    static let labels: [(Scalars, Role)] = list([
        ("牵头单位", .lead), ("牵头部门", .lead), ("牵头处室", .lead), ("牵头科室", .lead), ("牵头", .lead),
        ("责任单位", .responsible), ("责任部门", .responsible), ("责任科室", .responsible), ("责任处室", .responsible), ("责任主体", .responsible),
        ("主责单位", .lead), ("主责部门", .lead), ("负责单位", .lead), ("负责部门", .lead), ("主办单位", .lead),
        ("承办单位", .responsible), ("实施单位", .responsible), ("落实单位", .responsible), ("牵头责任单位", .lead), ("具体责任单位", .responsible),
        ("配合单位", .co), ("配合部门", .co), ("配合处室", .co), ("配合科室", .co), ("协办单位", .co),
        ("参与单位", .co), ("协同单位", .co), ("协助单位", .co), ("协作单位", .co), ("配合", .co), ("参与部门", .co),
        ("指导单位", .guide), ("指导部门", .guide),
        ("完成时限", .deadline), ("完成时间", .deadline), ("时间要求", .deadline), ("时限要求", .deadline),
        ("时间节点", .deadline), ("完成期限", .deadline), ("办结时限", .deadline), ("时限", .deadline),
        ("完成时效", .deadline), ("推进时限", .deadline), ("进度安排", .deadline),
        ("适用范围", .scope),
        ("责任领导", .ignore), ("牵头领导", .ignore), ("分管领导", .ignore), ("责任人", .ignore), ("联系人", .ignore),
        ("牵头领导单位", .ignore),
    ])

    /// Quick reject: two 64-bit masks over the first characters of all labels.
    static let labelMaskLow: UInt64 = labels.reduce(0) { $0 | (1 << UInt64($1.0[0].value & 63)) }
    static let labelMaskHigh: UInt64 = labels.reduce(0) { $0 | (1 << UInt64(($1.0[0].value >> 6) & 63)) }

    @inline(__always) static func mayStartLabel(_ c: Unicode.Scalar) -> Bool {
        labelMaskLow & (1 << UInt64(c.value & 63)) != 0 && labelMaskHigh & (1 << UInt64((c.value >> 6) & 63)) != 0
    }

    /// Role verbs that may close an unlabelled clause ("X、Y负责", "X牵头", "Y参与", "Z指导").
    static let verbs: [(Scalars, Role)] = list([
        ("按职责分工负责", .lead), ("按照职责分工负责", .lead), ("按职责负责", .lead), ("按职能分工负责", .lead),
        ("分别牵头负责", .lead), ("分别牵头", .lead), ("分别负责", .lead), ("牵头负责", .lead), ("负责落实", .lead),
        ("负责实施", .lead), ("共同负责", .lead), ("牵头落实", .lead), ("牵头", .lead), ("负责", .lead),
        ("按职责分工落实", .lead), ("共同牵头", .lead), ("按职责分工牵头", .lead),
        ("参与", .co), ("配合", .co), ("协助", .co), ("协同", .co), ("参加", .co), ("共同参与", .co), ("按职责配合", .co),
        ("指导", .guide), ("督导", .guide), ("负责指导", .guide),
    ])

    static let roleMarkersToStrip: [Scalars] = [
        "按职责分工负责", "按照职责分工负责", "按职能分工负责", "按职责负责", "分别牵头负责", "分别牵头", "分别负责",
        "牵头负责", "共同负责", "负责落实", "按职责分工落实", "按职责分工牵头", "牵头", "负责",
    ].map(S.scalars).sorted { $0.count > $1.count }

    /// Detects the document rule "列第一位者为牵头单位".
    static func statesFirstIsLeadRule(_ s: [Unicode.Scalar]) -> Bool { statesFirstIsLeadRule(s[...]) }
    static func statesFirstIsLeadRule(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        guard S.contains(s, litLead) else { return false }
        return firstPositionWords.contains { S.contains(s, $0) }
    }

    /// Parses the content of a bracket (or a label line). Returns nil if it is not a responsibility annotation.
    static func parse(_ content: ArraySlice<Unicode.Scalar>) -> WorkPointAnnotationInfo? {
        let c = S.trimmed(content)
        if c.count < 2 { return nil }
        // 1. Labelled form.
        var hits: [(start: Int, valueStart: Int, role: Role)] = []
        var i = c.startIndex
        while i < c.endIndex {
            let atBoundary = i == c.startIndex || isFieldSeparator(c[i - 1])
            // long labels ("配合单位：") are recognised even when the separator before them was lost
            if mayStartLabel(c[i]) && (atBoundary || (i > c.startIndex && (c[i] == "配" || c[i] == "完" || c[i] == "责" || c[i] == "牵"))) {
                for (lab, role) in labels where (atBoundary || lab.count >= 4) && S.has(c, lab, at: i) {
                    var j = i + lab.count
                    while j < c.endIndex, S.isSpace(c[j]) { j += 1 }
                    if j < c.endIndex, c[j] == S.colon {
                        hits.append((i, j + 1, role))
                        i = j
                        break
                    }
                }
            }
            i += 1
        }
        var info = WorkPointAnnotationInfo(raw: S.string(c))
        if !hits.isEmpty {
            guard hits[0].start - c.startIndex <= 2 else { return nil }
            let hasLeadLabel = hits.contains { $0.role == .lead }
            for (k, h) in hits.enumerated() {
                let end = k + 1 < hits.count ? hits[k + 1].start : c.endIndex
                var value = S.trimmed(c[h.valueStart..<end], extra: isFieldSeparator)
                let role: Role = h.role == .responsible ? (hasLeadLabel ? .co : .lead) : h.role
                if role == .lead || role == .co || role == .guide {
                    // an unlabelled deadline at the end of a unit list: "…，各县市人民政府，6月底完成"
                    let (units, trailing) = splitTrailingDeadline(value)
                    if let t = trailing, info.deadlineText == nil { info.deadlineText = S.string(t) }
                    value = units
                }
                switch role {
                case .lead, .co, .guide:
                    if hasInnerRoleVerbs(value) {
                        if let sub = parseUnlabelled(value) {
                            info.lead += sub.lead
                            info.co += sub.co
                            info.guide += sub.guide
                            info.problems += sub.problems
                            continue
                        }
                    }
                    let units = WorkPointUnitSplitter.split(stripRoleMarker(value), problems: &info.problems)
                    switch role {
                    case .lead: info.lead += units
                    case .co: info.co += units
                    default: info.guide += units
                    }
                case .deadline:
                    if !value.isEmpty { info.deadlineText = S.string(value) }
                case .scope:
                    if !value.isEmpty { info.scope = S.string(value) }
                case .ignore, .responsible:
                    break
                }
            }
            applyInlineLeadMarkers(&info)
            if info.lead.isEmpty && info.co.isEmpty && info.guide.isEmpty && info.deadlineText == nil { return nil }
            info.firstIsLeadRule = statesFirstIsLeadRule(c)
            return info
        }
        // 2. Unlabelled form.
        if c.count > 4000 { return nil }
        return parseUnlabelled(c)
    }

    static let unitSuffixChars: Set<Unicode.Scalar> = ["局", "厅", "委", "办", "部", "院", "府", "位", "心", "会", "室", "组", "队", "站", "所", "处", "科", "行", "司", "署", "区", "县", "市", "省", "门"]

    /// Splits "A、B，6月底完成" into ("A、B", "6月底完成").
    static func splitTrailingDeadline(_ v: ArraySlice<Unicode.Scalar>) -> (ArraySlice<Unicode.Scalar>, ArraySlice<Unicode.Scalar>?) {
        var depth = 0
        var lastSep = -1
        var i = v.startIndex
        while i < v.endIndex {
            let ch = v[i]
            if S.isOpenBracket(ch) { depth += 1 } else if S.isCloseBracket(ch) { depth = max(0, depth - 1) }
            else if depth == 0 && (ch == S.comma || ch == S.semicolon) { lastSep = i }
            i += 1
        }
        guard lastSep >= 0 else { return (v, nil) }
        let tail = S.trimmed(v[(lastSep + 1)...], extra: isFieldSeparator)
        guard !tail.isEmpty, tail.count <= 24, let last = tail.last, !unitSuffixChars.contains(last) else { return (v, nil) }
        let f = WorkPointDeadlineScanner.resolveAnnotation(S.string(tail), year: 2000, issuedOn: nil)
        guard f.kind != .unresolved else { return (v, nil) }
        return (S.trimmed(v[v.startIndex..<lastSep], extra: isFieldSeparator), tail)
    }

    static let inlineLeadMarkers = ["（牵头）", "（牵头单位）", "（牵头部门）", "（总牵头）"].map(S.scalars)

    /// "责任单位：市发改委（牵头）、市财政局" → lead 市发改委, co 市财政局.
    static func applyInlineLeadMarkers(_ info: inout WorkPointAnnotationInfo) {
        var marked: [String] = []
        var others: [String] = []
        var any = false
        guard (info.lead + info.co).contains(where: { $0.unicodeScalars.last == S.rParen }) else { return }
        for u in info.lead + info.co {
            let sc = S.scalars(u)
            if let m = inlineLeadMarkers.first(where: { S.hasSuffix(sc, $0) && sc.count > $0.count }) {
                marked.append(S.string(sc[0..<(sc.count - m.count)]))
                any = true
            } else {
                others.append(u)
            }
        }
        guard any else { return }
        info.lead = marked
        info.co = others
    }

    /// A bare unit list in brackets at the end of an item: "（省发展改革委、省财政厅）".
    /// Accepted only when every entry looks like an organisation name.
    static func parseBareUnitList(_ content: ArraySlice<Unicode.Scalar>) -> WorkPointAnnotationInfo? {
        let c = S.trimmed(content)
        guard c.count >= 3, c.count <= 600 else { return nil }
        for ch in c where ch == "。" || ch == "：" || ch == "的" || ch.value < 0x80 && !S.isDigit(ch) && ch != " " { return nil }
        var problems: [String] = []
        let units = WorkPointUnitSplitter.split(c, problems: &problems)
        guard !units.isEmpty, problems.isEmpty else { return nil }
        for u in units {
            let sc = S.scalars(u)
            guard sc.count >= 3, sc.count <= 30, let last = sc.last else { return nil }
            let orgLike = unitSuffixChars.contains(last) || S.hasSuffix(sc, litCompany) || S.hasSuffix(sc, litGroup)
                || S.hasSuffix(sc, litPeoplesGovernment) || S.hasSuffix(sc, litUnits)
            if !orgLike || last == "区" || last == "县" || last == "市" || last == "省" { return nil }
        }
        var info = WorkPointAnnotationInfo(raw: S.string(c))
        info.lead = units
        info.plainLeadGroup = true
        return info
    }

    static let litCompany = S.scalars("公司")
    static let litGroup = S.scalars("集团")
    static let litPeoplesGovernment = S.scalars("政府")
    static let litUnits = S.scalars("单位")

    static func isFieldSeparator(_ ch: Unicode.Scalar) -> Bool {
        ch == S.semicolon || ch == S.comma || ch == S.period || ch == " " || ch == "、" || ch == "\t"
    }

    static func stripRoleMarker(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var v = S.trimmed(s, extra: isFieldSeparator)
        var changed = true
        while changed {
            changed = false
            for m in roleMarkersToStrip where v.count > m.count && S.hasSuffix(v, m) {
                v = S.trimmed(v[v.startIndex..<(v.endIndex - m.count)], extra: isFieldSeparator)
                changed = true
                break
            }
        }
        return v
    }

    private static func hasInnerRoleVerbs(_ v: ArraySlice<Unicode.Scalar>) -> Bool {
        // "A牵头，B配合" inside a labelled value.
        for seg in splitTopLevel(v, separators: [S.comma, S.semicolon]) {
            let t = S.trimmed(seg)
            for (verb, role) in verbs where (role == .co || role == .guide) && S.hasSuffix(t, verb) && t.count > verb.count {
                return true
            }
        }
        return false
    }

    /// Splits at the given separators outside brackets.
    static func splitTopLevel(_ s: ArraySlice<Unicode.Scalar>, separators: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var out: [ArraySlice<Unicode.Scalar>] = []
        var depth = 0
        var start = s.startIndex
        var i = s.startIndex
        while i < s.endIndex {
            let ch = s[i]
            if S.isOpenBracket(ch) || ch == S.lQuote {
                depth += 1
            } else if S.isCloseBracket(ch) || ch == S.rQuote {
                if depth > 0 { depth -= 1 }
            } else if depth == 0 && separators.contains(ch) {
                out.append(s[start..<i])
                start = i + 1
            }
            i += 1
        }
        out.append(s[start..<s.endIndex])
        return out
    }

    /// "X、Y负责。列第一位者为牵头单位，下同" / "X牵头，Y参与" / "Z指导，W负责落实".
    static func parseUnlabelled(_ c: ArraySlice<Unicode.Scalar>) -> WorkPointAnnotationInfo? {
        var info = WorkPointAnnotationInfo(raw: S.string(c))
        var foundGroup = false
        var pendingClauses: [ArraySlice<Unicode.Scalar>] = []
        var plainLeadOnly = true
        var leadGroups: [(units: [String], explicit: Bool)] = []
        for sentence in splitTopLevel(c, separators: [S.period]) {
            let sent = S.trimmed(sentence)
            if sent.isEmpty { continue }
            if statesFirstIsLeadRule(sent) && !S.contains(sent, litResponsible) {
                info.firstIsLeadRule = true
                continue
            }
            if isRuleSentence(sent) { continue }
            for clause in splitTopLevel(sent, separators: [S.comma, S.semicolon]) {
                let cl = S.trimmed(clause)
                if cl.isEmpty { continue }
                if isRuleSentence(cl) || statesFirstIsLeadRule(cl) {
                    if statesFirstIsLeadRule(cl) { info.firstIsLeadRule = true }
                    continue
                }
                guard let (verb, role) = verbs.first(where: { S.hasSuffix(cl, $0.0) }) else {
                    pendingClauses.append(cl)
                    continue
                }
                let body = S.trimmed(cl[cl.startIndex..<(cl.endIndex - verb.count)])
                if body.isEmpty { pendingClauses.removeAll(); continue }
                // "X会同Y负责"
                var groupLead: ArraySlice<Unicode.Scalar>? = nil
                var groupCo: ArraySlice<Unicode.Scalar>? = nil
                if role == .lead, let k = S.find(litTogetherWith, in: body) {
                    groupLead = body[body.startIndex..<k]
                    groupCo = body[(k + 2)..<body.endIndex]
                }
                var units: [String] = []
                for p in pendingClauses {
                    units += WorkPointUnitSplitter.split(p, problems: &info.problems)
                }
                pendingClauses.removeAll()
                if let gl = groupLead, let gc = groupCo {
                    leadGroups.append((units + WorkPointUnitSplitter.split(gl, problems: &info.problems), true))
                    info.co += WorkPointUnitSplitter.split(gc, problems: &info.problems)
                    plainLeadOnly = false
                } else {
                    units += WorkPointUnitSplitter.split(body, problems: &info.problems)
                    if units.contains(where: { !plausibleUnit($0) }) { return nil }
                    switch role {
                    case .lead: leadGroups.append((units, explicitLeadVerbs.contains(verb)))
                    case .co: info.co += units; plainLeadOnly = false
                    case .guide: info.guide += units; plainLeadOnly = false
                    default: break
                    }
                    if role == .lead && explicitLeadVerbs.contains(verb) {
                        plainLeadOnly = false // explicit lead
                    }
                }
                foundGroup = true
            }
        }
        if !foundGroup {
            return nil
        }
        // "X牵头，Y按职责分工负责": with an explicit lead, the plainly responsible units cooperate.
        if leadGroups.contains(where: { $0.explicit }) {
            info.lead = leadGroups.filter(\.explicit).flatMap(\.units)
            info.co = leadGroups.filter { !$0.explicit }.flatMap(\.units) + info.co
        } else {
            info.lead = leadGroups.flatMap(\.units)
        }
        if !pendingClauses.isEmpty {
            // Units listed after the last verb: keep them as co-units but report.
            for p in pendingClauses {
                let u = WorkPointUnitSplitter.split(p, problems: &info.problems)
                if u.contains(where: { !plausibleUnit($0) }) { return nil }
                info.co += u
            }
            info.problems.append("责任单位列表末尾存在未标明职责的单位")
        }
        info.plainLeadGroup = plainLeadOnly && info.co.isEmpty && info.guide.isEmpty
        return info
    }

    static func isRuleSentence(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        ruleSentencePrefixes.contains { S.hasPrefix(s, $0) } || ruleSentenceWords.contains { S.contains(s, $0) }
    }

    /// Rejects clause bodies that are sentences rather than unit names.
    static func plausibleUnit(_ u: String) -> Bool {
        let sc = Array(u.unicodeScalars)
        if sc.count > 40 || sc.isEmpty { return false }
        if sc.contains("的") && !S.contains(sc, litPurpose) { return false }
        if S.contains(sc, litRequirement) { return false }
        return true
    }
}
