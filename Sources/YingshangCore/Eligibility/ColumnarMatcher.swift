import Foundation

/// The bulk matching engine (批量匹配): evaluates compiled rules over every enterprise at once, 64 enterprises to a
/// machine word. Each condition yields two words — rows where it holds, rows where it fails; the rest are unknown —
/// and 且 / 或 / 非 combine them by Kleene logic (yes = y₁ & y₂, no = n₁ | n₂ for 且). Enterprises are taken in blocks
/// small enough that a block's condition words stay in cache while every rule reads them; blocks are spread over
/// the processor's cores. Results equal ``RuleEvaluator`` on every enterprise (the differential test checks it).
public enum ColumnarMatcher {
    /// Enterprises per block: 8 words of 64.
    static let blockWords = 8

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
                var scratch = Scratch(atomCount: rules.atoms.count)
                for block in blocks {
                    let range = (block * blockWords)..<min((block + 1) * blockWords, wordCount)
                    scratch.fill(rules, columns, words: range)
                    for rule in 0..<rules.ruleCount {
                        for (k, word) in range.enumerated() {
                            let (yes, no) = scratch.run(rules.programs[rule], word: k)
                            out.buffer[rule * wordCount + word] = yes
                            unknown[rule] += (~(yes | no) & validMask(word: word, count: columns.count)).nonzeroBitCount
                        }
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
        var scratch = Scratch(atomCount: rules.atoms.count)
        let needed = Set(rules.programs[rule].compactMap { if case .atom(let a) = $0 { a } else { nil } })
        for start in stride(from: 0, to: wordCount, by: blockWords) {
            let range = start..<min(start + blockWords, wordCount)
            scratch.fill(rules, columns, words: range, only: needed)
            for (k, word) in range.enumerated() {
                let (yes, no) = scratch.run(rules.programs[rule], word: k)
                eligible[word] = yes
                unknown[word] = ~(yes | no) & validMask(word: word, count: columns.count)
            }
        }
        return (Bitset(words: eligible, count: columns.count), Bitset(words: unknown, count: columns.count))
    }

    /// Every rule's truth for one enterprise (single-enterprise rematch after its facts change).
    public static func truths(row: Int, of rules: CompiledRules, over columns: EnterpriseColumns) -> [Truth] {
        var scratch = Scratch(atomCount: rules.atoms.count)
        scratch.fill(rules, columns, words: (row >> 6)..<(row >> 6) + 1)
        let bit: UInt64 = 1 << UInt64(row & 63)
        return rules.programs.map { program in
            let (yes, no) = scratch.run(program, word: 0)
            return yes & bit != 0 ? .yes : no & bit != 0 ? .no : .unknown
        }
    }

    static func validMask(word: Int, count: Int) -> UInt64 {
        let remaining = count - word << 6
        return remaining >= 64 ? ~0 : (1 << UInt64(remaining)) - 1
    }

    /// A block's condition words and the stack the rule programs run on.
    struct Scratch {
        var yes: [UInt64]
        var no: [UInt64]
        var stackYes = [UInt64](repeating: 0, count: 64)
        var stackNo = [UInt64](repeating: 0, count: 64)

        init(atomCount: Int) {
            yes = [UInt64](repeating: 0, count: atomCount * ColumnarMatcher.blockWords)
            no = yes
        }

        mutating func fill(_ rules: CompiledRules, _ columns: EnterpriseColumns, words: Range<Int>, only: Set<Int>? = nil) {
            yes.withUnsafeMutableBufferPointer { yes in
                no.withUnsafeMutableBufferPointer { no in
                    for (index, atom) in rules.atoms.enumerated() where only?.contains(index) ?? true {
                        let offset = index * ColumnarMatcher.blockWords
                        ConditionKernels.evaluate(atom, columns, asOf: rules.asOfPacked, words: words,
                                                  yes: yes.baseAddress! + offset, no: no.baseAddress! + offset)
                    }
                }
            }
        }

        /// Runs a postfix program on word `k` of the block.
        mutating func run(_ program: [CompiledRules.Operation], word k: Int) -> (UInt64, UInt64) {
            var top = 0
            for operation in program {
                switch operation {
                case .atom(let atom):
                    if top == stackYes.count {
                        stackYes.append(0)
                        stackNo.append(0)
                    }
                    stackYes[top] = yes[atom * ColumnarMatcher.blockWords + k]
                    stackNo[top] = no[atom * ColumnarMatcher.blockWords + k]
                    top += 1
                case .all(let n):
                    var y = ~UInt64(0), f = UInt64(0)
                    for i in (top - n)..<top {
                        y &= stackYes[i]
                        f |= stackNo[i]
                    }
                    top -= n
                    stackYes[top] = y
                    stackNo[top] = f
                    top += 1
                case .any(let n):
                    var y = UInt64(0), f = ~UInt64(0)
                    for i in (top - n)..<top {
                        y |= stackYes[i]
                        f &= stackNo[i]
                    }
                    top -= n
                    stackYes[top] = y
                    stackNo[top] = f
                    top += 1
                case .not:
                    swap(&stackYes[top - 1], &stackNo[top - 1])
                }
            }
            return (stackYes[0], stackNo[0])
        }
    }
}

/// A buffer handed to the worker threads, each writing its own disjoint part.
struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
