// The product-state prefix takes the gates that keep the qubits in small clusters, in an
// order that respects every shared qubit, and leaves the others for the full state.
import Testing
@testable import QshCore

@Suite("Product prefix")
struct ProductPrefixTests {
    static func gate(_ qubits: Int...) -> FusedGate { SweepScheduleTests.gate(qubits) }

    @Test("gates join clusters up to the limit; a gate past it is left, with every later gate sharing its qubits")
    func leavesGatesPastTheLimit() {
        // Clusters of at most 3 qubits on 6: (0,1) and (2,3) join; (1,2) would make 4.
        // (4,5) comes later but shares no qubit with (1,2), so it is taken; (2,4) shares
        // qubit 2 with the gate left behind, so it is left too, and so is (4,0) after it.
        let gates = [Self.gate(0, 1), Self.gate(3, 2), Self.gate(1, 2), Self.gate(5, 4), Self.gate(2, 4), Self.gate(4, 0)]
        let prefix = ProductPrefix(gates, qubitCount: 6, maxClusterQubits: 3)
        #expect(prefix.taken == 3)
        #expect(prefix.rest == [gates[2], gates[4], gates[5]])
        #expect(prefix.clusters == [[0, 1], [], [2, 3], [], [4, 5], []])
        // Each cluster's gate on its local qubits (ranks in the cluster), targets in the gate's order.
        #expect(prefix.steps.contains(.merge(into: 2, from: 3)))
        #expect(prefix.steps.contains(.gates(cluster: 2, [Self.gate(1, 0)])))
        #expect(prefix.steps.contains(.gates(cluster: 4, [Self.gate(1, 0)])))
    }

    @Test("a join flushes both clusters' gates first (the one joined into first), and renumbers by rank")
    func joinsInOrder() {
        let gates = [Self.gate(4), Self.gate(1), Self.gate(4, 1), Self.gate(1)]
        let prefix = ProductPrefix(gates, qubitCount: 5, maxClusterQubits: 2)
        #expect(prefix.steps == [
            .gates(cluster: 1, [Self.gate(0)]), .gates(cluster: 4, [Self.gate(0)]), .merge(into: 1, from: 4),
            .gates(cluster: 1, [Self.gate(1, 0), Self.gate(0)]),
        ])
        #expect(prefix.rest.isEmpty && prefix.clusters[1] == [1, 4])
    }

    @Test("a limit of 0 takes nothing")
    func noClusters() {
        let gates = [Self.gate(0), Self.gate(0, 1)]
        let prefix = ProductPrefix(gates, qubitCount: 2, maxClusterQubits: 0)
        #expect(prefix.taken == 0 && prefix.rest == gates && prefix.steps.isEmpty)
    }

    @Test("clusters of n - 4 qubits when memory allows, fewer when it is short, none without it")
    func limits() {
        #expect(ProductPrefix.maxClusterQubits(qubitCount: 24, spare: 1 << 34, bytesPerAmplitude: 16) == 20)
        // Clusters of 20 qubits take (24 / 20 + 3) * 2^20 * 16 bytes = 64 MiB.
        #expect(ProductPrefix.maxClusterQubits(qubitCount: 24, spare: 64 << 20, bytesPerAmplitude: 16) == 20)
        #expect(ProductPrefix.maxClusterQubits(qubitCount: 24, spare: (64 << 20) - 1, bytesPerAmplitude: 16) == 19)
        #expect(ProductPrefix.maxClusterQubits(qubitCount: 24, spare: 0, bytesPerAmplitude: 16) == 0)
        #expect(ProductPrefix.maxClusterQubits(qubitCount: 3, spare: 1 << 30, bytesPerAmplitude: 8) == 0)
    }

    @Test("in 300 random gates no gate is taken after a left gate that shares a qubit with it")
    func respectsOrder() {
        var random = TestRandom(11)
        // Distinct gates (sourceGates numbers them), so that `rest` identifies its gates.
        let gates = (0..<300).map { i in
            var g = SweepScheduleTests.gate(random.qubits(1 + random.int(3), of: 12))
            g.sourceGates = i + 1
            return g
        }
        for limit in [2, 4, 7] {
            let prefix = ProductPrefix(gates, qubitCount: 12, maxClusterQubits: limit)
            #expect(prefix.taken + prefix.rest.count == gates.count)
            let rest = Set(prefix.rest.map(\.sourceGates))
            #expect(prefix.rest.map(\.sourceGates) == prefix.rest.map(\.sourceGates).sorted())
            var left = Set<Int>()
            for g in gates {
                if rest.contains(g.sourceGates) {
                    left.formUnion(g.qubits)
                } else {
                    #expect(!g.qubits.contains(where: left.contains), "gate \(g.sourceGates) passed a left gate")
                }
            }
            #expect(prefix.clusters.allSatisfy { $0.count <= limit && $0 == $0.sorted() })
            #expect(prefix.taken > 0 && !prefix.rest.isEmpty)
        }
    }
}

extension ProductPrefixTests {
    @Test("asked to stop, the plan throws; never asked, it plans as the plain call does")
    func stopRequest() throws {
        var random = TestRandom(21)
        let gates = (0..<20_000).map { _ in SweepScheduleTests.gate(random.qubits(2, of: 10)) }
        let asked = StopAfter(.max)
        let planned = try ProductPrefix(gates, qubitCount: 10, maxClusterQubits: 6, stop: asked.cancellation)
        let plain = ProductPrefix(gates, qubitCount: 10, maxClusterQubits: 6)
        #expect(planned.steps == plain.steps && planned.rest == plain.rest && planned.taken == plain.taken)
        #expect(asked.questions == 4)
        let stop = StopAfter(2)
        #expect(throws: Interrupted.self) {
            try ProductPrefix(gates, qubitCount: 10, maxClusterQubits: 6, stop: stop.cancellation)
        }
    }
}
