// The checks of a run against a QPU's capabilities: shots, precision, qubits,
// mid-circuit operations, native gates and coupling, each refused with its class and
// one reason per problem; the simulators' capabilities refuse nothing they can run.
import Testing
@testable import QshCore

@Suite struct QPUCapabilitiesTests {
    typealias C = StateVectorQPUTests

    /// A hardware-like QPU: rz, sx, x and cx on a line of 5 qubits, no mid-circuit operations.
    static let native = QPUCapabilities(
        maxQubits: 5, maxShots: 1000, memoryLimit: 1 << 20, supportsMidCircuitMeasurement: false,
        nativeGates: [.rz, .sx, .x, .cx], couplingMap: .line(5))

    static func request(_ circuit: Circuit, shots: Int = 10, precision: Precision = .double) -> RunRequest {
        RunRequest(circuit: circuit, shots: shots, seed: 1, threads: 1, precision: precision)
    }

    @Test func shotsOutsideOneToTheLimitAreAResourceLimit() {
        let c = Self.native
        #expect(c.shotsRefusal(1, qpu: "q") == nil)
        #expect(c.shotsRefusal(1000, qpu: "q") == nil)
        #expect(c.shotsRefusal(1001, qpu: "q") == QPUError(.resourceLimit, "1001 shots exceed the limit of 1000 of QPU 'q'"))
        #expect(c.shotsRefusal(0, qpu: "q") == QPUError(.resourceLimit, "shots must be between 1 and 1000, got 0"))
        let refusal = c.refusal(of: Self.request(C.bell, shots: 5000), qpu: "q")
        #expect(refusal?.errorClass == .resourceLimit)
        #expect(refusal?.reasons == ["5000 shots exceed the limit of 1000 of QPU 'q'"])
    }

    @Test func aPrecisionTheQPUDoesNotRunIn() {
        #expect(Self.native.precisions == [.double])
        #expect(Self.native.defaultPrecision == .double)
        let refusal = Self.native.refusal(of: Self.request(C.bell, precision: .single), qpu: "q")
        #expect(refusal?.errorClass == .unsupportedFeature)
        #expect(refusal?.reasons == ["QPU 'q' does not run in single precision"])
        let sim = StateVectorQPU(memoryLimit: 1 << 20).capabilities
        #expect(sim.precisions == [.double, .single])
        #expect(sim.refusal(of: Self.request(C.bell, precision: .single), qpu: "sim:statevector") == nil)
    }

    @Test func moreQubitsThanTheQPUHas() {
        let wide = C.circuit(qubits: 6, cregs: [("c", 1)], [C.g(.x, 5)])
        let refusal = Self.native.refusal(of: Self.request(wide), qpu: "q")
        #expect(refusal?.errorClass == .resourceLimit)
        #expect(refusal?.reasons == ["the program uses 6 qubits; 'q' has 5"])
    }

    @Test("mid-circuit measurement, reset and if are refused where unsupported", arguments: 0..<3)
    func midCircuitOperations(_ which: Int) {
        let ops: [[Operation]] = [
            [.measure(qubit: 0, clbit: 0, condition: nil), C.g(.x, 0)],
            [.reset(qubit: 0, condition: nil)],
            [C.g(.x, 0, if: Condition(register: 0, value: 1))],
        ]
        let circuit = C.circuit(qubits: 1, cregs: [("c", 1)], ops[which])
        let refusal = Self.native.refusal(of: Self.request(circuit), qpu: "q")
        #expect(refusal?.errorClass == .unsupportedFeature)
        #expect(refusal?.reasons == ["QPU 'q' does not support mid-circuit measurement, reset or 'if'"])
        #expect(StateVectorQPU(memoryLimit: 1 << 20).capabilities.refusal(of: Self.request(circuit), qpu: "s") == nil)
    }

    @Test func everyGateOutsideTheNativeSetOnceAndEveryUncoupledPairOnce() {
        let circuit = C.circuit(qubits: 5, cregs: [("c", 5)], [
            C.g(.sx, 0), C.g(.ccx, 0, 1, 2), C.g(.cx, 0, 1), C.g(.h, 3), C.g(.cx, 3, 0), C.g(.ccx, 2, 3, 4),
            C.g(.cx, 0, 3), C.g(.cx, 4, 2), C.g(.rz, 4, p: [0.5]), .barrier(qubits: [0, 4]),
            .measure(qubit: 0, clbit: 0, condition: nil),
        ])
        let refusal = Self.native.refusal(of: Self.request(circuit), qpu: "q")
        #expect(refusal?.errorClass == .unsupportedFeature)
        #expect(refusal?.reasons == [
            "Unsupported gate: ccx - The ccx (Toffoli) gate is not supported by qpu q",
            "Unsupported gate: h - The h (Hadamard) gate is not supported by qpu q",
            "Unsupported gate: cx on q[0], q[3] - qubits 0 and 3 are not connected on qpu q",
            "Unsupported gate: cx on q[2], q[4] - qubits 2 and 4 are not connected on qpu q",
        ])
        // A circuit built in code has no source: no diagnostics, the reasons all the same.
        #expect(refusal?.diagnostics.isEmpty == true)
        let fine = C.circuit(qubits: 5, cregs: [("c", 2)], [
            C.g(.sx, 0), C.g(.cx, 0, 1), C.g(.cx, 2, 1), C.g(.x, 4), C.g(.cx, 3, 4),
            .measure(qubit: 0, clbit: 0, condition: nil), .measure(qubit: 4, clbit: 1, condition: nil),
        ])
        #expect(Self.native.refusal(of: Self.request(fine), qpu: "q") == nil)
    }

    @Test func aCouplingMapAloneChecksEveryPairOfAGatesQubits() {
        var ring = QPUCapabilities(
            maxQubits: 4, maxShots: 10, memoryLimit: 1 << 20, supportsMidCircuitMeasurement: true,
            couplingMap: CouplingMap([(0, 1), (1, 2), (2, 3), (3, 0)]))
        let circuit = C.circuit(qubits: 4, cregs: [], [C.g(.ccx, 0, 1, 2), C.g(.swap, 3, 0)])
        #expect(ring.refusal(of: Self.request(circuit), qpu: "r")?.reasons == [
            "Unsupported gate: ccx on q[0], q[2] - qubits 0 and 2 are not connected on qpu r"
        ])
        ring.couplingMap = nil
        #expect(ring.refusal(of: Self.request(circuit), qpu: "r") == nil)
    }

    @Test func couplingMaps() {
        let line = CouplingMap.line(4)
        #expect(line.edges.count == 3)
        #expect(line.connects(0, 1) && line.connects(1, 0) && line.connects(2, 3))
        #expect(!line.connects(0, 2) && !line.connects(3, 4))
        #expect(CouplingMap.line(1).edges.isEmpty)
        #expect(CouplingMap([(2, 1), (1, 2)]).edges == [CouplingMap.Edge(1, 2)])
    }
}
