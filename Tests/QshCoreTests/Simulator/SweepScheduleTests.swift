// The sweep schedule may reorder gates only where they act on disjoint qubits, and it
// uses that freedom to put more gates in each sweep.
import Testing
@testable import QshCore

@Suite("Sweep schedule")
struct SweepScheduleTests {
    /// A gate that is not diagonal (a diagonal one fits any sweep) on `qubits`: h, cx
    /// or ccx; the schedule looks only at the qubits.
    static func gate(_ qubits: [Int]) -> FusedGate {
        let kind: GateKind = [.h, .cx, .ccx][qubits.count - 1]
        return FusedGate(targets: qubits, matrix: GateMatrices.dense(kind, []), sourceGates: 1)
    }

    static func gate(_ qubits: Int...) -> FusedGate { gate(qubits) }

    static func flattened(_ steps: [SweepStep]) -> [FusedGate] {
        steps.flatMap { step -> [FusedGate] in
            switch step {
            case .direct(let g): [g]
            case .local(_, let gates): gates
            }
        }
    }

    @Test("a later gate on disjoint qubits joins an earlier sweep")
    func joinsEarlierSweep() {
        // Low qubits 0 and 1, one high qubit per sweep. Taken in order, (0,3) (0,4) (1,3)
        // need three sweeps; (1,3) only waits for (0,3), so it shares its sweep.
        let a = Self.gate(0, 3), b = Self.gate(0, 4), c = Self.gate(1, 3)
        let steps = Sweeps.plan([a, b, c], qubitCount: 6, options: SweepOptions(lowQubits: 2, highQubits: 1))
        #expect(steps.count == 2)
        guard case .local(let high, let gates) = steps[0], case .direct(let last) = steps[1] else {
            Issue.record("expected a sweep, then one gate alone: \(steps)")
            return
        }
        #expect(high == [3] && gates == [a, c] && last == b)
    }

    @Test("a sweep takes the high qubit whose gates run most, not the earliest gate's")
    func widestClosure() {
        // Low qubits 0 to 2, one high qubit per sweep. (0,3) comes first, but a sweep on
        // qubit 4 runs three gates, and (0,3) then shares its sweep with (1,3).
        let gates = [Self.gate(0, 3), Self.gate(1, 4), Self.gate(4), Self.gate(2, 4), Self.gate(1, 3)]
        let steps = Sweeps.plan(gates, qubitCount: 6, options: SweepOptions(lowQubits: 3, highQubits: 1))
        guard steps.count == 2, case .local(let h0, let g0) = steps[0], case .local(let h1, let g1) = steps[1] else {
            Issue.record("expected two sweeps: \(steps)")
            return
        }
        #expect(h0 == [4] && g0 == [gates[1], gates[2], gates[3]])
        #expect(h1 == [3] && g1 == [gates[0], gates[4]])
    }

    @Test("a smaller sweep goes first when it lets the next one take more")
    func looksOneSweepAhead() {
        // Low qubits 0 to 2, one high qubit per sweep. Qubit 4 has three gates ready
        // and qubit 5 two, but two more gates on qubit 4 wait for the gate on (1,5):
        // the sweep on 5 first lets one sweep on 4 take all five.
        let x = Self.gate(4), y1 = Self.gate(1, 5), y2 = Self.gate(5), z = Self.gate(1, 4)
        let gates = [x, x, x, y1, y2, z, z]
        let steps = Sweeps.plan(gates, qubitCount: 6, options: SweepOptions(lowQubits: 3, highQubits: 1))
        guard steps.count == 2, case .local(let h0, let g0) = steps[0], case .local(let h1, let g1) = steps[1] else {
            Issue.record("expected two sweeps: \(steps)")
            return
        }
        #expect(h0 == [5] && g0 == [y1, y2])
        #expect(h1 == [4] && g1 == [x, x, x, z, z])
    }

