// Running a circuit whose measurements are all terminal: its gates fused (with phases
// forwarded), simulated once into one state whose last sweep also works out the
// sampler's block sums, then every shot drawn from that state (Sampler.swift).

/// The sampled strategy: one simulation, then `shots` draws.
enum SampledRun {
    /// Runs `simulation`'s circuit, which measures only at the end.
    /// - Throws: `QPUError.interrupted` when the request or `progress` says stop.
    static func run<T: SimulatorScalar>(_ simulation: Simulation<T>, progress: (RunProgress) -> Bool) throws
        -> RunResult
    {
        let request = simulation.request, circuit = simulation.circuit
        var metadata = simulation.metadata(method: "sampled")
        let start = simulation.clock.now
        let gates = circuit.operations.filter { if case .gate = $0 { return true } else { return false } }
        let fused = try simulation.forwardPhases(try simulation.fuse(gates))
        if simulation.shouldStop(progress) { throw QPUError.interrupted }
        let state = StateVector<T>(qubits: circuit.qubitCount, loop: simulation.loop)
        state.setFreshZeroState()
        let work = try simulation.applyUnitary(
            fused, toZeroState: state, shots: request.shots, blockSums: true, progress: progress)
        metadata["passes"] = String(work.sweeps)
        metadata["product_blocks"] = String(work.productBlocks)
        let simulated = simulation.clock.now
        var generator = SeededGenerator(seed: request.seed)
        let picks = try Sampler.sample(
            state, shots: request.shots, generator: &generator, loop: simulation.loop, blockSums: work.blockSums,
            shouldStop: { simulation.shouldStop(progress) })
        let map = ClbitMap(circuit)
        var tallies = map.emptyTallies()
        for (n, (index, count)) in picks.enumerated() {
            if n % 4096 == 4095, request.stop.isRequested { throw QPUError.interrupted }
            map.tally(index, count: count, into: &tallies)
        }
        let registers = map.counts(tallies)
        let end = simulation.clock.now
        return try simulation.result(
            registers, fused: fused, simulate: simulated - start, sample: end - simulated, metadata: metadata)
    }
}
