// Scheduling fused gates into sweeps. Gates on disjoint qubits commute, so a gate need
// not wait for the sweep its predecessor in the list closed: it may join any later
// sweep once every earlier gate that shares a qubit with it has run.
//
// Each sweep is chosen by its high qubits. For every set of h of the high qubits that
// gates still need, the closure is the gates that could run one after another with
// only those qubits in the chunk; the schedule takes, among the six largest closures,
// the one that with the largest closure after it runs the most gates. Sweeps cost the
// same memory traffic whatever they hold, so fewer of them is faster. With 12 low and
// 5 high qubits, rqc_24 takes 15 steps (sweeps and lone gates) and qv_24 7, where
// adding at each step the ready gate with the fewest new high qubits took 16 and 9,
// and 13 low and 4 high qubits 18 and 10 (a task's `passes` metadata).

extension Sweeps {
    /// Groups `gates` into sweeps, reordering only gates that act on disjoint qubits.
    static func plan(_ gates: [FusedGate], qubitCount n: Int, options: SweepOptions) -> [SweepStep] {
        plan(gates, qubitCount: n, options: options, check: {})
    }

    /// Groups `gates` into sweeps as `plan(_:qubitCount:options:)` does, asking `stop`
    /// before each closure it works out (each costs up to one walk over the gates).
    /// - Throws: `Interrupted` when `stop` asked to stop.
    static func plan(_ gates: [FusedGate], qubitCount n: Int, options: SweepOptions, stop: Cancellation)
        throws(Interrupted) -> [SweepStep]
    {
        try plan(gates, qubitCount: n, options: options, check: { () throws(Interrupted) in try stop.check() })
    }

    /// The plan, calling `check` before each unit of work (with a closure that cannot
    /// throw, `E` is `Never`).
    private static func plan<E: Error>(
        _ gates: [FusedGate], qubitCount n: Int, options: SweepOptions, check: () throws(E) -> Void
    ) throws(E) -> [SweepStep] {
        let c = options.lowQubits, h = options.highQubits
        guard n > c + h else { return gates.map { .direct($0) } }
        var graph = DependencyGraph(gates, qubitCount: n)
        // The high qubits a gate needs inside its sweep; a diagonal gate needs none
        // (DiagonalSlices.swift).
        let highMask = gates.map { g in
            g.isDiagonal ? 0 : g.qubits.reduce(0) { $1 >= c ? $0 | 1 << $1 : $0 }
        }
        // How many gates not yet run need each high qubit.
        var remaining = [Int](repeating: 0, count: n)
        for m in highMask { for q in c..<n where m & 1 << q != 0 { remaining[q] += 1 } }
        var steps: [SweepStep] = []
        while !graph.ready.isEmpty {
            try check()
            // A gate on more high qubits than a sweep holds runs alone, as soon as it can.
            if let wide = graph.ready.first(where: { highMask[$0].nonzeroBitCount > h }) {
                steps.append(.direct(gates[wide]))
                graph.run([wide], highMasks: highMask, remaining: &remaining)
                continue
            }
            let (high, taken) = try graph.nextSweep(
                highMasks: highMask, highQubits: h, remaining: &remaining, check: check)
            if taken.count == 1 {
                steps.append(.direct(gates[taken[0]]))
            } else {
                steps.append(.local(high: (c..<n).filter { high & 1 << $0 != 0 }, gates: taken.map { gates[$0] }))
            }
        }
        return steps
    }
}

/// Which gates may run: a gate waits for the previous gate on each of its qubits.
struct DependencyGraph {
    /// The gates whose predecessors have all run, in list order. No two share a qubit.
    private(set) var ready: [Int] = []
    /// For each gate, the next gate on each of its qubits (-1 if none).
    private var next: [[Int]]
    /// For each gate, how many of its qubits still have an earlier gate to run.
    private var waiting: [Int]

    init(_ gates: [FusedGate], qubitCount n: Int) {
        next = gates.map { [Int](repeating: -1, count: $0.qubits.count) }
        waiting = [Int](repeating: 0, count: gates.count)
        var last = [(gate: Int, slot: Int)?](repeating: nil, count: n)
        for (i, g) in gates.enumerated() {
            for (slot, q) in g.qubits.enumerated() {
                if let (j, s) = last[q] {
                    next[j][s] = i
                    waiting[i] += 1
                }
                last[q] = (i, slot)
            }
            if waiting[i] == 0 { ready.append(i) }
        }
    }

    /// Scratch space for closures: a count per gate (always left at zero) and buffers.
    struct Scratch {
        var extra: [Int]
        var order: [Int] = []
        var touched: [Int] = []
    }

