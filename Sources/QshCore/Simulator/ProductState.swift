// Runs a ProductPrefix: each cluster's gates on the cluster's own state (in sweeps, like
// the full state's), each join as a tensor product, and at the end the full state as
// the tensor product of all clusters, written once (ProductWriter.swift), by the first
// sweep of the gates that follow, run by run, while each run is in cache.
//
// A tensor product is written from tables (clusters, or products of clusters): its
// amplitude x is the product of one entry per table, at the index made of x's bits on
// the table's qubits. That index is the OR of a part for x's low 13 bits, looked up,
// and a part for the high bits, fixed along each run of 2^13 amplitudes. Every state
// keeps its qubits in ascending order, so that the entries of a large table are read
// nearly in order. The full state is written from a few tables of at most
// max(largest cluster, 16) qubits. Qubits no gate touched are |0⟩: amplitudes with
// one of them set stay zero.

enum ProductState {
    /// A cluster: its qubits, ascending, and their state (local qubit j = qubits[j]).
    typealias Part<T: SimulatorScalar> = (qubits: [Int], state: StateVector<T>)

    /// Runs `prefix` and writes the product of its clusters into `state`, which must
    /// hold |0…0⟩ (every other amplitude zero).
    /// - Returns: false when `shouldStop` asked to stop; `state` is then unchanged.
    static func run<T: SimulatorScalar>(
        _ prefix: ProductPrefix, into state: StateVector<T>, options: SweepOptions, loop: ParallelLoop,
        shouldStop: () -> Bool = { false }
    ) -> Bool {
        guard let writer = prepare(prefix, for: state, options: options, loop: loop, shouldStop: shouldStop) else {
            return false
        }
        writer.writeAll(loop: loop)
        return true
    }

    /// Runs `prefix` on its clusters and makes the tables that write their product
    /// into `state` (which must hold |0…0⟩), in runs of `runQubits` qubits at most.
    /// `shouldStop` is asked between steps, `stop` also inside them.
    /// - Returns: nil when `shouldStop` or `stop` asked to stop.
    static func prepare<T: SimulatorScalar>(
        _ prefix: ProductPrefix, for state: StateVector<T>, options: SweepOptions, loop: ParallelLoop,
        runQubits: Int = ProductWriter<T>.maximumRunQubits, shouldStop: () -> Bool = { false },
        stop: Cancellation = .never
    ) -> ProductWriter<T>? {
        let n = state.qubitCount
        var parts: [Part<T>?] = (0..<n).map { _ in nil }
        var qubits = (0..<n).map { [$0] }
        func part(_ id: Int) -> Part<T> {
            if let p = parts[id] { return p }
            let s = StateVector<T>(qubits: 1)
            s.setFreshZeroState()
            parts[id] = (qubits[id], s)
            return parts[id]!
        }
        for step in prefix.steps {
            if shouldStop() { return nil }
            switch step {
            case .gates(let id, let gates):
                let s = part(id).state
                guard let steps = try? Sweeps.plan(gates, qubitCount: s.qubitCount, options: options, stop: stop),
                    Sweeps.apply(steps, to: s, options: options, loop: loop, stop: stop)
                else { return nil }
            case .merge(let into, let from):
                parts[into] = product([part(into), part(from)], loop: loop)
                qubits[into] = parts[into]!.qubits
                parts[from] = nil
            }
        }
        if shouldStop() { return nil }
        var touched: [Part<T>] = []
        var zeroMask = 0
        for (id, qubits) in prefix.clusters.enumerated() where !qubits.isEmpty {
            if let p = parts[id] { touched.append(p) } else { zeroMask |= 1 << qubits[0] }
        }
        return ProductWriter(tables(touched, qubitCount: n, loop: loop), zeroMask: zeroMask, into: state, runQubits: runQubits)
    }

    /// The tensor product of `parts` on the union of their qubits, ascending.
    static func product<T: SimulatorScalar>(_ parts: [Part<T>], loop: some LoopRunner) -> Part<T> {
        let union = parts.flatMap(\.qubits).sorted()
        var rank: [Int: Int] = [:]
        for (j, q) in union.enumerated() { rank[q] = j }
        let out = StateVector<T>(qubits: union.count, loop: loop)
        ProductWriter(parts.map { ($0.qubits.map { rank[$0]! }, $0.state) }, zeroMask: 0, into: out).writeAll(loop: loop)
        return (union, out)
    }

    /// The clusters grouped into tables, largest first, each filled up to
    /// max(largest cluster, 16) qubits.
    static func tables<T: SimulatorScalar>(_ clusters: [Part<T>], qubitCount n: Int, loop: some LoopRunner) -> [Part<T>] {
        let sorted = clusters.sorted { $0.qubits.count > $1.qubits.count }
        let capacity = max(sorted.first?.qubits.count ?? 0, min(16, n))
        var tables: [Part<T>] = []
        for c in sorted {
            if let t = tables.firstIndex(where: { $0.qubits.count + c.qubits.count <= capacity }) {
                tables[t] = product([tables[t], c], loop: loop)
            } else {
                tables.append(c)
            }
        }
        return tables
    }
}
