// The row products of the 2-qubit kernels: a 4x4 (or, for Kernel2QLow, a 2x4) matrix
// times a group's column vectors, accumulated column by column so that each input is
// live only while its column is summed and each row is an independent FMA chain.
//
// Complex matrices use Gauss's three real products per complex one (the 3M method).
// For a coefficient c + di and an amplitude a + bi,
//     re = c(a + b) - (c + d)b,   im = c(a + b) + (d - c)a,
// and summed over a row, p = Σ c(a + b), q = Σ (c + d)b and t = Σ (d - c)a give the
// row's output (p - q, p + t): three FMAs per entry instead of four. KernelDispatch
// stores the coefficients as `KernelPlan.gauss`: the n vectors of c (row r, column k
// at (columns)·r + k), then the n of c + d, then the n of d - c.
//
// Real matrices multiply the real and the imaginary parts separately.

/// A group's output rows, built column by column; a kernel's loop is generic over it,
/// so the real and the complex products share one loop.
protocol RowProduct {
    associatedtype V: FusedMultiplyAdd
    /// Where the product reads its coefficients.
    associatedtype Coefficients
    /// Starts with column 0, amplitude a + bi.
    init(_ w: Coefficients, _ a: V, _ b: V)
    /// Adds column k, amplitude a + bi.
    mutating func add(column k: Int, _ w: Coefficients, _ a: V, _ b: V)
    /// Output row r: (re, im).
    func row(_ r: Int) -> (V, V)
}

enum Kernel2QProduct {
    /// Four rows of the 3M product, coefficients the same in every lane: each is read
    /// as a broadcast scalar from the 48 vectors at `g` (16 per kind).
    struct GaussRows4<V: FusedMultiplyAdd>: RowProduct {
        var p0, p1, p2, p3, q0, q1, q2, q3, t0, t1, t2, t3: V

        @inline(__always)
        init(p0: V, p1: V, p2: V, p3: V, q0: V, q1: V, q2: V, q3: V, t0: V, t1: V, t2: V, t3: V) {
            (self.p0, self.p1, self.p2, self.p3) = (p0, p1, p2, p3)
            (self.q0, self.q1, self.q2, self.q3) = (q0, q1, q2, q3)
            (self.t0, self.t1, self.t2, self.t3) = (t0, t1, t2, t3)
        }

        @inline(__always)
        init(_ g: UnsafePointer<V>, _ a: V, _ b: V) {
            let s = a + b
            (p0, p1, p2, p3) = (broadcast(g, 0) * s, broadcast(g, 4) * s, broadcast(g, 8) * s, broadcast(g, 12) * s)
            (q0, q1, q2, q3) = (broadcast(g, 16) * b, broadcast(g, 20) * b, broadcast(g, 24) * b, broadcast(g, 28) * b)
            (t0, t1, t2, t3) = (broadcast(g, 32) * a, broadcast(g, 36) * a, broadcast(g, 40) * a, broadcast(g, 44) * a)
        }

        @inline(__always)
        mutating func add(column k: Int, _ g: UnsafePointer<V>, _ a: V, _ b: V) {
            let s = a + b
            p0 = p0.fusedAddingProduct(broadcast(g, k), s)
            p1 = p1.fusedAddingProduct(broadcast(g, k &+ 4), s)
            p2 = p2.fusedAddingProduct(broadcast(g, k &+ 8), s)
            p3 = p3.fusedAddingProduct(broadcast(g, k &+ 12), s)
            q0 = q0.fusedAddingProduct(broadcast(g, k &+ 16), b)
            q1 = q1.fusedAddingProduct(broadcast(g, k &+ 20), b)
            q2 = q2.fusedAddingProduct(broadcast(g, k &+ 24), b)
            q3 = q3.fusedAddingProduct(broadcast(g, k &+ 28), b)
            t0 = t0.fusedAddingProduct(broadcast(g, k &+ 32), a)
            t1 = t1.fusedAddingProduct(broadcast(g, k &+ 36), a)
            t2 = t2.fusedAddingProduct(broadcast(g, k &+ 40), a)
            t3 = t3.fusedAddingProduct(broadcast(g, k &+ 44), a)
        }

        @inline(__always)
        func row(_ r: Int) -> (V, V) {
            switch r {
            case 0: (p0 - q0, p0 + t0)
            case 1: (p1 - q1, p1 + t1)
            case 2: (p2 - q2, p2 + t2)
            default: (p3 - q3, p3 + t3)
            }
        }
    }

    /// GaussRows4 for a matrix whose column 0 is real in rows 0, 1 and 2 (c0 = 1 there,
    /// as PhaseForwarding leaves general blocks): those entries add c·a to re (through
    /// q, with d - c = -c) and c·b to im (through t, with c + d = c), 2 FMAs instead of
    /// 3, and their rows' p starts at column 1.
    struct GaussRows4RealColumn0<V: FusedMultiplyAdd>: RowProduct {
        var rows: GaussRows4<V>

        @inline(__always)
        init(_ g: UnsafePointer<V>, _ a: V, _ b: V) {
            let s = a + b
            rows = GaussRows4(
                p0: V(), p1: V(), p2: V(), p3: broadcast(g, 12) * s,
                q0: broadcast(g, 32) * a, q1: broadcast(g, 36) * a, q2: broadcast(g, 40) * a, q3: broadcast(g, 28) * b,
                t0: broadcast(g, 16) * b, t1: broadcast(g, 20) * b, t2: broadcast(g, 24) * b, t3: broadcast(g, 44) * a)
        }

