import Foundation

/// Scores a whole grid at once: formulas (in dependency order), each indicator's 0–100 score (fixed bounds or the
/// period's frontier), parents aggregated up the tree, the overall score, and ranks. Compiled once per indicator
/// system; a run over 200 places × 300 indicators × 20 quarters takes milliseconds, so pages compute live.
public struct EvaluationEngine: Sendable {
    public let system: IndicatorSystem
    let codeIndex: [String: Int]
    /// Formula indicators in dependency order, with their programs over indicator indices.
    let formulas: [(indicator: Int, program: [Operation])]
    let children: [[Int]]
    /// Scored indicators, children before parents.
    let scoringOrder: [Int]
    /// Scored first-level indicators (they make the overall score) and their weights.
    let roots: [Int]
    let rootWeights: [Double]
    let isScored: [Bool]

    enum Operation: Sendable {
        case number(Double), reference(Int), add, subtract, multiply, divide, negate
    }

    public struct InvalidSystem: Error, Sendable { public let problems: [String] }

    public init(system: IndicatorSystem) throws(InvalidSystem) {
        let problems = system.problems()
        guard problems.isEmpty else { throw InvalidSystem(problems: problems) }
        self.system = system
        let indicators = system.indicators
        let codeIndex = Dictionary(uniqueKeysWithValues: indicators.enumerated().map { ($1.code, $0) })
        self.codeIndex = codeIndex
        var children = Array(repeating: [Int](), count: indicators.count)
        for (i, indicator) in indicators.enumerated() {
            if let parent = indicator.parentCode.flatMap({ codeIndex[$0] }) { children[parent].append(i) }
        }
        self.children = children
        // Formulas: depth-first so that every formula runs after those it reads.
        var programs: [Int: [Operation]] = [:], dependencies: [Int: [Int]] = [:]
        for (i, indicator) in indicators.enumerated() {
            guard let text = indicator.formula, !text.isEmpty, let formula = try? IndicatorFormula(text) else { continue }
            programs[i] = formula.steps.map { step in
                switch step {
                case .number(let n): .number(n)
                case .reference(let code): .reference(codeIndex[code]!)
                case .add: .add
                case .subtract: .subtract
                case .multiply: .multiply
                case .divide: .divide
                case .negate: .negate
                }
            }
            dependencies[i] = formula.references.compactMap { codeIndex[$0] }
        }
        var ordered: [(Int, [Operation])] = [], done: Set<Int> = []
        func place(_ i: Int) {
            guard let program = programs[i], !done.contains(i) else { return }
            done.insert(i)
            for dependency in dependencies[i] ?? [] { place(dependency) }
            ordered.append((i, program))
        }
        for i in programs.keys.sorted() { place(i) }
        self.formulas = ordered
        // Scored: not a data element; a parent only through its scored children.
        var isScored = indicators.map { !$0.isDataElement }
        var order: [Int] = []
        func post(_ i: Int) {
            for child in children[i] { post(child) }
            if !children[i].isEmpty { isScored[i] = isScored[i] && children[i].contains { isScored[$0] } }
            if isScored[i] { order.append(i) }
        }
        let topLevel = indicators.indices.filter { indicators[$0].parentCode == nil }
        for i in topLevel { post(i) }
        self.isScored = isScored
        self.scoringOrder = order
        self.roots = topLevel.filter { isScored[$0] }
        self.rootWeights = roots.map { indicators[$0].weight }
    }

    public func index(of code: String) -> Int? { codeIndex[code] }

    /// Scores every period of the grid (periods in parallel when the grid is large).
    public func run(_ grid: EvaluationGrid) -> EvaluationResult {
        precondition(grid.indicatorCount == system.indicators.count, "grid does not match the indicator system")
        var result = EvaluationResult(engine: self, grid: grid)
        let periods = grid.periods.count
        let cells = grid.placeCount * grid.indicatorCount
        result.withBuffers { buffers in
            if periods > 1 && periods * cells > 50_000 {
                DispatchQueue.concurrentPerform(iterations: periods) { t in score(period: t, buffers) }
            } else {
                for t in 0..<periods { score(period: t, buffers) }
            }
        }
        return result
    }

    struct Buffers: @unchecked Sendable {
        let places: Int, indicators: Int
        let values: UnsafeMutableBufferPointer<Double>
        let scores: UnsafeMutableBufferPointer<Double>
        let ranks: UnsafeMutableBufferPointer<Int32>
        let counts: UnsafeMutableBufferPointer<Int32>
        let best: UnsafeMutableBufferPointer<Double>
        let worst: UnsafeMutableBufferPointer<Double>
        let totals: UnsafeMutableBufferPointer<Double>
        let totalRanks: UnsafeMutableBufferPointer<Int32>
    }

