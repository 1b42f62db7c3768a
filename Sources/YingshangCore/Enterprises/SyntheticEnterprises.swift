import Foundation

/// Plausible made-up enterprises of the demo region (广西: 南宁、柳州、桂林), from a seed: the same seed gives the same
/// enterprises. Used by the demo data, the differential test of the matcher and the benchmarks. Sizes follow a
/// long tail (most firms have a handful of staff), money follows headcount, and a share of facts is left missing
/// or set exactly on a common threshold so that 待补充信息 and boundaries are exercised.
public struct SyntheticEnterprises {
    public struct Enterprise: Sendable {
        public let creditCode: String
        public let name: String
        public let facts: EnterpriseFacts

        public init(creditCode: String, name: String, facts: EnterpriseFacts) {
            self.creditCode = creditCode
            self.name = name
            self.facts = facts
        }
    }

    var random: SplitMix64
    /// Probability that any one fact (or the tag list) is missing.
    public var missingRate: Double
    /// Probability that a number is set exactly on a threshold rules commonly use.
    public var boundaryRate: Double

    public init(seed: UInt64, missingRate: Double = 0.04, boundaryRate: Double = 0.05) {
        random = SplitMix64(seed: seed)
        self.missingRate = missingRate
        self.boundaryRate = boundaryRate
    }

    static let divisions: [(String, Int)] = [
        ("01", 3), ("05", 1), ("13", 4), ("14", 3), ("17", 2), ("18", 2), ("20", 3), ("21", 2), ("26", 3), ("27", 2),
        ("29", 3), ("30", 3), ("33", 4), ("34", 4), ("35", 3), ("36", 2), ("38", 3), ("39", 4), ("44", 1), ("48", 4),
        ("50", 3), ("51", 10), ("52", 12), ("54", 4), ("58", 2), ("59", 2), ("61", 3), ("62", 6), ("64", 3), ("65", 6),
        ("70", 3), ("72", 6), ("73", 2), ("74", 3), ("75", 3), ("80", 3), ("82", 2), ("83", 1), ("86", 1), ("90", 1),
    ]
    static let districts = RegionCode.demoDistricts.keys.sorted()
    static let nameWords = ["恒通", "华信", "桂源", "邕城", "鼎盛", "瑞丰", "宏达", "金穗", "绿洲", "远航", "博识", "联创",
                            "壮锦", "八桂", "漓江", "青秀", "龙腾", "嘉禾", "长青", "东盟", "北部湾", "弘毅", "星辰", "融通"]
    static let trades: [String: String] = [
        "01": "农业开发", "05": "农业服务", "13": "食品加工", "14": "食品", "17": "纺织", "18": "服饰", "20": "木业", "21": "家具",
        "26": "化工", "27": "制药", "29": "塑胶", "30": "建材", "33": "金属制品", "34": "机械", "35": "装备", "36": "汽车零部件",
        "38": "电气", "39": "电子科技", "44": "能源", "48": "建设工程", "50": "装饰工程", "51": "贸易", "52": "商贸", "54": "物流",
        "58": "货运代理", "59": "仓储", "61": "酒店管理", "62": "餐饮管理", "64": "网络科技", "65": "软件", "70": "物业服务",
        "72": "商务咨询", "73": "研究院", "74": "检测技术", "75": "科技服务", "80": "家政服务", "82": "综合服务", "83": "培训",
        "86": "文化传媒", "90": "文化娱乐",
    ]

