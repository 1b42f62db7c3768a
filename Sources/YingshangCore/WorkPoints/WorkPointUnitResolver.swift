import Foundation

/// One organisational unit of the directory the parsed unit names are matched against.
public struct WorkPointUnitDirectoryEntry: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var fullName: String
    public var shortName: String?
    public var aliases: [String]

    public init(id: String, fullName: String, shortName: String? = nil, aliases: [String] = []) {
        self.id = id
        self.fullName = fullName
        self.shortName = shortName
        self.aliases = aliases
    }

    enum CodingKeys: String, CodingKey {
        case id
        case fullName = "full_name"
        case shortName = "short_name"
        case aliases
    }
}

/// A possible match shown to the user when a name is ambiguous.
public struct WorkPointUnitCandidate: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var fullName: String

    enum CodingKeys: String, CodingKey {
        case id
        case fullName = "full_name"
    }
}

/// Result of resolving one unit name. Never creates units: unmatched names are "new units to confirm".
public enum WorkPointUnitResolution: Codable, Sendable, Equatable, Hashable {
    case matched(id: String, fullName: String)
    case unmatched(name: String, candidates: [WorkPointUnitCandidate])

    public var matchedID: String? {
        if case .matched(let id, _) = self { return id }
        return nil
    }
}

/// Matches unit names from parse results against a directory of org units.
///
/// Matching (in order, each step only if the previous found nothing):
/// 1. exact full name, short name or alias;
/// 2. the same after abbreviation folding (发展和改革委员会 ~ 发展改革委 ~ 发改委, 市场监督管理局 ~ 市场监管局,
///    人力资源和社会保障厅 ~ 人力资源社会保障厅 ~ 人社厅 …);
/// 3. the same with the level prefix (自治区/省/市/县/区, or a place name ending in one) stripped on both sides,
///    provided the explicit levels do not contradict each other.
/// A step that yields more than one unit gives `.unmatched` with the candidates (conservative).
public struct WorkPointUnitResolver: Sendable {
    public let directory: [WorkPointUnitDirectoryEntry]
    private let exact: [String: Set<Int>]
    private let folded: [String: Set<Int>]
    private let cores: [String: Set<Int>]
    private let levels: [String?]

    public init(directory: [WorkPointUnitDirectoryEntry]) {
        self.directory = directory
        var exact: [String: Set<Int>] = [:]
        var folded: [String: Set<Int>] = [:]
        var cores: [String: Set<Int>] = [:]
        var levels: [String?] = []
        for (i, e) in directory.enumerated() {
            let names = [e.fullName] + (e.shortName.map { [$0] } ?? []) + e.aliases
            var entryLevel: String? = nil
            for n in names {
                let k = WorkPointUnitResolver.clean(n)
                if k.isEmpty { continue }
                exact[k, default: []].insert(i)
                let f = WorkPointUnitResolver.fold(k)
                folded[f, default: []].insert(i)
                let (lv, core) = WorkPointUnitResolver.splitLevel(f)
                if entryLevel == nil { entryLevel = lv }
                if !core.isEmpty { cores[core, default: []].insert(i) }
            }
            levels.append(entryLevel)
        }
        self.exact = exact
        self.folded = folded
        self.cores = cores
        self.levels = levels
    }

    public func resolve(_ name: String) -> WorkPointUnitResolution {
        let k = WorkPointUnitResolver.clean(name)
        if let hit = exact[k] { return outcome(name, hit) }
        let f = WorkPointUnitResolver.fold(k)
        if let hit = folded[f] { return outcome(name, hit) }
        let (lv, core) = WorkPointUnitResolver.splitLevel(f)
        if !core.isEmpty, let hit = cores[core] {
            let compatible = hit.filter { i in
                guard let a = lv, let b = levels[i] else { return true }
                return WorkPointUnitResolver.levelRank(a) == WorkPointUnitResolver.levelRank(b)
            }
            if compatible.isEmpty {
                return .unmatched(name: name, candidates: candidates(hit))
            }
            return outcome(name, compatible)
        }
        return .unmatched(name: name, candidates: [])
    }

    /// Resolves every distinct unit name (lead, co and guide) of a parse result.
    public func resolveAll(_ result: WorkPointParseResult) -> [String: WorkPointUnitResolution] {
        var out: [String: WorkPointUnitResolution] = [:]
        for t in result.allItems {
            for n in t.leadUnits + t.coUnits + t.guideUnits where out[n] == nil {
                out[n] = resolve(n)
            }
        }
        return out
    }

