// What a QPU is asked to do: one circuit, its shots and seed, the threads and the
// precision of the amplitudes, and the stop request the run asks as it goes.

/// Floating-point precision of the amplitudes.
public enum Precision: String, Sendable, Hashable, CaseIterable {
    /// complex128: 16 bytes per amplitude.
    case double
    /// complex64: 8 bytes per amplitude; half the memory and bandwidth.
    case single

    /// Bytes per amplitude.
    public var bytesPerAmplitude: Int { self == .double ? 16 : 8 }
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