    private func score(period t: Int, _ b: Buffers) {
        let P = b.places, N = b.indicators
        let indicators = system.indicators
        var stack = [Double](repeating: 0, count: formulas.map(\.program.count).max() ?? 1)
        // 1. Formulas.
        for p in 0..<P {
            let base = (t * P + p) * N
            for (i, program) in formulas {
                b.values[base + i] = evaluate(program, base: base, values: b.values, stack: &stack)
            }
        }
        // 2. Bounds and leaf scores, 3. parents, in one pass children-first.
        for i in scoringOrder {
            let indicator = indicators[i]
            let first = t * N + i
            if children[i].isEmpty {
                var best = indicator.best ?? .nan, worst = indicator.worst ?? .nan
                if indicator.fixedBounds == nil {
                    best = .nan; worst = .nan
                    for p in 0..<P {
                        let v = b.values[(t * P + p) * N + i]
                        guard !v.isNaN else { continue }
                        if best.isNaN || indicator.direction.prefers(v, over: best) { best = v }
                        if worst.isNaN || indicator.direction.prefers(worst, over: v) { worst = v }
                    }
                }
                b.best[first] = best
                b.worst[first] = worst
                for p in 0..<P {
                    let cell = (t * P + p) * N + i
                    let v = b.values[cell]
                    b.scores[cell] = v.isNaN || best.isNaN ? .nan : Self.score(v, best: best, worst: worst, exponent: indicator.exponent)
                }
            } else {
                for p in 0..<P {
                    let base = (t * P + p) * N
                    b.scores[base + i] = aggregate(i, base: base, t: t, b)
                }
            }
            rank(t: t, indicator: i, b)
        }
        // 4. Overall score and its rank.
        for p in 0..<P {
            let base = (t * P + p) * N
            var sum = 0.0, weights = 0.0
            for (k, root) in roots.enumerated() {
                let s = b.scores[base + root]
                guard !s.isNaN else { continue }
                sum += s * rootWeights[k]
                weights += rootWeights[k]
            }
            b.totals[t * P + p] = weights > 0 ? sum / weights : .nan
        }
        Self.competitionRanks(P, score: { b.totals[t * P + $0] }, write: { b.totalRanks[t * P + $0] = $1 })
    }

    @inline(__always)
    static func score(_ v: Double, best: Double, worst: Double, exponent: Double) -> Double {
        guard best != worst else { return 100 }
        let share = min(1, max(0, (worst - v) / (worst - best)))
        return 100 * (exponent == 1 ? share : Foundation.pow(share, exponent))
    }

    private func aggregate(_ i: Int, base: Int, t: Int, _ b: Buffers) -> Double {
        let indicators = system.indicators
        switch indicators[i].aggregation {
        case .sumOfIndexes:
            var reached = 0.0, range = 0.0
            for child in children[i] where isScored[child] {
                let v = b.values[base + child], best = b.best[t * b.indicators + child], worst = b.worst[t * b.indicators + child]
                guard !v.isNaN, !best.isNaN else { continue }
                reached += min(abs(v - worst), abs(best - worst))
                range += abs(best - worst)
            }
            return range > 0 ? 100 * reached / range : .nan
        case .mean, .weightedMean:
            let weighted = indicators[i].aggregation == .weightedMean
            var sum = 0.0, weights = 0.0
            for child in children[i] where isScored[child] {
                let s = b.scores[base + child]
                guard !s.isNaN else { continue }
                let w = weighted ? indicators[child].weight : 1
                sum += s * w
                weights += w
            }
            return weights > 0 ? sum / weights : .nan
        }
    }

    private func rank(t: Int, indicator i: Int, _ b: Buffers) {
        let P = b.places, N = b.indicators
        let ranked = Self.competitionRanks(P, score: { b.scores[(t * P + $0) * N + i] },
                                           write: { b.ranks[(t * P + $0) * N + i] = $1 })
        b.counts[t * N + i] = Int32(ranked)
    }

    /// Competition ranking (1, 2, 2, 4) by score, highest first; places without a score get 0. Returns how many
    /// places were ranked.
    @discardableResult
    static func competitionRanks(_ count: Int, score: (Int) -> Double, write: (Int, Int32) -> Void) -> Int {
        var order: [(score: Double, place: Int32)] = []
        order.reserveCapacity(count)
        for p in 0..<count {
            let s = score(p)
            if s.isNaN { write(p, 0) } else { order.append((s, Int32(p))) }
        }
        order.sort { $0.score > $1.score }
        var rank: Int32 = 0
        for (position, entry) in order.enumerated() {
            if position == 0 || entry.score != order[position - 1].score { rank = Int32(position + 1) }
            write(Int(entry.place), rank)
        }
        return order.count
    }

    private func evaluate(_ program: [Operation], base: Int, values: UnsafeMutableBufferPointer<Double>,
                          stack: inout [Double]) -> Double {
        var top = -1
        for operation in program {
            switch operation {
            case .number(let n): top += 1; stack[top] = n
            case .reference(let i):
                let v = values[base + i]
                if v.isNaN { return .nan }
                top += 1; stack[top] = v
            case .negate: stack[top] = -stack[top]
            case .add: stack[top - 1] += stack[top]; top -= 1
            case .subtract: stack[top - 1] -= stack[top]; top -= 1
            case .multiply: stack[top - 1] *= stack[top]; top -= 1
            case .divide:
                if stack[top] == 0 { return .nan }
                stack[top - 1] /= stack[top]; top -= 1
            }
        }
        return top == 0 && stack[0].isFinite ? stack[0] : .nan
    }
}
