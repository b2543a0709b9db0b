// Runs a ProductPrefix: each cluster's gates on the cluster's own state (in sweeps, like
// the full state's), each join as a tensor product, and at the end the full state as
// the tensor product of all clusters, written once.
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
            if shouldStop() { return false }
            switch step {
            case .gates(let id, let gates):
                let s = part(id).state
                Sweeps.apply(Sweeps.plan(gates, qubitCount: s.qubitCount, options: options), to: s, options: options, loop: loop)
            case .merge(let into, let from):
                parts[into] = product([part(into), part(from)], loop: loop)
                qubits[into] = parts[into]!.qubits
                parts[from] = nil
            }
        }
        if shouldStop() { return false }
        var touched: [Part<T>] = []
        var zeroMask = 0
        for (id, qubits) in prefix.clusters.enumerated() where !qubits.isEmpty {
            if let p = parts[id] { touched.append(p) } else { zeroMask |= 1 << qubits[0] }
        }
        write(tables(touched, qubitCount: n, loop: loop), zeroMask: zeroMask, into: state, loop: loop)
        return true
    }

    /// The tensor product of `parts` on the union of their qubits, ascending.
    static func product<T: SimulatorScalar>(_ parts: [Part<T>], loop: some LoopRunner) -> Part<T> {
        let union = parts.flatMap(\.qubits).sorted()
        var rank: [Int: Int] = [:]
        for (j, q) in union.enumerated() { rank[q] = j }
        let out = StateVector<T>(qubits: union.count, loop: loop)
        write(parts.map { ($0.qubits.map { rank[$0]! }, $0.state) }, zeroMask: 0, into: out, loop: loop)
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

    /// Writes the product of `tables` into `state` (zero, but for amplitude 0); the
    /// amplitudes with a bit of `zeroMask` set stay zero.
    static func write<T: SimulatorScalar>(
        _ tables: [Part<T>], zeroMask: Int, into state: StateVector<T>, loop: some LoopRunner
    ) {
        let n = state.qubitCount, k = min(n, 13)
        let lowMask = (1 << k) - 1
        // Per table: the index part of each low pattern, and (qubit, index bit) for the high qubits.
        var low = [Int](repeating: 0, count: tables.count << k)
        var high: [[(q: Int, bit: Int)]] = []
        for (t, table) in tables.enumerated() {
            var bits = [Int](repeating: 0, count: k)
            var above: [(q: Int, bit: Int)] = []
            for (j, q) in table.qubits.enumerated() {
                if q < k { bits[q] = 1 << j } else { above.append((q - k, 1 << j)) }
            }
            for x in 1..<(1 << k) { low[t << k | x] = low[t << k | (x & (x - 1))] | bits[x.trailingZeroBitCount] }
            high.append(above)
        }
        let m = tables.count
        // With no table every qubit is |0⟩, as the state already is.
        if m == 0 { return }
        let zeroLow = zeroMask & lowMask, zeroHigh = zeroMask >> k
        // The lowest r qubits all belong to one table, t0, as its lowest: along each
        // block of 2^r amplitudes t0's entries are consecutive and the other tables'
        // entries fixed, so a block is t0's entries times one complex factor.
        let t0 = tables.firstIndex { $0.qubits.first == 0 } ?? 0
        var r = 0
        while r < k && zeroLow & (1 << r) == 0 && r < tables[t0].qubits.count && tables[t0].qubits[r] == r { r += 1 }
        let re = state.re, im = state.im
        let tr = tables.map { $0.state.re }, ti = tables.map { $0.state.im }
        low.withUnsafeBufferPointer { lowTable in
            let lows = lowTable.baseAddress!
            loop.run(count: 1 << (n - k), minimumPerThread: max(1, KernelDispatch.minimumAmplitudesPerThread >> k)) { range in
                var h = [Int](repeating: 0, count: m)
                for run in range where run & zeroHigh == 0 {
                    for t in 0..<m {
                        h[t] = 0
                        for (q, bit) in high[t] where run >> q & 1 == 1 { h[t] |= bit }
                    }
                    for block in 0..<(1 << (k - r)) {
                        let x = block << r
                        if x & zeroLow != 0 { continue }
                        var (cr, ci) = (T(1), T(0))
                        for t in 0..<m where t != t0 {
                            let j = h[t] | lows[t << k | x]
                            (cr, ci) = (cr * tr[t][j] - ci * ti[t][j], cr * ti[t][j] + ci * tr[t][j])
                        }
                        let from = h[t0] | lows[t0 << k | x]
                        scale(tr[t0] + from, ti[t0] + from, by: (cr, ci), into: re + (run << k | x), im + (run << k | x), count: 1 << r)
                    }
                }
            }
        }
    }

    /// out = c·a over `count` amplitudes.
    @inline(never)
    static func scale<T: SimulatorScalar>(
        _ ar: UnsafeMutablePointer<T>, _ ai: UnsafeMutablePointer<T>, by c: (T, T),
        into or: UnsafeMutablePointer<T>, _ oi: UnsafeMutablePointer<T>, count: Int
    ) {
        let (cr, ci) = c
        for u in 0..<count {
            let (x, y) = (ar[u], ai[u])
            or[u] = x * cr - y * ci
            oi[u] = x * ci + y * cr
        }
    }
}
