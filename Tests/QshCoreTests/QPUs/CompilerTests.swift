// The one compile path: a program checked, lowered and checked against its QPU, with
// the class of every failure, the step a stop request ended, and the worker's
// PayloadProcessing (Worker.prepare) on the same path, the QPU found before compiling.
import Testing
@testable import QshCore

/// A QPU with a restricted native set whose own validation the test scripts.
struct ScriptedQPU: QPU {
    var id = "test:native"
    var summary = "a hardware-like QPU for tests"
    var capabilities = QPUCapabilitiesTests.native
    var validation: (any Error)?
    /// Counts the calls to `validate`.
    let validations = Counter()

    func validate(_ request: RunRequest) throws {
        validations.add()
        if let validation { throw validation }
    }

    func run(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> RunResult {
        throw QPUError(.executionError, "not for running")
    }
}

final class Counter: @unchecked Sendable {
    private(set) var count = 0
    func add() { count += 1 }
}

/// A program read through an include loader, as `qsh qasm run` reads files from disk.
struct LoadedProgram: ProgramSource {
    var main: SourceFile
    var files: [String: String]
    var name: String { main.name }

    func check(limits: QASMLimits, stop: Cancellation) throws(Interrupted) -> QASMCheckResult {
        try QASMFrontEnd.check(
            main, limits: limits, include: { files[$0].map { .loaded(Array($0.utf8)) } ?? .notFound }, stop: stop)
    }
}

@Suite struct CompilerTests {
    static let header = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"
    static let bell = header + "qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"

    static func program(_ text: String, name: String = "p.qasm") -> ProgramSnapshot {
        ProgramSnapshot(main: SourceFile(name: name, text: text))
    }

    static func compile(
        _ source: some ProgramSource, for qpu: any QPU = StateVectorQPU(memoryLimit: 1 << 30), shots: Int = 100,
        precision: Precision = .double, limits: QASMLimits = .standard, stop: Cancellation = .never
    ) -> Result<PreparedRun, CompileError> {
        Compiler.compile(
            source, for: qpu, shots: shots, seed: 9, threads: 2, precision: precision, limits: limits, stop: stop)
    }

    @Test func aValidProgramBecomesTheRequestToRun() throws {
        var steps: [CompileStep] = []
        let qpu = StateVectorQPU(memoryLimit: 1 << 30)
        let prepared = try Compiler.compile(
            Self.program(Self.bell), for: qpu, shots: 300, seed: 9, threads: 2, precision: .single,
            afterStep: { steps.append($0) }
        ).get()
        #expect(steps == [.check, .lowering, .target])
        #expect(prepared.qpu.id == "sim:statevector")
        #expect(prepared.request.circuit.qubitCount == 2 && prepared.request.circuit.operations.count == 4)
        #expect(prepared.request.shots == 300 && prepared.request.seed == 9 && prepared.request.threads == 2)
        #expect(prepared.request.precision == .single)
    }

    @Test("the class of a front-end failure follows its first error's code", arguments: [
        (header + "qreg q[1];\nfoo q[0];\n", ErrorClass.invalidProgram),
        (header + "opaque magic a;\nqreg q[1];\nmagic q[0];\n", .unsupportedFeature),
        ("OPENQASM 3.0;\nqreg q[1];\n", .unsupportedFeature),
        (header + "qreg q[41];\n", .resourceLimit),
        (header + "qreg q[1];\nfoo q[0];\nqreg r[41];\n", .invalidProgram),
    ])
    func frontEndClasses(_ text: String, _ expected: ErrorClass) throws {
        guard case .failure(.invalidProgram(let checked)) = Self.compile(Self.program(text)) else {
            Issue.record("expected an invalid program")
            return
        }
        #expect(Compiler.errorClass(of: checked.diagnostics) == expected)
        let failure = CompileError.invalidProgram(checked).failure
        #expect(failure.errorClass == expected)
        #expect(failure.diagnostics == checked.diagnostics)
        #expect(failure.reasons == CompileFailure.reasons(of: checked.diagnostics))
    }

    @Test func aFileOverTheSizeLimitIsAResourceLimit() {
        var limits = QASMLimits.standard
        limits.maximumFileSize = 20
        guard case .failure(let error) = Self.compile(Self.program(Self.bell), limits: limits) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.failure.errorClass == .resourceLimit)
        #expect(error.failure.reasons == ["p.qasm:1:1: the file is larger than the limit of 20 bytes"])
        #expect(Compiler.errorClass(of: []) == .invalidProgram)
    }

