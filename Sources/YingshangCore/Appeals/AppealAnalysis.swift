import Foundation

/// One appeal as seen by the volume statistics.
public struct AppealVolumeRecord: Codable, Sendable, Equatable {
    public var type: AppealType
    public var category: String
    /// Lead unit; nil when answered directly or not yet dispatched.
    public var unitID: String?
    public var channel: AppealChannel
    public var receivedOn: CivilDate

    public init(type: AppealType, category: String, unitID: String?, channel: AppealChannel, receivedOn: CivilDate) {
        self.type = type
        self.category = category
        self.unitID = unitID
        self.channel = channel
        self.receivedOn = receivedOn
    }
}

/// 诉求量: counts by type, category, unit, channel and month.
public struct AppealVolume: Codable, Sendable, Equatable {
    public var total: Int
    public var byType: [AppealType: Int]
    public var byCategory: [String: Int]
    /// Appeals without a unit are not counted here.
    public var byUnit: [String: Int]
    public var byChannel: [AppealChannel: Int]
    /// Keyed by month ("2026-03").
    public var byMonth: [String: Int]

    public static func tally(_ records: [AppealVolumeRecord]) -> AppealVolume {
        var v = AppealVolume(total: records.count, byType: [:], byCategory: [:], byUnit: [:], byChannel: [:], byMonth: [:])
        for r in records {
            v.byType[r.type, default: 0] += 1
            v.byCategory[r.category, default: 0] += 1
            if let u = r.unitID { v.byUnit[u, default: 0] += 1 }
            v.byChannel[r.channel, default: 0] += 1
            v.byMonth[ReportPeriod(containing: r.receivedOn).key, default: 0] += 1
        }
        return v
    }
}

// MARK: - Hot topics

/// One appeal as seen by the hot-topic analysis.
public struct AppealTopicRecord: Codable, Sendable, Equatable {
    public var receivedOn: CivilDate
    public var category: String
    public var title: String

    public init(receivedOn: CivilDate, category: String, title: String) {
        self.receivedOn = receivedOn
        self.category = category
        self.title = title
    }
}

public enum AppealTopicKind: String, Codable, Sendable {
    case category
    case term
}

public struct AppealHotTopic: Codable, Sendable, Equatable {
    public var kind: AppealTopicKind
    /// Category ID or the term itself.
    public var key: String
    /// Display name (category name or the term).
    public var name: String
    public var current: Int
    public var previous: Int
    public var increase: Int
    /// (current − previous) / previous; nil when there were none last month.
    public var growth: Double?
    /// e.g. "“退税”相关诉求 3 月 12 件，较上月增加 8 件（+200%）".
    public var label: String
}

public struct AppealHotTopicOptions: Codable, Sendable, Equatable {
    /// Minimum count in the current month.
    public var minSupport: Int
    /// Minimum increase over the previous month.
    public var minIncrease: Int
    /// Maximum results per kind.
    public var limit: Int
    /// Terms never reported (generic words of appeal titles).
    public var stopTerms: Set<String>

    public static let defaultStopTerms: Set<String> = [
        "企业", "问题", "反映", "咨询", "投诉", "举报", "建议", "求助", "希望", "请求", "要求", "关于", "如何",
        "怎么", "办理", "情况", "相关", "有关", "我们", "公司", "市民", "群众", "诉求", "处理", "解决", "协调",
        "一下", "能否", "是否", "为什么", "什么", "有限", "有限公司", "限公", "限公司", "责任",
    ]

    public init(minSupport: Int = 3, minIncrease: Int = 1, limit: Int = 10,
                stopTerms: Set<String> = AppealHotTopicOptions.defaultStopTerms) {
        self.minSupport = minSupport
        self.minIncrease = minIncrease
        self.limit = limit
        self.stopTerms = stopTerms
    }
}

public struct AppealHotTopicReport: Codable, Sendable, Equatable {
    /// "2026-03".
    public var month: String
    public var categories: [AppealHotTopic]
    public var terms: [AppealHotTopic]
}