    private func outcome(_ name: String, _ hit: Set<Int>) -> WorkPointUnitResolution {
        if hit.count == 1, let i = hit.first {
            return .matched(id: directory[i].id, fullName: directory[i].fullName)
        }
        return .unmatched(name: name, candidates: candidates(hit))
    }

    private func candidates(_ hit: Set<Int>) -> [WorkPointUnitCandidate] {
        hit.sorted().map { WorkPointUnitCandidate(id: directory[$0].id, fullName: directory[$0].fullName) }
    }

    // MARK: - Normalisation

    static func clean(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            switch c {
            case " ", "\u{3000}", "\t", "\n", "\r", "“", "”", "\"": continue
            case "(": out.append("（")
            case ")": out.append("）")
            case "[", "［": out.append("〔")
            case "]", "］": out.append("〕")
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// Long form → canonical short form. Applied longest first, to both the query and the directory.
    static let foldings: [(String, String)] = [
        ("中国人民银行", "人行"), ("人民银行", "人行"),
        ("发展和改革委员会", "发改委"), ("发展改革委员会", "发改委"), ("发展和改革委", "发改委"), ("发展改革委", "发改委"),
        ("发展和改革局", "发改局"), ("发展改革局", "发改局"),
        ("市场监督管理局", "市场监管局"), ("市场监督管理总局", "市场监管总局"),
        ("人力资源和社会保障", "人社"), ("人力资源社会保障", "人社"),
        ("住房和城乡建设", "住建"), ("住房城乡建设", "住建"),
        ("工业和信息化", "工信"), ("经济和信息化", "经信"),
        ("科学技术", "科技"),
        ("卫生健康委员会", "卫健委"), ("卫生健康委", "卫健委"), ("卫生和计划生育委员会", "卫计委"),
        ("文化和旅游", "文旅"), ("文化广电和旅游", "文广旅"),
        ("交通运输", "交通"),
        ("农业农村", "农业农村"),
        ("地方金融监督管理局", "地方金融监管局"), ("金融工作办公室", "金融办"),
        ("医疗保障局", "医保局"),
        ("生态环境", "生态环境"),
        ("自然资源和规划", "自然资源"),
        ("机关事务管理局", "机关事务局"),
        ("行政审批服务局", "行政审批局"),
        ("国有资产监督管理委员会", "国资委"),
        ("人民政府办公厅", "政府办公厅"), ("人民政府办公室", "政府办"), ("政府办公室", "政府办"),
        ("人民政府", "政府"),
        ("委员会", "委"),
        ("管理局", "局"),
    ].sorted { $0.0.count > $1.0.count }

    static func fold(_ s: String) -> String {
        var r = s
        for (long, short) in foldings where long != short && r.contains(long) {
            r = r.replacingOccurrences(of: long, with: short)
        }
        return r
    }

    static let levelWords = ["自治区", "自治州", "自治县", "省", "市", "州", "盟", "县", "区", "旗"]

    /// Splits a leading level prefix ("自治区", "市", or a place name ending in one, e.g. "南宁市").
    static func splitLevel(_ s: String) -> (String?, String) {
        let sc = Array(s.unicodeScalars)
        for w in levelWords {
            let ws = Array(w.unicodeScalars)
            if sc.count > ws.count + 1, Array(sc[0..<ws.count]) == ws {
                let rest = String(String.UnicodeScalarView(sc[ws.count...]))
                if w == "市" && (rest.hasPrefix("场") || (rest.hasPrefix("政") && !rest.hasPrefix("政府"))) { break }
                if w == "区" && rest.hasPrefix("域") { break }
                if (w == "省" || w == "县" || w == "市") && rest.hasPrefix("级") { break }
                return (w, rest)
            }
        }
        // place name + level word within the first 9 characters ("广西壮族自治区", "南宁市")
        let limit = min(sc.count - 2, 9)
        if limit >= 2 {
            for i in 1...limit {
                for w in ["自治区", "省", "市", "县", "区", "州", "盟", "旗"] {
                    let ws = Array(w.unicodeScalars)
                    if i + ws.count < sc.count, Array(sc[i..<(i + ws.count)]) == ws {
                        let next = sc[i + ws.count]
                        if next == "场" || next == "级" || next == "域" || (w == "市" && next == "政" && !(i + ws.count + 1 < sc.count && sc[i + ws.count + 1] == "府")) { continue }
                        return (w, String(String.UnicodeScalarView(sc[(i + ws.count)...])))
                    }
                }
            }
        }
        return (nil, s)
    }

    static func levelRank(_ w: String) -> Int {
        switch w {
        case "自治区", "省": return 1
        case "市", "州", "盟", "自治州": return 2
        case "县", "区", "旗", "自治县": return 3
        default: return 0
        }
    }
}
