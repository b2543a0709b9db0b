// Every circuit starts in |0…0⟩, a product state, and stays a product until its gates
// have linked all of its qubits: qubits that no chain of gates connects are in separate
// clusters, each with a state of its own (2^size amplitudes), and the full state is the
// tensor product of the clusters' states. Cirq's simulators keep such states apart
// (`split_untangled_states`); qsh does it for the start of a circuit. The gates that
// keep every cluster within a bound run on the cluster states, each costing 2^(size - n)
// of its cost on the full state; the full state is then written once, as the tensor
// product (ProductState.swift), and the other gates run on it in sweeps.
//
// A gate that would make a cluster too large is left for the full state, and so is
// every later gate that shares a qubit with a gate left there. Gates after it on other
// qubits still join the clusters: they share no qubit with any gate left behind, so
// they commute with those and may run first.
//
// The fused blocks taken on the benchmark circuits (a sampled run's `product_blocks`
// metadata), with the default clusters of up to n - 4 qubits: rqc_24 31 of 227, qv_24
// 27 of 117, qft_24 15 of 95, ghz_24 19 of 23; rqc_28 44 of 272, qv_28 35 of 136.

/// The start of a list of fused gates, planned to run on separate qubit clusters.
struct ProductPrefix {
    enum Step: Equatable {
        /// Gates on one cluster, their qubits renumbered to its local ones.
        case gates(cluster: Int, [FusedGate])
        /// Cluster `from` joins cluster `into`.
        case merge(into: Int, from: Int)
    }

    /// The steps, in order. Cluster k starts as qubit k alone, in |0⟩.
    private(set) var steps: [Step] = []
    /// Each cluster's qubits at the end, ascending: local qubit j of a cluster is its
    /// j-th smallest qubit. Empty for the clusters that joined another.
    private(set) var clusters: [[Int]]
    /// The gates left for the full state, in their order.
    private(set) var rest: [FusedGate] = []
    /// How many gates run on the clusters.
    private(set) var taken = 0

    /// Plans `gates` on `n` qubits with clusters of at most `limit` qubits (0: none).
    init(_ gates: [FusedGate], qubitCount n: Int, maxClusterQubits limit: Int) {
        self.init(gates, qubitCount: n, maxClusterQubits: limit, perGate: {})
    }

    /// Plans as `init(_:qubitCount:maxClusterQubits:)` does, asking `stop` every few
    /// thousand gates.
    /// - Throws: `Interrupted` when `stop` asked to stop.
    init(_ gates: [FusedGate], qubitCount n: Int, maxClusterQubits limit: Int, stop: Cancellation) throws(Interrupted) {
        var poll = CancellationPoll(stop)
        try self.init(
            gates, qubitCount: n, maxClusterQubits: limit, perGate: { () throws(Interrupted) in try poll.tick() })
    }

    /// The plan, calling `perGate` before each gate (with a closure that cannot throw,
    /// `E` is `Never`).
    private init<E: Error>(
        _ gates: [FusedGate], qubitCount n: Int, maxClusterQubits limit: Int, perGate: () throws(E) -> Void
    ) throws(E) {
        clusters = (0..<n).map { [$0] }
        var owner = Array(0..<n)
        // The local number of each qubit in its cluster: its rank there.
        var position = [Int](repeating: 0, count: n)
        var pending = [[FusedGate]](repeating: [], count: n)
        // Qubits some gate left for the full state acts on.
        var left = [Bool](repeating: false, count: n)
        for g in gates {
            try perGate()
            let qubits = g.qubits
            var ids: [Int] = []
            for q in qubits where !ids.contains(owner[q]) { ids.append(owner[q]) }
            let size = ids.reduce(0) { $0 + clusters[$1].count }
            if size > limit || qubits.contains(where: { left[$0] }) {
                for q in qubits { left[q] = true }
                rest.append(g)
                continue
            }
            // The largest cluster keeps its numbering; the others join it in turn.
            ids.sort { (clusters[$0].count, $1) > (clusters[$1].count, $0) }
            let into = ids[0]
            for from in ids.dropFirst() {
                for id in [into, from] where !pending[id].isEmpty {
                    steps.append(.gates(cluster: id, pending[id]))
                    pending[id] = []
                }
                steps.append(.merge(into: into, from: from))
                for q in clusters[from] { owner[q] = into }
                clusters[into] = (clusters[into] + clusters[from]).sorted()
                clusters[from] = []
            }
            for (j, q) in clusters[into].enumerated() { position[q] = j }
            pending[into].append(
                FusedGate(
                    targets: g.targets.map { position[$0] }, controls: g.controls.map { position[$0] },
                    matrix: g.matrix, sourceGates: g.sourceGates))
            taken += 1
        }
        for id in pending.indices where !pending[id].isEmpty {
            steps.append(.gates(cluster: id, pending[id]))
        }
    }

    /// The largest clusters worth keeping for a state of `n` qubits, given `spare` bytes
    /// beyond the full state: at most n - 4 qubits, so that a cluster's gates cost at
    /// most 1/16 of what they cost on the full state, and few enough that the clusters'
    /// states fit in the spare memory with room for one join and for the tables the
    /// full state is written from (ProductState.swift): clusters of at most L qubits
    /// take at most n/L + 1 states of 2^L amplitudes, and the rest at most 2 more.
    /// 0 when no cluster fits.
    static func maxClusterQubits(qubitCount n: Int, spare: Int, bytesPerAmplitude: Int) -> Int {
        var limit = n - 4
        while limit > 0 && (n / limit + 3) * (1 << limit) * bytesPerAmplitude > spare { limit -= 1 }
        return max(0, limit)
    }
}
