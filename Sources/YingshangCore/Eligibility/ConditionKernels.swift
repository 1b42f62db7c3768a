/// The inner loops of the matcher: one condition over a run of 64-row words, writing the rows where it holds and the
/// rows where it fails. A missing value (NaN, or the columns' reserved "missing" value) sets neither bit.
enum ConditionKernels {
    static func evaluate(_ atom: CompiledRules.Atom, _ columns: EnterpriseColumns, asOf: Int32, words: Range<Int>,
                         yes: UnsafeMutablePointer<UInt64>, no: UnsafeMutablePointer<UInt64>) {
        let count = columns.count
        switch atom {
        case .number(let column, let op, let threshold):
            columns.numbers[column].withUnsafeBufferPointer { values in
                compare(op, threshold, words, count, yes, no) { values[$0] }
            }
        case .rdIntensity(let op, let threshold):
            let rdColumn = EnterpriseColumns.numericFields.firstIndex(of: .rdExpense)!
            let revenueColumn = EnterpriseColumns.numericFields.firstIndex(of: .revenue)!
            columns.numbers[rdColumn].withUnsafeBufferPointer { rd in
                columns.numbers[revenueColumn].withUnsafeBufferPointer { revenue in
                    compare(op, threshold, words, count, yes, no) { i in
                        EnterpriseFacts.rdIntensity(rd: rd[i], revenue: revenue[i]) ?? .nan
                    }
                }
            }
        case .age(let op, let threshold):
            columns.registered.withUnsafeBufferPointer { registered in
                compare(op, threshold, words, count, yes, no) { i in
                    registered[i] == 0 ? .nan : Double(EnterpriseFacts.completedYears(fromPacked: registered[i], toPacked: asOf))
                }
            }
        case .registered(let op, let date):
            columns.registered.withUnsafeBufferPointer { registered in
                compare(op, Double(date), words, count, yes, no) { i in registered[i] == 0 ? .nan : Double(registered[i]) }
            }
        case .industry(let ranges):
            columns.industryLow.withUnsafeBufferPointer { low in
                columns.industryHigh.withUnsafeBufferPointer { high in
                    fill(words, count, yes, no) { i in
                        let (l, h) = (low[i], high[i])
                        guard l <= h else { return (false, false) }
                        var inside = false, overlaps = false
                        for range in ranges {
                            if range.lowerBound <= l && h <= range.upperBound { inside = true }
                            if !(h < range.lowerBound || l > range.upperBound) { overlaps = true }
                        }
                        return (inside, !overlaps)
                    }
                }
            }
        case .region(let ranges):
            columns.region.withUnsafeBufferPointer { region in
                fill(words, count, yes, no) { i in
                    let code = region[i]
                    guard code != 0 else { return (false, false) }
                    let inside = ranges.contains { $0.contains(code) }
                    return (inside, !inside)
                }
            }
        case .taxCredit(let mask):
            columns.taxCredit.withUnsafeBufferPointer { category($0, mask, words, count, yes, no) }
        case .sizeClass(let mask):
            columns.sizeClass.withUnsafeBufferPointer { category($0, mask, words, count, yes, no) }
        case .tag(let bit):
            columns.tags.withUnsafeBufferPointer { tags in
                fill(words, count, yes, no) { i in
                    let word = tags[i]
                    guard word & EnterpriseColumns.tagsKnown != 0 else { return (false, false) }
                    return (word & bit != 0, word & bit == 0)
                }
            }
        }
    }

    @inline(__always)
    static func category(_ values: UnsafeBufferPointer<UInt8>, _ mask: UInt64, _ words: Range<Int>, _ count: Int,
                         _ yes: UnsafeMutablePointer<UInt64>, _ no: UnsafeMutablePointer<UInt64>) {
        fill(words, count, yes, no) { i in
            let value = values[i]
            guard value != 0 else { return (false, false) }
            let inside = mask & (1 << UInt64(value)) != 0
            return (inside, !inside)
        }
    }

    /// A comparison, NaN meaning unknown. `≠` is written as `<` or `>` so that NaN is not "different".
    @inline(__always)
    static func compare(_ op: ComparisonOperator, _ t: Double, _ words: Range<Int>, _ count: Int,
                        _ yes: UnsafeMutablePointer<UInt64>, _ no: UnsafeMutablePointer<UInt64>, _ value: (Int) -> Double) {
        switch op {
        case .lessOrEqual: fill(words, count, yes, no) { i in let v = value(i); return (v <= t, v > t) }
        case .less: fill(words, count, yes, no) { i in let v = value(i); return (v < t, v >= t) }
        case .greaterOrEqual: fill(words, count, yes, no) { i in let v = value(i); return (v >= t, v < t) }
        case .greater: fill(words, count, yes, no) { i in let v = value(i); return (v > t, v <= t) }
        case .equal: fill(words, count, yes, no) { i in let v = value(i); return (v == t, v < t || v > t) }
        case .notEqual: fill(words, count, yes, no) { i in let v = value(i); return (v < t || v > t, v == t) }
        }
    }

    @inline(__always)
    static func fill(_ words: Range<Int>, _ count: Int, _ yes: UnsafeMutablePointer<UInt64>, _ no: UnsafeMutablePointer<UInt64>,
                     _ test: (Int) -> (Bool, Bool)) {
        for (k, word) in words.enumerated() {
            let base = word << 6
            let end = min(base + 64, count)
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
