import Foundation

/// The bulk matching engine (批量匹配): evaluates compiled rules over every enterprise at once, 64 enterprises to a
/// machine word. Each condition yields two words — rows where it holds, rows where it fails; the rest are unknown —
/// and 且 / 或 / 非 combine them by Kleene logic (yes = y₁ & y₂, no = n₁ | n₂ for 且). Enterprises are taken in blocks
/// small enough that a block's condition words stay in cache while every rule reads them; blocks are spread over
/// the processor's cores. Results equal ``RuleEvaluator`` on every enterprise (the differential test checks it).
public enum ColumnarMatcher {
    /// Enterprises per block: 32 words of 64.
    static let blockWords = 32

    /// Every rule's eligible enterprises (符合), and how many each rule left undecided (待补充信息).
    public struct FullMatch: Sendable {
        public let ruleCount: Int
        public let rowCount: Int
        let wordsPerRule: Int
        /// Rule-major: rule r's words are `words[r * wordsPerRule ..< (r + 1) * wordsPerRule]`.
        var words: [UInt64]
        public internal(set) var unknownCounts: [Int]

        public func eligible(rule: Int) -> Bitset {
            Bitset(words: Array(words[rule * wordsPerRule..<(rule + 1) * wordsPerRule]), count: rowCount)
        }

        public func eligibleCount(rule: Int) -> Int {
            words[rule * wordsPerRule..<(rule + 1) * wordsPerRule].reduce(0) { $0 + $1.nonzeroBitCount }
        }

        public func isEligible(rule: Int, row: Int) -> Bool {
            words[rule * wordsPerRule + row >> 6] & (1 << UInt64(row & 63)) != 0
        }

        /// Records one enterprise's new results (after its facts changed).
        public mutating func update(row: Int, truths: [Truth], previous: [Truth]) {
            for rule in truths.indices {
                let index = rule * wordsPerRule + row >> 6
                let bit: UInt64 = 1 << UInt64(row & 63)
                if truths[rule] == .yes { words[index] |= bit } else { words[index] &= ~bit }
                if previous[rule] == .unknown { unknownCounts[rule] -= 1 }
                if truths[rule] == .unknown { unknownCounts[rule] += 1 }
            }
        }

        /// Bytes held by the result words.
        public var byteCount: Int { words.count * 8 }
    }

    /// Evaluates every rule over every row.
    public static func matchAll(_ rules: CompiledRules, over columns: EnterpriseColumns,
                                threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> FullMatch {
        let wordCount = (columns.count + 63) / 64
        var words = [UInt64](repeating: 0, count: rules.ruleCount * wordCount)
        let blockCount = (wordCount + blockWords - 1) / blockWords
        let workers = max(1, min(threads, blockCount))
        var unknownByWorker = [[Int]](repeating: [Int](repeating: 0, count: rules.ruleCount), count: workers)
        words.withUnsafeMutableBufferPointer { output in unknownByWorker.withUnsafeMutableBufferPointer { perWorker in
            let out = SendableBuffer(output)
            let counts = SendableBuffer(perWorker)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let blocks = (blockCount * worker / workers)..<(blockCount * (worker + 1) / workers)
                var unknown = [Int](repeating: 0, count: rules.ruleCount)
                let scratch = Scratch(rules)
                for block in blocks {
                    let range = (block * blockWords)..<min((block + 1) * blockWords, wordCount)
                    scratch.fill(rules, columns, words: range)
                    for rule in 0..<rules.ruleCount {
                        let (yes, no) = scratch.run(rules.programs[rule], wordCount: range.count)
                        let target = out.buffer.baseAddress! + rule * wordCount + range.lowerBound
                        var undecided = 0
                        for k in 0..<range.count {
                            target[k] = yes[k]
                            undecided += (~(yes[k] | no[k])).nonzeroBitCount
                        }
                        // Rows past the end of the last word are neither yes nor no: not enterprises, not unknown.
                        if range.upperBound == wordCount {
                            undecided -= (~(yes[range.count - 1] | no[range.count - 1]) & ~validMask(word: wordCount - 1, count: columns.count)).nonzeroBitCount
                        }
                        unknown[rule] += undecided
                    }
                }
                counts.buffer[worker] = unknown
            }
        } }
        let unknownCounts = unknownByWorker.reduce(into: [Int](repeating: 0, count: rules.ruleCount)) { total, part in
            for i in part.indices { total[i] += part[i] }
        }
        return FullMatch(ruleCount: rules.ruleCount, rowCount: columns.count, wordsPerRule: wordCount, words: words,
                         unknownCounts: unknownCounts)
    }

    /// One rule over every row: who is eligible and who is undecided (for a roster's 待补充信息 list).
    public static func match(rule: Int, of rules: CompiledRules, over columns: EnterpriseColumns) -> (eligible: Bitset, unknown: Bitset) {
        let wordCount = (columns.count + 63) / 64
        var eligible = [UInt64](repeating: 0, count: wordCount)
        var unknown = [UInt64](repeating: 0, count: wordCount)
        let scratch = Scratch(rules)
        let needed = Set(rules.programs[rule].compactMap { if case .atom(let a) = $0 { a } else { nil } })
        for start in stride(from: 0, to: wordCount, by: blockWords) {
            let range = start..<min(start + blockWords, wordCount)
            scratch.fill(rules, columns, words: range, only: needed)
            let (yes, no) = scratch.run(rules.programs[rule], wordCount: range.count)
            for (k, word) in range.enumerated() {
                eligible[word] = yes[k]
                unknown[word] = ~(yes[k] | no[k]) & validMask(word: word, count: columns.count)
            }
        }
        return (Bitset(words: eligible, count: columns.count), Bitset(words: unknown, count: columns.count))
    }

