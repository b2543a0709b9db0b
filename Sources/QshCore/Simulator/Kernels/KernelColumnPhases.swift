// The input phases of a column-phased real matrix (ColumnPhasedReal, in
// PhaseForwarding.swift): M = R·diag(f), so a kernel multiplies each input vector by
// its column's phase and then runs its real product, R on the real and the imaginary
// parts apart. One complex product per input vector, by the 3M method: for a phase
// c + di and an amplitude a + bi, p = c(a + b), re = p - (c + d)b, im = p + (d - c)a,
// three FMAs and one addition.
//
// `KernelPlan.columnPhases` holds, for the m input vectors of a group, the m vectors
// of c, then the m of c + d, then the m of d - c.

/// How a kernel's loop treats its input vectors before the row product.
protocol InputPhases {
    associatedtype V: FusedMultiplyAdd
    /// Input vector k (a + bi), phased.
    func apply(_ k: Int, _ a: V, _ b: V) -> (V, V)
}

/// Inputs as they are: the plain real or complex product.
struct NoInputPhases<V: FusedMultiplyAdd>: InputPhases {
    @inline(__always) func apply(_ k: Int, _ a: V, _ b: V) -> (V, V) { (a, b) }
}

/// Phases the same in every lane (no low target), read as broadcast scalars.
struct BroadcastInputPhases<V: FusedMultiplyAdd>: InputPhases {
    let p: UnsafePointer<V>
    /// m: the input vectors per group.
    let count: Int
    @inline(__always)
    func apply(_ k: Int, _ a: V, _ b: V) -> (V, V) {
        let product = broadcast(p, k) * (a + b)
        return (product.fusedSubtractingProduct(broadcast(p, count &+ k), b),
                product.fusedAddingProduct(broadcast(p, 2 &* count &+ k), a))
    }
}

/// Phases that differ by lane (a low target), read as whole vectors.
struct LaneInputPhases<V: FusedMultiplyAdd>: InputPhases {
    let p: UnsafePointer<V>
    let count: Int
    @inline(__always)
    func apply(_ k: Int, _ a: V, _ b: V) -> (V, V) {
        let product = p[k] * (a + b)
        return (product.fusedSubtractingProduct(p[count &+ k], b), product.fusedAddingProduct(p[2 &* count &+ k], a))
    }
}