public enum AppealHotTopics {
    /// Function characters: a term containing one is never reported.
    static let stopCharacters: Set<Character> = [
        "的", "了", "是", "在", "和", "与", "及", "或", "请", "我", "你", "他", "她", "它", "吗", "呢", "啊", "吧",
        "对", "被", "把", "等", "不", "没", "有", "也", "都", "就", "还", "又", "为", "给", "向", "从",
    ]

    static func isCJK(_ c: Character) -> Bool {
        guard c.unicodeScalars.count == 1, let v = c.unicodeScalars.first?.value else { return false }
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
    }

    /// Distinct CJK bigrams and trigrams of a title (within runs of CJK characters), minus stop terms and terms
    /// containing function characters.
    public static func terms(in title: String, stopTerms: Set<String> = AppealHotTopicOptions.defaultStopTerms) -> Set<String> {
        var result = Set<String>()
        var run: [Character] = []
        func flush() {
            for n in 2...3 where run.count >= n {
                for i in 0...(run.count - n) {
                    let gram = run[i..<(i + n)]
                    guard !gram.contains(where: stopCharacters.contains) else { continue }
                    let s = String(gram)
                    if !stopTerms.contains(s) { result.insert(s) }
                }
            }
            run.removeAll()
        }
        for c in title.precomposedStringWithCompatibilityMapping {
            if isCJK(c) { run.append(c) } else { flush() }
        }
        flush()
        return result
    }

    private static func percent(_ g: Double) -> String {
        let p = Int((g * 100).rounded())
        return p >= 0 ? "+\(p)%" : "\(p)%"
    }

    private static func label(_ subject: String, month: Int, current: Int, previous: Int) -> String {
        let inc = current - previous
        if previous == 0 {
            return "\(subject) \(month) 月 \(current) 件，上月无此类诉求（新增 \(inc) 件）"
        }
        return "\(subject) \(month) 月 \(current) 件，较上月增加 \(inc) 件（\(percent(Double(inc) / Double(previous)))）"
    }

    private static func rank(_ a: AppealHotTopic, _ b: AppealHotTopic) -> Bool {
        if a.increase != b.increase { return a.increase > b.increase }
        let ga = a.growth ?? .infinity, gb = b.growth ?? .infinity
        if ga != gb { return ga > gb }
        if a.current != b.current { return a.current > b.current }
        if a.key.count != b.key.count { return a.key.count > b.key.count }
        return a.key < b.key
    }

    /// Categories and terms rising from the month before `month` to `month` (by receipt date): at least
    /// `minSupport` appeals this month and at least `minIncrease` more than last month; ranked by absolute
    /// increase, then growth (new topics first), then count. A term is counted once per title. Overlapping terms
    /// are collapsed: a term sharing a character with an already chosen term, whose titles this month are all
    /// among that term's titles, is left out (so “出口退税” yields “退税”, not also “口退”, “出口退” …).
    public static func report(_ records: [AppealTopicRecord], month: ReportPeriod, categoryNames: [String: String] = [:],
                              options: AppealHotTopicOptions = AppealHotTopicOptions()) -> AppealHotTopicReport {
        let previousMonth = month.previous
        var catCur: [String: Int] = [:], catPrev: [String: Int] = [:]
        var termDocs: [String: Set<Int>] = [:], termPrev: [String: Int] = [:]
        for (i, r) in records.enumerated() {
            let p = ReportPeriod(containing: r.receivedOn)
            let isCurrent = p == month
            guard isCurrent || p == previousMonth else { continue }
            if isCurrent { catCur[r.category, default: 0] += 1 } else { catPrev[r.category, default: 0] += 1 }
            for t in terms(in: r.title, stopTerms: options.stopTerms) {
                if isCurrent { termDocs[t, default: []].insert(i) } else { termPrev[t, default: 0] += 1 }
            }
        }

        func topic(_ kind: AppealTopicKind, _ key: String, _ name: String, _ cur: Int, _ prev: Int) -> AppealHotTopic? {
            guard cur >= max(options.minSupport, 1), cur - prev >= max(options.minIncrease, 1) else { return nil }
            let subject = kind == .category ? "“\(name)”类诉求" : "“\(name)”相关诉求"
            return AppealHotTopic(kind: kind, key: key, name: name, current: cur, previous: prev, increase: cur - prev,
                                  growth: prev == 0 ? nil : Double(cur - prev) / Double(prev),
                                  label: label(subject, month: month.month, current: cur, previous: prev))
        }

        let categories = catCur.compactMap { key, cur in
            topic(.category, key, categoryNames[key] ?? key, cur, catPrev[key] ?? 0)
        }.sorted(by: rank)

        let candidates = termDocs.compactMap { key, docs in
            topic(.term, key, key, docs.count, termPrev[key] ?? 0)
        }.sorted(by: rank)
        var chosen: [AppealHotTopic] = []
        for c in candidates where chosen.count < max(options.limit, 0) {
            let docs = termDocs[c.key] ?? []
            let redundant = chosen.contains { t in
                t.key.contains(where: c.key.contains) && docs.isSubset(of: termDocs[t.key] ?? [])
            }
            if !redundant { chosen.append(c) }
        }
        return AppealHotTopicReport(month: month.key, categories: Array(categories.prefix(max(options.limit, 0))),
                                    terms: chosen)
    }
}

