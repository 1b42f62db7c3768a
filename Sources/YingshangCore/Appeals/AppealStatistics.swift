import Foundation

/// What the statistics need of one appeal.
public struct AppealStatFact: Sendable, Equatable {
    public var receivedOn: CivilDate
    public var type: AppealType
    /// The category's key (its ID), "" when none.
    public var category: String
    public var channel: AppealChannel
    public var leadUnitID: String?
    public var dispatched: Bool
    /// Signed no later than its signing deadline.
    public var signedOnTime: Bool
    public var outcome: AppealOutcome?
    public var satisfaction: AppealSatisfaction?

    public init(receivedOn: CivilDate, type: AppealType, category: String, channel: AppealChannel, leadUnitID: String?,
                dispatched: Bool, signedOnTime: Bool, outcome: AppealOutcome?, satisfaction: AppealSatisfaction?) {
        self.receivedOn = receivedOn
        self.type = type
        self.category = category
        self.channel = channel
        self.leadUnitID = leadUnitID
        self.dispatched = dispatched
        self.signedOnTime = signedOnTime
        self.outcome = outcome
        self.satisfaction = satisfaction
    }
}

extension AppealStatFact {
    /// From an appeal's stored columns (raw values, ISO dates). Signed on time means signed no later than the signing
    /// deadline set at dispatch. Nil when the receipt date, type or channel is not one this version knows.
    public init?(receivedOn: String, type: String, categoryID: String?, channel: String, leadUnitID: String?,
                 dispatchedOn: String?, signedOn: String?, signBy: String?, outcome: String?, satisfaction: String?) {
        guard let received = CivilDate(iso: receivedOn), let type = AppealType(rawValue: type),
              let channel = AppealChannel(rawValue: channel) else { return nil }
        var signedOnTime = false
        if let signedOn, let signBy { signedOnTime = signedOn <= signBy }
        self.init(receivedOn: received, type: type, category: categoryID ?? "", channel: channel, leadUnitID: leadUnitID,
                  dispatched: dispatchedOn != nil, signedOnTime: signedOnTime,
                  outcome: outcome.flatMap(AppealOutcome.init(rawValue:)),
                  satisfaction: satisfaction.flatMap(AppealSatisfaction.init(rawValue:)))
    }
}

/// The dimensions the statistics are kept by.
public enum AppealStatDimension: String, Codable, Sendable, CaseIterable {
    case type, category, channel, unit
}

/// Counts of a group of appeals: the volume and what the three rates are made of.
public struct AppealStatCounts: Codable, Sendable, Equatable {
    public var received = 0
    public var dispatched = 0
    public var signedOnTime = 0
    public var closed = 0
    public var resolved = 0
    public var rated = 0
    public var satisfied = 0

    public init(received: Int = 0, dispatched: Int = 0, signedOnTime: Int = 0, closed: Int = 0, resolved: Int = 0,
                rated: Int = 0, satisfied: Int = 0) {
        self.received = received
        self.dispatched = dispatched
        self.signedOnTime = signedOnTime
        self.closed = closed
        self.resolved = resolved
        self.rated = rated
        self.satisfied = satisfied
    }

    init(_ fact: AppealStatFact) {
        received = 1
        dispatched = fact.dispatched ? 1 : 0
        signedOnTime = fact.dispatched && fact.signedOnTime ? 1 : 0
        closed = fact.outcome == nil ? 0 : 1
        resolved = fact.outcome == .resolved ? 1 : 0
        rated = fact.satisfaction == nil ? 0 : 1
        satisfied = fact.satisfaction?.isSatisfied == true ? 1 : 0
    }

    public static func + (a: Self, b: Self) -> Self {
        Self(received: a.received + b.received, dispatched: a.dispatched + b.dispatched,
             signedOnTime: a.signedOnTime + b.signedOnTime, closed: a.closed + b.closed, resolved: a.resolved + b.resolved,
             rated: a.rated + b.rated, satisfied: a.satisfied + b.satisfied)
    }
}

