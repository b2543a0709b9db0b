// The real-matrix variants of the 1- and 2-qubit kernels against the reference kernel
// (every target and pair, controls, 1 to 12 qubits, both precisions, all loops), the
// plan choosing them only for real matrices, and the 3M coefficients complex plans
// carry instead. Named so that make test's KernelTests filter matches.
import Testing
@testable import QshCore

extension TestRandom {
    /// A random real orthogonal matrix on k qubits: products of random ry, h and cx layers.
    mutating func realUnitary(qubits k: Int) -> GateMatrix {
        var u = GateMatrix.identity(qubits: k)
        for _ in 0..<3 {
            for q in 0..<k {
                let g = GateMatrices.dense(.ry, [angle()]).multiplied(by: GateMatrices.dense(.h, []))
                u = GateMatrices.embed(g, on: [q], qubits: k).multiplied(by: u)
            }
            if k > 1 {
                u = GateMatrices.embed(GateMatrices.dense(.cx, []), on: [0, 1], qubits: k).multiplied(by: u)
            }
        }
        return u
    }
}

@Suite("Real kernels")
struct RealKernelTests {
    let kernels = KernelTests()

    /// Whether the plans of `gate` in both precisions took the real path where one exists.
    func expectRealPath(_ gate: FusedGate, n: Int) {
        func check<T: SimulatorScalar>(_: T.Type) {
            let plan = KernelDispatch.prepare(gate, qubitCount: n, as: T.self)
            let hasVariant = [.oneHigh, .twoHigh, .oneLowOneHigh, .lanes].contains(plan.kind)
            #expect(plan.real == hasVariant, "\(T.self) \(gate.targets) controls \(gate.controls) on \(n) qubits")
        }
        check(Double.self)
        check(Float.self)
    }

    @Test("real 1-qubit gate on every target, with and without a control", arguments: 1...12)
    func oneQubit(n: Int) {
        var random = TestRandom(UInt64(500 + n))
        for t in 0..<n {
            let gate = FusedGate(targets: [t], matrix: random.realUnitary(qubits: 1), sourceGates: 1)
            expectRealPath(gate, n: n)
            kernels.checkBoth(gate, n: n, random: &random)
            for c in 0..<n where c != t {
                let controlled = FusedGate(targets: [t], controls: [c], matrix: random.realUnitary(qubits: 1), sourceGates: 1)
                expectRealPath(controlled, n: n)
                kernels.checkBoth(controlled, n: n, random: &random)
            }
        }
    }

    @Test("real 2-qubit gate on every ordered pair", arguments: 2...12)
    func twoQubit(n: Int) {
        var random = TestRandom(UInt64(600 + n))
        for a in 0..<n {
            for b in 0..<n where a != b {
                let gate = FusedGate(targets: [a, b], matrix: random.realUnitary(qubits: 2), sourceGates: 1)
                expectRealPath(gate, n: n)
                kernels.checkBoth(gate, n: n, random: &random)
            }
        }
    }

    @Test("real 2-qubit gates with high and low controls", arguments: 3...12)
    func twoQubitControlled(n: Int) {
        var random = TestRandom(UInt64(700 + n))
        for controls in 1...2 where controls + 2 <= n {
            for _ in 0..<12 {
                let q = random.qubits(controls + 2, of: n)
                let gate = FusedGate(
                    targets: Array(q.suffix(2)), controls: Array(q.prefix(controls)),
                    matrix: random.realUnitary(qubits: 2), sourceGates: 1)
                expectRealPath(gate, n: n)
                kernels.checkBoth(gate, n: n, random: &random)
            }
        }
    }

    @Test("the plan takes the real path for a real matrix and not for a complex one")
    func planChoosesRealPath() {
        var random = TestRandom(800)
        let n = 8
        // Qubits 5 and 7 are above the lanes at every width and precision (laneBits <= 4),
        // qubits 0 and 1 inside them (laneBits >= 2).
        let cases: [([Int], KernelPlan<Double>.Kind)] = [
            ([5], .oneHigh), ([5, 7], .twoHigh), ([0, 7], .oneLowOneHigh), ([0], .lanes), ([0, 1], .lanes),
        ]
        for (targets, expected) in cases {
            let k = targets.count
            let real = FusedGate(targets: targets, matrix: random.realUnitary(qubits: k), sourceGates: 1)
            let complex = FusedGate(targets: targets, matrix: random.unitary(qubits: k), sourceGates: 1)
            let realPlan = KernelDispatch.prepare(real, qubitCount: n, as: Double.self)
            let complexPlan = KernelDispatch.prepare(complex, qubitCount: n, as: Double.self)
            #expect(realPlan.kind == expected && realPlan.real, "\(targets)")
            #expect(complexPlan.kind == expected && !complexPlan.real, "\(targets)")
            #expect(KernelDispatch.prepare(real, qubitCount: n, as: Float.self).real)
            #expect(!KernelDispatch.prepare(complex, qubitCount: n, as: Float.self).real)
        }
        // Complex plans carry the 3M coefficients instead (checked in the next test).
        let complexTwo = KernelDispatch.prepare(
            FusedGate(targets: [5, 7], matrix: random.unitary(qubits: 2), sourceGates: 1), qubitCount: n, as: Double.self)
        #expect(complexTwo.gauss.count == 3 * complexTwo.wr.count)
        #expect(KernelDispatch.prepare(
            FusedGate(targets: [5, 7], matrix: random.realUnitary(qubits: 2), sourceGates: 1), qubitCount: n, as: Double.self
        ).gauss.isEmpty)
        // Real but not on a 1- or 2-qubit kernel: no real flag.
        let three = FusedGate(targets: [5, 6, 7], matrix: random.realUnitary(qubits: 3), sourceGates: 1)
        #expect(!KernelDispatch.prepare(three, qubitCount: n, as: Double.self).real)
        // A sweep's restricted plan keeps the flag.
        let plan = KernelDispatch.prepare(FusedGate(targets: [5, 7], matrix: random.realUnitary(qubits: 2), sourceGates: 1),
                                          qubitCount: n, as: Double.self)
        #expect(plan.restricted(fixing: [6]).real)
    }

    @Test("a complex plan's 3M coefficients are c, c + d and d - c of each entry c + di")
    func gaussCoefficients() {
        var random = TestRandom(801)
        for targets in [[5], [5, 7], [0, 7], [0], [0, 1]] {
            let matrix = random.unitary(qubits: targets.count)
            let plan = KernelDispatch.prepare(
                FusedGate(targets: targets, matrix: matrix, sourceGates: 1), qubitCount: 9, as: Double.self)
            let n = plan.wr.count
            #expect(plan.gauss.count == 3 * n, "\(targets)")
            for j in 0..<n {
                #expect(plan.gauss[j] == plan.wr[j])
                for lane in 0..<Double.Vector.scalarCount {
                    let (c, d) = (plan.wr[j][lane], plan.wi[j][lane])
                    #expect(abs(plan.gauss[n + j][lane] - (c + d)) <= 1e-15, "\(targets) entry \(j)")
                    #expect(abs(plan.gauss[2 * n + j][lane] - (d - c)) <= 1e-15, "\(targets) entry \(j)")
                }
            }
        }
    }
}
