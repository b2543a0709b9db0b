// Moving blocks' output phases forward keeps every measured probability, leaves the
// blocks of u3 + cx layers column-phased real, and leaves alone what it must not touch.
import Testing
@testable import QshCore

@Suite("Phase forwarding")
struct PhaseForwardingTests {
    /// Layers of u3 on every qubit and cx on random disjoint pairs, as rqc circuits
    /// are, and a last layer of u3.
    static func layers(_ n: Int, depth: Int, seed: UInt64) -> [Operation] {
        var random = TestRandom(seed)
        var ops: [Operation] = []
        func u3Layer() {
            for q in 0..<n {
                ops.append(.gate(.u3, qubits: [q], parameters: [random.angle(), random.angle(), random.angle()], condition: nil))
            }
        }
        for _ in 0..<depth {
            u3Layer()
            let order = random.qubits(n, of: n)
            for j in stride(from: 0, to: n - 1, by: 2) {
                ops.append(.gate(.cx, qubits: [order[j], order[j + 1]], parameters: [], condition: nil))
            }
        }
        u3Layer()
        return ops
    }

    /// The probabilities of every basis state after the fused gates, from |0…0⟩, by
    /// the reference kernel.
    static func probabilities(_ ops: [FusedOperation], n: Int) -> [Double] {
        let s = StateVector<Double>(qubits: n)
        s.re[0] = 1
        for op in ops {
            if case .gate(let g, _) = op { ReferenceKernels.apply(g.matrix, targets: g.targets, controls: g.controls, to: s) }
        }
        return (0..<s.count).map { s.re[$0] * s.re[$0] + s.im[$0] * s.im[$0] }
    }

    static func largestDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    static func twoQubitBlocks(_ ops: [FusedOperation]) -> [FusedGate] {
        ops.compactMap { op in
            if case .gate(let g, _) = op, g.targets.count == 2, g.controls.isEmpty, !g.matrix.isDiagonal { return g }
            return nil
        }
    }

    @Test("blocks of u3 and cx layers become column-phased real, and the probabilities stay", arguments: [4, 6, 7])
    func layeredCircuits(n: Int) {
        let fused = Fuser(options: .default(precision: .double)).fuse(Self.layers(n, depth: 8, seed: UInt64(n)), qubitCount: n)
        let moved = PhaseForwarding.apply(fused, qubitCount: n)
        #expect(moved.count == fused.count)
        let before = Self.twoQubitBlocks(fused), after = Self.twoQubitBlocks(moved)
        #expect(before.allSatisfy { ColumnPhasedReal($0.matrix) == nil })
        // The fuser makes (U ⊗ V)·CX of a cx and the u3 after it on each qubit: E·R·F,
        // with a complex block (or the end) next on both qubits, so each is factored.
        // Blocks of more gates (the first layer's, or a pair met twice in a row) are not.
        let simple = after.filter { $0.sourceGates == 3 }
        #expect(simple.count >= 4)
        #expect(simple.allSatisfy { ColumnPhasedReal($0.matrix) != nil })
        let d = Self.largestDifference(Self.probabilities(fused, n: n), Self.probabilities(moved, n: n))
        #expect(d < 1e-13, "\(d)")
    }

    @Test("random circuits of every kind of gate keep their probabilities", arguments: [0, 2, 3])
    func mixedGates(maxQubits: Int) {
        for n in [3, 5, 7] {
            for seed in 0..<4 {
                let ops = FusionTests.randomGates(n, count: 80, seed: UInt64(1000 * maxQubits + 10 * n + seed))
                    .filter { if case .gate = $0 { return true } else { return false } }
                let fused = Fuser(options: FusionOptions(maxQubits: maxQubits)).fuse(ops, qubitCount: n)
                let moved = PhaseForwarding.apply(fused, qubitCount: n)
                let d = Self.largestDifference(Self.probabilities(fused, n: n), Self.probabilities(moved, n: n))
                #expect(d < 1e-13, "n \(n) seed \(seed): \(d)")
            }
        }
    }

