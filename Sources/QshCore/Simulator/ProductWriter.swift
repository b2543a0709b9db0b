// Writing a tensor product (ProductState.swift) run by run: its tables, ready to fill
// any run of 2^k amplitudes, from any thread. The full state is written inside the
// first sweep over it, one cache-sized chunk at a time just before its first gate
// runs there (Sweeps.apply), instead of in a pass of its own.
//
// Amplitude x of the product is the product of one entry per table, at the index made
// of x's bits on the table's qubits. That index is the OR of a part for x's low k bits,
// looked up, and a part for the high bits, fixed along each run of 2^k amplitudes.

/// The tables of a tensor product and the lookups that write any run of it.
struct ProductWriter<T: SimulatorScalar> {
    /// The state written (zero, but for amplitude 0).
    let state: StateVector<T>
    let tables: [ProductState.Part<T>]
    /// Amplitudes with one of these bits set stay zero (qubits no gate touched).
    let zeroMask: Int
    /// Run length 2^k.
    let k: Int
    /// Per table: the index part of each low pattern x (at t << k | x).
    private let low: [Int]
    /// Per table: (qubit above k, its bit in the table's index).
    private let high: [[(q: Int, bit: Int)]]
    /// The table whose lowest r qubits are the state's lowest r: along each block of
    /// 2^r amplitudes its entries are consecutive and the other tables' entries fixed,
    /// so a block is t0's entries times one complex factor.
    private let t0: Int, r: Int
    /// The tables' arrays.
    private let tr: [UnsafeMutablePointer<T>], ti: [UnsafeMutablePointer<T>]

    /// The largest run: its lookups take 2^13 entries per table.
    static var maximumRunQubits: Int { 13 }

    /// The product of `tables` in `state`, in runs of 2^k amplitudes, k at most
    /// `runQubits` (so that any whole runs of 2^runQubits are whole runs of 2^k).
    init(
        _ tables: [ProductState.Part<T>], zeroMask: Int, into state: StateVector<T>,
        runQubits: Int = maximumRunQubits
    ) {
        let n = state.qubitCount, k = max(0, min(n, runQubits, Self.maximumRunQubits))
        self.state = state
        self.tables = tables
        self.zeroMask = zeroMask
        self.k = k
        var low = [Int](repeating: 0, count: tables.count << k)
        var high: [[(q: Int, bit: Int)]] = []
        for (t, table) in tables.enumerated() {
            var bits = [Int](repeating: 0, count: k)
            var above: [(q: Int, bit: Int)] = []
            for (j, q) in table.qubits.enumerated() {
                if q < k { bits[q] = 1 << j } else { above.append((q, 1 << j)) }
            }
            if k > 0 {
                for x in 1..<(1 << k) { low[t << k | x] = low[t << k | (x & (x - 1))] | bits[x.trailingZeroBitCount] }
            }
            high.append(above)
        }
        self.low = low
        self.high = high
        let zeroLow = zeroMask & ((1 << k) - 1)
        let t0 = tables.firstIndex { $0.qubits.first == 0 } ?? 0
        var r = 0
        if !tables.isEmpty {
            while r < k && zeroLow & (1 << r) == 0 && r < tables[t0].qubits.count && tables[t0].qubits[r] == r { r += 1 }
        }
        self.t0 = t0
        self.r = r
        tr = tables.map { $0.state.re }
        ti = tables.map { $0.state.im }
    }

    /// Writes the whole product, on the loop's threads.
    func writeAll(loop: some LoopRunner) {
        Sweeps.visitAll(write, qubitCount: state.qubitCount, runQubits: k, loop: loop)
    }

    /// Writes amplitudes `start..<start + count`: whole runs of 2^k.
    func write(start: Int, count: Int) {
        let m = tables.count
        // With no table every qubit is |0⟩, as the state already is.
        if m == 0 { return }
        let zeroLow = zeroMask & ((1 << k) - 1)
        let re = state.re, im = state.im
        low.withUnsafeBufferPointer { lowTable in
            let lows = lowTable.baseAddress!
            withUnsafeTemporaryAllocation(of: Int.self, capacity: m) { h in
                for runStart in stride(from: start, to: start + count, by: 1 << k) where runStart & zeroMask == 0 {
                    for t in 0..<m {
                        h[t] = 0
                        for (q, bit) in high[t] where runStart >> q & 1 == 1 { h[t] |= bit }
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
                        Self.scale(
                            tr[t0] + from, ti[t0] + from, by: (cr, ci),
                            into: re + (runStart | x), im + (runStart | x), count: 1 << r)
                    }
                }
            }
        }
    }

    /// out = c·a over `count` amplitudes.
    @inline(never)
    static func scale(
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
