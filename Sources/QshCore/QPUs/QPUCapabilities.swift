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
        return gateRefusal(circuit, qpu: qpu)
    }

    /// One reason per gate outside the native set and per pair of uncoupled qubits (in
    /// order of first use), and one diagnostic per statement that uses each, at the
    /// statement (a call of a gate defined in the program is where its constituents are
    /// reported, with a note naming the gate), up to `maximumDiagnostics`.
    private func gateRefusal(_ circuit: Circuit, qpu: String) -> CompileFailure? {
        var reasons: [String] = []
        var diagnostics: [Diagnostic] = []
        var unsupported = Set<GateKind>()
        var uncoupled = Set<CouplingMap.Edge>()
        // (what, origin) pairs already reported as a diagnostic.
        var reported = Set<String>()
        func diagnose(_ key: String, at index: Int, _ message: String) {
            guard diagnostics.count < Self.maximumDiagnostics, let origin = circuit.origin(of: index),
                reported.insert("\(key) \(circuit.origins[index])").inserted
            else { return }
            let notes = origin.definedGate.map { ["from the definition of gate '\($0)', called here"] } ?? []
            diagnostics.append(
                Diagnostic(code: ErrorCode.unsupportedFeature.rawValue, message: message, at: origin.location, notes: notes))
        }
        for (index, operation) in circuit.operations.enumerated() {
            guard case .gate(let kind, let qubits, _, _) = operation else { continue }
            if let nativeGates, !nativeGates.contains(kind) {
                let reason = "Unsupported gate: \(kind.rawValue) - The \(kind.rawValue) (\(kind.descriptiveName)) gate "
                    + "is not supported by qpu \(qpu)"
                if unsupported.insert(kind).inserted { reasons.append(reason) }
                diagnose(kind.rawValue, at: index, reason)
                continue
            }
            guard let couplingMap, qubits.count > 1 else { continue }
            for i in qubits.indices {
                for j in qubits.indices where j > i && !couplingMap.connects(qubits[i], qubits[j]) {
                    let edge = CouplingMap.Edge(qubits[i], qubits[j])
                    let a = circuit.qubitName(edge.low), b = circuit.qubitName(edge.high)
                    let reason = "Unsupported gate: \(kind.rawValue) on \(a), \(b) - qubits \(edge.low) and \(edge.high) "
                        + "are not connected on qpu \(qpu)"
                    if uncoupled.insert(edge).inserted { reasons.append(reason) }
                    diagnose("\(edge.low)-\(edge.high)", at: index, reason)
                }
            }
        }
        guard !reasons.isEmpty else { return nil }
        var failure = CompileFailure(errorClass: .unsupportedFeature, reasons: reasons)
        failure.diagnostics = diagnostics
        return failure
    }

    /// The most diagnostics a gate refusal carries (the reasons are never cut).
    public static let maximumDiagnostics = 100
}

extension Circuit {
    /// Qubit `index` (global) by its register: `q[2]`; `$index` when no register holds it.
    public func qubitName(_ index: Int) -> String {
        for r in quantumRegisters where index >= r.offset && index < r.offset + r.size {
            return "\(r.name)[\(index - r.offset)]"
        }
        return "$\(index)"
    }
}
