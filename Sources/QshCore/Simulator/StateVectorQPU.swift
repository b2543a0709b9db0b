// The local state-vector QPU ("sim:statevector"): its settings, the validation of a
// request against its memory before anything is allocated, and `run`, which picks a
// strategy as qsim's run_qsim.h does (SampledRun.swift, BranchRunner.swift,
// ShotByShotRun.swift; exact probabilities in ExactProbabilities.swift).

/// The state-vector simulator as a QPU.
public struct StateVectorQPU: QPU {
    /// `sim:statevector` unless the registry gives it another (the single-precision and
    /// hardware-like QPUs are this simulator with other capabilities).
    public var id: String
    public var summary: String
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
    ///   - id, summary: the QPU's id and its line in `qsh qpus list`.
    ///   - precisions: the precisions it runs in, its default first.
    ///   - nativeGates, couplingMap: the gates and qubit pairs it accepts (nil: any).
    public init(
        memoryLimit: Int, maxQubits: Int = 40, maxShots: Int = RunLimits.standard.maximumShots,
        fusion: FusionOptions? = nil, id: String = "sim:statevector",
        summary: String = "local state-vector simulator (SIMD, double or single precision)",
        precisions: [Precision] = [.double, .single], nativeGates: Set<GateKind>? = nil,
        couplingMap: CouplingMap? = nil
    ) {
        sweeps = nil
        self.id = id
        self.summary = summary
        capabilities = QPUCapabilities(
            maxQubits: maxQubits, maxShots: maxShots, memoryLimit: memoryLimit, supportsMidCircuitMeasurement: true,
            nativeGates: nativeGates, couplingMap: couplingMap, precisions: precisions)
        self.fusion = fusion
    }

    // MARK: validation

    /// Checks shots, threads and the circuit's structure, then the memory rule: the state
    /// (two for mid-circuit programs: the prefix and the running copy) must fit the limit,
    /// and single precision is suggested only where the program would then fit.
    public func validate(_ request: RunRequest) throws {
        let circuit = request.circuit
        if let error = capabilities.shotsRefusal(request.shots, qpu: id) { throw error }
        guard request.threads >= 1 else {
            throw QPUError(.resourceLimit, "threads must be at least 1, got \(request.threads)")
        }
        try Self.checkStructure(circuit, stop: request.stop)
        let n = circuit.qubitCount
        let copies = circuit.measurementsAreTerminal ? 1 : 2
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

    // MARK: running

    public func run(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> RunResult {
        try validate(request)
        switch request.precision {
        case .double: return try run(Simulation<Double>(qpu: self, request: request), progress: progress)
        case .single: return try run(Simulation<Float>(qpu: self, request: request), progress: progress)
        }
    }

    /// Picks the strategy. Terminal measurements only: simulated once and sampled.
    /// Otherwise the unitary prefix (up to the first measurement, reset or `if`) is
    /// simulated once, then branch by branch, one state per distinct measurement history
    /// (exact, one simulation per history), while the histories fit the memory budget and
    /// are far fewer than the shots; else shot by shot, in fixed memory.
    private func run<T: SimulatorScalar>(_ simulation: Simulation<T>, progress: (RunProgress) -> Bool) throws
        -> RunResult
    {
        if simulation.circuit.measurementsAreTerminal { return try SampledRun.run(simulation, progress: progress) }
        let prefix = try UnitaryPrefix(simulation, progress: progress)
        if let result = try BranchRunner.run(simulation, from: prefix, progress: progress) { return result }
        return try ShotByShotRun.run(simulation, from: prefix, progress: progress)
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
        guard request.circuit.measurementsAreTerminal else {
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
        case .double:
            return try ExactProbabilities.compute(Simulation<Double>(qpu: self, request: request), progress: progress)
        case .single:
            return try ExactProbabilities.compute(Simulation<Float>(qpu: self, request: request), progress: progress)
        }
    }
}
