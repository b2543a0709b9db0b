// The QPUs and the compile step the task commands use: the OpenQASM front end plus
// lowering, and the state-vector simulator. A scripted `test:sleep` QPU exists only
// when QSH_TEST_QPU=1, so the end-to-end tests can hold a task mid-run.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum Backends {
    /// The QPU used when `--qpu` is not given.
    static let defaultQPU = "sim:statevector"

    /// The QPUs this qsh can run tasks on: the state-vector simulator (and the test QPU).
    static func qpus(_ environment: [String: String]) -> [any QPU] {
        var list: [any QPU] = [StateVectorQPU(memoryLimit: memoryLimit(environment))]
        if environment["QSH_TEST_QPU"] == "1" {
            let delay = environment["QSH_TEST_SHOT_MS"].flatMap(Int.init) ?? 10
            list.append(SleepQPU(millisecondsPerShot: min(60_000, max(0, delay))))
        }
        return list
    }

    /// Bytes the simulator may allocate: $QSH_MEMORY_LIMIT (bytes, or with a K/M/G suffix),
    /// else what `qsh qasm run` allows (three quarters of physical memory).
    static func memoryLimit(_ environment: [String: String]) -> Int {
        if let text = environment["QSH_MEMORY_LIMIT"], let bytes = parseBytes(text) { return bytes }
        return QasmRunCommand.memoryLimit()
    }

    static func parseBytes(_ text: String) -> Int? {
        let scales: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let scale = scales[Character(last.uppercased())] {
            guard let n = Int(text.dropLast()), n > 0 else { return nil }
            return n.multipliedReportingOverflow(by: scale).overflow ? nil : n * scale
        }
        return Int(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// The compile step of the worker and of `--dry-run`: the OpenQASM front end, then
    /// lowering. It reads no file: the program and its includes come from the snapshot
    /// taken at submit time (an include it does not hold is not found). Both ask `stop`;
    /// a compile it stopped fails with an `interrupted` reason, which the caller, seeing
    /// its own stop request granted, does not take for the program's fault.
    static func compiler(stop: Cancellation = .never) -> TaskCompiler {
        TaskCompiler { program in
            let file = program.main.name
            let interrupted = CompileFailure(errorClass: .internalError, reasons: ["interrupted"])
            let checked: QASMCheckResult
            do throws(Interrupted) {
                checked = try QASMFrontEnd.check(program.main, include: program.loader, stop: stop)
            } catch {
                return .failure(interrupted)
            }
            guard let checkedProgram = checked.program, !checked.hasErrors else {
                return .failure(CompileFailure(errorClass: errorClass(of: checked.diagnostics), diagnostics: checked.diagnostics))
            }
            do throws(LoweringError) {
                return .success(try Lowering.lower(checkedProgram, stop: stop))
            } catch where error.isInterruption {
                return .failure(interrupted)
            } catch {
                return .failure(
                    CompileFailure(
                        errorClass: .resourceLimit,
                        diagnostics: [
                            Diagnostic(code: error.code.rawValue, message: error.message, at: SourceLocation(file: file, line: 1, column: 1))
                        ]))
            }
        }
    }

    /// The class of a compile failure, from its first error's code: limits are
    /// resource_limit, valid-but-unrunnable programs unsupported_feature, the rest
    /// invalid_program (a missing include too: tasks carry their includes).
    static func errorClass(of diagnostics: [Diagnostic]) -> ErrorClass {
        let codes = diagnostics.filter { $0.severity == .error }.map(\.code)
        let limits: Set<String> = [
            "file_too_large", "program_too_large", "register_too_large", "expression_too_deep", "gate_too_deep",
            "include_too_deep",
        ]
        let unsupported: Set<String> = ["opaque_gate_application", "unsupported_version"]
        guard let first = codes.first else { return .invalidProgram }
        if limits.contains(first) { return .resourceLimit }
        if unsupported.contains(first) { return .unsupportedFeature }
        return .invalidProgram
    }

    /// Threads for the simulator: $QSH_THREADS, else the online CPUs.
    static func threads(_ environment: [String: String]) -> Int {
        if let text = environment["QSH_THREADS"], let n = Int(text), n > 0 { return min(n, QasmRunCommand.maximumThreads) }
        return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}

/// A QPU for the end-to-end tests: every shot sleeps, then measures all zeros.
/// Shot-by-shot, so partial counts and progress are visible.
struct SleepQPU: QPU {
    var millisecondsPerShot: Int
    var id: String { "test:sleep" }
    var summary: String { "test QPU: sleeps per shot and measures zeros (QSH_TEST_QPU=1)" }
    var capabilities: QPUCapabilities {
        QPUCapabilities(maxQubits: 30, maxShots: 1_000_000, memoryLimit: 1 << 30, supportsMidCircuitMeasurement: true)
    }

    func validate(_ request: RunRequest) throws {
        if request.circuit.qubitCount > capabilities.maxQubits {
            throw QPUError(
                .resourceLimit,
                "the program uses \(request.circuit.qubitCount) qubits; 'test:sleep' has \(capabilities.maxQubits)")
        }
    }

    func run(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> RunResult {
        let registers = request.circuit.classicalRegisters
        func counts(_ n: Int) -> [RegisterCounts] {
            registers.map { RegisterCounts(name: $0.name, width: $0.size, counts: [String(repeating: "0", count: $0.size): n]) }
        }
        for shot in 1...max(1, request.shots) {
            // In slices of 10 ms, so that a stop request is seen at once.
            var left = millisecondsPerShot
            repeat {
                if request.stop.isRequested { throw QPUError.interrupted }
                let slice = min(left, 10)
                if slice > 0 { usleep(UInt32(slice * 1000)) }
                left -= slice
            } while left > 0
            if !progress(RunProgress(shotsDone: shot, shots: request.shots, partial: counts(shot))) {
                throw QPUError.interrupted
            }
        }
        return RunResult(
            registers: counts(request.shots), shots: request.shots,
            metrics: CircuitMetrics(
                qubits: request.circuit.qubitCount, clbits: request.circuit.clbitCount, gateCounts: [:],
                depth: 0, fusedGates: 0),
            timings: RunTimings(simulate: 0, sample: 0), metadata: ["simulator": "test:sleep"])
    }
}
