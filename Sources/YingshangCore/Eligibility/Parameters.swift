/// One dated value of a parameter (参数), with the legal text it comes from: `300万元 自 2022-01-01 依据 财政部
/// 税务总局公告2022年第13号`. A value is in force from its start until the next value starts, or until its own end.
public struct ParameterValue: Sendable, Hashable {
    public let from: CivilDate
    public let until: CivilDate?
    public let operand: Operand
    public let unit: ValueUnit
    /// The value as written, unit included.
    public let written: String
    /// 依据: the document and article the value comes from.
    public let reference: String
}

/// A named parameter with its values over time.
public struct ParameterSchedule: Sendable, Hashable {
    public let name: String
    public private(set) var values: [ParameterValue]

    public init(name: String, values: [ParameterValue]) {
        self.name = name
        self.values = values.sorted { $0.from < $1.from }
    }

    public var unit: ValueUnit { values.first?.unit ?? .plain }

    /// The value in force on `date`, or nil when none is.
    public func value(on date: CivilDate) -> ParameterValue? {
        guard let index = values.lastIndex(where: { $0.from <= date }) else { return nil }
        let value = values[index]
        if let until = value.until, date > until { return nil }
        return value
    }

    mutating func add(_ value: ParameterValue) {
        values.append(value)
        values.sort { $0.from < $1.from }
    }
}
