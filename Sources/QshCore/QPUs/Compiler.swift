// The one compile path, target-aware: an OpenQASM program is checked and lowered to a
// circuit, then the circuit is checked against the QPU it is for (the capabilities,
// then the QPU's own validation). The worker, `tasks submit --dry-run` and
// `qsh qasm run` compile through it, and it alone maps diagnostic codes to classes.

/// A program the compile path can check: its main file and what it includes, however
/// they were read (a task's snapshot, or the files on disk for `qsh qasm run`).
public protocol ProgramSource {
    /// The main file's name, as diagnostics give it.
    var name: String { get }
    /// The front end's verdict on the program (`QASMFrontEnd.check`), asking `stop` as it goes.
    /// - Throws: `Interrupted` when `stop` asked to stop.
    func check(limits: QASMLimits, stop: Cancellation) throws(Interrupted) -> QASMCheckResult
}

extension ProgramSnapshot: ProgramSource {
    public var name: String { main.name }

    /// Checks the program from the snapshot alone: an include it does not hold is not found.
    public func check(limits: QASMLimits, stop: Cancellation) throws(Interrupted) -> QASMCheckResult {
        try QASMFrontEnd.check(main, limits: limits, include: loader, stop: stop)
    }
}

/// The steps of compiling, in order: for saying which one a stop request ended.
public enum CompileStep: Sendable, Hashable {
    /// Parsing and checking (the front end).
    case check
    /// Lowering the checked program to a circuit.
    case lowering
    /// Checking the circuit against the QPU.
    case target
}

/// Why a program did not compile for a QPU.
public enum CompileError: Error, Sendable {
    /// The front end found errors: the whole check, diagnostics and all.
    case invalidProgram(QASMCheckResult)
    /// Lowering refused the checked program (it expands past the operation limit) in
    /// the file named.
    case loweringFailed(LoweringError, file: String)
    /// The QPU cannot run the circuit (its limits, gates, features or memory), or is
    /// not available: the class and one reason per problem.
    case refused(CompileFailure)
    /// A stop request ended the step named.
    case interrupted(CompileStep)

    /// What a task stores for it: the class, the reasons and the diagnostics. A front-end
    /// failure takes its class from the first error's code (`Compiler.errorClass(of:)`); a
    /// lowering failure is `resource_limit` with one diagnostic at the top of the file; a
    /// stopped compile is `internal_error` with the reason `interrupted`.
    public var failure: CompileFailure {
        switch self {
        case .invalidProgram(let checked):
            return CompileFailure(
                errorClass: Compiler.errorClass(of: checked.diagnostics), diagnostics: checked.diagnostics)
        case .loweringFailed(let error, let file):
            let top = SourceLocation(file: file, line: 1, column: 1)
            let diagnostic = Diagnostic(code: error.code.rawValue, message: error.message, at: top)
            return CompileFailure(errorClass: .resourceLimit, diagnostics: [diagnostic])
        case .refused(let failure):
            return failure
        case .interrupted:
            return CompileFailure(errorClass: .internalError, reasons: ["interrupted"])
        }
    }
}

/// A program that compiled for a QPU: the QPU to run it on and what to ask it.
public struct PreparedRun: Sendable {
    public var qpu: any QPU
    public var request: RunRequest
}

/// The compile path.
public enum Compiler {
    /// Compiles `program` for `qpu`: checks and lowers it, then checks the circuit against
    /// the QPU with these settings (`target`). `afterStep` is called as each step ends
    /// (for timing). Every step asks `stop`.
    public static func compile(
        _ program: some ProgramSource, for qpu: any QPU, shots: Int, seed: UInt64, threads: Int,
        precision: Precision, limits: QASMLimits = .standard, stop: Cancellation = .never,
        afterStep: (CompileStep) -> Void = { _ in }
    ) -> Result<PreparedRun, CompileError> {
        let checked: CheckedProgram
        switch check(program, limits: limits, stop: stop) {
        case .success(let c): checked = c
        case .failure(let error): return .failure(error)
        }
        afterStep(.check)
        let circuit: Circuit
        switch lower(checked, file: program.name, limits: limits, stop: stop) {
        case .success(let c): circuit = c
        case .failure(let error): return .failure(error)
        }
        afterStep(.lowering)
        let target = self.target(
            circuit, on: qpu, shots: shots, seed: seed, threads: threads, precision: precision, stop: stop)
        afterStep(.target)
        return target.map { PreparedRun(qpu: qpu, request: $0) }
    }

