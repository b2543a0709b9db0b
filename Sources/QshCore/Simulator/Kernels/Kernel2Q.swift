// The 2-qubit kernel for two targets above the lanes: four vectors in registers, the
// 4×4 matrix read as coefficient quads folded into the FMAs. Most fused blocks run here.

enum Kernel2Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im
        plan.withPointers { fixed, offsets, _, quads, _ in
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o = (offsets[1], offsets[2], offsets[3])
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                    runMask: runMask, o: o, w: quads)
            }
        }
    }

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o: (Int, Int, Int),
        w: UnsafePointer<T.Vector>
    ) {
        let b = T.laneBits, lanes = 1 &<< b
        let (o1, o2, o3) = o
        var base = 0
        var g = range.lowerBound
        while g < range.upperBound {
            if g == range.lowerBound || g & runMask == 0 {
                base = KernelIndex.insertZeros(g &<< b, fixed, fixedCount) | controlMask
            } else {
                base &+= lanes
            }
            let i1 = base &+ o1, i2 = base &+ o2, i3 = base &+ o3
            let a0r = re.vector(at: base), a0i = im.vector(at: base)
            let a1r = re.vector(at: i1), a1i = im.vector(at: i1)
            let a2r = re.vector(at: i2), a2i = im.vector(at: i2)
            let a3r = re.vector(at: i3), a3i = im.vector(at: i3)
            @inline(__always)
            func row(_ q: UnsafePointer<T.Vector>) -> (T.Vector, T.Vector) {
                Kernel2QRow.product(q, a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i)
            }
            let (r0, j0) = row(w)
            re.setVector(r0, at: base)
            im.setVector(j0, at: base)
            let (r1, j1) = row(w + 16)
            re.setVector(r1, at: i1)
            im.setVector(j1, at: i1)
            let (r2, j2) = row(w + 32)
            re.setVector(r2, at: i2)
            im.setVector(j2, at: i2)
            let (r3, j3) = row(w + 48)
            re.setVector(r3, at: i3)
            im.setVector(j3, at: i3)
            g &+= 1
        }
    }
}

/// The 2-qubit kernel for one target inside the lanes and one above: two vectors and
/// their lane-permuted copies in registers, two output vectors per group.
enum Kernel2QLow {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im
        plan.withPointers { fixed, offsets, xors, quads, _ in
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o1 = offsets[1], x = xors[1]
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                switch x {
                case 1:
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, w: quads, xor: 1)
                case 2:
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, w: quads, xor: 2)
                default:
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, w: quads, xor: 4)
                }
            }
        }
    }

    @inline(__always)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o1: Int,
        w: UnsafePointer<T.Vector>, xor x: Int
    ) {
        let b = T.laneBits, lanes = 1 &<< b
        var base = 0
        var g = range.lowerBound
        while g < range.upperBound {
            if g == range.lowerBound || g & runMask == 0 {
                base = KernelIndex.insertZeros(g &<< b, fixed, fixedCount) | controlMask
            } else {
                base &+= lanes
            }
            let i1 = base &+ o1
            let a0r = re.vector(at: base), a0i = im.vector(at: base)
            let a2r = re.vector(at: i1), a2i = im.vector(at: i1)
            let a1r = T.permute(a0r, xor: x), a1i = T.permute(a0i, xor: x)
            let a3r = T.permute(a2r, xor: x), a3i = T.permute(a2i, xor: x)
            @inline(__always)
            func row(_ q: UnsafePointer<T.Vector>) -> (T.Vector, T.Vector) {
                Kernel2QRow.product(q, a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i)
            }
            let (r0, j0) = row(w)
            let (r1, j1) = row(w + 16)
            re.setVector(r0, at: base)
            im.setVector(j0, at: base)
            re.setVector(r1, at: i1)
            im.setVector(j1, at: i1)
            g &+= 1
        }
    }
}

/// One output row of a 4x4 complex matrix times four amplitude vectors, shared by the
/// 2-qubit kernels. `q` points at 16 coefficient vectors in the order the plans lay out
/// (KernelConventions.swift): for column k, q[4k]..q[4k+3] multiply (re, im) pairs.
enum Kernel2QRow {
    @inline(__always)
    static func product<V: SIMD>(
        _ q: UnsafePointer<V>, _ a0r: V, _ a0i: V, _ a1r: V, _ a1i: V, _ a2r: V, _ a2i: V, _ a3r: V, _ a3i: V
    ) -> (V, V) where V.Scalar: FloatingPoint {
        var x = q[0] * a0r, y = q[2] * a0i
        x = x.addingProduct(q[1], a0i)
        y = y.addingProduct(q[3], a0r)
        x = x.addingProduct(q[4], a1r)
        y = y.addingProduct(q[6], a1i)
        x = x.addingProduct(q[5], a1i)
        y = y.addingProduct(q[7], a1r)
        x = x.addingProduct(q[8], a2r)
        y = y.addingProduct(q[10], a2i)
        x = x.addingProduct(q[9], a2i)
        y = y.addingProduct(q[11], a2r)
        x = x.addingProduct(q[12], a3r)
        y = y.addingProduct(q[14], a3i)
        x = x.addingProduct(q[13], a3i)
        y = y.addingProduct(q[15], a3r)
        return (x, y)
    }
}
