/// Rules compiled for the columnar matcher: the distinct conditions of all rules (shared between rules that test the
/// same thing) and, per rule, a postfix program over them.
public struct CompiledRules: Sendable {
    /// A condition over columns.
    enum Atom: Hashable, Sendable {
        case number(column: Int, ComparisonOperator, Double)
        /// 研发费用占比, computed per row exactly as ``EnterpriseFacts/rdIntensity(rd:revenue:)`` does.
        case rdIntensity(ComparisonOperator, Double)
        /// 成立年限 on the compile date.
        case age(ComparisonOperator, Double)
        case registered(ComparisonOperator, Int32)
        case industry([ClosedRange<UInt16>])
        case region([ClosedRange<UInt32>])
        case taxCredit(UInt64)
        case sizeClass(UInt64)
        case tag(UInt64)
    }

    enum Operation: Hashable, Sendable {
        case atom(Int)
        case all(Int)
        case any(Int)
        case not
    }

    let atoms: [Atom]
    let programs: [[Operation]]
    /// The date the rules were bound to (成立年限 is counted to it).
    public let asOf: CivilDate
    let asOfPacked: Int32

    /// The deepest stack any program needs.
    let maxDepth: Int
    /// For each industry condition (by atom index): per 4-digit class, 1 when the class is inside the listed codes,
    /// so that a file coded to the class is decided by one look-up.
    let industryTables: [Int: [UInt8]]

    public var ruleCount: Int { programs.count }
    public var distinctConditionCount: Int { atoms.count }

    /// Compiles bound rules (no parameters left); `asOf` is the date they were bound for.
    public init(_ rules: [RuleExpression], asOf: CivilDate) {
        var atoms: [Atom] = []
        var index: [Atom: Int] = [:]
        func intern(_ atom: Atom) -> Int {
            if let existing = index[atom] { return existing }
            atoms.append(atom)
            index[atom] = atoms.count - 1
            return atoms.count - 1
        }
        func compile(_ expression: RuleExpression, into program: inout [Operation]) {
            switch expression {
            case .all(let parts):
                for part in parts { compile(part, into: &program) }
                program.append(.all(parts.count))
            case .any(let parts):
                for part in parts { compile(part, into: &program) }
                program.append(.any(parts.count))
            case .not(let inner):
                compile(inner, into: &program)
                program.append(.not)
            case .condition(let condition):
                let (atom, negated) = Self.atom(for: condition.test)
                program.append(.atom(intern(atom)))
                if negated { program.append(.not) }
            }
        }
        programs = rules.map { rule in
            var program: [Operation] = []
            compile(rule, into: &program)
            return program
        }
        self.atoms = atoms
        maxDepth = programs.map(Self.depth).max() ?? 1
        var tables: [Int: [UInt8]] = [:]
        for (index, atom) in atoms.enumerated() {
            guard case .industry(let ranges) = atom else { continue }
            var table = [UInt8](repeating: 0, count: 10_000)
            for range in ranges { for code in range where Int(code) < table.count { table[Int(code)] = 1 } }
            tables[index] = table
        }
        industryTables = tables
        self.asOf = asOf
        asOfPacked = EnterpriseFacts.packed(asOf)
    }

    static func depth(of program: [Operation]) -> Int {
        var top = 0, deepest = 0
        for operation in program {
            switch operation {
            case .atom: top += 1
            case .all(let n), .any(let n): top -= n - 1
            case .not: break
            }
            deepest = max(deepest, top)
        }
        return deepest
    }

    static func atom(for test: ConditionTest) -> (Atom, negated: Bool) {
        switch test {
        case .compare(.rdIntensity, let op, .number(let value)): return (.rdIntensity(op, value), false)
        case .compare(.ageYears, let op, .number(let value)): return (.age(op, value), false)
        case .compare(let field, let op, .number(let value)):
            guard let column = EnterpriseColumns.numericFields.firstIndex(of: field) else { preconditionFailure("\(field) has no column") }
            return (.number(column: column, op, value), false)
        case .compare(.registeredOn, let op, .date(let date)): return (.registered(op, EnterpriseFacts.packed(date)), false)
        case .compare(let field, _, let operand):
            preconditionFailure("\(field) cannot be compared with \(operand) in a bound rule")
        case .member(let field, let values, let negated):
            switch field {
            case .industry:
                return (.industry(values.compactMap { if case .industry(let code) = $0 { code.low...code.high } else { nil } }), negated)
            case .region:
                let ranges: [ClosedRange<UInt32>] = values.compactMap { value in
                    guard case .region(let prefix) = value, let number = UInt32(prefix) else { return nil }
                    let scale: UInt32 = [2: 10_000, 4: 100, 6: 1][prefix.count] ?? 1
                    return number * scale...number * scale + scale - 1
                }
                return (.region(ranges), negated)
            default:
                guard case .category(let options) = field.kind else { preconditionFailure("\(field) is not a category") }
                let mask = values.reduce(UInt64(0)) { mask, value in
                    guard case .label(let label) = value, let index = options.firstIndex(of: label) else { return mask }
                    return mask | 1 << UInt64(index + 1)
                }
                return (field == .taxCredit ? .taxCredit(mask) : .sizeClass(mask), negated)
            }
        case .tag(let name, let negated):
            let bit = EnterpriseTag.catalogue.firstIndex(of: name).map { UInt64(1) << UInt64($0) } ?? 0
            return (.tag(bit), negated)
        }
    }
}