        @inline(__always)
        mutating func add(column k: Int, _ g: UnsafePointer<V>, _ a: V, _ b: V) { rows.add(column: k, g, a, b) }

        @inline(__always)
        func row(_ r: Int) -> (V, V) { rows.row(r) }
    }

    /// Kernel2QLow's 3M coefficients: the 8 vectors of c read from memory, the 16 of
    /// c + d and d - c (`held`, from g + 8) held in registers where they fit.
    struct GaussLowCoefficients<H: CoefficientVectors> {
        let g: UnsafePointer<H.V>
        let held: H

        @inline(__always)
        init(_ g: UnsafePointer<H.V>) {
            self.g = g
            held = H(g + 8)
        }
    }

    /// Two rows of the 3M product, coefficients differing by lane (24 vectors, 8 per kind).
    struct GaussRows2<H: CoefficientVectors>: RowProduct where H.V: FusedMultiplyAdd {
        typealias V = H.V
        var p0, p1, q0, q1, t0, t1: V

        @inline(__always)
        init(_ w: GaussLowCoefficients<H>, _ a: V, _ b: V) {
            let s = a + b
            (p0, p1) = (w.g[0] * s, w.g[4] * s)
            (q0, q1) = (w.held[0] * b, w.held[4] * b)
            (t0, t1) = (w.held[8] * a, w.held[12] * a)
        }

        @inline(__always)
        mutating func add(column k: Int, _ w: GaussLowCoefficients<H>, _ a: V, _ b: V) {
            let s = a + b
            p0 = p0.fusedAddingProduct(w.g[k], s)
            p1 = p1.fusedAddingProduct(w.g[k &+ 4], s)
            q0 = q0.fusedAddingProduct(w.held[k], b)
            q1 = q1.fusedAddingProduct(w.held[k &+ 4], b)
            t0 = t0.fusedAddingProduct(w.held[k &+ 8], a)
            t1 = t1.fusedAddingProduct(w.held[k &+ 12], a)
        }

        @inline(__always)
        func row(_ r: Int) -> (V, V) { r == 0 ? (p0 - q0, p0 + t0) : (p1 - q1, p1 + t1) }
    }

    /// Four rows of a real matrix: x_r = Σ_k w[4r + k]·a_k and y_r = Σ_k w[4r + k]·b_k.
    struct RealRows4<W: CoefficientVectors>: RowProduct where W.V: FusedMultiplyAdd {
        typealias V = W.V
        var x0, y0, x1, y1, x2, y2, x3, y3: V

        @inline(__always)
        init(_ w: W, _ a: V, _ b: V) {
            (x0, y0) = (w[0] * a, w[0] * b)
            (x1, y1) = (w[4] * a, w[4] * b)
            (x2, y2) = (w[8] * a, w[8] * b)
            (x3, y3) = (w[12] * a, w[12] * b)
        }

        @inline(__always)
        mutating func add(column k: Int, _ w: W, _ a: V, _ b: V) {
            var c = w[k]
            x0 = x0.fusedAddingProduct(c, a)
            y0 = y0.fusedAddingProduct(c, b)
            c = w[k &+ 4]
            x1 = x1.fusedAddingProduct(c, a)
            y1 = y1.fusedAddingProduct(c, b)
            c = w[k &+ 8]
            x2 = x2.fusedAddingProduct(c, a)
            y2 = y2.fusedAddingProduct(c, b)
            c = w[k &+ 12]
            x3 = x3.fusedAddingProduct(c, a)
            y3 = y3.fusedAddingProduct(c, b)
        }

        @inline(__always)
        func row(_ r: Int) -> (V, V) {
            switch r {
            case 0: (x0, y0)
            case 1: (x1, y1)
            case 2: (x2, y2)
            default: (x3, y3)
            }
        }
    }

    /// Two rows of a real 2x4 matrix (Kernel2QLow). The even columns (the vectors as
    /// loaded) and the odd ones (lane-permuted) sum into separate accumulators, eight
    /// FMA chains in all, added at the end.
    struct RealRows2<W: CoefficientVectors>: RowProduct where W.V: FusedMultiplyAdd {
        typealias V = W.V
        var x0 = V(), y0 = V(), x1 = V(), y1 = V()
        var u0 = V(), v0 = V(), u1 = V(), v1 = V()

        @inline(__always)
        init(_ w: W, _ a: V, _ b: V) {
            add(column: 0, w, a, b)
        }

        @inline(__always)
        mutating func add(column k: Int, _ w: W, _ a: V, _ b: V) {
            let c0 = w[k], c1 = w[k &+ 4]
            if k & 1 == 0 {
                (x0, y0) = (x0.fusedAddingProduct(c0, a), y0.fusedAddingProduct(c0, b))
                (x1, y1) = (x1.fusedAddingProduct(c1, a), y1.fusedAddingProduct(c1, b))
            } else {
                (u0, v0) = (u0.fusedAddingProduct(c0, a), v0.fusedAddingProduct(c0, b))
                (u1, v1) = (u1.fusedAddingProduct(c1, a), v1.fusedAddingProduct(c1, b))
            }
        }

        @inline(__always)
        func row(_ r: Int) -> (V, V) { r == 0 ? (x0 + u0, y0 + v0) : (x1 + u1, y1 + v1) }
    }
}
