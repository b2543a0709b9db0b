// The test QPU: zeros for every register, progress with partial counts after each
// shot, a stop request or a refusing progress ending the run, and no exact
// probabilities (the protocol's default).
import Testing
@testable import QshCore

@Suite struct SleepQPUTests {
    let qpu = SleepQPU(millisecondsPerShot: 0)
    static let circuit = StateVectorQPUTests.circuit(qubits: 2, cregs: [("c", 2), ("d", 1)], [])

    @Test func everyShotMeasuresZerosAndReportsItsCounts() throws {
        var reports: [Int] = []
        let result = try qpu.run(RunRequest(circuit: Self.circuit, shots: 3, seed: 1, threads: 1, precision: .double)) {
            reports.append($0.partial[0].counts["00"] ?? -1)
            return true
        }
        #expect(reports == [1, 2, 3])
        #expect(result.registers.map(\.counts) == [["00": 3], ["0": 3]])
        #expect(result.metadata == ["simulator": "test:sleep"])
        #expect(qpu.mode == "test-sleep")
    }

    @Test func aStopOrARefusingProgressEndsTheRun() {
        let stopped = RunRequest(
            circuit: Self.circuit, shots: 5, seed: 1, threads: 1, precision: .double, stop: StopAfter(2).cancellation)
        #expect(throws: QPUError.interrupted) { try qpu.run(stopped) { _ in true } }
        let request = RunRequest(circuit: Self.circuit, shots: 5, seed: 1, threads: 1, precision: .double)
        #expect(throws: QPUError.interrupted) { try qpu.run(request) { _ in false } }
    }

    @Test func aQPUWithoutExactProbabilitiesSaysSo() {
        let request = RunRequest(circuit: Self.circuit, shots: 1, seed: 1, threads: 1, precision: .double)
        #expect(
            throws: QPUError(
                .unsupportedFeature, "QPU 'test:sleep' gives no exact probabilities; sample it with shots instead")
        ) { try (qpu as any QPU).probabilities(request) { _ in true } }
    }
}
