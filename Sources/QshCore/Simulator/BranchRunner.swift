// Branch-by-branch simulation of circuits with mid-circuit measurement, reset or `if`:
// one state per distinct measurement history, weighted by its probability. A
// measurement whose outcome is certain (p < 1e-12 either way) does not branch, so
// programs that measure or reset disentangled qubits run as one state; the final
// measurements are sampled from each branch's state. When the branches would pass
// `maximumBranches` (memory), the caller falls back to running shot by shot.

/// One measurement history: its state, probability and classical bits.
final class Branch<T: SimulatorScalar> {
    let state: StateVector<T>
    var weight: Double
    var bits: [UInt8]

    init(state: StateVector<T>, weight: Double, bits: [UInt8]) {
        self.state = state
        self.weight = weight
        self.bits = bits
    }
}

@available(*, unavailable)
extension Branch: Sendable {}

enum BranchRunner {
    /// An outcome with probability below this is treated as impossible.
    static let certainty = 1e-12

    /// The branch-by-branch strategy: runs the operations after `prefix` from a copy of
    /// its state, with as many branches as the memory left beside two states allows
    /// (at most 4096, and an eighth of the shots: branching pays only while histories
    /// are far fewer than shots).
    /// - Returns: the result, or nil when the histories outgrow that (run shot by shot).
    /// - Throws: `QPUError.interrupted` when the request or `progress` says stop.
    static func run<T: SimulatorScalar>(
        _ simulation: Simulation<T>, from prefix: UnitaryPrefix<T>, progress: (RunProgress) -> Bool
    ) throws -> RunResult? {
        let request = simulation.request, circuit = simulation.circuit
        let stateBytes = StateVectorMemory.bytes(qubits: circuit.qubitCount, precision: request.precision) ?? Int.max
        let budget = min(simulation.qpu.capabilities.memoryLimit, 4 << 30) - 2 * stateBytes
        let maximumBranches = max(1, min(4096, budget / max(1, stateBytes), request.shots / 8))
        let start = StateVector<T>(qubits: circuit.qubitCount, loop: simulation.loop)
        start.assign(from: prefix.state)
        var generator = SeededGenerator(seed: request.seed)
        guard
            let tallies = try tallies(
                prefix.rest, start: start, circuit: circuit, shots: request.shots, maximumBranches: maximumBranches,
                generator: &generator, loop: simulation.loop, shouldStop: { simulation.shouldStop(progress) })
        else { return nil }
        let map = ClbitMap(circuit)
        let report = RunProgress(shotsDone: request.shots, shots: request.shots, partial: map.counts(tallies))
        if !progress(report) { throw QPUError.interrupted }
        let end = simulation.clock.now
        return try simulation.result(
            map.counts(tallies), fused: prefix.fused, simulate: end - prefix.start, sample: .zero,
            metadata: simulation.metadata(method: "branch-by-branch"))
    }

