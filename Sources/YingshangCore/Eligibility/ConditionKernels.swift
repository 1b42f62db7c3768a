/// The inner loops of the matcher: one condition over a block of rows (starting on a multiple of 64), writing per
/// 64-row word the rows where it holds and the rows where it fails. A missing value (NaN, or the columns' reserved
/// "missing" value) sets neither bit. Numeric comparisons run eight rows at a time on SIMD vectors.
enum ConditionKernels {
    /// 研发费用占比, 成立年限 and the registration date as numbers, computed once per block for the conditions that read
    /// them, exactly as ``EnterpriseFacts`` computes them for one enterprise.
    final class DerivedValues {
        let rdIntensity: UnsafeMutablePointer<Double>
        let age: UnsafeMutablePointer<Double>
        let registered: UnsafeMutablePointer<Double>

        init(rows: Int) {
            rdIntensity = .allocate(capacity: rows)
            age = .allocate(capacity: rows)
            registered = .allocate(capacity: rows)
        }

        deinit {
            rdIntensity.deallocate()
            age.deallocate()
            registered.deallocate()
        }

        func prepare(for rules: CompiledRules, only: Set<Int>?, _ columns: EnterpriseColumns, asOf: Int32, firstRow: Int, rowCount: Int) {
            var needsRD = false, needsDates = false
            for (index, atom) in rules.atoms.enumerated() where only?.contains(index) ?? true {
                switch atom {
                case .rdIntensity: needsRD = true
                case .age, .registered: needsDates = true
                default: break
                }
            }
            if needsRD {
                let rd = columns.column(.rdExpense)
                let revenue = columns.column(.revenue)
                for i in 0..<rowCount {
                    rdIntensity[i] = EnterpriseFacts.rdIntensity(rd: rd[firstRow + i], revenue: revenue[firstRow + i]) ?? .nan
                }
            }
            if needsDates {
                for i in 0..<rowCount {
                    let date = columns.registered[firstRow + i]
                    registered[i] = date == 0 ? .nan : Double(date)
                    age[i] = date == 0 ? .nan : Double(EnterpriseFacts.completedYears(fromPacked: date, toPacked: asOf))
                }
            }
        }
    }

    static func evaluate(_ atom: CompiledRules.Atom, _ columns: EnterpriseColumns, derived: DerivedValues, industryTable: [UInt8]?,
                         firstRow: Int, rowCount: Int, yes: UnsafeMutablePointer<UInt64>, no: UnsafeMutablePointer<UInt64>) {
        switch atom {
        case .number(let column, let op, let threshold):
            columns.numbers[column].withUnsafeBufferPointer { values in
                compare(values.baseAddress! + firstRow, rowCount, op, threshold, yes, no)
            }
        case .rdIntensity(let op, let threshold):
            compare(derived.rdIntensity, rowCount, op, threshold, yes, no)
        case .age(let op, let threshold):
            compare(derived.age, rowCount, op, threshold, yes, no)
        case .registered(let op, let date):
            compare(derived.registered, rowCount, op, Double(date), yes, no)
        case .industry(let ranges):
            let table = industryTable ?? []
            columns.industryLow.withUnsafeBufferPointer { low in
                columns.industryHigh.withUnsafeBufferPointer { high in table.withUnsafeBufferPointer { classes in
                    fill(firstRow, rowCount, yes, no) { i in
                        let (l, h) = (low[i], high[i])
                        // A class code: one look-up. A coarser code (a division, a section) may be partly inside.
                        if l == h, Int(l) < classes.count {
                            let inside = classes[Int(l)] != 0
                            return (inside, !inside)
                        }
                        guard l <= h else { return (false, false) }
                        var inside = false, overlaps = false
                        for range in ranges {
                            if range.lowerBound <= l && h <= range.upperBound { inside = true }
                            if !(h < range.lowerBound || l > range.upperBound) { overlaps = true }
                        }
                        return (inside, !overlaps)
                    }
                } }
            }
        case .region(let ranges):
            columns.region.withUnsafeBufferPointer { region in
                fill(firstRow, rowCount, yes, no) { i in
                    let code = region[i]
                    guard code != 0 else { return (false, false) }
                    let inside = ranges.contains { $0.contains(code) }
                    return (inside, !inside)
                }
            }
        case .taxCredit(let mask):
            columns.taxCredit.withUnsafeBufferPointer { category($0, mask, firstRow, rowCount, yes, no) }
        case .sizeClass(let mask):
            columns.sizeClass.withUnsafeBufferPointer { category($0, mask, firstRow, rowCount, yes, no) }
        case .tag(let bit):
            columns.tags.withUnsafeBufferPointer { tags in
                fill(firstRow, rowCount, yes, no) { i in
                    let word = tags[i]
                    guard word & EnterpriseColumns.tagsKnown != 0 else { return (false, false) }
                    return (word & bit != 0, word & bit == 0)
                }
            }
        }
    }

    @inline(__always)
    static func category(_ values: UnsafeBufferPointer<UInt8>, _ mask: UInt64, _ firstRow: Int, _ rowCount: Int,
                         _ yes: UnsafeMutablePointer<UInt64>, _ no: UnsafeMutablePointer<UInt64>) {
        fill(firstRow, rowCount, yes, no) { i in
            let value = values[i]
            guard value != 0 else { return (false, false) }
            let inside = mask & (1 << UInt64(value)) != 0
            return (inside, !inside)
        }
    }

