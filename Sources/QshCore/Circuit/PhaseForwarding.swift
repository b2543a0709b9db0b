// Moving phases out of fused blocks, so that more of them are real matrices times a
// phase per column, which the kernels apply with fewer multiplications (Kernel2Q:
// 41 FMAs per group instead of 48).
//
// A block of u3 and cx gates, such as the fuser makes of a random circuit's layers,
// (U ⊗ V)·CX with U = Rz·Ry·Rz, is E·R·F: a diagonal E of one phase per target and
// output bit (the left Rz's), a real matrix R (the Ry's and the CX), and a diagonal F
// (the right Rz's, moved through the CX). E is a product of single-qubit phases, so it
// commutes with everything up to the next gate on each of its qubits: it can be taken
// out of the block and multiplied into those gates' columns instead. A phase waiting
// on a qubit passes through diagonal gates and through gates that use the qubit as a
// control (both commute with it), and the phases left at the end are dropped: they
// change no measured probability. The global phase of each block is dropped too.
//
// This is exact (up to rounding and the global phase) only for gates followed by
// nothing but measurements in the computational basis: a phase moved past a `reset`
// or an `if` would change what those see. qsh runs it on the sampled path and for
// `--probabilities`, where that holds by construction.
//
// A block that is not E·R·F gives its qubits the phases that make three entries of its
// first column real instead (`realFirstColumn`): 45 FMAs per group instead of 48.
//
// A block is factored only when each qubit's next gate is complex already: a real
// matrix that took a phase would cost more (41 FMAs) than the factored block saves.

/// A matrix that is real but for one phase per column: M[r][k] = R[r][k]·f_k, with
/// R real and f_0 = 1.
struct ColumnPhasedReal: Equatable {
    /// f_1 … f_(2^k - 1); f_0 is 1.
    var phases: [Complex]
    /// R, row-major.
    var real: [Double]

    /// The largest imaginary part left when a column's phase is taken out, for the
    /// matrix to count as column-phased real. The kernels drop it, so it bounds the
    /// error they add per entry; rounding in the pass leaves about 1e-16.
    static let tolerance = 1e-13

    /// `m` split into phases and a real matrix, or nil when it is not of that form.
    init?(_ m: GateMatrix) {
        let n = m.dimension
        var phases: [Complex] = []
        var real = [Double](repeating: 0, count: n * n)
        for k in 0..<n {
            // The phase of the column's largest entry.
            var f = m.largestEntry(inColumn: k).unit ?? .one
            if k == 0 {
                // f_0 must be ±1: the sign goes into R.
                guard abs(f.im) <= Self.tolerance else { return nil }
                f = .one
            } else {
                phases.append(f)
            }
            for r in 0..<n {
                let x = m[r, k] * f.conjugate
                guard abs(x.im) <= Self.tolerance else { return nil }
                real[r * n + k] = x.re
            }
        }
        self.phases = phases
        self.real = real
    }
}

enum PhaseForwarding {
    /// `ops` with each 2-qubit block's output phases moved forward, for gates that only
    /// computational-basis measurements follow (see above). A list with anything but
    /// unconditional gates is returned as it is.
    static func apply(_ ops: [FusedOperation], qubitCount n: Int) -> [FusedOperation] {
        apply(ops, qubitCount: n, perGate: {})
    }

    /// `apply(_:qubitCount:)`, asking `stop` every few thousand gates.
    /// - Throws: `Interrupted` when `stop` asked to stop.
    static func apply(_ ops: [FusedOperation], qubitCount n: Int, stop: Cancellation) throws(Interrupted)
        -> [FusedOperation]
    {
        var poll = CancellationPoll(stop)
        return try apply(ops, qubitCount: n, perGate: { () throws(Interrupted) in try poll.tick() })
    }

    /// The pass, calling `perGate` before each gate of each of its two walks (with a
    /// closure that cannot throw, `E` is `Never`).
    private static func apply<E: Error>(
        _ ops: [FusedOperation], qubitCount n: Int, perGate: () throws(E) -> Void
    ) throws(E) -> [FusedOperation] {
        // Only unconditional gates: a phase must not pass a reset or an `if`.
        guard ops.allSatisfy({ if case .gate(_, nil) = $0 { return true } else { return false } }) else { return ops }
        var gates: [FusedGate?] = ops.map { op in
            if case .gate(let g, nil) = op { return g } else { return nil }
        }
        // Whether a phase arriving on qubit q after gate i would land cheaply: in a complex
        // gate, or nowhere (the end). Diagonal gates and controls let it through.
        var landsInComplex = [[Bool]](repeating: [], count: gates.count)
        var next = [Bool](repeating: true, count: n)
        for i in gates.indices.reversed() {
            try perGate()
            landsInComplex[i] = next
            guard let g = gates[i], !g.matrix.isDiagonal else { continue }
            // A controlled gate cannot take a phase on its target: it would act only
            // where the controls are one.
            let complex = g.controls.isEmpty && g.matrix.entries.contains { $0.im != 0 }
            for q in g.targets where q < n { next[q] = complex }
        }
        // The phase waiting on each qubit, on its |1⟩.
        var pending = [Complex](repeating: .one, count: n)
        for i in gates.indices {
            try perGate()
            guard var g = gates[i], !g.matrix.isDiagonal else { continue }
            absorb(&g, pending: &pending)
            if g.controls.isEmpty, g.targets.count == 2, g.targets.allSatisfy({ landsInComplex[i][$0] }),
                let (factored, out) = takeOutputPhases(g.matrix) ?? realFirstColumn(g.matrix)
            {
                g.matrix = factored
                for (j, q) in g.targets.enumerated() { pending[q] = out[j] }
            }
            gates[i] = g
        }
        return zip(ops, gates).map { op, g in g.map { .gate($0, condition: nil) } ?? op }
    }

