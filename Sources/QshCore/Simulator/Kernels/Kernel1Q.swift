// The 1-qubit kernel for a target above the lanes: two vectors in, two out, the 2×2
// matrix held in registers as broadcast coefficient vectors.

enum Kernel1Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im
        plan.withPointers { fixed, offsets, _, wr, wi in
            let m = (wr[0], wi[0], wr[1], wi[1], wr[2], wi[2], wr[3], wi[3])
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o1 = offsets[1]
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                    runMask: runMask, o1: o1, m: m)
            }
        }
    }

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o1: Int,
        m: (T.Vector, T.Vector, T.Vector, T.Vector, T.Vector, T.Vector, T.Vector, T.Vector)
    ) {
        let b = T.laneBits, lanes = 1 &<< b
        let (m00r, m00i, m01r, m01i, m10r, m10i, m11r, m11i) = m
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
            let a1r = re.vector(at: i1), a1i = im.vector(at: i1)
            let r0 = (m00r * a0r).addingProduct(m01r, a1r) - (m00i * a0i).addingProduct(m01i, a1i)
            let j0 = (m00r * a0i).addingProduct(m01r, a1i) + (m00i * a0r).addingProduct(m01i, a1r)
            let r1 = (m10r * a0r).addingProduct(m11r, a1r) - (m10i * a0i).addingProduct(m11i, a1i)
            let j1 = (m10r * a0i).addingProduct(m11r, a1i) + (m10i * a0r).addingProduct(m11i, a1r)
            re.setVector(r0, at: base)
            im.setVector(j0, at: base)
            re.setVector(r1, at: i1)
            im.setVector(j1, at: i1)
            g &+= 1
        }
    }
}
