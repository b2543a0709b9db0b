// The local state-vector QPU ("sim:statevector"): validates a request against its
// capabilities before allocating, fuses the circuit, runs it (once and sampled when
// every measurement is terminal, shot by shot otherwise), and counts per register.

/// Exact outcome probabilities of one classical register.
public struct RegisterProbabilities: Hashable, Sendable {
    public var name: String
    public var width: Int
    /// Bitstring (highest index leftmost) → probability; outcomes with p = 0 left out.
    public var probabilities: [String: Double]

    public init(name: String, width: Int, probabilities: [String: Double]) {
        self.name = name
        self.width = width
        self.probabilities = probabilities
    }
}

/// The state-vector simulator as a QPU.
public struct StateVectorQPU: QPU {
    public var id: String { "sim:statevector" }
    public var summary: String { "local state-vector simulator (SIMD, double or single precision)" }
    public var capabilities: QPUCapabilities
    /// Fusion settings; nil picks `FusionOptions.default(precision:)`.
    public var fusion: FusionOptions?
    /// Cache blocking; nil picks the default for the precision.
    public var sweeps: SweepOptions?
    /// The most qubits of a cluster of the product-state prefix (ProductPrefix.swift);
    /// nil picks n - 4 within the memory limit, 0 turns the prefix off.
    public var productClusterQubits: Int?

    /// - Parameters:
    ///   - memoryLimit: the most bytes the simulation may allocate; the executable passes
    ///     a safe fraction of physical memory (the core never reads the system).
    public init(memoryLimit: Int, maxQubits: Int = 40, maxShots: Int = 100_000_000, fusion: FusionOptions? = nil) {
        sweeps = nil
        capabilities = QPUCapabilities(
            maxQubits: maxQubits, maxShots: maxShots, memoryLimit: memoryLimit, supportsMidCircuitMeasurement: true)
        self.fusion = fusion
    }

    // MARK: validation

    public func validate(_ request: RunRequest) throws {
        let circuit = request.circuit
        guard request.shots >= 1, request.shots <= capabilities.maxShots else {
            throw QPUError(.resourceLimit, "shots must be between 1 and \(capabilities.maxShots), got \(request.shots)")
        }
        guard request.threads >= 1 else {
            throw QPUError(.resourceLimit, "threads must be at least 1, got \(request.threads)")
        }
        try Self.checkStructure(circuit, stop: request.stop)
        let n = circuit.qubitCount
        let copies = Self.isTerminal(circuit) ? 1 : 2
        let precisionName = request.precision == .double ? "double" : "single"
        let need = StateVectorMemory.bytes(qubits: n, precision: request.precision).flatMap {
            $0.multipliedReportingOverflow(by: copies).overflow ? nil : $0 * copies
        }
        let limit = capabilities.memoryLimit
        if need == nil || need! > limit || n > capabilities.maxQubits {
            let needText = need.map { StateVectorMemory.describe(bytes: $0) } ?? "2^\(n + (request.precision == .double ? 4 : 3)) bytes"
            // Single precision halves the state; suggest it only where the program would then fit.
            let singleNeed = StateVectorMemory.bytes(qubits: n, precision: .single).flatMap {
                $0.multipliedReportingOverflow(by: copies).overflow ? nil : $0 * copies
            }
            let singleFits = request.precision == .double && singleNeed.map { $0 <= limit } == true
            var advice = singleFits ? "use --precision single or fewer qubits" : "use fewer qubits"
            if n > capabilities.maxQubits {
                advice = "this QPU simulates at most \(capabilities.maxQubits) qubits"
            }
            throw QPUError(
                .resourceLimit,
                "the program needs \(needText) for \(n) qubits in \(precisionName) precision, over the limit of \(StateVectorMemory.describe(bytes: limit)); \(advice)"
            )
        }
    }

