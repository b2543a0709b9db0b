// The 1-qubit kernel for a target above the lanes: two vectors in, two out, the 2×2
// matrix as coefficient quads folded into the FMAs.

enum Kernel1Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im
        plan.withPointers { fixed, offsets, _, quads, _ in
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o1 = offsets[1]
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                    runMask: runMask, o1: o1, w: quads)
            }
        }
    }

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o1: Int,
        w: UnsafePointer<T.Vector>
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
            let a1r = re.vector(at: i1), a1i = im.vector(at: i1)
            let x0 = (w[0] * a0r).addingProduct(w[1], a0i).addingProduct(w[4], a1r).addingProduct(w[5], a1i)
            let y0 = (w[2] * a0i).addingProduct(w[3], a0r).addingProduct(w[6], a1i).addingProduct(w[7], a1r)
            let x1 = (w[8] * a0r).addingProduct(w[9], a0i).addingProduct(w[12], a1r).addingProduct(w[13], a1i)
            let y1 = (w[10] * a0i).addingProduct(w[11], a0r).addingProduct(w[14], a1i).addingProduct(w[15], a1r)
            re.setVector(x0, at: base)
            im.setVector(y0, at: base)
            re.setVector(x1, at: i1)
            im.setVector(y1, at: i1)
            g &+= 1
        }
    }
}
