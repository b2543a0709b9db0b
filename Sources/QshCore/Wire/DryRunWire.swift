// A dry run's verdict (what `tasks submit --dry-run` finds without storing anything) and
// its wire shape: the document `tasks submit --dry-run --json` prints and the API answers.

/// The verdict of a dry run: ok with the circuit's size, or the failure the task would end in.
public struct DryRunVerdict: Sendable {
    public var qpuID: String
    public var shots: Int
    /// nil when the program would run.
    public var errorClass: ErrorClass?
    public var reasons: [String] = []
    /// The program's diagnostics when it does not compile.
    public var diagnostics: [Diagnostic] = []
    /// The compiled circuit's size, when it compiled.
    public var circuit: CircuitSize?

    public init(
        qpuID: String, shots: Int, errorClass: ErrorClass? = nil, reasons: [String] = [],
        diagnostics: [Diagnostic] = [], circuit: CircuitSize? = nil
    ) {
        self.qpuID = qpuID
        self.shots = shots
        self.errorClass = errorClass
        self.reasons = reasons
        self.diagnostics = diagnostics
        self.circuit = circuit
    }

    /// True when the program would run.
    public var ok: Bool { errorClass == nil }

    /// `{"ok", "qpu_id", "shots", "error_class", "error_reasons"}`, then `qubits`, `clbits`
    /// and `operations` when it compiled: what `tasks submit --dry-run --json` prints.
    public var wireJSON: JSONValue {
        var members: [(String, JSONValue)] = [
            ("ok", .bool(ok)), ("qpu_id", .string(qpuID)), ("shots", .int(shots)),
            ("error_class", .string(errorClass?.rawValue)),
            ("error_reasons", .array(reasons.map { .string($0) })),
        ]
        if let circuit {
            members += [
                ("qubits", .int(circuit.qubits)), ("clbits", .int(circuit.clbits)),
                ("operations", .int(circuit.operations)),
            ]
        }
        return .object(members)
    }

    /// The keys of the verdict's csv and tsv cells, in order.
    public static let delimitedKeys = ["ok", "qpu_id", "shots", "error_class", "error_reasons", "qubits", "clbits", "operations"]
}

/// How big a compiled circuit is.
public struct CircuitSize: Sendable, Equatable {
    public var qubits: Int
    public var clbits: Int
    public var operations: Int

    public init(qubits: Int, clbits: Int, operations: Int) {
        self.qubits = qubits
        self.clbits = clbits
        self.operations = operations
    }
}

extension DryRunVerdict {
    /// The worker's own compile step and QPU checks (`Worker.prepare`) on `program`, so the
    /// verdict is the one a task with it would get; nothing is stored.
    /// - Throws: `Interrupted` when `stop` asked to stop (a compile that was stopped fails,
    ///   which is the interruption, not the program's fault).
    public init(
        checking program: ProgramSnapshot, qpuID: String, shots: Int, seed: UInt64?, qpus: QPURegistry, threads: Int,
        stop: Cancellation
    ) throws {
        let prepared = Worker.prepare(
            program, qpuID: qpuID, shots: shots, seed: seed ?? 0, compiler: .openQASM(stop: stop), qpus: qpus,
            threads: threads, precision: WorkerOptions(owner: "").precision, stop: stop)
        try stop.check()
        self.init(qpuID: qpuID, shots: shots)
        switch prepared {
        case .success(let run):
            let circuit = run.request.circuit
            self.circuit = CircuitSize(
                qubits: circuit.qubitCount, clbits: circuit.clbitCount, operations: circuit.operations.count)
        case .failure(let failure):
            errorClass = failure.errorClass
            reasons = failure.reasons
            diagnostics = failure.diagnostics
        }
    }
}
