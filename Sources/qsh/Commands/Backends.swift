// The QPUs and the compile step the task commands use. The real front end and
// simulator are wired here; a scripted `test:sleep` QPU exists only when
// QSH_TEST_QPU=1, so the end-to-end tests can hold a task mid-run.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum Backends {
    /// The QPU used when `--qpu` is not given.
    static let defaultQPU = "sim:statevector"

    /// The QPUs this qsh can run tasks on.
    static func qpus(_ environment: [String: String]) -> [any QPU] {
        var list: [any QPU] = []
        if environment["QSH_TEST_QPU"] == "1" {
            let delay = environment["QSH_TEST_SHOT_MS"].flatMap(Int.init) ?? 10
            list.append(SleepQPU(millisecondsPerShot: max(0, delay)))
        }
        return list
    }

    /// Parses, checks and lowers OpenQASM text.
    static func compiler() -> TaskCompiler {
        TaskCompiler { _, file in
            .failure(
                CompileFailure(
                    errorClass: .unsupportedFeature,
                    diagnostics: [
                        Diagnostic(
                            code: "no-front-end", message: "this qsh was built without the OpenQASM front end",
                            at: SourceLocation(file: file, line: 1, column: 1))
                    ]))
        }
    }

    /// Threads for the simulator: $QSH_THREADS, else the online CPUs.
    static func threads(_ environment: [String: String]) -> Int {
        if let text = environment["QSH_THREADS"], let n = Int(text), n > 0 { return n }
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
            if millisecondsPerShot > 0 { usleep(UInt32(millisecondsPerShot * 1000)) }
            if !progress(RunProgress(shotsDone: shot, shots: request.shots, partial: counts(shot))) {
                throw QPUError(.executionError, "interrupted")
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
