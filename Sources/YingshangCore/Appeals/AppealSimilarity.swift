import Foundation

/// Text an operator is entering, to look for similar open appeals.
public struct AppealDraftText: Codable, Sendable, Equatable {
    public var title: String
    public var content: String
    /// 统一社会信用代码 of the enterprise, if known.
    public var enterpriseCode: String?
    /// Leave this appeal out of the results (when checking an appeal already stored).
    public var excludeNumber: String?

    public init(title: String, content: String = "", enterpriseCode: String? = nil, excludeNumber: String? = nil) {
        self.title = title
        self.content = content
        self.enterpriseCode = enterpriseCode
        self.excludeNumber = excludeNumber
    }
}

/// One open appeal in the similarity index.
public struct AppealSimilarityEntry: Codable, Sendable, Equatable {
    public var number: String
    public var enterpriseCode: String?
    public var title: String
    public var content: String

    public init(number: String, enterpriseCode: String?, title: String, content: String = "") {
        self.number = number
        self.enterpriseCode = enterpriseCode
        self.title = title
        self.content = content
    }
}

public struct AppealMatch: Codable, Sendable, Equatable {
    public var number: String
    /// Ranking score: `textSimilarity` plus the same-enterprise boost, at most 1.
    public var score: Double
    /// Character-bigram Jaccard similarity, 0…1.
    public var textSimilarity: Double
    public var sameEnterprise: Bool
    /// Chinese explanation for the operator.
    public var explanation: String
}

/// Inverted index (character bigram → entries) over open appeals; build once, query many times.
public struct AppealSimilarityIndex: Sendable {
    public let entries: [AppealSimilarityEntry]
    let gramCounts: [Int]
    let enterpriseCodes: [String?]
    let postings: [UInt64: [Int32]]

    public init(_ entries: [AppealSimilarityEntry]) {
        self.entries = entries
        var counts: [Int] = []
        var codes: [String?] = []
        var postings: [UInt64: [Int32]] = [:]
        counts.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() {
            let grams = AppealSimilarity.grams(of: e.title + " " + e.content)
            counts.append(grams.count)
            codes.append(AppealSimilarity.normalizeCode(e.enterpriseCode))
            for g in grams { postings[g, default: []].append(Int32(i)) }
        }
        gramCounts = counts
        enterpriseCodes = codes
        self.postings = postings
    }

    public var count: Int { entries.count }
}

public enum AppealSimilarity {
    /// Folds full-width forms to half-width (NFKC), lower-cases, and removes everything but letters and digits
    /// (punctuation, symbols, whitespace).
    public static func normalize(_ s: String) -> String {
        let folded = s.precomposedStringWithCompatibilityMapping.lowercased()
        var out = String.UnicodeScalarView()
        for u in folded.unicodeScalars where u.properties.isAlphabetic || u.properties.numericType != nil {
            out.append(u)
        }
        return String(out)
    }

    /// 统一社会信用代码 normalized for comparison (trimmed, half-width, upper case); nil when empty.
    public static func normalizeCode(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = s.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        return t.isEmpty ? nil : t
    }

    /// Character bigrams of the normalized text (a single character counts as one gram), packed as integers.
    static func grams(of text: String) -> Set<UInt64> {
        let scalars = Array(normalize(text).unicodeScalars).map { UInt64($0.value) }
        if scalars.count == 1 { return [scalars[0]] }
        var set = Set<UInt64>()
        guard scalars.count >= 2 else { return set }
        for i in 0..<(scalars.count - 1) { set.insert((scalars[i] << 21) | scalars[i + 1] | (1 << 42)) }
        return set
    }

    /// Jaccard similarity of the character bigrams of two texts (0 when either is empty).
    public static func jaccard(_ a: String, _ b: String) -> Double {
        let x = grams(of: a), y = grams(of: b)
        let union = x.union(y).count
        return union == 0 ? 0 : Double(x.intersection(y).count) / Double(union)
    }

