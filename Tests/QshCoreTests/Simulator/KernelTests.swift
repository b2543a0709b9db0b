// Every kernel against the scalar reference kernel, for every target position, on
// 1 to 12 qubits, in both precisions, sequentially and in parallel.
import Testing
@testable import QshCore

@Suite("Kernels")
struct KernelTests {
    /// Applies `gate` with the fast kernels and the reference kernel; returns the difference.
    func check<T: SimulatorScalar>(_ gate: FusedGate, n: Int, _: T.Type, random: inout TestRandom) -> Double {
        var worst = 0.0
        let start = random.state(n, as: T.self)
        let expected = copy(start)
        ReferenceKernels.apply(gate.matrix, targets: gate.targets, controls: gate.controls, to: expected)
        for loop in testLoops {
            let actual = copy(start)
            let plan = KernelDispatch.prepare(gate, qubitCount: n, as: T.self, parallelThreshold: 1)
            KernelDispatch.apply(plan, to: actual, loop: loop)
            worst = max(worst, maxDifference(actual, expected))
        }
        return worst
    }

    func checkBoth(_ gate: FusedGate, n: Int, random: inout TestRandom) {
        let d = check(gate, n: n, Double.self, random: &random)
        #expect(d < tolerance(Double.self), "double \(gate.targets) controls \(gate.controls) on \(n) qubits: \(d)")
        let f = check(gate, n: n, Float.self, random: &random)
        #expect(f < tolerance(Float.self), "single \(gate.targets) controls \(gate.controls) on \(n) qubits: \(f)")
    }

    @Test("1-qubit dense gate on every target", arguments: 1...12)
    func oneQubit(n: Int) {
        var random = TestRandom(UInt64(n))
        for t in 0..<n {
            checkBoth(FusedGate(targets: [t], matrix: random.unitary(qubits: 1), sourceGates: 1), n: n, random: &random)
        }
    }

    @Test("2-qubit dense gate on every ordered pair", arguments: 2...12)
    func twoQubit(n: Int) {
        var random = TestRandom(UInt64(100 + n))
        for a in 0..<n {
            for b in 0..<n where a != b {
                checkBoth(FusedGate(targets: [a, b], matrix: random.unitary(qubits: 2), sourceGates: 1), n: n, random: &random)
            }
        }
    }

    @Test("diagonal gates on every target and pair", arguments: 1...12)
    func diagonal(n: Int) {
        var random = TestRandom(UInt64(200 + n))
        for a in 0..<n {
            checkBoth(FusedGate(targets: [a], matrix: random.diagonal(qubits: 1), sourceGates: 1), n: n, random: &random)
            for b in 0..<n where a != b {
                checkBoth(FusedGate(targets: [a, b], matrix: random.diagonal(qubits: 2), sourceGates: 1), n: n, random: &random)
            }
        }
    }

    @Test("controlled gates: every control and target position", arguments: 2...12)
    func controlled(n: Int) {
        var random = TestRandom(UInt64(300 + n))
        for c in 0..<n {
            for t in 0..<n where c != t {
                checkBoth(FusedGate(targets: [t], controls: [c], matrix: random.unitary(qubits: 1), sourceGates: 1), n: n, random: &random)
            }
        }
        // Multi-controlled gates with random placements (ccx, c3x, c4x, cswap shapes).
        for (controls, targets) in [(2, 1), (3, 1), (4, 1), (1, 2), (2, 2)] where controls + targets <= n {
            for _ in 0..<8 {
                let q = random.qubits(controls + targets, of: n)
                let gate = FusedGate(
                    targets: Array(q.suffix(targets)), controls: Array(q.prefix(controls)),
                    matrix: random.unitary(qubits: targets), sourceGates: 1)
                checkBoth(gate, n: n, random: &random)
            }
        }
    }

    @Test("fused k-qubit gates (3 to 5) on random targets", arguments: 3...12)
    func fused(n: Int) {
        var random = TestRandom(UInt64(400 + n))
        for k in 3...min(5, n) {
            for _ in 0..<6 {
                let q = random.qubits(k, of: n)
                checkBoth(FusedGate(targets: q, matrix: random.unitary(qubits: k), sourceGates: 1), n: n, random: &random)
            }
        }
        // Every placement of a 3-qubit block with its lowest target moving through the lanes.
        for low in 0..<min(n - 2, 5) {
            let q = [low, n - 1, (low + 1 + n - 1) / 2 == low ? low + 1 : (low + n - 1) / 2]
            if Set(q).count == 3 {
                checkBoth(FusedGate(targets: q, matrix: random.unitary(qubits: 3), sourceGates: 1), n: n, random: &random)
            }
        }
    }

    @Test("every gate kind through the dispatcher", arguments: GateKind.allCases)
    func everyKind(kind: GateKind) {
        var random = TestRandom(7)
        let n = 6
        for _ in 0..<4 {
            let q = random.qubits(kind.qubitCount, of: n)
            let p = (0..<kind.parameterCount).map { _ in random.angle() }
            let gate = KernelControlled.gate(kind, qubits: q, parameters: p)
            // Against the dense matrix of the gate in argument order.
            let start = random.state(n, as: Double.self)
            let expected = copy(start)
            ReferenceKernels.apply(GateMatrices.dense(kind, p), targets: q, to: expected)
            let actual = copy(start)
            KernelDispatch.apply(KernelDispatch.prepare(gate, qubitCount: n, as: Double.self), to: actual, loop: SequentialLoop())
            #expect(maxDifference(actual, expected) < 1e-12, "\(kind.rawValue) on \(q)")
        }
    }
}
