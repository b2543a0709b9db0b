// Phase separation: a 1-qubit gate splits exactly into phases · real rotation ·
// phases; phases carried through x, cx and swap keep the state; and the fuser keeps
// the separated cut only where it is cheaper.
import Testing
@testable import QshCore

@Suite("Phase separation")
struct PhaseSeparationTests {
    static func product(_ split: (before: Double, rotation: GateMatrix, after: (Double, Double))) -> GateMatrix {
        let d2 = GateMatrix.diagonal([.one, .phase(split.before)])
        let d1 = GateMatrix.diagonal([.phase(split.after.0), .phase(split.after.1)])
        return d1.multiplied(by: split.rotation.multiplied(by: d2))
    }

    static func difference(_ a: GateMatrix, _ b: GateMatrix) -> Double {
        zip(a.entries, b.entries).map { ($0 - $1).norm.squareRoot() }.max() ?? 0
    }

    @Test("a 1-qubit gate is D1 · R · D2 with R real")
    func splitIsExact() {
        var random = TestRandom(11)
        var gates: [GateMatrix] = (0..<200).map { _ in random.unitary(qubits: 1) }
        for kind in [GateKind.x, .y, .h, .sx, .sxdg, .rx, .u2, .u3, .id, .t] {
            gates.append(GateMatrices.dense(kind, (0..<kind.parameterCount).map { _ in random.angle() }))
        }
        gates.append(GateMatrices.dense(.u3, [Double.pi, 0.3, -1.2]))
        gates.append(GateMatrices.dense(.rx, [Double.pi]))
        for u in gates {
            let split = PhaseSeparation.split(u)
            #expect(split.rotation.entries.allSatisfy { $0.im == 0 })
            #expect(Self.difference(Self.product(split), u) < 1e-14)
        }
    }

    /// Random circuits rich in what separation handles: phases, permutations,
    /// rotations, and gates that stop phases.
    static func circuit(_ n: Int, count: Int, seed: UInt64) -> [Operation] {
        var random = TestRandom(seed)
        let kinds: [GateKind] = [.u3, .u2, .y, .rx, .cx, .cx, .x, .swap, .t, .rz, .cz, .cu1, .crz, .rzz,
                                 .h, .ry, .cu3, .ccx, .sx, .cswap]
        return (0..<count).compactMap { _ in
            let kind = kinds[random.int(kinds.count)]
            guard kind.qubitCount <= n else { return nil }
            let p = (0..<kind.parameterCount).map { _ in random.angle() }
            return .gate(kind, qubits: random.qubits(kind.qubitCount, of: n), parameters: p, condition: nil)
        }
    }

    @Test("separated items give the same state, global phase included", arguments: [1, 2, 3, 6])
    func itemsPreserveTheState(maxTermQubits: Int) {
        for n in [1, 2, 4, 7] {
            var random = TestRandom(UInt64(n * 7 + maxTermQubits))
            let ops = Self.circuit(n, count: 120, seed: UInt64(n + 100 * maxTermQubits))
            let start = random.state(n, as: Double.self)
            let expected = FusionTests.reference(ops, start: start)
            let gates = ops.compactMap { op -> (GateKind, [Int], [Double])? in
                guard case .gate(let k, let q, let p, _) = op else { return nil }
                return (k, q, p)
            }
            let actual = copy(start)
            for item in PhaseSeparation.items(gates, maxTermQubits: maxTermQubits) {
                #expect(item.qubits.count <= max(3, maxTermQubits))
                ReferenceKernels.apply(item.dense, targets: item.qubits, to: actual)
            }
            #expect(maxDifference(actual, expected) < 1e-10, "n=\(n) limit=\(maxTermQubits)")
        }
    }