    /// Indices in range, parameter counts right: malformed IR is refused, never trapped on.
    /// `stop` is asked every few thousand operations.
    static func checkStructure(_ circuit: Circuit, stop: Cancellation = .never) throws {
        var poll = CancellationPoll(stop)
        let nq = circuit.qubitCount, nc = circuit.clbitCount
        func qubit(_ q: Int) throws {
            guard q >= 0 && q < nq else { throw QPUError(.invalidProgram, "qubit \(q) is outside the circuit's \(nq) qubits") }
        }
        func condition(_ c: Condition?) throws {
            guard let c else { return }
            guard c.register >= 0 && c.register < circuit.classicalRegisters.count else {
                throw QPUError(.invalidProgram, "condition on unknown classical register \(c.register)")
            }
        }
        for r in circuit.classicalRegisters where r.offset < 0 || r.size < 0 || r.offset + r.size > nc {
            throw QPUError(.invalidProgram, "classical register '\(r.name)' lies outside the circuit's bits")
        }
        for op in circuit.operations {
            do { try poll.tick() } catch { throw QPUError.interrupted }
            switch op {
            case .gate(let kind, let qubits, let parameters, let c):
                guard qubits.count == kind.qubitCount, parameters.count == kind.parameterCount,
                    Set(qubits).count == qubits.count
                else {
                    throw QPUError(.invalidProgram, "gate '\(kind.rawValue)' has the wrong number of arguments")
                }
                guard parameters.allSatisfy({ $0.isFinite }) else {
                    throw QPUError(.invalidProgram, "gate '\(kind.rawValue)' has a non-finite parameter")
                }
                for q in qubits { try qubit(q) }
                try condition(c)
            case .measure(let q, let b, let c):
                try qubit(q)
                guard b >= 0 && b < nc else { throw QPUError(.invalidProgram, "clbit \(b) is outside the circuit's \(nc) bits") }
                try condition(c)
            case .reset(let q, let c):
                try qubit(q)
                try condition(c)
            case .barrier(let qs):
                for q in qs { try qubit(q) }
            }
        }
    }

    /// True when every measurement is terminal: no reset, no `if`, and no gate on a
    /// qubit after it is measured. Such circuits are simulated once and sampled.
    public static func isTerminal(_ circuit: Circuit) -> Bool {
        var measured = Set<Int>()
        for op in circuit.operations {
            switch op {
            case .gate(_, let qubits, _, let c):
                if c != nil || qubits.contains(where: measured.contains) { return false }
            case .measure(let q, _, let c):
                if c != nil { return false }
                measured.insert(q)
            case .reset:
                return false
            case .barrier:
                continue
            }
        }
        return true
    }

    // MARK: running

