// What the strategies of one run share, as qsim's runner holds it: the request, the
// QPU's settings, the parallel loop and the clock; and the steps they have in common:
// fusing, applying the unitary part (product-state prefix, then cache-blocked sweeps),
// the unitary prefix of a mid-circuit program, the metrics and the result.

/// One run of a circuit on the state-vector QPU, in precision `T`.
struct Simulation<T: SimulatorScalar> {
    let qpu: StateVectorQPU
    let request: RunRequest
    let loop: ParallelLoop
    let clock = ContinuousClock()

    init(qpu: StateVectorQPU, request: RunRequest) {
        self.qpu = qpu
        self.request = request
        loop = ParallelLoop(threads: request.threads)
    }

    var circuit: Circuit { request.circuit }

    /// What every run records: simulator, precision, seed, threads, and how it ran.
    func metadata(method: String) -> [String: String] {
        [
            "simulator": qpu.id, "precision": request.precision.rawValue, "seed": String(request.seed),
            "threads": String(request.threads), "method": method, "simd": SIMDLevel.name,
        ]
    }

    /// Asked between passes over the state and batches of shots: the request, and
    /// `progress` with no shots done (which lets a worker renew its lease during a long
    /// simulation).
    func shouldStop(_ progress: (RunProgress) -> Bool) -> Bool {
        request.stop.isRequested || !progress(RunProgress(shotsDone: 0, shots: request.shots, partial: []))
    }

    /// The fused form of `ops`, asking the request's `stop` as it goes.
    func fuse(_ ops: [Operation]) throws(QPUError) -> [FusedOperation] {
        do {
            return try Fuser(options: qpu.fusion ?? .default(precision: request.precision)).fuse(
                ops, qubitCount: circuit.qubitCount, stop: request.stop)
        } catch {
            throw QPUError.interrupted
        }
    }

    /// `PhaseForwarding.apply`, asking the request's `stop` as it goes.
    func forwardPhases(_ ops: [FusedOperation]) throws(QPUError) -> [FusedOperation] {
        do {
            return try PhaseForwarding.apply(ops, qubitCount: circuit.qubitCount, stop: request.stop)
        } catch {
            throw QPUError.interrupted
        }
    }

    /// The largest cluster of the product-state prefix: the QPU's setting, or n - 4
    /// qubits within the memory left beside the one state allocated when the prefix runs.
    func clusterQubits() -> Int {
        if let productClusterQubits = qpu.productClusterQubits { return productClusterQubits }
        let n = circuit.qubitCount
        let state = StateVectorMemory.bytes(qubits: n, precision: request.precision) ?? Int.max
        return ProductPrefix.maxClusterQubits(
            qubitCount: n, spare: qpu.capabilities.memoryLimit - state,
            bytesPerAmplitude: request.precision == .double ? 16 : 8)
    }

    /// `StateVectorQPU.applyUnitary` with this run's loop, clusters and stop request.
    @discardableResult
    func applyUnitary(
        _ ops: [FusedOperation], toZeroState state: StateVector<T>, shots: Int = 0, blockSums: Bool = false,
        progress: (RunProgress) -> Bool
    ) throws -> (sweeps: Int, productBlocks: Int, blockSums: [Double]?) {
        try qpu.applyUnitary(
            ops, toZeroState: state, clusterQubits: clusterQubits(), loop: loop, shots: shots, blockSums: blockSums,
            progress: progress, stop: request.stop)
    }

    /// The result of the run: the counts, the metrics (asking the request's `stop`), and
    /// the seconds simulating and sampling.
    func result(
        _ registers: [RegisterCounts], fused: [FusedOperation], simulate: Duration, sample: Duration,
        metadata: [String: String]
    ) throws(QPUError) -> RunResult {
        let metrics: CircuitMetrics
        do {
            metrics = try CircuitMetrics(circuit: circuit, fusedGates: Self.gateCount(fused), stop: request.stop)
        } catch {
            throw QPUError.interrupted
        }
        return RunResult(
            registers: registers, shots: request.shots, metrics: metrics,
            timings: RunTimings(simulate: Self.seconds(simulate), sample: Self.seconds(sample)), metadata: metadata)
    }

