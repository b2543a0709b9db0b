// The 2-qubit kernel for two targets above the lanes: four vectors in registers, the
// 4×4 matrix as broadcast coefficient vectors read from L1. Most fused blocks run here.

enum Kernel2Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im
        plan.withPointers { fixed, offsets, _, wr, wi in
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o = (offsets[1], offsets[2], offsets[3])
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                    runMask: runMask, o: o, wr: wr, wi: wi)
            }
        }
    }

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o: (Int, Int, Int),
        wr: UnsafePointer<T.Vector>, wi: UnsafePointer<T.Vector>
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
            let i1 = base &+ o.0, i2 = base &+ o.1, i3 = base &+ o.2
            let a0r = re.vector(at: base), a0i = im.vector(at: base)
            let a1r = re.vector(at: i1), a1i = im.vector(at: i1)
            let a2r = re.vector(at: i2), a2i = im.vector(at: i2)
            let a3r = re.vector(at: i3), a3i = im.vector(at: i3)
            @inline(__always)
            func row(_ r: Int) -> (T.Vector, T.Vector) {
                let w = r &* 4
                let c0r = wr[w], c0i = wi[w], c1r = wr[w &+ 1], c1i = wi[w &+ 1]
                let c2r = wr[w &+ 2], c2i = wi[w &+ 2], c3r = wr[w &+ 3], c3i = wi[w &+ 3]
                let x1 = (c0r * a0r).addingProduct(c1r, a1r).addingProduct(c2r, a2r).addingProduct(c3r, a3r)
                let x2 = (c0i * a0i).addingProduct(c1i, a1i).addingProduct(c2i, a2i).addingProduct(c3i, a3i)
                let y1 = (c0r * a0i).addingProduct(c1r, a1i).addingProduct(c2r, a2i).addingProduct(c3r, a3i)
                let y2 = (c0i * a0r).addingProduct(c1i, a1r).addingProduct(c2i, a2r).addingProduct(c3i, a3r)
                return (x1 - x2, y1 + y2)
            }
            let (r0, j0) = row(0)
            let (r1, j1) = row(1)
            let (r2, j2) = row(2)
            let (r3, j3) = row(3)
            re.setVector(r0, at: base)
            im.setVector(j0, at: base)
            re.setVector(r1, at: i1)
            im.setVector(j1, at: i1)
            re.setVector(r2, at: i2)
            im.setVector(j2, at: i2)
            re.setVector(r3, at: i3)
            im.setVector(j3, at: i3)
            g &+= 1
        }
    }
}
