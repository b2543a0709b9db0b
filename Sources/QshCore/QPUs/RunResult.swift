// What a run gives back: counts per classical register (or exact probabilities),
// the circuit's metrics, the seconds each stage took, and progress while it runs.

/// The counts of one classical register, keyed by bitstring (highest index leftmost).
public struct RegisterCounts: Hashable, Sendable {
    public var name: String
    public var width: Int
    public var counts: [String: Int]

    public init(name: String, width: Int, counts: [String: Int]) {
        self.name = name
        self.width = width
        self.counts = counts
    }
}

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

/// Facts about a circuit, recorded with every run.
public struct CircuitMetrics: Hashable, Sendable {
    public var qubits: Int
    public var clbits: Int
    /// Operations by name after lowering: gates by their OpenQASM name, `measure`, `reset`
    /// and `barrier` (what `qsh qasm check`'s summary counts, as Qiskit's count_ops does).
    public var gateCounts: [String: Int]
    /// The circuit depth (gates, measurements and resets; barriers excluded).
    public var depth: Int
    /// Gate blocks after fusion (what the simulator actually applies).
    public var fusedGates: Int
    /// Gates before fusion (measure, reset and barrier left out).
    public var gateCount: Int
    /// Gates on exactly two qubits.
    public var twoQubitGates: Int
    /// Gates on three or more qubits.
    public var multiQubitGates: Int

    public init(
        qubits: Int, clbits: Int, gateCounts: [String: Int], depth: Int, fusedGates: Int, gateCount: Int = 0,
        twoQubitGates: Int = 0, multiQubitGates: Int = 0
    ) {
        self.qubits = qubits
        self.clbits = clbits
        self.gateCounts = gateCounts
        self.depth = depth
        self.fusedGates = fusedGates
        self.gateCount = gateCount
        self.twoQubitGates = twoQubitGates
        self.multiQubitGates = multiQubitGates
    }
}

/// Seconds spent in each stage of a run.
public struct RunTimings: Hashable, Sendable {
    /// Fusion, allocating and initialising the state, applying the gates.
    public var simulate: Double
    /// Drawing the shots and counting them.
    public var sample: Double

    public init(simulate: Double, sample: Double) {
        self.simulate = simulate
        self.sample = sample
    }
}

/// What a run produced.
public struct RunResult: Hashable, Sendable {
    /// Counts of every classical register, in declaration order.
    public var registers: [RegisterCounts]
    public var shots: Int
    public var metrics: CircuitMetrics
    public var timings: RunTimings
    /// How it ran: simulator, precision, seed, threads, method (sampled / shot-by-shot).
    public var metadata: [String: String]

    public init(
        registers: [RegisterCounts], shots: Int, metrics: CircuitMetrics, timings: RunTimings,
        metadata: [String: String]
    ) {
        self.registers = registers
        self.shots = shots
        self.metrics = metrics
        self.timings = timings
        self.metadata = metadata
    }
}

/// Progress of a running job, reported as shots complete.
public struct RunProgress: Sendable {
    public var shotsDone: Int
    public var shots: Int
    /// Counts so far (for shot-by-shot programs; empty when sampling at the end).
    public var partial: [RegisterCounts]

    public init(shotsDone: Int, shots: Int, partial: [RegisterCounts]) {
        self.shotsDone = shotsDone
        self.shots = shots
        self.partial = partial
    }
}
