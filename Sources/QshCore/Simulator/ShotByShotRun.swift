// Running a mid-circuit program shot by shot, when its measurement histories are too
// many to follow branch by branch: every shot starts from a copy of the unitary
// prefix's state and applies the rest in order, measuring, resetting and testing `if`
// as it goes. Fixed memory (two states); partial counts are reported as shots complete.

/// The shot-by-shot strategy.
enum ShotByShotRun {
    /// Runs the operations after `prefix` once per shot.
    /// - Throws: `QPUError.interrupted` when the request or `progress` says stop.
    static func run<T: SimulatorScalar>(
        _ simulation: Simulation<T>, from prefix: UnitaryPrefix<T>, progress: (RunProgress) -> Bool
    ) throws -> RunResult {
        let request = simulation.request, circuit = simulation.circuit, loop = simulation.loop
        let n = circuit.qubitCount
        let rest = prefix.rest
        var plans: [KernelPlan<T>?] = []
        plans.reserveCapacity(rest.count)
        for (k, op) in rest.enumerated() {
            if k % 4096 == 4095, request.stop.isRequested { throw QPUError.interrupted }
            if case .gate(let g, _) = op {
                plans.append(KernelDispatch.prepare(g, qubitCount: n, as: T.self))
            } else {
                plans.append(nil)
            }
        }
        var generator = SeededGenerator(seed: request.seed)
        let state = StateVector<T>(qubits: n, loop: loop)
        let map = ClbitMap(circuit)
        var tallies = map.emptyTallies()
        var bits = [UInt8](repeating: 0, count: circuit.clbitCount)
        let every = max(1, request.shots / 100)
        for shot in 0..<request.shots {
            if request.stop.isRequested { throw QPUError.interrupted }
            state.assign(from: prefix.state)
            for i in bits.indices { bits[i] = 0 }
            for (k, op) in rest.enumerated() {
                switch op {
                case .gate(_, let condition):
                    if let condition, !condition.holds(bits: bits, in: circuit) { continue }
                    if let plan = plans[k] { KernelDispatch.apply(plan, to: state, loop: loop) }
                case .measure(let q, let c, let condition):
                    if let condition, !condition.holds(bits: bits, in: circuit) { continue }
                    bits[c] = UInt8(Measurement.measure(qubit: q, in: state, generator: &generator, loop: loop))
                case .reset(let q, let condition):
                    if let condition, !condition.holds(bits: bits, in: circuit) { continue }
                    Measurement.reset(qubit: q, in: state, generator: &generator, loop: loop)
                }
            }
            map.tally(bits: bits, into: &tallies)
            if (shot + 1) % every == 0 || shot + 1 == request.shots {
                let report = RunProgress(shotsDone: shot + 1, shots: request.shots, partial: map.counts(tallies))
                if !progress(report) { throw QPUError.interrupted }
            }
        }
        let end = simulation.clock.now
        return try simulation.result(
            map.counts(tallies), fused: prefix.fused, simulate: end - prefix.start, sample: .zero,
            metadata: simulation.metadata(method: "shot-by-shot"))
    }
}
