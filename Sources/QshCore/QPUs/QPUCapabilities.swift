// What a QPU can run, as data: its limits (qubits, shots, memory), its native gate
// set and coupling map, mid-circuit support and precisions; and the checks of a run
// against them, which the compile path makes before the QPU's own validation.

/// Which pairs of qubits a gate may act on together: the edges of an undirected graph.
public struct CouplingMap: Hashable, Sendable {
    /// An unordered pair of qubits, the lower first.
    public struct Edge: Hashable, Sendable {
        public let low: Int
        public let high: Int

        public init(_ a: Int, _ b: Int) {
            low = min(a, b)
            high = max(a, b)
        }
    }

    public private(set) var edges: Set<Edge>

    /// The map with an edge between each pair given (in either order).
    public init(_ pairs: [(Int, Int)]) {
        edges = Set(pairs.map { Edge($0.0, $0.1) })
    }

    /// Qubits 0 to `qubits - 1` in a line: each coupled to the next.
    public static func line(_ qubits: Int) -> CouplingMap {
        CouplingMap(qubits < 2 ? [] : (0..<qubits - 1).map { ($0, $0 + 1) })
    }

    /// True when a gate may act on `a` and `b` together.
    public func connects(_ a: Int, _ b: Int) -> Bool { edges.contains(Edge(a, b)) }
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
    /// The gates the QPU runs as they are, after lowering; nil for every `GateKind` (the
    /// simulators). Measurement and barriers are always allowed; reset and `if` follow
    /// `supportsMidCircuitMeasurement`.
    public var nativeGates: Set<GateKind>?
    /// Which qubits a gate of two or more qubits may act on together (every pair of its
    /// qubits must be coupled); nil when any may (the simulators).
    public var couplingMap: CouplingMap?
    /// The precisions it runs in, the one it uses unless told otherwise first.
    public var precisions: [Precision]

    public init(
        maxQubits: Int, maxShots: Int, memoryLimit: Int, supportsMidCircuitMeasurement: Bool,
        nativeGates: Set<GateKind>? = nil, couplingMap: CouplingMap? = nil, precisions: [Precision] = [.double]
    ) {
        self.maxQubits = maxQubits
        self.maxShots = maxShots
        self.memoryLimit = memoryLimit
        self.supportsMidCircuitMeasurement = supportsMidCircuitMeasurement
        self.nativeGates = nativeGates
        self.couplingMap = couplingMap
        self.precisions = precisions
    }

    /// The precision the QPU runs in unless told otherwise.
    public var defaultPrecision: Precision { precisions.first ?? .double }

    /// Why `shots` is out of range for QPU `qpu`, or nil when it is within 1 and `maxShots`.
    public func shotsRefusal(_ shots: Int, qpu: String) -> QPUError? {
        if shots > maxShots {
            return QPUError(.resourceLimit, "\(shots) shots exceed the limit of \(maxShots) of QPU '\(qpu)'")
        }
        if shots < 1 { return QPUError(.resourceLimit, "shots must be between 1 and \(maxShots), got \(shots)") }
        return nil
    }

    /// Why `request` cannot run on QPU `qpu` with these capabilities, or nil when it can:
    /// the first of its shots, precision, qubits and mid-circuit operations that is out of
    /// bounds, else every gate outside the native set and every pair of uncoupled qubits a
    /// gate acts on (each once, in order of first use). Walks the circuit only for a QPU
    /// that restricts gates, coupling or mid-circuit operations.
    public func refusal(of request: RunRequest, qpu: String) -> CompileFailure? {
        if let error = shotsRefusal(request.shots, qpu: qpu) {
            return CompileFailure(errorClass: error.errorClass, reasons: [error.message])
        }
        if !precisions.contains(request.precision) {
            return CompileFailure(
                errorClass: .unsupportedFeature,
                reasons: ["QPU '\(qpu)' does not run in \(request.precision.rawValue) precision"])
        }
        let circuit = request.circuit
        if circuit.qubitCount > maxQubits {
            return CompileFailure(
                errorClass: .resourceLimit,
                reasons: ["the program uses \(circuit.qubitCount) qubits; '\(qpu)' has \(maxQubits)"])
        }
        if !supportsMidCircuitMeasurement && !circuit.measurementsAreTerminal {
            return CompileFailure(
                errorClass: .unsupportedFeature,
                reasons: ["QPU '\(qpu)' does not support mid-circuit measurement, reset or 'if'"])
        }
        guard nativeGates != nil || couplingMap != nil else { return nil }
        let reasons = gateReasons(circuit, qpu: qpu)
        return reasons.isEmpty ? nil : CompileFailure(errorClass: .unsupportedFeature, reasons: reasons)
    }

    /// One reason per gate outside the native set and per pair of uncoupled qubits.
    private func gateReasons(_ circuit: Circuit, qpu: String) -> [String] {
        var reasons: [String] = []
        var unsupported = Set<GateKind>()
        var uncoupled = Set<CouplingMap.Edge>()
        for case .gate(let kind, let qubits, _, _) in circuit.operations {
            if let nativeGates, !nativeGates.contains(kind) {
                if unsupported.insert(kind).inserted {
                    reasons.append(
                        "Unsupported gate: \(kind.rawValue) - The \(kind.rawValue) gate is not supported by qpu \(qpu)")
                }
                continue
            }
            guard let couplingMap, qubits.count > 1 else { continue }
            for i in qubits.indices {
                for j in qubits.indices where j > i && !couplingMap.connects(qubits[i], qubits[j]) {
                    let edge = CouplingMap.Edge(qubits[i], qubits[j])
                    if uncoupled.insert(edge).inserted {
                        reasons.append(
                            "Unsupported gate: \(kind.rawValue) on qubits \(edge.low) and \(edge.high) - "
                                + "qubits \(edge.low) and \(edge.high) are not connected on qpu \(qpu)")
                    }
                }
            }
        }
        return reasons
    }
}