    /// Runs `ops` (fused, in order) on `start`; nil when more than `maximumBranches`
    /// branches would be needed. Returns the per-register tallies for `shots` shots.
    static func tallies<T: SimulatorScalar>(
        _ ops: [FusedOperation], start: StateVector<T>, circuit: Circuit, shots: Int, maximumBranches: Int,
        generator: inout SeededGenerator, loop: ParallelLoop, shouldStop: () -> Bool = { false }
    ) throws -> [[String: Int]]? {
        let n = start.qubitCount
        // The terminal tail: trailing unconditional measurements, sampled at the end.
        var tailStart = ops.count
        while tailStart > 0, case .measure(_, _, nil) = ops[tailStart - 1] { tailStart -= 1 }
        var branches = [Branch(state: start, weight: 1, bits: [UInt8](repeating: 0, count: circuit.clbitCount))]
        for op in ops[..<tailStart] {
            if shouldStop() { throw QPUError.interrupted }
            var isReset = false, qubit = 0, clbit = -1, condition: Condition?
            switch op {
            case .gate(let g, let cond):
                let plan = KernelDispatch.prepare(g, qubitCount: n, as: T.self)
                for b in branches {
                    if let cond, !cond.holds(bits: b.bits, in: circuit) { continue }
                    KernelDispatch.apply(plan, to: b.state, loop: loop)
                }
                continue
            case .measure(let q, let c, let cond): (qubit, clbit, condition) = (q, c, cond)
            case .reset(let q, let cond): (isReset, qubit, condition) = (true, q, cond)
            }
            var next: [Branch<T>] = []
            for b in branches {
                if let condition, !condition.holds(bits: b.bits, in: circuit) {
                    next.append(b)
                    continue
                }
                let p1 = min(1, max(0, Measurement.probabilityOfOne(qubit: qubit, in: b.state, loop: loop)))
                var outcomes: [(Int, Double)] = []
                if p1 > certainty { outcomes.append((1, p1)) }
                if 1 - p1 > certainty { outcomes.append((0, 1 - p1)) }
                if outcomes.isEmpty { outcomes = [(p1 >= 0.5 ? 1 : 0, 1)] }
                if outcomes.count == 2 {
                    if branches.count + next.count + 1 > maximumBranches { return nil }
                    let copy = StateVector<T>(qubits: n, loop: loop)
                    copy.assign(from: b.state)
                    let other = Branch(state: copy, weight: b.weight * outcomes[1].1, bits: b.bits)
                    settle(other, qubit: qubit, clbit: clbit, outcome: outcomes[1].0, p: outcomes[1].1, reset: isReset, loop: loop)
                    next.append(other)
                }
                b.weight *= outcomes[0].1
                settle(b, qubit: qubit, clbit: clbit, outcome: outcomes[0].0, p: outcomes[0].1, reset: isReset, loop: loop)
                next.append(b)
            }
            branches = next
        }
        // Shots per branch: sorted uniforms over the cumulative weights, in branch order,
        // in batches of the sampler's size (the same draws and counts as one batch, in a
        // few MiB, and a stop request is asked between batches).
        let total = branches.reduce(0) { $0 + $1.weight }
        var perBranch = [Int](repeating: 0, count: branches.count)
        var uniforms = [Double]()
        uniforms.reserveCapacity(min(shots, Sampler.batch))
        var done = 0
        while done < shots {
            if shouldStop() { throw QPUError.interrupted }
            let n = min(Sampler.batch, shots - done)
            uniforms.removeAll(keepingCapacity: true)
            for _ in 0..<n { uniforms.append(generator.nextUnit() * total) }
            uniforms.sort()
            var cumulative = 0.0, k = 0
            for (i, b) in branches.enumerated() {
                cumulative += b.weight
                while k < n && (uniforms[k] < cumulative || i == branches.count - 1) {
                    perBranch[i] += 1
                    k += 1
                }
            }
            done += n
        }
        let map = ClbitMap(circuit)
        var tallies = map.emptyTallies()
        let tail: [(Int, Int)] = ops[tailStart...].compactMap {
            if case .measure(let q, let c, _) = $0 { return (q, c) } else { return nil }
        }
        for (i, b) in branches.enumerated() where perBranch[i] > 0 {
            if tail.isEmpty {
                map.tally(bits: b.bits, count: perBranch[i], into: &tallies)
                continue
            }
            let picks = try Sampler.sample(
                b.state, shots: perBranch[i], generator: &generator, loop: loop, shouldStop: shouldStop)
            var bits = b.bits
            for (n, (index, count)) in picks.enumerated() {
                if n % 4096 == 4095, shouldStop() { throw QPUError.interrupted }
                for (q, c) in tail { bits[c] = UInt8(index >> q & 1) }
                map.tally(bits: bits, count: count, into: &tallies)
            }
        }
        return tallies
    }

    /// Collapses a branch onto `outcome`, records the bit, and for a reset returns the qubit to 0.
    static func settle<T: SimulatorScalar>(
        _ b: Branch<T>, qubit: Int, clbit: Int, outcome: Int, p: Double, reset: Bool, loop: ParallelLoop
    ) {
        Measurement.collapse(qubit: qubit, to: outcome, probability: p, in: b.state, loop: loop)
        if clbit >= 0 { b.bits[clbit] = UInt8(outcome) }
        if reset && outcome == 1 { Measurement.flip(qubit: qubit, in: b.state) }
    }
}