    @Test func aLoweringFailureIsAResourceLimitAtTheTopOfTheFile() throws {
        let checked = try Compiler.check(Self.program(Self.bell)).get()
        var limits = QASMLimits.standard
        limits.maximumOperations = 3
        guard case .failure(let error) = Compiler.lower(checked, file: "p.qasm", limits: limits),
            case .loweringFailed(let lowering, let file) = error
        else {
            Issue.record("expected a lowering failure")
            return
        }
        #expect(file == "p.qasm")
        #expect(lowering.code == "program_too_large")
        #expect(error.failure.errorClass == .resourceLimit)
        #expect(error.failure.reasons == ["p.qasm:1:1: the program expands to more than the limit of 3 operations"])
        #expect(error.failure.diagnostics.map(\.code) == ["program_too_large"])
    }

    @Test func theSimulatorsMemoryRuleRefusesWithItsAdvice() {
        let qpu = StateVectorQPU(memoryLimit: 40 << 20)
        let text = Self.header + "qreg q[22];\ncreg c[1];\nh q[21];\nmeasure q[0] -> c[0];\n"
        guard case .failure(.refused(let refusal)) = Self.compile(Self.program(text), for: qpu) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.errorClass == .resourceLimit)
        #expect(refusal.reasons == [
            "the program needs 64 MiB for 22 qubits in double precision, over the limit of 40 MiB; "
                + "use --precision single or fewer qubits"
        ])
        #expect((try? Self.compile(Self.program(text), for: qpu, precision: .single).get()) != nil)
    }

    @Test func theCapabilitiesAreCheckedBeforeTheQPUsOwnValidation() {
        let qpu = ScriptedQPU(validation: QPUError(.resourceLimit, "no room"))
        let text = Self.header + "qreg q[3];\ncreg c[3];\nccx q[0],q[1],q[2];\ncx q[0],q[2];\nmeasure q -> c;\n"
        guard case .failure(.refused(let refusal)) = Self.compile(Self.program(text), for: qpu) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.errorClass == .unsupportedFeature)
        #expect(refusal.reasons == [
            "Unsupported gate: ccx - The ccx (Toffoli) gate is not supported by qpu test:native",
            "Unsupported gate: cx on q[0], q[2] - qubits 0 and 2 are not connected on qpu test:native",
        ])
        // Each with the line and column of the statement that uses it.
        #expect(refusal.diagnostics.map { "\($0.location) \($0.code)" } == [
            "p.qasm:5:1 unsupported_feature", "p.qasm:6:1 unsupported_feature",
        ])
        #expect(qpu.validations.count == 0)
        // Within the capabilities, the QPU's own refusal is the verdict.
        let fine = Self.header + "qreg q[2];\ncreg c[2];\nsx q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
        guard case .failure(.refused(let own)) = Self.compile(Self.program(fine), for: qpu) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(own.errorClass == .resourceLimit && own.reasons == ["no room"])
        #expect(qpu.validations.count == 1)
    }

    @Test func aValidationThatFailsOtherwiseIsAnInternalError() {
        struct Broken: Error, CustomStringConvertible { var description: String { "broken" } }
        let fine = Self.header + "qreg q[1];\ncreg c[1];\nx q[0];\nmeasure q -> c;\n"
        guard case .failure(.refused(let refusal)) = Self.compile(Self.program(fine), for: ScriptedQPU(validation: Broken()))
        else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.errorClass == .internalError && refusal.reasons == ["broken"])
        guard case .failure(.interrupted(.target)) = Self.compile(
            Self.program(fine), for: ScriptedQPU(validation: QPUError.interrupted))
        else {
            Issue.record("expected an interruption")
            return
        }
    }

    @Test("a stop request ends the step it comes in", arguments: [CompileStep.check, .lowering, .target])
    func stopInEachStep(_ step: CompileStep) throws {
        // 10,000 operations: every step asks more than once.
        let text = "OPENQASM 2.0;\nqreg q[2];\n" + String(repeating: "U(0.1,0.2,0.3) q[0];\nCX q[0],q[1];\n", count: 5000)
        let program = Self.program(text)
        let checking = StopAfter(.max)
        _ = try Compiler.check(program, stop: checking.cancellation).get()
        let lowering = StopAfter(.max)
        _ = try Compiler.circuit(program, stop: lowering.cancellation).get()
        #expect(checking.questions > 1 && lowering.questions > checking.questions + 1)
        let after = step == .check ? 1 : step == .lowering ? checking.questions + 1 : lowering.questions + 1
        guard case .failure(let error) = Self.compile(program, stop: StopAfter(after).cancellation),
            case .interrupted(let stopped) = error
        else {
            Issue.record("expected an interruption")
            return
        }
        #expect(stopped == step)
        #expect(error.failure.errorClass == .internalError && error.failure.reasons == ["interrupted"])
    }

    @Test func theTaskCompilerIsTheCompilePathsFirstTwoSteps() throws {
        let compiler = TaskCompiler.openQASM()
        #expect(try compiler.compile(Self.program(Self.bell)).get() == Compiler.circuit(Self.program(Self.bell)).get())
        let bad = Self.program(Self.header + "qreg q[1];\nfoo q[0];\n")
        guard case .failure(let failure) = compiler.compile(bad) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errorClass == .invalidProgram)
        #expect(failure.reasons == ["p.qasm:4:1: 'foo' is not defined in this scope"])
    }

    @Test func aSnapshotAndFilesOnDiskGiveTheSameVerdict() throws {
        let text = Self.header + "include \"lib.inc\";\nqreg q[1];\ncreg c[1];\nflip q[0];\nmeasure q -> c;\n"
        let lib = "gate flip a { x a; }\n"
        let disk = LoadedProgram(main: SourceFile(name: "p.qasm", text: text), files: ["lib.inc": lib])
        let snapshot = ProgramSnapshot.take(disk.main, read: { disk.files[$0].map { .loaded(Array($0.utf8)) } ?? .notFound })
        #expect(try Self.compile(disk).get().request.circuit == Self.compile(snapshot).get().request.circuit)
        // Without the include, both say it is not found, in the same words.
        let missing = LoadedProgram(main: disk.main, files: [:])
        guard case .failure(let a) = Self.compile(missing), case .failure(let b) = Self.compile(Self.program(text))
        else {
            Issue.record("expected failures")
            return
        }
        #expect(a.failure.reasons == b.failure.reasons)
        #expect(a.failure.diagnostics.first?.message == "unable to find 'lib.inc' in the program's directory")
    }
}