    /// The `limit` best open appeals scoring at least `threshold`, best first (ties by number).
    /// Score = bigram Jaccard of title + content, plus `enterpriseBoost` when the 统一社会信用代码 matches.
    /// Only entries sharing at least one bigram are scored (via the inverted index). The default threshold 0.2 suits
    /// bigram Jaccard: a reworded duplicate typically scores 0.2–0.4, unrelated appeals below 0.05.
    public static func similar(to draft: AppealDraftText, among index: AppealSimilarityIndex, limit: Int = 5,
                               threshold: Double = 0.2, enterpriseBoost: Double = 0.15) -> [AppealMatch] {
        guard limit > 0 else { return [] }
        let grams = grams(of: draft.title + " " + draft.content)
        guard !grams.isEmpty else { return [] }
        var shared: [Int32: Int] = [:]
        for g in grams {
            guard let list = index.postings[g] else { continue }
            for i in list { shared[i, default: 0] += 1 }
        }
        let code = normalizeCode(draft.enterpriseCode)
        var matches: [AppealMatch] = []
        for (i, inter) in shared {
            let idx = Int(i)
            let entry = index.entries[idx]
            if let ex = draft.excludeNumber, ex == entry.number { continue }
            let jac = Double(inter) / Double(grams.count + index.gramCounts[idx] - inter)
            let same = code != nil && code == index.enterpriseCodes[idx]
            let score = min(1, jac + (same ? enterpriseBoost : 0))
            guard score >= threshold else { continue }
            let pct = Int((jac * 100).rounded())
            let explanation = same
                ? "与在办诉求 \(entry.number) 文本相似度 \(pct)%，且为同一企业（统一社会信用代码相同），可能为重复诉求"
                : "与在办诉求 \(entry.number) 文本相似度 \(pct)%，可能为重复诉求"
            matches.append(AppealMatch(number: entry.number, score: score, textSimilarity: jac, sameEnterprise: same,
                                       explanation: explanation))
        }
        matches.sort { $0.score != $1.score ? $0.score > $1.score : $0.number < $1.number }
        return Array(matches.prefix(limit))
    }
}

// MARK: - Repeated appeals

/// One appeal as seen by the repeat check.
public struct AppealRepeatFact: Codable, Sendable, Equatable {
    public var number: String
    /// 统一社会信用代码.
    public var enterpriseCode: String
    public var category: String
    public var receivedOn: CivilDate

    public init(number: String, enterpriseCode: String, category: String, receivedOn: CivilDate) {
        self.number = number
        self.enterpriseCode = enterpriseCode
        self.category = category
        self.receivedOn = receivedOn
    }
}

public struct AppealRepeatFlag: Codable, Sendable, Equatable {
    /// The earlier appeals counted, oldest first.
    public var earlierNumbers: [String]
    /// Chinese reason.
    public var reason: String
}

public enum AppealRepeat {
    public static let defaultWindowDays = 90
    public static let defaultThreshold = 2

    /// Flags `appeal` when the same enterprise made at least `threshold` earlier appeals in the same category
    /// received within `windowDays` calendar days before it (the window includes both ends; later appeals and
    /// the appeal itself are ignored). Nil when not a repeat.
    public static func check(_ appeal: AppealRepeatFact, earlier: [AppealRepeatFact], categoryName: String? = nil,
                             windowDays: Int = defaultWindowDays, threshold: Int = defaultThreshold) -> AppealRepeatFlag? {
        guard let code = AppealSimilarity.normalizeCode(appeal.enterpriseCode) else { return nil }
        let from = appeal.receivedOn.adding(days: -max(windowDays, 0))
        let hits = earlier.filter {
            $0.number != appeal.number && $0.category == appeal.category
                && AppealSimilarity.normalizeCode($0.enterpriseCode) == code
                && $0.receivedOn >= from && $0.receivedOn <= appeal.receivedOn
        }.sorted { ($0.receivedOn, $0.number) < ($1.receivedOn, $1.number) }
        guard hits.count >= max(threshold, 1) else { return nil }
        let numbers = hits.map(\.number)
        let name = categoryName ?? appeal.category
        let reason = "该企业近 \(windowDays) 天内已就“\(name)”事项提出 \(hits.count) 件诉求（\(numbers.joined(separator: "、"))），本件为重复诉求，请关联办理"
        return AppealRepeatFlag(earlierNumbers: numbers, reason: reason)
    }
}
