// The 2-qubit kernels. Most fused blocks run here, so their inner loops are shaped
// for the core's limits rather than written the obvious way:
//
// * Each complex coefficient is two vectors (re, im), loaded once and used by two
//   FMAs each. With four pre-signed vectors per coefficient, each read by one FMA,
//   the loop did 72 loads for 64 FMAs and was bound by the two load ports (measured
//   3.4 cycles per amplitude, Zen 4, AVX2); now it does 40.
// * Products run column by column into eight accumulators, so eight independent FMA
//   chains hide the FMA latency (4 cycles on two pipes), and each input vector is
//   needed only while its column is summed: 8 accumulators, 2 inputs and 2
//   coefficients fit the 16 AVX2 registers without spills.
// * A real matrix (`plan.real`) skips the imaginary coefficients: out.re = M·in.re and
//   out.im = M·in.im, half the FMAs, same eight chains. Its 16 (8 for Kernel2QLow)
//   real vectors are loaded once per range into registers at 512 bits (32 zmm) and
//   read per group at 256 bits (RealCoefficients16 in KernelCoefficients.swift).

/// Two targets above the lanes: four vectors in, four out per group.
enum Kernel2Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im, real = plan.real
        plan.withPointers { fixed, offsets, _, wr, wi in
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o = (offsets[1], offsets[2], offsets[3])
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                if real {
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o: o, wr: wr, wi: wi, RealCoefficients16<T.Vector>.self, complex: false)
                } else {
                    plan.gauss.withUnsafeBufferPointer { g in
                        runGauss(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                            runMask: runMask, o: o, g: g.baseAddress!)
                    }
                }
            }
        }
    }

    /// The complex loop, with Gauss's three real products per complex one (the 3M
    /// method): for a coefficient c + di and an amplitude a + bi,
    ///     re = c(a + b) - (c + d)b,   im = c(a + b) + (d - c)a,
    /// and summed over a row, Σ c(a + b) is shared by both parts. That is 12 FMAs per
    /// amplitude instead of 16, plus three additions, which run on Zen 4's separate
    /// adder pipes. The coefficients (`KernelPlan.gauss`: c, c + d, d - c, each 4×4 row
    /// by row) are the same in every lane, so each FMA reads its own from memory as a
    /// broadcast scalar, which costs no extra instruction.
    @inline(__always)
    static func runGauss<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o: (Int, Int, Int),
        g: UnsafePointer<T>
    ) {
        let (o1, o2, o3) = o
        var bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: controlMask, runMask: runMask, laneBits: T.laneBits)
        var group = range.lowerBound
        while group < range.upperBound {
            let base = bases.next(group, first: group == range.lowerBound)
            let i1 = base &+ o1, i2 = base &+ o2, i3 = base &+ o3
            var acc = Kernel2QProduct.Gauss<T.Vector>(g, re.vector(at: base), im.vector(at: base))
            acc.add(column: 1, g, re.vector(at: i1), im.vector(at: i1))
            acc.add(column: 2, g, re.vector(at: i2), im.vector(at: i2))
            acc.add(column: 3, g, re.vector(at: i3), im.vector(at: i3))
            let (x0, y0) = (acc.p0 - acc.q0, acc.p0 + acc.t0)
            let (x1, y1) = (acc.p1 - acc.q1, acc.p1 + acc.t1)
            let (x2, y2) = (acc.p2 - acc.q2, acc.p2 + acc.t2)
            let (x3, y3) = (acc.p3 - acc.q3, acc.p3 + acc.t3)
            re.setVector(x0, at: base)
            im.setVector(y0, at: base)
            re.setVector(x1, at: i1)
            im.setVector(y1, at: i1)
            re.setVector(x2, at: i2)
            im.setVector(y2, at: i2)
            re.setVector(x3, at: i3)
            im.setVector(y3, at: i3)
            group &+= 1
        }
    }

    /// `complex: false` skips the imaginary coefficients; `W` says where the real ones are read.
    @inline(__always)
    static func run<T: SimulatorScalar, W: CoefficientVectors>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o: (Int, Int, Int),
        wr: UnsafePointer<T.Vector>, wi: UnsafePointer<T.Vector>, _: W.Type, complex: Bool
    ) where W.V == T.Vector {
        let b = T.laneBits
        let w = W(wr)
        let (o1, o2, o3) = o
        var bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: controlMask, runMask: runMask, laneBits: b)
        var g = range.lowerBound
        while g < range.upperBound {
            let base = bases.next(g, first: g == range.lowerBound)
            let i1 = base &+ o1, i2 = base &+ o2, i3 = base &+ o3
            var acc = Kernel2QProduct.Accumulators<T.Vector>(
                w, wi, complex: complex, re.vector(at: base), im.vector(at: base))
            acc.add(column: 1, w, wi, complex: complex, re.vector(at: i1), im.vector(at: i1))
            acc.add(column: 2, w, wi, complex: complex, re.vector(at: i2), im.vector(at: i2))
            acc.add(column: 3, w, wi, complex: complex, re.vector(at: i3), im.vector(at: i3))
            re.setVector(acc.x0, at: base)
            im.setVector(acc.y0, at: base)
            re.setVector(acc.x1, at: i1)
            im.setVector(acc.y1, at: i1)
            re.setVector(acc.x2, at: i2)
            im.setVector(acc.y2, at: i2)
            re.setVector(acc.x3, at: i3)
            im.setVector(acc.y3, at: i3)
            g &+= 1
        }
    }
}