    @Test("a block is left as it is when one of its qubits meets a real or a controlled gate next")
    func realOrControlledNext() {
        let u3: (Int) -> Operation = { .gate(.u3, qubits: [$0], parameters: [0.3, 1.1, -0.7], condition: nil) }
        let cx = Operation.gate(.cx, qubits: [0, 1], parameters: [], condition: nil)
        // The swap and the cu3 each make a block of their own after the first one.
        for next in [Operation.gate(.swap, qubits: [1, 2], parameters: [], condition: nil),
                     .gate(.cu3, qubits: [2, 0], parameters: [0.2, 0.4, 0.6], condition: nil)] {
            let fused = Fuser(options: .default(precision: .double)).fuse([u3(0), u3(1), cx, u3(0), u3(1), next], qubitCount: 3)
            #expect(PhaseForwarding.apply(fused, qubitCount: 3) == fused)
        }
        // With a complex gate next on both qubits, the block is factored.
        let fused = Fuser(options: .default(precision: .double)).fuse(
            [u3(0), u3(1), cx, u3(0), u3(1), .gate(.cx, qubits: [1, 2], parameters: [], condition: nil), u3(1), u3(2)],
            qubitCount: 3)
        #expect(PhaseForwarding.apply(fused, qubitCount: 3) != fused)
    }

    @Test("a list with a measurement, a reset or a condition is returned as it is")
    func onlyUnconditionalGates() {
        let ops = Self.layers(4, depth: 3, seed: 9)
        let fused = Fuser(options: .default(precision: .double)).fuse(ops, qubitCount: 4)
        #expect(PhaseForwarding.apply(fused, qubitCount: 4) != fused)
        for extra in [Operation.measure(qubit: 0, clbit: 0, condition: nil), .reset(qubit: 1, condition: nil),
                      .gate(.x, qubits: [2], parameters: [], condition: Condition(register: 0, value: 1))] {
            let mixed = Fuser(options: .default(precision: .double)).fuse(ops + [extra] + ops, qubitCount: 4)
            #expect(PhaseForwarding.apply(mixed, qubitCount: 4) == mixed)
        }
    }

    @Test("E·R·F splits into E's single-qubit phases and a column-phased real matrix")
    func takeOutputPhases() {
        var random = TestRandom(77)
        for _ in 0..<20 {
            let a = Complex.phase(random.angle()), b = Complex.phase(random.angle())
            let e = GateMatrix.diagonal([.one, a, b, a * b])
            let f = GateMatrix.diagonal((0..<4).map { _ in Complex.phase(random.angle()) })
            let global = Complex.phase(random.angle())
            var m = e.multiplied(by: random.realUnitary(qubits: 2)).multiplied(by: f)
            m.entries = m.entries.map { $0 * global }
            guard let (factored, phases) = PhaseForwarding.takeOutputPhases(m) else {
                Issue.record("not factored: \(m)")
                continue
            }
            #expect(ColumnPhasedReal(factored) != nil)
            // E·factored is m up to a global phase: compare |entries| and one ratio.
            let rebuilt = GateMatrix.diagonal([.one, phases[0], phases[1], phases[0] * phases[1]]).multiplied(by: factored)
            let ratio = m[0, 0] * rebuilt[0, 0].conjugate
            let scale = Complex(ratio.re / ratio.norm.squareRoot(), ratio.im / ratio.norm.squareRoot())
            for i in 0..<16 {
                let d = m.entries[i] - rebuilt.entries[i] * scale
                #expect(d.norm.squareRoot() < 1e-14)
            }
        }
        // A general unitary has no such split.
        #expect(PhaseForwarding.takeOutputPhases(random.unitary(qubits: 2)) == nil)
    }