    /// A program to its circuit: `check` then `lower`, with no QPU in view (the worker's
    /// compile step, `TaskCompiler.openQASM`).
    public static func circuit(
        _ program: some ProgramSource, limits: QASMLimits = .standard, stop: Cancellation = .never
    ) -> Result<Circuit, CompileError> {
        check(program, limits: limits, stop: stop).flatMap { lower($0, file: program.name, limits: limits, stop: stop) }
    }

    /// The front end: the checked program, or every diagnostic when it has errors.
    public static func check(
        _ program: some ProgramSource, limits: QASMLimits = .standard, stop: Cancellation = .never
    ) -> Result<CheckedProgram, CompileError> {
        let checked: QASMCheckResult
        do throws(Interrupted) {
            checked = try program.check(limits: limits, stop: stop)
        } catch {
            return .failure(.interrupted(.check))
        }
        guard let result = checked.program, !checked.hasErrors else { return .failure(.invalidProgram(checked)) }
        return .success(result)
    }

    /// Lowering: the circuit of a checked program from the file `file`.
    public static func lower(
        _ checked: CheckedProgram, file: String, limits: QASMLimits = .standard, stop: Cancellation = .never
    ) -> Result<Circuit, CompileError> {
        do throws(LoweringError) {
            return .success(try Lowering.lower(checked, limits: limits, stop: stop))
        } catch where error.isInterruption {
            return .failure(.interrupted(.lowering))
        } catch {
            return .failure(.loweringFailed(error, file: file))
        }
    }

    /// Checks `circuit` against `qpu`: its capabilities (shots, precision, qubits,
    /// mid-circuit operations, native gates, coupling), then its own validation (memory).
    /// - Returns: the request to run, or why the QPU refuses it.
    public static func target(
        _ circuit: Circuit, on qpu: any QPU, shots: Int, seed: UInt64, threads: Int, precision: Precision,
        stop: Cancellation = .never
    ) -> Result<RunRequest, CompileError> {
        let request = RunRequest(
            circuit: circuit, shots: shots, seed: seed, threads: threads, precision: precision, stop: stop)
        if let refusal = qpu.capabilities.refusal(of: request, qpu: qpu.id) { return .failure(.refused(refusal)) }
        do {
            try qpu.validate(request)
        } catch let error as QPUError {
            if error.isInterruption { return .failure(.interrupted(.target)) }
            return .failure(.refused(CompileFailure(errorClass: error.errorClass, reasons: [error.message])))
        } catch {
            return .failure(.refused(CompileFailure(errorClass: .internalError, reasons: ["\(error)"])))
        }
        return .success(request)
    }

    /// The class of a front-end failure, from its first error's code: limits are
    /// resource_limit, valid-but-unrunnable programs unsupported_feature, the rest
    /// invalid_program (a missing include too: tasks carry their includes).
    public static func errorClass(of diagnostics: [Diagnostic]) -> ErrorClass {
        guard let first = diagnostics.first(where: { $0.severity == .error })?.code else { return .invalidProgram }
        if limitCodes.contains(first) { return .resourceLimit }
        if unsupportedCodes.contains(first) { return .unsupportedFeature }
        return .invalidProgram
    }

    /// The codes of the front end's limits, as its message catalogue spells them.
    private static let limitCodes: Set<String> = [
        QASMMessages.fileTooLarge(limit: 0).code, QASMMessages.programTooLarge(0).code,
        QASMMessages.registerTooLarge("", size: 0, quantum: true, limit: 0).code,
        QASMMessages.expressionTooDeep(0).code, QASMMessages.gateTooDeep("", limit: 0).code,
        QASMMessages.includeTooDeep(0).code,
    ]

    /// The codes of valid programs qsh cannot run: opaque gates applied, other versions.
    private static let unsupportedCodes: Set<String> = [
        QASMMessages.opaqueApplied("").code, QASMMessages.unsupportedVersion("").code,
    ]
}

extension TaskCompiler {
    /// The compile step of the worker and of `--dry-run`: `Compiler.circuit` on the task's
    /// snapshot alone (it reads no file: an include the snapshot does not hold is not
    /// found). A compile `stop` ended fails with the reason `interrupted`, which a caller
    /// that sees its own stop request granted does not take for the program's fault.
    public static func openQASM(limits: QASMLimits = .standard, stop: Cancellation = .never) -> TaskCompiler {
        TaskCompiler { program in Compiler.circuit(program, limits: limits, stop: stop).mapError(\.failure) }
    }
}