// MARK: - Open311 (GeoReport v2)

/// Mapping between the appeals line and Open311 GeoReport v2 requests.
public enum Open311Mapping {
    /// Open311 `status`: "closed" once 已办结 / 已合并 / 已撤回, otherwise "open".
    public static func status(for state: AppealState) -> String { state.isOpen ? "open" : "closed" }

    /// ISO 8601 with the +08:00 offset, to the second: "2023-10-24T23:59:59+08:00".
    public static func datetime(_ date: Date) -> String {
        let tz = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        let offset = tz.secondsFromGMT(for: date)
        let secs = Int((date.timeIntervalSince1970 + Double(offset)).rounded(.down))
        let day = CivilDate(dayNumber: Int((Double(secs) / 86_400).rounded(.down)))
        let rem = secs - day.dayNumber * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let sign = offset >= 0 ? "+" : "-"
        let o = abs(offset)
        return "\(day.iso)T\(two(rem / 3600)):\(two(rem % 3600 / 60)):\(two(rem % 60))\(sign)\(two(o / 3600)):\(two(o % 3600 / 60))"
    }

    /// `expected_datetime`: the end (23:59:59) of the reply deadline day in Asia/Shanghai.
    public static func expectedDatetime(replyBy: CivilDate) -> String { "\(replyBy.iso)T23:59:59+08:00" }

    /// The instant of `expectedDatetime(replyBy:)`.
    public static func expectedDate(replyBy: CivilDate) -> Date {
        Date(timeIntervalSince1970: Double(replyBy.dayNumber) * 86_400 + 86_399 - 8 * 3600)
    }
}

/// Two-way table between Open311 `service_code`s and appeal categories.
public struct Open311ServiceMap: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var serviceCode: String
        public var category: String
        public var serviceName: String

        public init(serviceCode: String, category: String, serviceName: String) {
            self.serviceCode = serviceCode
            self.category = category
            self.serviceName = serviceName
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public func category(forServiceCode code: String) -> String? {
        entries.first { $0.serviceCode == code.trimmingCharacters(in: .whitespaces) }?.category
    }

    public func serviceCode(forCategory category: String) -> String? {
        entries.first { $0.category == category }?.serviceCode
    }

    /// Chinese problems (duplicate or empty codes/categories); empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        var codes = Set<String>(), cats = Set<String>()
        for e in entries {
            if e.serviceCode.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("服务代码（service_code）不能为空") }
            if e.category.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("服务代码 \(e.serviceCode) 未对应诉求分类") }
            if !codes.insert(e.serviceCode).inserted { problems.append("服务代码 \(e.serviceCode) 重复") }
            if !cats.insert(e.category).inserted { problems.append("诉求分类 \(e.category) 对应了多个服务代码") }
        }
        return problems
    }
}
