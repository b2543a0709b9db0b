// `test:sleep`, the QPU qsh's end-to-end tests hold a task mid-run with: every shot
// sleeps, then measures all zeros. The executable adds it to the registry only when
// asked to (QSH_TEST_QPU=1); nothing else uses it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A QPU for tests: shot by shot, each shot sleeping `millisecondsPerShot` (in slices of
/// 10 ms, asking the stop request between them), so partial counts and progress show.
public struct SleepQPU: QPU {
    public var millisecondsPerShot: Int

    public init(millisecondsPerShot: Int) {
        self.millisecondsPerShot = millisecondsPerShot
    }

    public var id: String { "test:sleep" }
    public var summary: String { "test QPU: sleeps per shot and measures zeros (QSH_TEST_QPU=1)" }
    public var capabilities: QPUCapabilities {
        QPUCapabilities(maxQubits: 30, maxShots: 1_000_000, memoryLimit: 1 << 30, supportsMidCircuitMeasurement: true)
    }

    /// Nothing beyond the capabilities: it allocates nothing.
    public func validate(_ request: RunRequest) throws {}

    public func run(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> RunResult {
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
