// The column-phased real variants of the 2-qubit kernels (a real matrix times one
// phase per column, as PhaseForwarding leaves u3 + cx blocks) and Kernel2Q's variant
// for a column 0 real in rows 0 to 2 (as it leaves other blocks) against the reference
// kernel, and the plan choosing them. Named so that make test's KernelTests filter
// matches.
import Testing
@testable import QshCore

extension TestRandom {
    /// R·diag(1, f1, f2, f3): a random real orthogonal matrix, then random phases.
    mutating func columnPhasedUnitary() -> GateMatrix {
        let f = [Complex.one] + (1..<4).map { _ in Complex.phase(angle()) }
        return realUnitary(qubits: 2).multiplied(by: .diagonal(f))
    }
}

@Suite("Column-phased kernels")
struct ColumnPhaseKernelTests {
    let kernels = KernelTests()

    /// Whether the plans of `gate` in both precisions carry column phases exactly where
    /// a kernel has the variant.
    func expectColumnPhases(_ gate: FusedGate, n: Int) {
        func check<T: SimulatorScalar>(_: T.Type) {
            let plan = KernelDispatch.prepare(gate, qubitCount: n, as: T.self)
            let hasVariant = [.twoHigh, .oneLowOneHigh].contains(plan.kind)
            #expect(plan.columnPhases.isEmpty != hasVariant, "\(T.self) \(gate.targets) on \(n) qubits")
            if hasVariant {
                #expect(plan.real && plan.gauss.isEmpty)
                #expect(plan.columnPhases.count == 3 << (plan.kind == .twoHigh ? 2 : 1))
            }
        }
        check(Double.self)
        check(Float.self)
    }

    @Test("column-phased 2-qubit gate on every ordered pair", arguments: 2...12)
    func twoQubit(n: Int) {
        var random = TestRandom(UInt64(900 + n))
        for a in 0..<n {
            for b in 0..<n where a != b {
                let gate = FusedGate(targets: [a, b], matrix: random.columnPhasedUnitary(), sourceGates: 1)
                expectColumnPhases(gate, n: n)
                kernels.checkBoth(gate, n: n, random: &random)
            }
        }
    }

    @Test("column-phased 2-qubit gates with a high control", arguments: 5...10)
    func twoQubitControlled(n: Int) {
        var random = TestRandom(UInt64(950 + n))
        for _ in 0..<12 {
            let q = random.qubits(3, of: n)
            let gate = FusedGate(targets: [q[0], q[1]], controls: [q[2]], matrix: random.columnPhasedUnitary(), sourceGates: 1)
            kernels.checkBoth(gate, n: n, random: &random)
        }
    }

    @Test("a complex 2-qubit gate with column 0 real in rows 0 to 2, on every ordered pair", arguments: 2...12)
    func realColumn0(n: Int) {
        var random = TestRandom(UInt64(980 + n))
        for a in 0..<n {
            for b in 0..<n where a != b {
                var m = random.unitary(qubits: 2)
                for r in 0..<3 { m[r, 0].im = 0 }  // not unitary now; the kernels do not care
                let gate = FusedGate(targets: [a, b], matrix: m, sourceGates: 1)
                let plan = KernelDispatch.prepare(gate, qubitCount: n, as: Double.self)
                #expect(plan.realColumn0 == (plan.kind == .twoHigh), "\(a), \(b) on \(n) qubits")
                kernels.checkBoth(gate, n: n, random: &random)
            }
        }
        // A general complex matrix does not take it.
        let general = FusedGate(targets: [4, 6], matrix: random.unitary(qubits: 2), sourceGates: 1)
        #expect(!KernelDispatch.prepare(general, qubitCount: 8, as: Double.self).realColumn0)
    }

    @Test("the phases are c, c + d and d - c of each input vector's lane phases")
    func phaseCoefficients() {
        var random = TestRandom(31)
        let m = random.columnPhasedUnitary()
        let split = ColumnPhasedReal(m)!
        let f = [Complex.one] + split.phases
        // Targets 5 and 9 on 10 qubits: column k is input vector k.
        let high = KernelDispatch.prepare(FusedGate(targets: [5, 9], matrix: m, sourceGates: 1), qubitCount: 10, as: Double.self)
        #expect(high.kind == .twoHigh)
        for k in 0..<4 {
            #expect(high.columnPhases[k] == .init(repeating: f[k].re))
            #expect(high.columnPhases[4 + k] == .init(repeating: f[k].re + f[k].im))
            #expect(high.columnPhases[8 + k] == .init(repeating: f[k].im - f[k].re))
        }
        // Targets 1 (in the lanes) and 6: input vector v has column 2v + (lane bit 1).
        let low = KernelDispatch.prepare(FusedGate(targets: [1, 6], matrix: m, sourceGates: 1), qubitCount: 10, as: Double.self)
        #expect(low.kind == .oneLowOneHigh)
        for v in 0..<2 {
            for lane in 0..<Double.Vector.scalarCount {
                let p = f[2 * v + (lane >> 1 & 1)]
                #expect(low.columnPhases[v][lane] == p.re)
                #expect(low.columnPhases[2 + v][lane] == p.re + p.im)
                #expect(low.columnPhases[4 + v][lane] == p.im - p.re)
            }
        }
        // Real entries: R, with column k's phase taken out.
        for r in 0..<4 {
            for k in 0..<4 { #expect(high.wr[4 * r + k] == .init(repeating: split.real[4 * r + k])) }
        }
    }

    @Test("a general complex matrix, or one with a phase on column 0, keeps the 3M path")
    func generalComplex() {
        var random = TestRandom(32)
        let shifted = random.realUnitary(qubits: 2).multiplied(by: .diagonal([.phase(0.4), .one, .phase(1), .one]))
        for m in [random.unitary(qubits: 2), shifted] {
            let plan = KernelDispatch.prepare(FusedGate(targets: [4, 7], matrix: m, sourceGates: 1), qubitCount: 9, as: Double.self)
            #expect(plan.columnPhases.isEmpty && !plan.real && !plan.gauss.isEmpty)
        }
    }
}