    static func gateCount(_ ops: [FusedOperation]) -> Int {
        ops.reduce(0) { n, op in if case .gate = op { return n + 1 } else { return n } }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// The start of a mid-circuit program's run, shared by its strategies: the whole circuit
/// fused, and its unitary prefix (up to the first measurement, reset or `if`) simulated
/// once; the branches start from it, and every shot by shot from a copy.
struct UnitaryPrefix<T: SimulatorScalar> {
    /// When the run started (before fusion).
    let start: ContinuousClock.Instant
    /// The whole circuit, fused.
    let fused: [FusedOperation]
    /// The fused operations after the prefix.
    let rest: [FusedOperation]
    /// The state after the prefix.
    let state: StateVector<T>

    init(_ simulation: Simulation<T>, progress: (RunProgress) -> Bool) throws {
        start = simulation.clock.now
        fused = try simulation.fuse(simulation.circuit.operations)
        let length = fused.firstIndex { op in
            if case .gate(_, nil) = op { return false } else { return true }
        } ?? fused.count
        state = StateVector<T>(qubits: simulation.circuit.qubitCount, loop: simulation.loop)
        state.setFreshZeroState()
        try simulation.applyUnitary(
            Array(fused[..<length]), toZeroState: state, shots: simulation.request.shots, progress: progress)
        rest = Array(fused[length...])
    }
}

extension StateVectorQPU {
    /// Applies unconditional fused gates in order to `state`, which holds |0…0⟩: first
    /// those that keep the qubits in clusters of at most `clusterQubits` on the
    /// clusters' own states (ProductPrefix.swift), then the others cache-blocked into
    /// sweeps, the first of which writes the clusters' product chunk by chunk. With
    /// `blockSums` the last sweep also works out the sampler's block sums. Between
    /// steps it asks `stop` and `progress` (with no shots done) whether to go on, so a
    /// long simulation can be interrupted and a worker can renew its lease.
    /// - Returns: the sweeps over the full state, the gates run on clusters, and the
    ///   block sums when asked for.
    /// - Throws: `QPUError.interrupted` when `progress` says stop.
    @discardableResult
    func applyUnitary<T: SimulatorScalar>(
        _ ops: [FusedOperation], toZeroState state: StateVector<T>, clusterQubits: Int, loop: ParallelLoop,
        shots: Int = 0, blockSums: Bool = false, progress: (RunProgress) -> Bool = { _ in true },
        stop: Cancellation = .never
    ) throws -> (sweeps: Int, productBlocks: Int, blockSums: [Double]?) {
        var gates = ops.compactMap { op -> FusedGate? in
            if case .gate(let g, nil) = op { return g } else { return nil }
        }
        let options = sweeps ?? .default(precision: T.precision)
        let n = state.qubitCount
        let runQubits = Sweeps.runQubits(qubitCount: n, options: options, laneBits: T.laneBits)
        let shouldStop = { stop.isRequested || !progress(RunProgress(shotsDone: 0, shots: shots, partial: [])) }
        var productBlocks = 0
        var writer: ProductWriter<T>?
        if clusterQubits > 0 {
            let prefix: ProductPrefix
            do {
                prefix = try ProductPrefix(gates, qubitCount: n, maxClusterQubits: clusterQubits, stop: stop)
            } catch {
                throw QPUError.interrupted
            }
            if prefix.taken > 0 {
                writer = ProductState.prepare(
                    prefix, for: state, options: options, loop: loop, runQubits: runQubits, shouldStop: shouldStop,
                    stop: stop)
                if writer == nil { throw QPUError.interrupted }
                gates = prefix.rest
                productBlocks = prefix.taken
            }
        }
        let steps: [SweepStep]
        do {
            steps = try Sweeps.plan(gates, qubitCount: n, options: options, stop: stop)
        } catch {
            throw QPUError.interrupted
        }
        // The sums need whole blocks in a run; a sweep's runs hold 2^12 or more.
        let block = Sampler.blockSize(count: state.count)
        let sumsInSweep = blockSums && (1 << runQubits) % block == 0
        let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: sumsInSweep ? state.count / block : 0)
        defer { sums.deallocate() }
        let applied = Sweeps.apply(
            steps, to: state, options: options, loop: loop, shouldStop: shouldStop, stop: stop,
            first: writer.map { w in { w.write(start: $0, count: $1) } },
            last: sumsInSweep ? { Sampler.addBlockSums(state, start: $0, count: $1, into: sums.baseAddress!) } : nil)
        if !applied { throw QPUError.interrupted }
        if !blockSums { return (steps.count, productBlocks, nil) }
        return (steps.count, productBlocks, sumsInSweep ? Array(sums) : Sampler.blockSums(state, loop: loop))
    }
}