/// One target inside the lanes and one above: two vectors and their lane-permuted
/// copies in, two vectors out per group.
enum Kernel2QLow {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im, real = plan.real
        plan.withPointers { fixed, offsets, xors, wr, wi in
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o1 = offsets[1], x = xors[1]
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                switch x {
                case 1:
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, wr: wr, wi: wi, xor: 1, real: real)
                case 2:
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, wr: wr, wi: wi, xor: 2, real: real)
                case 4:
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, wr: wr, wi: wi, xor: 4, real: real)
                default:
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, wr: wr, wi: wi, xor: 8, real: real)
                }
            }
        }
    }

    /// The real or the complex loop for one constant `x`.
    @inline(__always)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o1: Int,
        wr: UnsafePointer<T.Vector>, wi: UnsafePointer<T.Vector>, xor x: Int, real: Bool
    ) {
        if real {
            run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: controlMask,
                runMask: runMask, o1: o1, wr: wr, wi: wi, RealCoefficients8<T.Vector>.self, complex: false, xor: x)
        } else {
            run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: controlMask,
                runMask: runMask, o1: o1, wr: wr, wi: wi, CoefficientsInMemory<T.Vector>.self, complex: true, xor: x)
        }
    }

    /// `complex: false` skips the imaginary coefficients; `W` says where the real ones are read.
    @inline(__always)
    static func run<T: SimulatorScalar, W: CoefficientVectors>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o1: Int,
        wr: UnsafePointer<T.Vector>, wi: UnsafePointer<T.Vector>, _: W.Type, complex: Bool, xor x: Int
    ) where W.V == T.Vector {
        let b = T.laneBits
        let w = W(wr)
        var bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: controlMask, runMask: runMask, laneBits: b)
        var g = range.lowerBound
        while g < range.upperBound {
            let base = bases.next(g, first: g == range.lowerBound)
            let i1 = base &+ o1
            let a0r = re.vector(at: base), a0i = im.vector(at: base)
            let a2r = re.vector(at: i1), a2i = im.vector(at: i1)
            // Columns 0 and 2 (the vectors as loaded) and 1 and 3 (lane-permuted) go to
            // separate accumulators, eight chains in all, summed at the end.
            var even = Kernel2QProduct.TwoRows<T.Vector>(w, wi, complex: complex, column: 0, a0r, a0i)
            var odd = Kernel2QProduct.TwoRows<T.Vector>(
                w, wi, complex: complex, column: 1, T.permute(a0r, xor: x), T.permute(a0i, xor: x))
            even.add(column: 2, w, wi, complex: complex, a2r, a2i)
            odd.add(column: 3, w, wi, complex: complex, T.permute(a2r, xor: x), T.permute(a2i, xor: x))
            re.setVector(even.x0 + odd.x0, at: base)
            im.setVector(even.y0 + odd.y0, at: base)
            re.setVector(even.x1 + odd.x1, at: i1)
            im.setVector(even.y1 + odd.y1, at: i1)
            g &+= 1
        }
    }
}

/// Rows of a 4x4 complex matrix times four amplitude vectors. `wr` and `wi` hold the
/// coefficient vectors row by row (entry (r, k) at 4r + k), as KernelDispatch lays out.
/// With `complex: false` (a constant once inlined) the imaginary parts are skipped.
enum Kernel2QProduct {
    /// The four output rows, as (x, y) = (re, im) accumulators.
    struct Accumulators<V: SIMD> where V.Scalar: FloatingPoint {
        var x0, y0, x1, y1, x2, y2, x3, y3: V

        /// Starts with column 0.
        @inline(__always)
        init<W: CoefficientVectors>(_ wr: W, _ wi: UnsafePointer<V>, complex: Bool, _ ar: V, _ ai: V)
        where W.V == V {
            var c = wr[0]
            x0 = c * ar
            y0 = c * ai
            c = wr[4]
            x1 = c * ar
            y1 = c * ai
            c = wr[8]
            x2 = c * ar
            y2 = c * ai
            c = wr[12]
            x3 = c * ar
            y3 = c * ai
            if complex { accumulate(CoefficientsInMemory(wi), column: 0, 0 - ai, ar) }
        }

        /// Adds column `k`: row r gains M[r][k] · a.
        @inline(__always)
        mutating func add<W: CoefficientVectors>(
            column k: Int, _ wr: W, _ wi: UnsafePointer<V>, complex: Bool, _ ar: V, _ ai: V
        ) where W.V == V {
            accumulate(wr, column: k, ar, ai)
            // The imaginary parts' share: x += im·(-ai), y += im·ar. The input is negated
            // once per column (Swift's SIMD negation is 0 - v, which the compiler cannot
            // fold into a negated FMA).
            if complex { accumulate(CoefficientsInMemory(wi), column: k, 0 - ai, ar) }
        }