    public func run(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> RunResult {
        try validate(request)
        switch request.precision {
        case .double: return try execute(request, Double.self, progress: progress)
        case .single: return try execute(request, Float.self, progress: progress)
        }
    }

    /// Exact outcome probabilities of every classical register, for circuits whose
    /// measurements are all terminal: the final state marginalised onto the measured
    /// qubits, mapped to bits by the measure operations (the last measure into a bit
    /// wins; bits never written read 0).
    /// - Throws: `QPUError(.unsupportedFeature)` for mid-circuit measurement, reset or `if`.
    /// `progress` is asked between passes whether to go on, as in `run`.
    public func probabilities(
        _ request: RunRequest, progress: (RunProgress) -> Bool = { _ in true }
    ) throws -> [RegisterProbabilities] {
        guard Self.isTerminal(request.circuit) else {
            throw QPUError(
                .unsupportedFeature,
                "exact probabilities are undefined for a program with mid-circuit measurement, reset or 'if'; sample it with shots instead"
            )
        }
        guard !request.circuit.classicalRegisters.isEmpty else {
            throw QPUError(
                .unsupportedFeature,
                "exact probabilities are given per classical register, and this program declares none; add a 'creg' and measure into it"
            )
        }
        try validate(request)
        switch request.precision {
        case .double: return try exactProbabilities(request, Double.self, progress: progress)
        case .single: return try exactProbabilities(request, Float.self, progress: progress)
        }
    }

    private func fusionOptions(_ precision: Precision) -> FusionOptions {
        fusion ?? .default(precision: precision)
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private func execute<T: SimulatorScalar>(
        _ request: RunRequest, _: T.Type, progress: (RunProgress) -> Bool
    ) throws -> RunResult {
        let circuit = request.circuit
        let loop = ParallelLoop(threads: request.threads)
        let clock = ContinuousClock()
        var generator = SeededGenerator(seed: request.seed)
        let n = circuit.qubitCount
        var metadata = [
            "simulator": id, "precision": request.precision.rawValue, "seed": String(request.seed),
            "threads": String(request.threads),
        ]
        // Between passes over the state and batches of shots: the request, and `progress`
        // (which lets a worker renew its lease during a long simulation).
        func shouldStop() -> Bool {
            request.stop.isRequested || !progress(RunProgress(shotsDone: 0, shots: request.shots, partial: []))
        }
        if Self.isTerminal(circuit) {
            metadata["method"] = "sampled"
            let start = clock.now
            let gates = circuit.operations.filter { if case .gate = $0 { return true } else { return false } }
            let fused = try forwardPhases(try fuse(gates, request), request)
            if shouldStop() { throw QPUError.interrupted }
            let state = StateVector<T>(qubits: n, loop: loop)
            state.setFreshZeroState()
            let work = try applyUnitary(
                fused, toZeroState: state, clusterQubits: clusterQubits(request), loop: loop, shots: request.shots,
                blockSums: true, progress: progress, stop: request.stop)
            metadata["passes"] = String(work.sweeps)
            metadata["product_blocks"] = String(work.productBlocks)
            let simulated = clock.now
            let picks = try Sampler.sample(
                state, shots: request.shots, generator: &generator, loop: loop, blockSums: work.blockSums,
                shouldStop: shouldStop)
            let map = ClbitMap(circuit)
            var tallies = map.emptyTallies()
            for (n, (index, count)) in picks.enumerated() {
                if n % 4096 == 4095, request.stop.isRequested { throw QPUError.interrupted }
                map.tally(index, count: count, into: &tallies)
            }
            let registers = map.counts(tallies)
            let end = clock.now
            let metrics = try Self.metrics(circuit, fused: fused, request)
            return RunResult(
                registers: registers, shots: request.shots, metrics: metrics,
                timings: RunTimings(simulate: Self.seconds(simulated - start), sample: Self.seconds(end - simulated)),
                metadata: metadata)
        }
        // Branch by branch first: one state per distinct measurement history, no
        // branching on certain outcomes (resets of disentangled ancillas, repeated
        // measurements), the final measurements sampled from each branch. That is
        // exact and costs one simulation per history instead of one per shot. When
        // the histories outgrow the memory budget, shot by shot: fixed memory (two
        // states), with the unitary prefix before the first measurement, reset or
        // `if` simulated once and copied for each shot.
        let start = clock.now
        let fused = try fuse(circuit.operations, request)
        let prefixLength = fused.firstIndex { op in
            if case .gate(_, nil) = op { return false } else { return true }
        } ?? fused.count
        let prefix = StateVector<T>(qubits: n, loop: loop)
        prefix.setFreshZeroState()
        try applyUnitary(
            Array(fused[..<prefixLength]), toZeroState: prefix, clusterQubits: clusterQubits(request), loop: loop,
            shots: request.shots, progress: progress, stop: request.stop)
        let rest = Array(fused[prefixLength...])
        let stateBytes = StateVectorMemory.bytes(qubits: n, precision: request.precision) ?? Int.max
        let budget = min(capabilities.memoryLimit, 4 << 30) - 2 * stateBytes
        // Branching pays only while histories are far fewer than shots.
        let maximumBranches = max(1, min(4096, budget / max(1, stateBytes), request.shots / 8))
        let branchStart = StateVector<T>(qubits: n, loop: loop)
        branchStart.assign(from: prefix)
        var branchGenerator = generator
        if let tallies = try BranchRunner.run(
            rest, start: branchStart, circuit: circuit, shots: request.shots, maximumBranches: maximumBranches,
            generator: &branchGenerator, loop: loop, shouldStop: shouldStop)
        {
            metadata["method"] = "branch-by-branch"
            let map = ClbitMap(circuit)
            let report = RunProgress(shotsDone: request.shots, shots: request.shots, partial: map.counts(tallies))
            if !progress(report) { throw QPUError.interrupted }
            let end = clock.now
            let metrics = try Self.metrics(circuit, fused: fused, request)
            return RunResult(
                registers: map.counts(tallies), shots: request.shots, metrics: metrics,
                timings: RunTimings(simulate: Self.seconds(end - start), sample: 0), metadata: metadata)
        }
        metadata["method"] = "shot-by-shot"
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
        let state = StateVector<T>(qubits: n, loop: loop)
        let map = ClbitMap(circuit)
        var tallies = map.emptyTallies()
        var bits = [UInt8](repeating: 0, count: circuit.clbitCount)
        let every = max(1, request.shots / 100)
        for shot in 0..<request.shots {
            if request.stop.isRequested { throw QPUError.interrupted }
            state.assign(from: prefix)
            for i in bits.indices { bits[i] = 0 }
            for (k, op) in rest.enumerated() {
                switch op {
                case .gate(_, let condition):
                    if let condition, !Self.holds(condition, bits: bits, circuit: circuit) { continue }
                    if let plan = plans[k] { KernelDispatch.apply(plan, to: state, loop: loop) }
                case .measure(let q, let c, let condition):
                    if let condition, !Self.holds(condition, bits: bits, circuit: circuit) { continue }
                    bits[c] = UInt8(Measurement.measure(qubit: q, in: state, generator: &generator, loop: loop))
                case .reset(let q, let condition):
                    if let condition, !Self.holds(condition, bits: bits, circuit: circuit) { continue }
                    Measurement.reset(qubit: q, in: state, generator: &generator, loop: loop)
                }
            }
            map.tally(bits: bits, into: &tallies)
            if (shot + 1) % every == 0 || shot + 1 == request.shots {
                let report = RunProgress(shotsDone: shot + 1, shots: request.shots, partial: map.counts(tallies))
                if !progress(report) { throw QPUError.interrupted }
            }
        }
        let end = clock.now
        let metrics = try Self.metrics(circuit, fused: fused, request)
        return RunResult(
            registers: map.counts(tallies), shots: request.shots, metrics: metrics,
            timings: RunTimings(simulate: Self.seconds(end - start), sample: 0), metadata: metadata)
    }

    /// The largest cluster of the product-state prefix for `request`: the setting, or
    /// n - 4 qubits within the memory left beside the one state allocated when the
    /// prefix runs.
    private func clusterQubits(_ request: RunRequest) -> Int {
        if let productClusterQubits { return productClusterQubits }
        let n = request.circuit.qubitCount
        let state = StateVectorMemory.bytes(qubits: n, precision: request.precision) ?? Int.max
        return ProductPrefix.maxClusterQubits(
            qubitCount: n, spare: capabilities.memoryLimit - state,
            bytesPerAmplitude: request.precision == .double ? 16 : 8)
    }

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

    /// The fused form of `ops`, asking the request's `stop` as it goes.
    private func fuse(_ ops: [Operation], _ request: RunRequest) throws(QPUError) -> [FusedOperation] {
        do {
            return try Fuser(options: fusionOptions(request.precision)).fuse(
                ops, qubitCount: request.circuit.qubitCount, stop: request.stop)
        } catch {
            throw QPUError.interrupted
        }
    }

    /// `PhaseForwarding.apply`, asking the request's `stop` as it goes.
    private func forwardPhases(_ ops: [FusedOperation], _ request: RunRequest) throws(QPUError) -> [FusedOperation] {
        do {
            return try PhaseForwarding.apply(ops, qubitCount: request.circuit.qubitCount, stop: request.stop)
        } catch {
            throw QPUError.interrupted
        }
    }

    /// The circuit's metrics, asking the request's `stop` as it goes.
    private static func metrics(_ circuit: Circuit, fused: [FusedOperation], _ request: RunRequest) throws(QPUError)
        -> CircuitMetrics
    {
        do {
            return try CircuitMetrics(circuit: circuit, fusedGates: gateCount(fused), stop: request.stop)
        } catch {
            throw QPUError.interrupted
        }
    }

    static func gateCount(_ ops: [FusedOperation]) -> Int {
        ops.reduce(0) { n, op in if case .gate = op { return n + 1 } else { return n } }
    }

    /// Whether `if (creg == value)` holds for the current classical bits.
    static func holds(_ c: Condition, bits: [UInt8], circuit: Circuit) -> Bool {
        let r = circuit.classicalRegisters[c.register]
        for i in 0..<r.size {
            let want: UInt8 = i < 64 ? UInt8(truncatingIfNeeded: c.value >> UInt64(i) & 1) : 0
            if bits[r.offset + i] != want { return false }
        }
        // A value wider than the register can never match.
        return r.size >= 64 || c.value >> UInt64(r.size) == 0
    }

    private func exactProbabilities<T: SimulatorScalar>(
        _ request: RunRequest, _: T.Type, progress: (RunProgress) -> Bool
    ) throws -> [RegisterProbabilities] {
        let circuit = request.circuit
        let n = circuit.qubitCount
        let loop = ParallelLoop(threads: request.threads)
        let gates = circuit.operations.filter { if case .gate = $0 { return true } else { return false } }
        let fused = try forwardPhases(try fuse(gates, request), request)
        if request.stop.isRequested || !progress(RunProgress(shotsDone: 0, shots: 0, partial: [])) {
            throw QPUError.interrupted
        }
        let state = StateVector<T>(qubits: n, loop: loop)
        state.setFreshZeroState()
        try applyUnitary(
            fused, toZeroState: state, clusterQubits: clusterQubits(request), loop: loop, progress: progress,
            stop: request.stop)
        let map = ClbitMap(circuit)
        // Marginalise onto the measured qubits: pattern = their bits packed in order.
        let measured = map.measuredQubits
        let lowBits = min(n, 12)
        var lowTable = [Int](repeating: 0, count: 1 << lowBits)
        var highTable = [Int](repeating: 0, count: 1 << (n - lowBits))
        for (j, q) in measured.enumerated() {
            if q < lowBits {
                for i in lowTable.indices where i >> q & 1 == 1 { lowTable[i] |= 1 << j }
            } else {
                for i in highTable.indices where i >> (q - lowBits) & 1 == 1 { highTable[i] |= 1 << j }
            }
        }
        var marginal: [Int: Double] = [:]
        var dense = [Double]()
        let useDense = measured.count <= 20
        if useDense { dense = [Double](repeating: 0, count: 1 << measured.count) }
        // In slices of 2^16 amplitudes, asking the request between slices.
        for slice in stride(from: 0, to: state.count, by: 1 << 16) {
            if request.stop.isRequested { throw QPUError.interrupted }
            for i in slice..<min(state.count, slice + (1 << 16)) {
                let r = Double(state.re[i]), m = Double(state.im[i])
                let p = r * r + m * m
                if p == 0 { continue }
                let pattern = lowTable[i & ((1 << lowBits) - 1)] | highTable[i >> lowBits]
                if useDense { dense[pattern] += p } else { marginal[pattern, default: 0] += p }
            }
        }
        if useDense {
            for (pattern, p) in dense.enumerated() where p > 0 { marginal[pattern] = p }
        }
        var result = circuit.classicalRegisters.map {
            RegisterProbabilities(name: $0.name, width: $0.size, probabilities: [:])
        }
        for (n, (pattern, p)) in marginal.sorted(by: { $0.key < $1.key }).enumerated() {
            if n % 4096 == 4095, request.stop.isRequested { throw QPUError.interrupted }
            for (k, register) in circuit.classicalRegisters.enumerated() {
                let key = map.bitstring(register, measuredPattern: pattern)
                result[k].probabilities[key, default: 0] += p
            }
        }
        return result
    }
}

/// Which qubit each classical bit finally holds, and the counting of outcomes into
/// per-register bitstrings (highest index leftmost; unwritten bits read 0).
struct ClbitMap {
    let circuit: Circuit
    /// clbit → index into `measuredQubits`, or nil when never written.
    let source: [Int?]
    /// The distinct measured qubits, in order of first use.
    let measuredQubits: [Int]

    init(_ circuit: Circuit) {
        self.circuit = circuit
        var last = [Int?](repeating: nil, count: circuit.clbitCount)
        for op in circuit.operations {
            if case .measure(let q, let c, _) = op, c >= 0, c < last.count { last[c] = q }
        }
        var qubits: [Int] = []
        var position: [Int: Int] = [:]
        var source = [Int?](repeating: nil, count: circuit.clbitCount)
        for (c, q) in last.enumerated() {
            guard let q else { continue }
            if position[q] == nil {
                position[q] = qubits.count
                qubits.append(q)
            }
            source[c] = position[q]
        }
        self.source = source
        measuredQubits = qubits
    }

    /// The bitstring of `register` for a pattern of the measured qubits.
    func bitstring(_ register: Register, measuredPattern pattern: Int) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(register.size)
        for i in stride(from: register.size - 1, through: 0, by: -1) {
            let bit = source[register.offset + i].map { pattern >> $0 & 1 } ?? 0
            bytes.append(bit == 1 ? 0x31 : 0x30)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Per register: bitstring → count.
    func emptyTallies() -> [[String: Int]] { circuit.classicalRegisters.map { _ in [:] } }

    /// Counts `count` shots of basis state `index` (sampled runs).
    func tally(_ index: Int, count: Int, into tallies: inout [[String: Int]]) {
        var pattern = 0
        for (j, q) in measuredQubits.enumerated() where index >> q & 1 == 1 { pattern |= 1 << j }
        for (k, register) in circuit.classicalRegisters.enumerated() {
            tallies[k][bitstring(register, measuredPattern: pattern), default: 0] += count
        }
    }

    /// Counts `count` shots (one by default) given their classical bits.
    func tally(bits: [UInt8], count: Int = 1, into tallies: inout [[String: Int]]) {
        for (k, register) in circuit.classicalRegisters.enumerated() {
            var bytes = [UInt8]()
            bytes.reserveCapacity(register.size)
            for i in stride(from: register.size - 1, through: 0, by: -1) {
                bytes.append(bits[register.offset + i] == 1 ? 0x31 : 0x30)
            }
            tallies[k][String(decoding: bytes, as: UTF8.self), default: 0] += count
        }
    }

    func counts(_ tallies: [[String: Int]]) -> [RegisterCounts] {
        zip(circuit.classicalRegisters, tallies).map {
            RegisterCounts(name: $0.0.name, width: $0.0.size, counts: $0.1)
        }
    }
}