    @Test("a gate never passes an earlier gate that shares a qubit with it")
    func keepsDependencies() {
        var random = TestRandom(11)
        let n = 12
        let gates = (0..<400).map { _ in Self.gate(random.qubits(random.int(3) + 1, of: n)) }
        for (low, high) in [(3, 1), (4, 2), (2, 4), (6, 3)] {
            let order = Self.flattened(Sweeps.plan(gates, qubitCount: n, options: SweepOptions(lowQubits: low, highQubits: high)))
            #expect(order.count == gates.count)
            // Where each gate of the list went: identical gates are matched in order,
            // which is how a correct schedule would place them too.
            var position: [Int] = []
            var used = Set<Int>()
            for g in gates {
                guard let at = order.indices.first(where: { !used.contains($0) && order[$0] == g }) else {
                    Issue.record("a gate is missing from the schedule")
                    return
                }
                used.insert(at)
                position.append(at)
            }
            for i in gates.indices {
                for j in (i + 1)..<gates.count where !Set(gates[i].qubits).isDisjoint(with: gates[j].qubits) {
                    #expect(position[i] < position[j], "gate \(j) ran before gate \(i) on a shared qubit")
                }
            }
        }
    }

    @Test("random layers of disjoint pairs take fewer sweeps than in list order")
    func fewerSweeps() {
        // Twenty layers of 12 pairs on 24 qubits, as in a random circuit.
        var random = TestRandom(3)
        var gates: [FusedGate] = []
        for _ in 0..<20 {
            var qubits = Array(0..<24)
            for i in stride(from: 23, to: 0, by: -1) { qubits.swapAt(i, random.int(i + 1)) }
            for p in 0..<12 { gates.append(Self.gate(qubits[2 * p], qubits[2 * p + 1])) }
        }
        let options = SweepOptions(lowQubits: 13, highQubits: 4)
        let steps = Sweeps.plan(gates, qubitCount: 24, options: options)
        // In list order: close a sweep whenever the next gate would need a fifth high qubit.
        var inOrder = 1
        var high = Set<Int>()
        for g in gates {
            let h = Set(g.qubits.filter { $0 >= 13 })
            if high.union(h).count > 4 {
                inOrder += 1
                high = []
            }
            high.formUnion(h)
        }
        #expect(steps.count * 3 < inOrder * 2, "\(steps.count) sweeps against \(inOrder) in order")
        for case .local(let h, let gs) in steps {
            #expect(h.count <= 4)
            for g in gs { #expect(g.qubits.allSatisfy { $0 < 13 || h.contains($0) }) }
        }
    }

    @Test("a gate on more high qubits than a sweep holds runs alone")
    func wideGates() {
        let wide = Self.gate(5, 6, 7)
        let steps = Sweeps.plan([Self.gate(0, 5), wide, Self.gate(1, 2), Self.gate(0, 6)],
                                qubitCount: 8, options: SweepOptions(lowQubits: 3, highQubits: 2))
        let order = Self.flattened(steps)
        #expect(order.count == 4)
        #expect(steps.contains { if case .direct(let g) = $0 { g == wide } else { false } })
        #expect(order.firstIndex(of: Self.gate(0, 5))! < order.firstIndex(of: wide)!)
        #expect(order.firstIndex(of: wide)! < order.firstIndex(of: Self.gate(0, 6))!)
    }
}

extension SweepScheduleTests {
    @Test("asked to stop, the schedule throws; never asked, it plans as the plain call does")
    func stopRequest() throws {
        var random = TestRandom(12)
        let gates = (0..<3000).map { _ in Self.gate(random.qubits(2, of: 12)) }
        let options = SweepOptions(lowQubits: 4, highQubits: 2)
        let asked = StopAfter(.max)
        let planned = try Sweeps.plan(gates, qubitCount: 12, options: options, stop: asked.cancellation)
        #expect(Self.flattened(planned) == Self.flattened(Sweeps.plan(gates, qubitCount: 12, options: options)))
        #expect(asked.questions > 10)
        let stop = StopAfter(asked.questions / 2)
        #expect(throws: Interrupted.self) { try Sweeps.plan(gates, qubitCount: 12, options: options, stop: stop.cancellation) }
    }
}