        /// Row r: x_r += c_r · u and y_r += c_r · v, with c_r = w[k + 4r].
        @inline(__always)
        private mutating func accumulate<W: CoefficientVectors>(_ w: W, column k: Int, _ u: V, _ v: V)
        where W.V == V {
            var c = w[k]
            x0 = x0.addingProduct(c, u)
            y0 = y0.addingProduct(c, v)
            c = w[k + 4]
            x1 = x1.addingProduct(c, u)
            y1 = y1.addingProduct(c, v)
            c = w[k + 8]
            x2 = x2.addingProduct(c, u)
            y2 = y2.addingProduct(c, v)
            c = w[k + 12]
            x3 = x3.addingProduct(c, u)
            y3 = y3.addingProduct(c, v)
        }
    }

    /// The 3M product's twelve accumulators, row r: p_r = Σ c·(a + b), q_r = Σ (c + d)·b,
    /// t_r = Σ (d - c)·a over the columns; the row's output is (p_r - q_r, p_r + t_r).
    /// `g` holds c at 4r + k, c + d at 16 + 4r + k and d - c at 32 + 4r + k. Column by
    /// column, like `Accumulators`: an input is live only while its column is summed.
    struct Gauss<V: FusedMultiplyAdd> {
        var p0, p1, p2, p3, q0, q1, q2, q3, t0, t1, t2, t3: V

        /// Starts with column 0, amplitude a + bi.
        @inline(__always)
        init(_ g: UnsafePointer<V.Scalar>, _ a: V, _ b: V) {
            let s = a + b
            (p0, p1, p2, p3) = (V(repeating: g[0]) * s, V(repeating: g[4]) * s, V(repeating: g[8]) * s, V(repeating: g[12]) * s)
            (q0, q1, q2, q3) = (V(repeating: g[16]) * b, V(repeating: g[20]) * b, V(repeating: g[24]) * b, V(repeating: g[28]) * b)
            (t0, t1, t2, t3) = (V(repeating: g[32]) * a, V(repeating: g[36]) * a, V(repeating: g[40]) * a, V(repeating: g[44]) * a)
        }

        /// Adds column k, amplitude a + bi.
        @inline(__always)
        mutating func add(column k: Int, _ g: UnsafePointer<V.Scalar>, _ a: V, _ b: V) {
            let s = a + b
            p0 = p0.fusedAddingProduct(V(repeating: g[k]), s)
            p1 = p1.fusedAddingProduct(V(repeating: g[k &+ 4]), s)
            p2 = p2.fusedAddingProduct(V(repeating: g[k &+ 8]), s)
            p3 = p3.fusedAddingProduct(V(repeating: g[k &+ 12]), s)
            q0 = q0.fusedAddingProduct(V(repeating: g[k &+ 16]), b)
            q1 = q1.fusedAddingProduct(V(repeating: g[k &+ 20]), b)
            q2 = q2.fusedAddingProduct(V(repeating: g[k &+ 24]), b)
            q3 = q3.fusedAddingProduct(V(repeating: g[k &+ 28]), b)
            t0 = t0.fusedAddingProduct(V(repeating: g[k &+ 32]), a)
            t1 = t1.fusedAddingProduct(V(repeating: g[k &+ 36]), a)
            t2 = t2.fusedAddingProduct(V(repeating: g[k &+ 40]), a)
            t3 = t3.fusedAddingProduct(V(repeating: g[k &+ 44]), a)
        }
    }

    /// Output rows 0 and 1 only, as (x, y) accumulators.
    struct TwoRows<V: SIMD> where V.Scalar: FloatingPoint {
        var x0, y0, x1, y1: V

        /// Starts with column `k` (added to zero: an FMA costs what a multiply does).
        @inline(__always)
        init<W: CoefficientVectors>(_ wr: W, _ wi: UnsafePointer<V>, complex: Bool, column k: Int, _ ar: V, _ ai: V)
        where W.V == V {
            x0 = V()
            y0 = V()
            x1 = V()
            y1 = V()
            add(column: k, wr, wi, complex: complex, ar, ai)
        }

        /// Adds column `k`.
        @inline(__always)
        mutating func add<W: CoefficientVectors>(
            column k: Int, _ wr: W, _ wi: UnsafePointer<V>, complex: Bool, _ ar: V, _ ai: V
        ) where W.V == V {
            var c = wr[k]
            x0 = x0.addingProduct(c, ar)
            y0 = y0.addingProduct(c, ai)
            c = wr[k + 4]
            x1 = x1.addingProduct(c, ar)
            y1 = y1.addingProduct(c, ai)
            guard complex else { return }
            let nai = 0 - ai
            c = wi[k]
            x0 = x0.addingProduct(c, nai)
            y0 = y0.addingProduct(c, ar)
            c = wi[k + 4]
            x1 = x1.addingProduct(c, nai)
            y1 = y1.addingProduct(c, ar)
        }
    }
}