@Suite struct PayloadProcessingTests {
    static let registry: QPURegistry = [StateVectorQPU(memoryLimit: 1 << 30), ScriptedQPU()]

    static func prepare(_ text: String, qpu: String = "sim:statevector", shots: Int = 100)
        -> Result<PreparedRun, CompileFailure>
    {
        Worker.prepare(
            CompilerTests.program(text), qpuID: qpu, shots: shots, seed: 3, compiler: .openQASM(), qpus: registry,
            threads: 1, precision: .double)
    }

    @Test func theTaskRunsOnTheQPUItNames() throws {
        let prepared = try Self.prepare(CompilerTests.bell).get()
        #expect(prepared.qpu.id == "sim:statevector")
        #expect(prepared.request.shots == 100 && prepared.request.seed == 3)
    }

    @Test func aQPUThatIsNotThereIsFoundBeforeTheProgramIsCompiled() {
        guard case .failure(let failure) = Self.prepare("not a program", qpu: "test:sleep") else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errorClass == .unsupportedFeature)
        #expect(failure.reasons == ["QPU 'test:sleep' is not available"])
        #expect(failure.diagnostics.isEmpty)
    }

    @Test func shotsOverTheQPUsLimitAndGatesOutsideItsSet() {
        guard case .failure(let shots) = Self.prepare(CompilerTests.bell, qpu: "test:native", shots: 5000) else {
            Issue.record("expected a failure")
            return
        }
        #expect(shots.errorClass == .resourceLimit)
        #expect(shots.reasons == ["5000 shots exceed the limit of 1000 of QPU 'test:native'"])
        guard case .failure(let gates) = Self.prepare(CompilerTests.bell, qpu: "test:native") else {
            Issue.record("expected a failure")
            return
        }
        #expect(gates.reasons == ["Unsupported gate: h - The h (Hadamard) gate is not supported by qpu test:native"])
    }
}
