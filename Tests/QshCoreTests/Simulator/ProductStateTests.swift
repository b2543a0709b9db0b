// Running a product-state prefix on its clusters and writing their tensor product gives
// the state that applying the same gates to the full state gives.
import Testing
@testable import QshCore

@Suite("Product state")
struct ProductStateTests {
    /// The fused gates of a random circuit.
    static func fusedGates(_ n: Int, count: Int, seed: UInt64) -> [FusedGate] {
        Fuser(options: .default(precision: .double)).fuse(FusionTests.randomGates(n, count: count, seed: seed), qubitCount: n)
            .compactMap { if case .gate(let g, _) = $0 { return g } else { return nil } }
    }

    /// |0…0⟩ under `gates`, one kernel pass per gate.
    static func plain<T: SimulatorScalar>(_ gates: [FusedGate], qubits n: Int, as _: T.Type) -> StateVector<T> {
        let s = StateVector<T>(qubits: n)
        s.setFreshZeroState()
        for g in gates { KernelDispatch.apply(KernelDispatch.prepare(g, qubitCount: n, as: T.self), to: s, loop: SequentialLoop()) }
        return s
    }

    /// |0…0⟩ under `gates`: the prefix on clusters of at most `limit` qubits, the rest in sweeps.
    static func viaPrefix<T: SimulatorScalar>(
        _ gates: [FusedGate], qubits n: Int, limit: Int, loop: ParallelLoop, as _: T.Type
    ) -> (StateVector<T>, ProductPrefix) {
        let s = StateVector<T>(qubits: n, loop: loop)
        s.setFreshZeroState()
        let prefix = ProductPrefix(gates, qubitCount: n, maxClusterQubits: limit)
        let options = SweepOptions.default(precision: T.precision)
        #expect(ProductState.run(prefix, into: s, options: options, loop: loop))
        Sweeps.apply(Sweeps.plan(prefix.rest, qubitCount: n, options: options), to: s, options: options, loop: loop)
        return (s, prefix)
    }

    static func expectMatch<T: SimulatorScalar>(_ gates: [FusedGate], qubits n: Int, limit: Int, as _: T.Type) {
        let expected = plain(gates, qubits: n, as: T.self)
        for loop in testLoops {
            let (state, prefix) = viaPrefix(gates, qubits: n, limit: limit, loop: loop, as: T.self)
            #expect(prefix.taken > 0)
            #expect(maxDifference(state, expected) < tolerance(T.self), "n \(n), limit \(limit), \(loop.threads) threads")
        }
    }

    /// At 17 qubits the full state is written from two tables (ProductState.tables).
    @Test("prefix then sweeps give the gate-by-gate state", arguments: [(5, 3), (7, 3), (9, 5), (11, 7), (12, 4), (17, 13)])
    func matchesPlain(n: Int, limit: Int) {
        let gates = Self.fusedGates(n, count: n < 16 ? 12 * n : 2 * n, seed: UInt64(n * 100 + limit))
        Self.expectMatch(gates, qubits: n, limit: limit, as: Double.self)
        Self.expectMatch(gates, qubits: n, limit: limit, as: Float.self)
    }

    @Test("qubits no gate of the prefix touches stay |0⟩, below and above the low 13", arguments: [8, 16])
    func untouchedQubits(n: Int) {
        // Qubits 0 and n - 2 get their first gate only after the prefix ends: the cx on
        // (0, 1) would make a cluster of 4 qubits, past the limit of 3.
        var gates = [1, 2, 3, 5, n - 1].map { SweepScheduleTests.gate($0) }
        gates += [SweepScheduleTests.gate(1, 2), SweepScheduleTests.gate(2, 3), SweepScheduleTests.gate(5, n - 1)]
        gates += [SweepScheduleTests.gate(0, 1), SweepScheduleTests.gate(n - 2, 0), SweepScheduleTests.gate(4)]
        let prefix = ProductPrefix(gates, qubitCount: n, maxClusterQubits: 3)
        #expect(prefix.rest.count == 2 && prefix.clusters[0] == [0] && prefix.clusters[n - 2] == [n - 2])
        Self.expectMatch(gates, qubits: n, limit: 3, as: Double.self)
        Self.expectMatch(gates, qubits: n, limit: 3, as: Float.self)
    }

    @Test("the tensor product of clusters with interleaved qubits", arguments: [6, 15])
    func product(n: Int) {
        var random = TestRandom(UInt64(n))
        let order = random.qubits(n, of: n)
        // Three clusters on interleaved qubits, each a random state.
        let cuts = [0, n / 3, 2 * n / 3, n]
        let parts: [ProductState.Part<Double>] = (0..<3).map { p in
            let qubits = order[cuts[p]..<cuts[p + 1]].sorted()
            return (qubits, random.state(qubits.count, as: Double.self))
        }
        let (qubits, state) = ProductState.product(parts, loop: SequentialLoop())
        #expect(qubits == Array(0..<n))
        var worst = 0.0
        for x in 0..<(1 << n) {
            var (re, im) = (1.0, 0.0)
            for part in parts {
                var i = 0
                for (j, q) in part.qubits.enumerated() where x >> q & 1 == 1 { i |= 1 << j }
                (re, im) = (re * part.state.re[i] - im * part.state.im[i], re * part.state.im[i] + im * part.state.re[i])
            }
            worst = max(worst, abs(state.re[x] - re), abs(state.im[x] - im))
        }
        #expect(worst < 1e-15)
    }

    @Test("a stopped prefix leaves the state as it was")
    func stopped() {
        let gates = Self.fusedGates(8, count: 40, seed: 3)
        let state = StateVector<Double>(qubits: 8)
        state.setFreshZeroState()
        let prefix = ProductPrefix(gates, qubitCount: 8, maxClusterQubits: 4)
        let done = ProductState.run(prefix, into: state, options: .default(precision: .double), loop: ParallelLoop(threads: 1)) { true }
        #expect(!done && state.re[0] == 1 && (1..<state.count).allSatisfy { state.re[$0] == 0 && state.im[$0] == 0 })
    }
}
