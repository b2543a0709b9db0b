// Test doubles for the task layer: a clock the test moves, a scripted QPU and
// compilers that succeed or fail on demand.
import Foundation
import QshCore

/// A clock that only moves when told to.
final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64

    init(_ start: Int64 = 1_790_000_000_000) { current = start }

    func now() -> Timestamp { lock.withLock { Timestamp(milliseconds: current) } }

    func advance(seconds: Double) {
        lock.withLock { current += Int64(seconds * 1000) }
    }
}

/// A QPU that returns fixed counts and can fail, run shot by shot, or call back mid-run;
/// it asks the request's stop before each step, as a real QPU does.
struct FakeQPU: QPU {
    var id = "test:fake"
    var summary = "a scripted QPU for tests"
    var capabilities = QPUCapabilities(
        maxQubits: 4, maxShots: 10_000, memoryLimit: 1 << 20, supportsMidCircuitMeasurement: true)
    var failure: QPUError?
    var validation: QPUError?
    /// Called once per reported progress step, before the callback.
    var onShot: (@Sendable (Int) -> Void)?
    var progressSteps = 4

    func validate(_ request: RunRequest) throws {
        if let validation { throw validation }
    }

    func run(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> RunResult {
        var zeros = 0
        for step in 1...progressSteps {
            if request.stop.isRequested { throw QPUError.interrupted }
            onShot?(step)
            zeros = request.shots * step / progressSteps
            let partial = [RegisterCounts(name: "c", width: 2, counts: ["00": zeros])]
            _ = progress(RunProgress(shotsDone: zeros, shots: request.shots, partial: partial))
        }
        if let failure { throw failure }
        let half = request.shots / 2
        return RunResult(
            registers: [RegisterCounts(name: "c", width: 2, counts: ["00": half, "11": request.shots - half])],
            shots: request.shots,
            metrics: CircuitMetrics(
                qubits: 2, clbits: 2, gateCounts: ["h": 1, "cx": 1], depth: 3, fusedGates: 1, gateCount: 2,
                twoQubitGates: 1),
            timings: RunTimings(simulate: 0.001, sample: 0.002), metadata: ["simulator": "fake"])
    }
}

/// Compilers for the worker tests.
enum FakeCompilers {
    static let bell = Circuit(
        quantumRegisters: [Register(name: "q", size: 2, offset: 0)],
        classicalRegisters: [Register(name: "c", size: 2, offset: 0)],
        operations: [
            .gate(.h, qubits: [0], parameters: [], condition: nil),
            .gate(.cx, qubits: [0, 1], parameters: [], condition: nil),
            .measure(qubit: 0, clbit: 0, condition: nil),
            .measure(qubit: 1, clbit: 1, condition: nil),
        ])

    /// Succeeds with the Bell circuit for any text that does not contain "bad".
    static let simple = TaskCompiler { program in
        let file = program.main.name
        if String(decoding: program.main.bytes, as: UTF8.self).contains("bad") {
            return .failure(
                CompileFailure(
                    errorClass: .invalidProgram,
                    diagnostics: [
                        Diagnostic(
                            code: "arity", message: "'cx' takes 2 quantum arguments, but got 1",
                            at: SourceLocation(file: file, line: 3, column: 1))
                    ]))
        }
        return .success(bell)
    }
}

/// A fresh in-memory store and a service over it.
func makeService(_ clock: ManualClock = ManualClock()) throws -> TaskService {
    TaskService(repository: try SQLiteTaskStore.open(path: ":memory:"), clock: clock)
}

func bellRequest(shots: Int = 100, tags: [String: String] = [:], qpu: String = "test:fake") -> SubmitRequest {
    SubmitRequest(
        source: "OPENQASM 2.0;", fileName: "bell.qasm", qpuID: qpu, shots: shots, seed: 7, tags: tags,
        createdBy: "alice")
}
