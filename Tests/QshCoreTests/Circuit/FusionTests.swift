// Fusion preserves the circuit's unitary and never reorders operations on a qubit.
import Testing
@testable import QshCore

@Suite("Fusion")
struct FusionTests {
    /// A random circuit of 1-, 2- and 3-qubit gates.
    static func randomGates(_ n: Int, count: Int, seed: UInt64) -> [Operation] {
        var random = TestRandom(seed)
        let kinds: [GateKind] = [.u3, .h, .t, .rz, .cx, .cz, .cu1, .swap, .ccx, .rzz, .cswap, .sx, .c3x]
        var ops: [Operation] = []
        while ops.count < count {
            let kind = kinds[random.int(kinds.count)]
            guard kind.qubitCount <= n else { continue }
            let q = random.qubits(kind.qubitCount, of: n)
            let p = (0..<kind.parameterCount).map { _ in random.angle() }
            ops.append(.gate(kind, qubits: q, parameters: p, condition: nil))
            if random.int(10) == 0 { ops.append(.barrier(qubits: [q[0]])) }
        }
        return ops
    }

    /// The final state of |ψ⟩ under the ops, by the reference kernel, gate by gate.
    static func reference(_ ops: [Operation], start: StateVector<Double>) -> StateVector<Double> {
        let s = copy(start)
        for op in ops {
            if case .gate(let kind, let q, let p, _) = op {
                ReferenceKernels.apply(GateMatrices.dense(kind, p), targets: q, to: s)
            }
        }
        return s
    }

    @Test("fused circuits give the same state", arguments: [0, 1, 2, 3, 4, 5])
    func preservesUnitary(maxQubits: Int) {
        for n in [3, 5, 8] {
            var random = TestRandom(UInt64(n * 10 + maxQubits))
            let ops = Self.randomGates(n, count: 60, seed: UInt64(n + 31 * maxQubits))
            let start = random.state(n, as: Double.self)
            let expected = Self.reference(ops, start: start)
            let fused = Fuser(options: FusionOptions(maxQubits: maxQubits)).fuse(ops, qubitCount: n)
            let actual = copy(start)
            for case .gate(let g, _) in fused {
                #expect(g.qubits.count <= max(maxQubits, 4))
                ReferenceKernels.apply(g.matrix, targets: g.targets, controls: g.controls, to: actual)
            }
            #expect(maxDifference(actual, expected) < 1e-10, "n=\(n) k=\(maxQubits)")
            let total = fused.reduce(0) { if case .gate(let g, _) = $1 { return $0 + g.sourceGates } else { return $0 } }
            #expect(total == ops.filter { if case .gate = $0 { return true } else { return false } }.count)
        }
    }

    @Test("diagonal gates fuse into diagonal blocks of up to maxDiagonalQubits", arguments: [2, 4, 6])
    func diagonalBlocks(maxDiagonal: Int) {
        let n = 7
        var random = TestRandom(UInt64(maxDiagonal))
        let kinds: [GateKind] = [.t, .rz, .cz, .cu1, .rzz, .s, .u1, .crz]
        var ops: [Operation] = [.gate(.h, qubits: [0], parameters: [], condition: nil)]
        for _ in 0..<80 {
            let kind = kinds[random.int(kinds.count)]
            let p = (0..<kind.parameterCount).map { _ in random.angle() }
            ops.append(.gate(kind, qubits: random.qubits(kind.qubitCount, of: n), parameters: p, condition: nil))
        }
        let start = random.state(n, as: Double.self)
        let expected = Self.reference(ops, start: start)
        let fused = Fuser(options: FusionOptions(maxQubits: 2, maxDiagonalQubits: maxDiagonal)).fuse(ops, qubitCount: n)
        let actual = copy(start)
        var widest = 0
        for case .gate(let g, _) in fused {
            #expect(g.qubits.count <= maxDiagonal)
            if g.qubits.count > 2 { #expect(g.isDiagonal) }
            widest = max(widest, g.qubits.count)
            ReferenceKernels.apply(g.matrix, targets: g.targets, controls: g.controls, to: actual)
        }
        #expect(widest == maxDiagonal)
        #expect(maxDifference(actual, expected) < 1e-10)
    }

    @Test("fusion reduces the number of blocks")
    func fewerBlocks() {
        let ops = Self.randomGates(6, count: 200, seed: 5)
        let two = Fuser(options: FusionOptions(maxQubits: 2)).fuse(ops, qubitCount: 6).count
        let four = Fuser(options: FusionOptions(maxQubits: 4)).fuse(ops, qubitCount: 6).count
        #expect(two < 200)
        #expect(four < two)
    }

    @Test("measure, reset and conditional gates are boundaries")
    func boundaries() {
        let ops: [Operation] = [
            .gate(.h, qubits: [0], parameters: [], condition: nil),
            .measure(qubit: 0, clbit: 0, condition: nil),
            .gate(.h, qubits: [0], parameters: [], condition: nil),
            .gate(.x, qubits: [1], parameters: [], condition: Condition(register: 0, value: 1)),
            .gate(.x, qubits: [1], parameters: [], condition: nil),
            .reset(qubit: 1, condition: nil),
            .gate(.x, qubits: [1], parameters: [], condition: nil),
        ]
        let fused = Fuser(options: FusionOptions(maxQubits: 4)).fuse(ops, qubitCount: 2)
        let shape = fused.map { op -> String in
            switch op {
            case .gate(_, let c): return c == nil ? "g" : "if"
            case .measure: return "m"
            case .reset: return "r"
            }
        }
        #expect(shape == ["g", "m", "g", "if", "g", "r", "g"])
    }
}

extension FusionTests {
    @Test("asked to stop, fusion throws; never asked, it fuses as the plain call does")
    func stopRequest() throws {
        let ops = Self.randomGates(6, count: 20_000, seed: 9)
        let fuser = Fuser(options: FusionOptions(maxQubits: 2))
        let asked = StopAfter(.max)
        #expect(try fuser.fuse(ops, qubitCount: 6, stop: asked.cancellation) == fuser.fuse(ops, qubitCount: 6))
        #expect(asked.questions >= 4)
        let stop = StopAfter(2)
        #expect(throws: Interrupted.self) { try fuser.fuse(ops, qubitCount: 6, stop: stop.cancellation) }
        #expect(stop.questions == 2)
    }

    @Test("one block of many gates is multiplied out asking the stop request")
    func stopWhileBuildingABlock() {
        // All on qubit 0: one block, closed (and built) only at the end.
        let ops = (0..<20_000).map { i in Operation.gate(i % 2 == 0 ? .h : .t, qubits: [0], parameters: [], condition: nil) }
        let counting = StopAfter(.max)
        _ = try? Fuser(options: FusionOptions(maxQubits: 2)).fuse(ops, qubitCount: 1, stop: counting.cancellation)
        // 20000 operations and 20000 gates multiplied in: about ten questions.
        #expect(counting.questions >= 9)
        let stop = StopAfter(counting.questions - 1)
        #expect(throws: Interrupted.self) {
            try Fuser(options: FusionOptions(maxQubits: 2)).fuse(ops, qubitCount: 1, stop: stop.cancellation)
        }
    }
}