    @Test("the fuser's separated cut gives the same state, with measurements between runs")
    func fusedSeparatedCircuits() {
        for n in [3, 6, 9] {
            var random = TestRandom(UInt64(n))
            var ops = Self.circuit(n, count: 150, seed: UInt64(n * 3))
            ops.insert(.barrier(qubits: [0]), at: 40)
            let start = random.state(n, as: Double.self)
            let expected = FusionTests.reference(ops, start: start)
            let options = FusionOptions(maxQubits: 2, maxDiagonalQubits: 6, separatePhases: true)
            let actual = copy(start)
            for case .gate(let g, _) in Fuser(options: options).fuse(ops, qubitCount: n) {
                ReferenceKernels.apply(g.matrix, targets: g.targets, controls: g.controls, to: actual)
            }
            #expect(maxDifference(actual, expected) < 1e-10, "n=\(n)")
        }
    }

    /// Layers of u3 on every qubit then cx on disjoint pairs, like rqc_*.qasm.
    static func layered(_ n: Int, layers: Int, seed: UInt64) -> [Operation] {
        var random = TestRandom(seed)
        var ops: [Operation] = []
        for _ in 0..<layers {
            for q in 0..<n {
                ops.append(.gate(.u3, qubits: [q], parameters: [random.angle(), random.angle(), random.angle()], condition: nil))
            }
            var order = Array(0..<n)
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, random.int(i + 1)) }
            for p in stride(from: 0, to: n - 1, by: 2) {
                ops.append(.gate(.cx, qubits: [order[p], order[p + 1]], parameters: [], condition: nil))
            }
        }
        return ops
    }

    @Test("u3 and cx layers become real 2-qubit blocks and wide diagonal blocks")
    func layeredCircuitsGoReal() {
        let n = 12, layers = 20
        let ops = Self.layered(n, layers: layers, seed: 3)
        let fuser = Fuser(options: FusionOptions(maxQubits: 2, maxDiagonalQubits: 6, separatePhases: true))
        let separated = fuser.fuseSeparated(ops, qubitCount: n)
        var real = 0, diagonal = 0, complex = 0
        for case .gate(let g, _) in separated {
            if g.matrix.isDiagonal {
                diagonal += 1
            } else if g.matrix.entries.allSatisfy({ $0.im == 0 }) {
                real += 1
            } else {
                complex += 1
            }
        }
        #expect(complex == 0)
        // One real block per cx; a repeated pair in the next layer may share one.
        #expect(real <= layers * n / 2 && real >= layers * n / 2 - layers)
        // Each layer's phases fit a few blocks of up to 6 qubits, not one per pair.
        #expect(diagonal <= (layers + 1) * 4)
        #expect(Fuser.cost(separated) < Fuser.cost(Fuser(options: FusionOptions(maxQubits: 2, maxDiagonalQubits: 6)).fuse(ops, qubitCount: n)))
        #expect(fuser.fuse(ops, qubitCount: n) == separated)
        var random = TestRandom(4)
        let start = random.state(n, as: Double.self)
        let expected = FusionTests.reference(ops, start: start)
        let actual = copy(start)
        for case .gate(let g, _) in separated {
            ReferenceKernels.apply(g.matrix, targets: g.targets, controls: g.controls, to: actual)
        }
        #expect(maxDifference(actual, expected) < 1e-10)
    }

    @Test("circuits of dense 2-qubit blocks keep the plain cut")
    func denseBlocksStayPlain() {
        // Quantum-volume style: three cx with u3 between them on each pair.
        var random = TestRandom(9)
        var ops: [Operation] = []
        for _ in 0..<20 {
            let q = random.qubits(2, of: 8)
            for _ in 0..<3 {
                for t in q { ops.append(.gate(.u3, qubits: [t], parameters: [random.angle(), random.angle(), random.angle()], condition: nil)) }
                ops.append(.gate(.cx, qubits: q, parameters: [], condition: nil))
            }
        }
        let separated = Fuser(options: FusionOptions(maxQubits: 2, maxDiagonalQubits: 6, separatePhases: true)).fuse(ops, qubitCount: 8)
        let plain = Fuser(options: FusionOptions(maxQubits: 2, maxDiagonalQubits: 6)).fuse(ops, qubitCount: 8)
        #expect(separated == plain)
    }
}
