import Foundation

/// The matcher's columns and compiled rules written out for programs outside Swift — the benchmark's numpy and SQL
/// peers evaluate exactly the same data and the same conditions (`Benchmarks/Eligibility`).
extension EnterpriseColumns {
    /// Each column as raw little-endian values: name, element type (numpy dtype), bytes.
    public func exportedColumns() -> [(name: String, type: String, data: Data)] {
        func bytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }
        var result = Self.numericFields.enumerated().map { index, field in (field.rawValue, "<f8", bytes(numbers[index])) }
        result += [("industry_low", "<u2", bytes(industryLow)), ("industry_high", "<u2", bytes(industryHigh)),
                   ("region", "<u4", bytes(region)), ("registered", "<i4", bytes(registered)),
                   ("tax_credit", "u1", bytes(taxCredit)), ("size_class", "u1", bytes(sizeClass)), ("tags", "<u8", bytes(tags))]
        return result
    }
}

extension CompiledRules {
    /// The conditions and the rules' postfix programs as JSON-ready values:
    /// `{"as_of": 20240630, "atoms": [{"kind": "number", "column": "employees_wan", "op": "<=", "value": 300}, …],
    ///   "programs": [[["atom", 0], ["atom", 1], ["all", 2]], …]}`.
    public func exported() -> [String: Any] {
        let atoms: [[String: Any]] = self.atoms.map { atom in
            switch atom {
            case .number(let column, let op, let value):
                ["kind": "number", "column": EnterpriseColumns.numericFields[column].rawValue, "op": op.rawValue, "value": value]
            case .rdIntensity(let op, let value): ["kind": "rd_intensity", "op": op.rawValue, "value": value]
            case .age(let op, let value): ["kind": "age", "op": op.rawValue, "value": value]
            case .registered(let op, let date): ["kind": "registered", "op": op.rawValue, "value": Int(date)]
            case .industry(let ranges): ["kind": "industry", "ranges": ranges.map { [Int($0.lowerBound), Int($0.upperBound)] }]
            case .region(let ranges): ["kind": "region", "ranges": ranges.map { [Int($0.lowerBound), Int($0.upperBound)] }]
            case .taxCredit(let mask): ["kind": "tax_credit", "mask": Int(mask)]
            case .sizeClass(let mask): ["kind": "size_class", "mask": Int(mask)]
            case .tag(let bit): ["kind": "tag", "bit": bit.trailingZeroBitCount, "known_bit": 63]
            }
        }
        let programs: [[[Any]]] = self.programs.map { program in
            program.map { operation -> [Any] in
                switch operation {
                case .atom(let index): ["atom", index]
                case .all(let n): ["all", n]
                case .any(let n): ["any", n]
                case .not: ["not", 0]
                }
            }
        }
        return ["as_of": Int(asOfPacked), "atoms": atoms, "programs": programs]
    }
}