    /// Fills `scratch.order` with the gates that could run one after another in a sweep
    /// whose high qubits are `mask`, in dependency order, and returns the union of
    /// their high qubits (the same closure comes from any mask that holds that union).
    func closure(_ mask: Int, highMasks: [Int], scratch s: inout Scratch) -> Int {
        s.order.removeAll(keepingCapacity: true)
        s.touched.removeAll(keepingCapacity: true)
        var used = 0
        for g in ready where highMasks[g] & ~mask == 0 { s.order.append(g) }
        var i = 0
        while i < s.order.count {
            let g = s.order[i]
            used |= highMasks[g]
            for j in next[g] where j >= 0 {
                if s.extra[j] == 0 { s.touched.append(j) }
                s.extra[j] += 1
                if s.extra[j] == waiting[j] && highMasks[j] & ~mask == 0 { s.order.append(j) }
            }
            i += 1
        }
        for j in s.touched { s.extra[j] = 0 }
        return used
    }

    /// The distinct closures over every set of `min(h, needed)` of the high qubits
    /// that gates still need: each as the union of its high qubits and its gate count,
    /// largest first (earliest set first among equals).
    /// `check` is called before each closure.
    func closures<E: Error>(
        highMasks: [Int], highQubits h: Int, remaining: [Int], scratch: inout Scratch, check: () throws(E) -> Void
    ) throws(E) -> [(used: Int, count: Int)] {
        var needed: [Int] = []
        for q in remaining.indices where remaining[q] > 0 { needed.append(q) }
        let k = min(h, needed.count)
        var seen = Set<Int>()
        var found: [(used: Int, count: Int)] = []
        // Every k-subset of `needed`, in lexicographic order.
        var pick = Array(0..<k)
        while true {
            var mask = 0
            for p in pick { mask |= 1 << needed[p] }
            try check()
            let used = closure(mask, highMasks: highMasks, scratch: &scratch)
            if seen.insert(used).inserted { found.append((used, scratch.order.count)) }
            var p = k - 1
            while p >= 0 && pick[p] == needed.count - k + p { p -= 1 }
            if p < 0 { break }
            pick[p] += 1
            for r in (p + 1)..<k { pick[r] = pick[r - 1] + 1 }
        }
        return found.enumerated().sorted { ($0.element.count, $1.offset) > ($1.element.count, $0.offset) }.map(\.element)
    }

    /// Chooses the next sweep and marks its gates run: of the `lookahead` largest
    /// closures, the one that together with the largest closure after it runs the most
    /// gates. Returns the sweep's high qubits and its gates in dependency order.
    /// `check` is called before each closure.
    mutating func nextSweep<E: Error>(
        highMasks: [Int], highQubits h: Int, remaining: inout [Int], lookahead: Int = 6, check: () throws(E) -> Void
    ) throws(E) -> (high: Int, gates: [Int]) {
        var scratch = Scratch(extra: [Int](repeating: 0, count: waiting.count))
        let options = try closures(
            highMasks: highMasks, highQubits: h, remaining: remaining, scratch: &scratch, check: check)
        var best = options[0].used
        if options.count > 1 && lookahead > 1 {
            var bestTotal = -1
            for option in options.prefix(lookahead) {
                _ = closure(option.used, highMasks: highMasks, scratch: &scratch)
                var after = self, left = remaining
                after.run(scratch.order, highMasks: highMasks, remaining: &left)
                let next = try after.closures(
                    highMasks: highMasks, highQubits: h, remaining: left, scratch: &scratch, check: check)
                let second = next.first?.count ?? 0
                if option.count + second > bestTotal { (best, bestTotal) = (option.used, option.count + second) }
            }
        }
        _ = closure(best, highMasks: highMasks, scratch: &scratch)
        let gates = scratch.order
        run(gates, highMasks: highMasks, remaining: &remaining)
        return (best, gates)
    }

    /// Marks `gates` run, in order, and takes their high qubits off `remaining`.
    mutating func run(_ gates: [Int], highMasks: [Int], remaining: inout [Int]) {
        for g in gates {
            finish(g)
            var m = highMasks[g]
            while m != 0 {
                remaining[m.trailingZeroBitCount] -= 1
                m &= m - 1
            }
        }
    }

    /// Marks ready gate `i` as run; its successors become ready when nothing else holds them.
    mutating func finish(_ i: Int) {
        ready.removeAll { $0 == i }
        for j in next[i] where j >= 0 {
            waiting[j] -= 1
            if waiting[j] == 0 {
                let at = ready.firstIndex { $0 > j } ?? ready.count
                ready.insert(j, at: at)
            }
        }
    }
}