    public mutating func next() -> Enterprise {
        let (division, _) = pickDivision()
        let district = Self.districts[random.int(Self.districts.count)]
        var facts = EnterpriseFacts()
        // Most files carry a class code; a few only the division, as some registers do.
        let industry = random.chance(0.05) ? division : division + String(format: "%02d", 10 + random.int(80))
        if let code = try? IndustryCode.parse(industry).get() { set(.industry, .industry(code), in: &facts) }
        set(.region, .text(district), in: &facts)
        let year = 1995 + random.int(30)
        set(.registeredOn, .date(CivilDate(year: year, month: 1 + random.int(12), day: 1 + random.int(28))!), in: &facts)
        let employees = max(1, Int(exp(random.normal(mean: 2.6, deviation: 1.3)).rounded()))
        let perHead = 15 + random.double() * 120
        let revenue = (Double(employees) * perHead * (0.6 + random.double() * 0.8) * 100).rounded() / 100
        let assets = (revenue * (0.3 + random.double() * 1.8) * 100).rounded() / 100
        let taxable = max(0, (revenue * (random.double() * 0.18 - 0.03) * 100).rounded() / 100)
        let researching = ["13", "26", "27", "34", "35", "36", "38", "39", "64", "65", "73", "74", "75"].contains(division)
            && random.chance(0.7)
        let rd = researching ? (revenue * (0.01 + random.double() * 0.08) * 100).rounded() / 100 : 0
        number(.employees, Double(employees), boundaries: [20, 100, 300, 1000], in: &facts)
        number(.revenue, revenue, boundaries: [2000, 5000, 20000, 40000], in: &facts)
        number(.assets, assets, boundaries: [5000, 300, 80000], in: &facts)
        number(.taxableIncome, taxable, boundaries: [100, 300], in: &facts)
        number(.rdExpense, rd, boundaries: [0], in: &facts)
        number(.monthlySales, (revenue / 12 * 100).rounded() / 100, boundaries: [10], in: &facts)
        number(.registeredCapital, (Double(10 + random.int(50)) * 10 * (1 + Double(employees) / 50)).rounded(), boundaries: [], in: &facts)
        if researching {
            number(.highTechRevenueShare, (random.double() * 100).rounded(), boundaries: [60], in: &facts)
            number(.techStaffShare, (random.double() * 40).rounded(), boundaries: [10], in: &facts)
        }
        let ratings: [(String, Double)] = [("A", 0.3), ("B", 0.4), ("M", 0.15), ("C", 0.1), ("D", 0.05)]
        set(.taxCredit, .text(pick(ratings)), in: &facts)
        if !random.chance(missingRate) { facts.tags = tags(revenue: revenue, rd: rd, division: division) }
        let first = random.int(Self.nameWords.count)
        let second = (first + 1 + random.int(Self.nameWords.count - 1)) % Self.nameWords.count
        let name = Self.nameWords[first] + Self.nameWords[second]
        let city = RegionCode.cityName(of: district).replacingOccurrences(of: "市", with: "")
        return Enterprise(creditCode: creditCode(district: district), name: "\(city)\(name)\(Self.trades[division] ?? "实业")有限公司", facts: facts)
    }

    public mutating func make(_ count: Int) -> [Enterprise] { (0..<count).map { _ in next() } }

    mutating func tags(revenue: Double, rd: Double, division: String) -> Set<String> {
        var tags: Set<String> = [revenue < 500 ? "小规模纳税人" : "一般纳税人"]
        if random.chance(0.04) { tags.insert("个体工商户") }
        if rd > 0 && random.chance(0.35) { tags.insert("高新技术企业") }
        if rd > 0 && random.chance(0.3) { tags.insert("科技型中小企业") }
        if random.chance(0.03) { tags.insert("专精特新") }
        if ["13", "14", "26", "29", "30", "33", "34", "35", "38", "39"].contains(division) && random.chance(0.04) { tags.insert("首次进入规模以上") }
        if random.chance(0.06) { tags.insert("招用重点群体") }
        if random.chance(0.01) { tags.insert("失信被执行人") }
        return tags
    }

    mutating func set(_ field: FactField, _ value: FactValue, in facts: inout EnterpriseFacts) {
        if !random.chance(missingRate) { facts[field] = value }
    }

    mutating func number(_ field: FactField, _ value: Double, boundaries: [Double], in facts: inout EnterpriseFacts) {
        let chosen = !boundaries.isEmpty && random.chance(boundaryRate) ? boundaries[random.int(boundaries.count)] : value
        set(field, .number(chosen), in: &facts)
    }

    mutating func pickDivision() -> (String, Int) {
        let total = Self.divisions.reduce(0) { $0 + $1.1 }
        var roll = random.int(total)
        for entry in Self.divisions {
            if roll < entry.1 { return entry }
            roll -= entry.1
        }
        return Self.divisions[0]
    }

    mutating func pick(_ weighted: [(String, Double)]) -> String {
        var roll = random.double()
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted.last!.0
    }

    /// A valid 统一社会信用代码: 9 (工商) 1 (企业), the district, a 9-character organisation code, the check character.
    mutating func creditCode(district: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let organisation = String((0..<9).map { _ in alphabet[random.int(alphabet.count)] })
        let body = "91" + district + organisation
        return body + String(CreditCode.checkCharacter(forFirst17: body)!)
    }
}

/// A small, fast, seedable generator (SplitMix64), so synthetic data and randomised tests are the same on every
/// machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func double() -> Double { Double(next() >> 11) / Double(1 << 53) }
    public mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ p: Double) -> Bool { double() < p }

    /// Box–Muller.
    mutating func normal(mean: Double, deviation: Double) -> Double {
        let u = max(double(), 1e-12), v = double()
        return mean + deviation * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
