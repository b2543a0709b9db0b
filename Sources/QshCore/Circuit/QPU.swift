// The QPU protocol: what the task worker and `qsh qasm run` need from a backend,
// and the value types that cross it. The state-vector simulator conforms to it;
// Tasks/ only ever sees this protocol.

/// Floating-point precision of the amplitudes.
public enum Precision: String, Sendable, Hashable, CaseIterable {
    /// complex128: 16 bytes per amplitude.
    case double
    /// complex64: 8 bytes per amplitude; half the memory and bandwidth.
    case single

    /// Bytes per amplitude.
    public var bytesPerAmplitude: Int { self == .double ? 16 : 8 }
}

/// What a QPU can run, checked before anything is allocated.
public struct QPUCapabilities: Hashable, Sendable {
    /// The most qubits one program may use.
    public var maxQubits: Int
    /// The most shots one run may take.
    public var maxShots: Int
    /// The most bytes the state may take.
    public var memoryLimit: Int
    /// Mid-circuit measurement, reset and `if`.
    public var supportsMidCircuitMeasurement: Bool

    public init(maxQubits: Int, maxShots: Int, memoryLimit: Int, supportsMidCircuitMeasurement: Bool) {
        self.maxQubits = maxQubits
        self.maxShots = maxShots
        self.memoryLimit = memoryLimit
        self.supportsMidCircuitMeasurement = supportsMidCircuitMeasurement
    }
}

/// One run of a circuit.
public struct RunRequest: Sendable {
    public var circuit: Circuit
    public var shots: Int
    public var seed: UInt64
    /// Worker threads; 1 runs sequentially.
    public var threads: Int
    public var precision: Precision
    /// Asked every few thousand units of work (operations, passes over the state, shots,
    /// samples) whether to stop; the run then throws `QPUError.interrupted`.
    public var stop: Cancellation

    public init(
        circuit: Circuit, shots: Int, seed: UInt64, threads: Int, precision: Precision, stop: Cancellation = .never
    ) {
        self.circuit = circuit
        self.shots = shots
        self.seed = seed
        self.threads = threads
        self.precision = precision
        self.stop = stop
    }
}

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

/// Facts about a circuit, recorded with every run.
public struct CircuitMetrics: Hashable, Sendable {
    public var qubits: Int
    public var clbits: Int
    /// Gate applications by OpenQASM name, after lowering.
    public var gateCounts: [String: Int]
    /// The circuit depth (gates, measurements and resets; barriers excluded).
    public var depth: Int
    /// Gate blocks after fusion (what the simulator actually applies).
    public var fusedGates: Int

    public init(qubits: Int, clbits: Int, gateCounts: [String: Int], depth: Int, fusedGates: Int) {
        self.qubits = qubits
        self.clbits = clbits
        self.gateCounts = gateCounts
        self.depth = depth
        self.fusedGates = fusedGates
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

/// Why a QPU refused or failed a run.
public struct QPUError: QshError {
    public var errorClass: ErrorClass
    public var message: String
    public var code: ErrorCode { errorClass.code }

    public init(_ errorClass: ErrorClass, _ message: String) {
        self.errorClass = errorClass
        self.message = message
    }

    /// The run was stopped because `progress` returned false or the request's `stop` asked to.
    public static let interrupted = QPUError(.executionError, "interrupted")

    /// True for the error a run throws when `progress` or the request's `stop` stopped it.
    public var isInterruption: Bool { self == QPUError.interrupted }
}

extension QPUError: Equatable {}

/// A quantum processing unit qsh can send circuits to.
public protocol QPU: Sendable {
    /// A stable id, e.g. `sim:statevector`.
    var id: String { get }
    /// A one-line description for `qsh qpus list`.
    var summary: String { get }
    var capabilities: QPUCapabilities { get }

    /// Checks a circuit against the capabilities without running it (qubits, memory, features).
    /// - Throws: `QPUError` with `resource_limit` or `unsupported_feature`.
    func validate(_ request: RunRequest) throws

    /// Runs a circuit. `progress` is called as shots complete, and also between passes
    /// over the state with no shots done and no partial counts; returning false stops the
    /// run, which then throws `QPUError.interrupted`, as it does when `request.stop` asks
    /// to stop (which the QPU asks often, at least every fraction of a second).
    /// - Throws: `QPUError`.
    func run(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> RunResult
}
