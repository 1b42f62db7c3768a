/// What lists of enterprises filter by, read straight from the matcher's columns.
public struct EnterpriseFilter: Sendable, Equatable {
    public var sizeClass: SizeClass?
    /// A GB/T 4754 section letter.
    public var section: String?
    /// Leading digits of a GB/T 2260 code (`4501` for 南宁市).
    public var regionPrefix: String?

    public init(sizeClass: SizeClass? = nil, section: String? = nil, regionPrefix: String? = nil) {
        self.sizeClass = sizeClass
        self.section = section
        self.regionPrefix = regionPrefix
    }

    public var isEmpty: Bool { sizeClass == nil && section == nil && regionPrefix == nil }
}

/// Counts of enterprises by city, industry section and size class (a policy's reach, 覆盖面).
public struct ReachBreakdown: Sendable {
    public var byCity: [(name: String, count: Int)]
    public var bySection: [(name: String, count: Int)]
    public var bySize: [(name: String, count: Int)]
}

extension EnterpriseColumns {
    public func matches(row: Int, _ filter: EnterpriseFilter) -> Bool {
        if let size = filter.sizeClass, sizeClass[row] != UInt8(SizeClass.allCases.firstIndex(of: size)! + 1) { return false }
        if let section = filter.section {
            guard industryLow[row] <= industryHigh[row],
                  IndustryClassification.standard.section(ofClass: industryLow[row])?.code == section else { return false }
        }
        if let prefix = filter.regionPrefix, !String(region[row]).hasPrefix(prefix) || region[row] == 0 { return false }
        return true
    }

    /// How `rows` spread over cities, sections and size classes, largest first; unknowns counted as 未填写.
    public func breakdown(of rows: [Int]) -> ReachBreakdown {
        var cities: [String: Int] = [:], sections: [String: Int] = [:], sizes: [String: Int] = [:]
        for row in rows {
            cities[region[row] == 0 ? "未填写" : RegionCode.cityName(of: String(region[row])), default: 0] += 1
            let section = industryLow[row] <= industryHigh[row] ? IndustryClassification.standard.section(ofClass: industryLow[row])?.name : nil
            sections[section ?? "未填写", default: 0] += 1
            sizes[sizeClass[row] == 0 ? "未能划型" : SizeClass.allCases[Int(sizeClass[row]) - 1].label, default: 0] += 1
        }
        func sorted(_ counts: [String: Int]) -> [(name: String, count: Int)] {
            counts.map { ($0.key, $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        }
        return ReachBreakdown(byCity: sorted(cities), bySection: sorted(sections), bySize: sorted(sizes))
    }
}