    /// Multiplies the phases waiting on `g`'s targets into its columns (they act first).
    static func absorb(_ g: inout FusedGate, pending: inout [Complex]) {
        guard g.targets.contains(where: { pending[$0] != .one }) else { return }
        let n = g.matrix.dimension
        for k in 0..<n {
            var f = Complex.one
            for (j, q) in g.targets.enumerated() where k >> j & 1 == 1 { f = f * pending[q] }
            if f == .one { continue }
            for r in 0..<n { g.matrix[r, k] = g.matrix[r, k] * f }
        }
        for q in g.targets { pending[q] = .one }
    }

    /// For a 2-qubit M = E·M' with E = diag(1, a) ⊗ diag(1, b) (a on target 0's |1⟩, b on
    /// target 1's) and M' column-phased real: M' (global phase dropped) and (a, b).
    static func takeOutputPhases(_ m: GateMatrix) -> (GateMatrix, [Complex])? {
        guard m.qubitCount == 2, ColumnPhasedReal(m) == nil else { return nil }
        // Row r of M' is row r of M times conj(E_r). Rows r and r ^ bit have phases that
        // differ by E's factor (mod π, the sign going into R) in every column, so it is
        // the square root of Σ (M[r ^ bit][k]·conj(M[r][k]))², a weighted mean mod 2π.
        func factor(_ bit: Int) -> Complex {
            var w = Complex.zero
            for r in 0..<4 where r & bit == 0 {
                for k in 0..<4 {
                    let z = m[r | bit, k] * m[r, k].conjugate
                    w = w + z * z
                }
            }
            return unitSquareRoot(w)
        }
        let a = factor(1), b = factor(2)
        // The global phase makes column 0's largest entry real.
        let rows = removingRowPhases(m, a: a, b: b, global: .one)
        guard let top = rows.largestEntry(inColumn: 0).unit else { return nil }
        let factored = removingRowPhases(m, a: a, b: b, global: top.conjugate)
        guard ColumnPhasedReal(factored) != nil else { return nil }
        return (factored, [a, b])
    }

    /// For a 2-qubit M that is not E·R·F: M = E·M' with E = diag(1, a) ⊗ diag(1, b) and
    /// M' (global phase dropped) real in rows 0, 1 and 2 of column 0, which Kernel2Q's
    /// 3M product then multiplies with 2 FMAs instead of 3 (45 per group instead of 48).
    /// The three phases are all a block has to give; nil when M[0][0] is 0 or M' has
    /// those entries real already.
    static func realFirstColumn(_ m: GateMatrix) -> (GateMatrix, [Complex])? {
        guard m.qubitCount == 2, !(0..<3).allSatisfy({ m[$0, 0].im == 0 }) else { return nil }
        // Entries this small have no phase worth the name.
        func phase(_ z: Complex) -> Complex? { z.norm > 1e-18 ? z.unit : nil }
        guard let top = phase(m[0, 0]) else { return nil }
        let g = top.conjugate
        let a = phase(m[1, 0] * g) ?? .one, b = phase(m[2, 0] * g) ?? .one
        var factored = removingRowPhases(m, a: a, b: b, global: g)
        // What rounding left of the three imaginary parts (about 1e-17), dropped.
        for r in 0..<3 {
            guard abs(factored[r, 0].im) <= ColumnPhasedReal.tolerance else { return nil }
            factored[r, 0].im = 0
        }
        return (factored, [a, b])
    }

    /// g·E⁻¹·M for E = diag(1, a) ⊗ diag(1, b) (a, b of modulus 1): row r times g and
    /// the conjugates of its factors.
    static func removingRowPhases(_ m: GateMatrix, a: Complex, b: Complex, global g: Complex) -> GateMatrix {
        var out = m
        for r in 0..<4 {
            var e = g
            if r & 1 == 1 { e = e * a.conjugate }
            if r & 2 == 2 { e = e * b.conjugate }
            for k in 0..<4 { out[r, k] = out[r, k] * e }
        }
        return out
    }

    /// A unit complex number whose square has the phase of `w` (1 for w = 0).
    static func unitSquareRoot(_ w: Complex) -> Complex {
        guard let u = w.unit else { return .one }
        let c = u.re
        let re = max(0, (1 + c) / 2).squareRoot(), im = max(0, (1 - c) / 2).squareRoot()
        return Complex(re, w.im < 0 ? -im : im)
    }
}

extension Complex {
    /// z / |z|, or nil for 0.
    var unit: Complex? {
        let size = norm.squareRoot()
        return size > 0 ? Complex(re / size, im / size) : nil
    }
}

extension GateMatrix {
    /// The entry of largest modulus in column k (the first of equals).
    func largestEntry(inColumn k: Int) -> Complex {
        var best = 0
        for r in 1..<dimension where self[r, k].norm > self[best, k].norm { best = r }
        return self[best, k]
    }
}
