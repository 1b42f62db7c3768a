/// Each unit's anchor, label and article number, for hits: the strings are interned (a corpus of 150,000 articles
/// has a few thousand distinct anchors and labels, and a label such as 第一百二十三条 is too long to be stored inline
/// in a `String`), so a unit takes twelve bytes.
struct UnitLabels: Sendable {
    /// Interned strings; 0 stands for none.
    private var strings: [String] = [""]
    private var ids: [String: UInt32] = [:]
    private var rows: [(anchor: UInt32, label: UInt32, number: Int32)] = []

    mutating func append(_ unit: SearchUnit) {
        rows.append((intern(unit.anchor), intern(unit.label), unit.number.map(Int32.init) ?? .min))
    }

    private mutating func intern(_ text: String?) -> UInt32 {
        guard let text else { return 0 }
        if let known = ids[text] { return known }
        strings.append(text)
        ids[text] = UInt32(strings.count - 1)
        return UInt32(strings.count - 1)
    }

    /// The unit without its text.
    subscript(_ u: Int) -> SearchUnit {
        let row = rows[u]
        return SearchUnit(anchor: row.anchor == 0 ? nil : strings[Int(row.anchor)], label: row.label == 0 ? nil : strings[Int(row.label)],
                          number: number(u), text: "")
    }

    func number(_ u: Int) -> Int? { rows[u].number == .min ? nil : Int(rows[u].number) }
}