    /// Every rule's truth for one enterprise (single-enterprise rematch after its facts change).
    public static func truths(row: Int, of rules: CompiledRules, over columns: EnterpriseColumns) -> [Truth] {
        let scratch = Scratch(rules)
        scratch.fill(rules, columns, words: (row >> 6)..<(row >> 6) + 1)
        let bit: UInt64 = 1 << UInt64(row & 63)
        return rules.programs.map { program in
            let (yes, no) = scratch.run(program, wordCount: 1)
            return yes[0] & bit != 0 ? .yes : no[0] & bit != 0 ? .no : .unknown
        }
    }

    static func validMask(word: Int, count: Int) -> UInt64 {
        let remaining = count - word << 6
        return remaining >= 64 ? ~0 : (1 << UInt64(remaining)) - 1
    }

    /// A block's condition words, the values of derived facts for the block, and the stack the rule programs run on.
    /// Programs run on all of a block's words at once, so interpreting an operation costs once per block.
    final class Scratch {
        static let rows = ColumnarMatcher.blockWords * 64
        let yes: UnsafeMutablePointer<UInt64>
        let no: UnsafeMutablePointer<UInt64>
        let derived: ConditionKernels.DerivedValues
        /// Results of 且 / 或 by stack position.
        let temporaryYes: UnsafeMutablePointer<UInt64>
        let temporaryNo: UnsafeMutablePointer<UInt64>
        /// The stack: where each entry's words are (a condition's, or a temporary).
        let stackYes: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
        let stackNo: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
        let atomCount: Int
        let depth: Int

        init(_ rules: CompiledRules) {
            atomCount = rules.atoms.count
            depth = max(1, rules.maxDepth)
            let words = ColumnarMatcher.blockWords
            yes = .allocate(capacity: max(1, atomCount) * words)
            no = .allocate(capacity: max(1, atomCount) * words)
            temporaryYes = .allocate(capacity: depth * words)
            temporaryNo = .allocate(capacity: depth * words)
            stackYes = .allocate(capacity: depth)
            stackNo = .allocate(capacity: depth)
            derived = ConditionKernels.DerivedValues(rows: Self.rows)
        }

        deinit {
            yes.deallocate()
            no.deallocate()
            temporaryYes.deallocate()
            temporaryNo.deallocate()
            stackYes.deallocate()
            stackNo.deallocate()
        }

        func fill(_ rules: CompiledRules, _ columns: EnterpriseColumns, words: Range<Int>, only: Set<Int>? = nil) {
            let firstRow = words.lowerBound * 64
            let rowCount = min(words.upperBound * 64, columns.count) - firstRow
            derived.prepare(for: rules, only: only, columns, asOf: rules.asOfPacked, firstRow: firstRow, rowCount: rowCount)
            for (index, atom) in rules.atoms.enumerated() where only?.contains(index) ?? true {
                let offset = index * ColumnarMatcher.blockWords
                ConditionKernels.evaluate(atom, columns, derived: derived, industryTable: rules.industryTables[index],
                                          firstRow: firstRow, rowCount: rowCount,
                                          yes: yes + offset, no: no + offset)
            }
        }

        /// Runs a postfix program over the block's first `wordCount` words; the result stays valid until the next run.
        func run(_ program: [CompiledRules.Operation], wordCount: Int) -> (UnsafePointer<UInt64>, UnsafePointer<UInt64>) {
            let words = ColumnarMatcher.blockWords
            var top = 0
            for operation in program {
                switch operation {
                case .atom(let atom):
                    stackYes[top] = yes + atom * words
                    stackNo[top] = no + atom * words
                    top += 1
                case .all(2):
                    // The commonest shape, as a loop the compiler vectorises.
                    let base = top - 2
                    let (y1, y2, n1, n2) = (stackYes[base], stackYes[base + 1], stackNo[base], stackNo[base + 1])
                    let outYes = temporaryYes + base * words, outNo = temporaryNo + base * words
                    for k in 0..<wordCount {
                        let (a, b, c, d) = (y1[k], y2[k], n1[k], n2[k])
                        outYes[k] = a & b
                        outNo[k] = c | d
                    }
                    stackYes[base] = outYes
                    stackNo[base] = outNo
                    top = base + 1
                case .all(let n):
                    let base = top - n
                    let outYes = temporaryYes + base * words, outNo = temporaryNo + base * words
                    for k in 0..<wordCount {
                        var y = ~UInt64(0), f = UInt64(0)
                        for i in base..<top {
                            y &= stackYes[i][k]
                            f |= stackNo[i][k]
                        }
                        outYes[k] = y
                        outNo[k] = f
                    }
                    stackYes[base] = outYes
                    stackNo[base] = outNo
                    top = base + 1
                case .any(let n):
                    let base = top - n
                    let outYes = temporaryYes + base * words, outNo = temporaryNo + base * words
                    for k in 0..<wordCount {
                        var y = UInt64(0), f = ~UInt64(0)
                        for i in base..<top {
                            y |= stackYes[i][k]
                            f &= stackNo[i][k]
                        }
                        outYes[k] = y
                        outNo[k] = f
                    }
                    stackYes[base] = outYes
                    stackNo[base] = outNo
                    top = base + 1
                case .not:
                    swap(&stackYes[top - 1], &stackNo[top - 1])
                }
            }
            return (UnsafePointer(stackYes[0]), UnsafePointer(stackNo[0]))
        }
    }
}

/// A buffer handed to the worker threads, each writing its own disjoint part.
struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