/// One row of the kept statistics: the counts of one dimension's key over a period (a day, or a month when rows
/// are summed for a dashboard).
public struct AppealStatRow: Codable, Sendable, Equatable {
    /// "2026-03-05" or "2026-03".
    public var period: String
    public var dimension: AppealStatDimension
    /// A type or channel raw value, a category ID, a unit ID; "" for none.
    public var key: String
    public var counts: AppealStatCounts

    public init(period: String, dimension: AppealStatDimension, key: String, counts: AppealStatCounts) {
        self.period = period
        self.dimension = dimension
        self.key = key
        self.counts = counts
    }
}

/// The dashboard's figures (volume by type, category, unit, channel and month; per-unit rates) from rows that are
/// summed in the database, so a year of millions of appeals reads a few hundred rows.
public enum AppealStatistics {
    /// The rows of a set of appeals, per receipt day (what the database keeps for each day).
    public static func rows(of facts: [AppealStatFact]) -> [AppealStatRow] {
        var sums: [Key: AppealStatCounts] = [:]
        for fact in facts {
            let counts = AppealStatCounts(fact)
            let day = fact.receivedOn.iso
            let keys: [(AppealStatDimension, String)] = [(.type, fact.type.rawValue), (.category, fact.category),
                                                         (.channel, fact.channel.rawValue), (.unit, fact.leadUnitID ?? "")]
            for (dimension, key) in keys {
                let group = Key(period: day, dimension: dimension, key: key)
                sums[group] = (sums[group] ?? AppealStatCounts()) + counts
            }
        }
        return sums.map { AppealStatRow(period: $0.key.period, dimension: $0.key.dimension, key: $0.key.key, counts: $0.value) }
            .sorted { ($0.period, $0.dimension.rawValue, $0.key) < ($1.period, $1.dimension.rawValue, $1.key) }
    }

    /// Volume and per-unit facts from rows (any period granularity). `categoryNames` maps category keys to names.
    public static func summary(_ rows: [AppealStatRow], categoryNames: [String: String]) -> (volume: AppealVolume, units: [AppealUnitFacts]) {
        var volume = AppealVolume(total: 0, byType: [:], byCategory: [:], byUnit: [:], byChannel: [:], byMonth: [:])
        var units: [String: AppealUnitFacts] = [:]
        for row in rows {
            let n = row.counts.received
            switch row.dimension {
            case .type:
                guard let type = AppealType(rawValue: row.key) else { continue }
                volume.total += n
                volume.byType[type, default: 0] += n
                volume.byMonth[String(row.period.prefix(7)), default: 0] += n
            case .category:
                volume.byCategory[categoryNames[row.key] ?? "其他", default: 0] += n
            case .channel:
                if let channel = AppealChannel(rawValue: row.key) { volume.byChannel[channel, default: 0] += n }
            case .unit:
                guard !row.key.isEmpty else { continue }
                volume.byUnit[row.key, default: 0] += n
                var facts = units[row.key] ?? AppealUnitFacts(unitID: row.key)
                facts.dispatched += row.counts.dispatched
                facts.signedOnTime += row.counts.signedOnTime
                facts.closed += row.counts.closed
                facts.resolved += row.counts.resolved
                facts.rated += row.counts.rated
                facts.satisfied += row.counts.satisfied
                units[row.key] = facts
            }
        }
        return (volume, units.values.sorted { $0.unitID < $1.unitID })
    }

    /// How a dashboard's date range is read: whole months from the monthly rows, the days of a month cut by either
    /// end from the daily rows (at most two short stretches).
    public static func split(from: CivilDate, to: CivilDate) -> (months: [ReportPeriod], days: [ClosedRange<CivilDate>]) {
        guard from <= to else { return ([], []) }
        var months: [ReportPeriod] = []
        var days: [ClosedRange<CivilDate>] = []
        for period in ReportPeriod.periods(from: from, through: to) {
            let start = max(period.start, from), end = min(period.end, to)
            if start == period.start && end == period.end { months.append(period) } else { days.append(start...end) }
        }
        return (months, days)
    }

    private struct Key: Hashable {
        let period: String
        let dimension: AppealStatDimension
        let key: String
    }
}
