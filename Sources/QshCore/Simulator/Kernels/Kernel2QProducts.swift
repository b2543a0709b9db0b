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

enum Kernel2QProduct {
    /// Four rows of the 3M product, coefficients the same in every lane: each is read
    /// as a broadcast scalar from `g` (48 vectors, 16 per kind).
    struct GaussRows4<V: FusedMultiplyAdd> {
        var p0, p1, p2, p3, q0, q1, q2, q3, t0, t1, t2, t3: V

        /// Starts with column 0, amplitude a + bi.
        @inline(__always)
        init(_ g: UnsafePointer<V>, _ a: V, _ b: V) {
            let s = a + b
            (p0, p1, p2, p3) = (broadcast(g, 0) * s, broadcast(g, 4) * s, broadcast(g, 8) * s, broadcast(g, 12) * s)
            (q0, q1, q2, q3) = (broadcast(g, 16) * b, broadcast(g, 20) * b, broadcast(g, 24) * b, broadcast(g, 28) * b)
            (t0, t1, t2, t3) = (broadcast(g, 32) * a, broadcast(g, 36) * a, broadcast(g, 40) * a, broadcast(g, 44) * a)
        }

        /// Adds column k, amplitude a + bi.
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
    }

    /// Two rows of the 3M product, coefficients differing by lane (24 vectors, 8 per
    /// kind): those of c read from `g`, those of c + d and d - c from `held`, which
    /// starts at g + 8.
    struct GaussRows2<V: FusedMultiplyAdd> {
        var p0, p1, q0, q1, t0, t1: V

        /// Starts with column 0, amplitude a + bi.
        @inline(__always)
        init<H: CoefficientVectors>(_ g: UnsafePointer<V>, _ held: H, _ a: V, _ b: V) where H.V == V {
            let s = a + b
            (p0, p1) = (g[0] * s, g[4] * s)
            (q0, q1) = (held[0] * b, held[4] * b)
            (t0, t1) = (held[8] * a, held[12] * a)
        }

        /// Adds column k, amplitude a + bi.
        @inline(__always)
        mutating func add<H: CoefficientVectors>(column k: Int, _ g: UnsafePointer<V>, _ held: H, _ a: V, _ b: V)
        where H.V == V {
            let s = a + b
            p0 = p0.fusedAddingProduct(g[k], s)
            p1 = p1.fusedAddingProduct(g[k &+ 4], s)
            q0 = q0.fusedAddingProduct(held[k], b)
            q1 = q1.fusedAddingProduct(held[k &+ 4], b)
            t0 = t0.fusedAddingProduct(held[k &+ 8], a)
            t1 = t1.fusedAddingProduct(held[k &+ 12], a)
        }
    }

    /// Four rows of a real matrix: x_r = Σ_k w[4r + k]·re_k and y_r = Σ_k w[4r + k]·im_k.
    struct RealRows4<V: FusedMultiplyAdd> {
        var x0, y0, x1, y1, x2, y2, x3, y3: V

        /// Starts with column 0.
        @inline(__always)
        init<W: CoefficientVectors>(_ w: W, _ ar: V, _ ai: V) where W.V == V {
            (x0, y0) = (w[0] * ar, w[0] * ai)
            (x1, y1) = (w[4] * ar, w[4] * ai)
            (x2, y2) = (w[8] * ar, w[8] * ai)
            (x3, y3) = (w[12] * ar, w[12] * ai)
        }

        /// Adds column k.
        @inline(__always)
        mutating func add<W: CoefficientVectors>(column k: Int, _ w: W, _ ar: V, _ ai: V) where W.V == V {
            var c = w[k]
            x0 = x0.fusedAddingProduct(c, ar)
            y0 = y0.fusedAddingProduct(c, ai)
            c = w[k &+ 4]
            x1 = x1.fusedAddingProduct(c, ar)
            y1 = y1.fusedAddingProduct(c, ai)
            c = w[k &+ 8]
            x2 = x2.fusedAddingProduct(c, ar)
            y2 = y2.fusedAddingProduct(c, ai)
            c = w[k &+ 12]
            x3 = x3.fusedAddingProduct(c, ar)
            y3 = y3.fusedAddingProduct(c, ai)
        }
    }

    /// Two rows of a real 2x4 matrix (Kernel2QLow), started from column k.
    struct RealRows2<V: FusedMultiplyAdd> {
        var x0 = V(), y0 = V(), x1 = V(), y1 = V()

        /// Starts with column `k` (added to zero: an FMA costs what a multiply does).
        @inline(__always)
        init<W: CoefficientVectors>(_ w: W, column k: Int, _ ar: V, _ ai: V) where W.V == V {
            add(column: k, w, ar, ai)
        }

        /// Adds column k.
        @inline(__always)
        mutating func add<W: CoefficientVectors>(column k: Int, _ w: W, _ ar: V, _ ai: V) where W.V == V {
            var c = w[k]
            x0 = x0.fusedAddingProduct(c, ar)
            y0 = y0.fusedAddingProduct(c, ai)
            c = w[k &+ 4]
            x1 = x1.fusedAddingProduct(c, ar)
            y1 = y1.fusedAddingProduct(c, ai)
        }
    }
}