    /// A comparison over `rowCount` values, NaN meaning unknown: whole words eight lanes at a time, the last partial
    /// word one value at a time. `≠` is `<` or `>`, so that NaN is never "different".
    static func compare(_ values: UnsafePointer<Double>, _ rowCount: Int, _ op: ComparisonOperator, _ t: Double,
                        _ yes: UnsafeMutablePointer<UInt64>, _ no: UnsafeMutablePointer<UInt64>) {
        switch op {
        case .lessOrEqual: compare(LessOrEqual.self, values, rowCount, t, yes, no)
        case .less: compare(Less.self, values, rowCount, t, yes, no)
        case .greaterOrEqual: compare(GreaterOrEqual.self, values, rowCount, t, yes, no)
        case .greater: compare(Greater.self, values, rowCount, t, yes, no)
        case .equal: compare(Equal.self, values, rowCount, t, yes, no)
        case .notEqual: compare(NotEqual.self, values, rowCount, t, yes, no)
        }
    }

    typealias Lanes = SIMD8<Double>
    typealias LaneMask = SIMDMask<SIMD8<Int64>>

    /// One comparison on eight lanes: where it holds, where it fails (NaN lanes in neither).
    protocol LaneComparison {
        static func holds(_ v: Lanes, _ t: Lanes) -> LaneMask
        static func fails(_ v: Lanes, _ t: Lanes) -> LaneMask
    }
    enum LessOrEqual: LaneComparison {
        static func holds(_ v: Lanes, _ t: Lanes) -> LaneMask { v .<= t }
        static func fails(_ v: Lanes, _ t: Lanes) -> LaneMask { v .> t }
    }
    enum Less: LaneComparison {
        static func holds(_ v: Lanes, _ t: Lanes) -> LaneMask { v .< t }
        static func fails(_ v: Lanes, _ t: Lanes) -> LaneMask { v .>= t }
    }
    enum GreaterOrEqual: LaneComparison {
        static func holds(_ v: Lanes, _ t: Lanes) -> LaneMask { v .>= t }
        static func fails(_ v: Lanes, _ t: Lanes) -> LaneMask { v .< t }
    }
    enum Greater: LaneComparison {
        static func holds(_ v: Lanes, _ t: Lanes) -> LaneMask { v .> t }
        static func fails(_ v: Lanes, _ t: Lanes) -> LaneMask { v .<= t }
    }
    enum Equal: LaneComparison {
        static func holds(_ v: Lanes, _ t: Lanes) -> LaneMask { v .== t }
        static func fails(_ v: Lanes, _ t: Lanes) -> LaneMask { (v .< t) .| (v .> t) }
    }
    enum NotEqual: LaneComparison {
        static func holds(_ v: Lanes, _ t: Lanes) -> LaneMask { (v .< t) .| (v .> t) }
        static func fails(_ v: Lanes, _ t: Lanes) -> LaneMask { v .== t }
    }

    @inline(__always)
    static func compare<C: LaneComparison>(_: C.Type, _ values: UnsafePointer<Double>, _ rowCount: Int, _ threshold: Double,
                                           _ yes: UnsafeMutablePointer<UInt64>, _ no: UnsafeMutablePointer<UInt64>) {
        let t = Lanes(repeating: threshold)
        let wholeWords = rowCount / 64
        let raw = UnsafeRawPointer(values)
        for k in 0..<wholeWords {
            var y: UInt64 = 0, f: UInt64 = 0
            for group in 0..<8 {
                let lanes = raw.loadUnaligned(fromByteOffset: (k * 64 + group * 8) * 8, as: Lanes.self)
                y |= pack(C.holds(lanes, t)) << UInt64(group * 8)
                f |= pack(C.fails(lanes, t)) << UInt64(group * 8)
            }
            yes[k] = y
            no[k] = f
        }
        let rest = rowCount - wholeWords * 64
        guard rest > 0 else { return }
        var y: UInt64 = 0, f: UInt64 = 0
        for i in 0..<rest {
            let lanes = Lanes(repeating: values[wholeWords * 64 + i])
            y |= UInt64(C.holds(lanes, t)[0] ? 1 : 0) << UInt64(i)
            f |= UInt64(C.fails(lanes, t)[0] ? 1 : 0) << UInt64(i)
        }
        yes[wholeWords] = y
        no[wholeWords] = f
    }

    /// Eight lane results as eight bits: the lanes narrowed to bytes (0x00 / 0xFF), then gathered into the top byte
    /// of one multiplication (each byte's low bit lands on its own bit; no two products overlap, so nothing carries).
    @inline(__always)
    static func pack(_ mask: LaneMask) -> UInt64 {
        let bytes = SIMD8<Int8>(truncatingIfNeeded: SIMD8<Int64>.zero.replacing(with: -1, where: mask))
        let word = unsafeBitCast(bytes, to: UInt64.self)
        return ((word & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56
    }

    /// Any other condition, one row at a time.
    @inline(__always)
    static func fill(_ firstRow: Int, _ rowCount: Int, _ yes: UnsafeMutablePointer<UInt64>, _ no: UnsafeMutablePointer<UInt64>,
                     _ test: (Int) -> (Bool, Bool)) {
        for k in 0..<(rowCount + 63) / 64 {
            let base = firstRow + k * 64
            let end = firstRow + min(rowCount, (k + 1) * 64)
            var y: UInt64 = 0, n: UInt64 = 0
            for i in base..<end {
                let (holds, fails) = test(i)
                let shift = UInt64(i - base)
                y |= UInt64(holds ? 1 : 0) << shift
                n |= UInt64(fails ? 1 : 0) << shift
            }
            yes[k] = y
            no[k] = n
        }
    }
}