    @Test("a general block gives its qubits the phases that make column 0 real in rows 0 to 2")
    func realFirstColumn() {
        var random = TestRandom(78)
        for _ in 0..<20 {
            let m = random.unitary(qubits: 2)
            guard let (factored, phases) = PhaseForwarding.realFirstColumn(m) else {
                Issue.record("not factored: \(m)")
                continue
            }
            #expect((0..<3).allSatisfy { factored[$0, 0].im == 0 })
            let rebuilt = GateMatrix.diagonal([.one, phases[0], phases[1], phases[0] * phases[1]]).multiplied(by: factored)
            let ratio = m[0, 0] * rebuilt[0, 0].conjugate
            let scale = Complex(ratio.re / ratio.norm.squareRoot(), ratio.im / ratio.norm.squareRoot())
            for i in 0..<16 { #expect((m.entries[i] - rebuilt.entries[i] * scale).norm.squareRoot() < 1e-14) }
        }
        // Nothing to do where those entries are real already.
        #expect(PhaseForwarding.realFirstColumn(random.realUnitary(qubits: 2)) == nil)
    }

    @Test("quantum-volume layers (a random SU(4) on each pair) keep their probabilities", arguments: [4, 6])
    func quantumVolumeLayers(n: Int) {
        var random = TestRandom(UInt64(40 + n))
        var ops: [Operation] = []
        for _ in 0..<6 {
            let order = random.qubits(n, of: n)
            for j in stride(from: 0, to: n - 1, by: 2) {
                for _ in 0..<3 {
                    for q in [order[j], order[j + 1]] {
                        ops.append(.gate(.u3, qubits: [q], parameters: [random.angle(), random.angle(), random.angle()], condition: nil))
                    }
                    ops.append(.gate(.cx, qubits: [order[j], order[j + 1]], parameters: [], condition: nil))
                }
            }
        }
        let fused = Fuser(options: .default(precision: .double)).fuse(ops, qubitCount: n)
        let moved = PhaseForwarding.apply(fused, qubitCount: n)
        let blocks = Self.twoQubitBlocks(moved)
        let realFirst = blocks.filter { g in (0..<3).allSatisfy { r in g.matrix[r, 0].im == 0 } }
        #expect(realFirst.count * 2 >= blocks.count, "\(realFirst.count) of \(blocks.count)")
        let d = Self.largestDifference(Self.probabilities(fused, n: n), Self.probabilities(moved, n: n))
        #expect(d < 1e-13, "\(d)")
    }

    @Test("a column-phased real matrix needs real column 0 and one phase per other column")
    func columnPhasedReal() {
        var random = TestRandom(5)
        let r = random.realUnitary(qubits: 2)
        let f = [Complex.one] + (1..<4).map { _ in Complex.phase(random.angle()) }
        let m = r.multiplied(by: .diagonal(f))
        let split = ColumnPhasedReal(m)
        #expect(split != nil)
        if let split {
            for k in 1..<4 {
                // The phase is f_k or -f_k (its sign then in R).
                let p = split.phases[k - 1] * f[k].conjugate
                #expect(abs(abs(p.re) - 1) < 1e-14 && abs(p.im) < 1e-14)
            }
            for i in 0..<16 {
                let column = i % 4
                let phase = column == 0 ? Complex.one : split.phases[column - 1]
                #expect((m.entries[i] - Complex(split.real[i]) * phase).norm.squareRoot() < 1e-14)
            }
        }
        #expect(ColumnPhasedReal(r.multiplied(by: .diagonal([.phase(0.5), .one, .one, .one]))) == nil)
        #expect(ColumnPhasedReal(random.unitary(qubits: 2)) == nil)
    }
}

extension PhaseForwardingTests {
    @Test("asked to stop, the pass throws; never asked, it gives what the plain pass gives")
    func stopRequest() throws {
        let fused = Fuser(options: FusionOptions(maxQubits: 2)).fuse(Self.layers(8, depth: 2000, seed: 4), qubitCount: 8)
        let asked = StopAfter(.max)
        #expect(try PhaseForwarding.apply(fused, qubitCount: 8, stop: asked.cancellation) == PhaseForwarding.apply(fused, qubitCount: 8))
        #expect(asked.questions >= 2)
        let stop = StopAfter(1)
        #expect(throws: Interrupted.self) { try PhaseForwarding.apply(fused, qubitCount: 8, stop: stop.cancellation) }
    }
}
