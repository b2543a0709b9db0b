// The diagonal kernel: z, s, t, rz, u1, cz, cu1, rzz and fused diagonal blocks
// multiply each amplitude by one phase; no amplitudes mix, so lanes never permute.

enum KernelDiagonal {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im
        let nh = plan.offsets.count
        plan.withPointers { fixed, offsets, _, wr, wi in
            let fixedCount = plan.fixed.count, mask = plan.controlMask
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                    offsets: offsets, nh: nh, wr: wr, wi: wi)
            }
        }
    }

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int,
        offsets: UnsafePointer<Int>, nh: Int, wr: UnsafePointer<T.Vector>, wi: UnsafePointer<T.Vector>
    ) {
        let b = T.laneBits
        var bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: controlMask, laneBits: b)
        var g = range.lowerBound
        while g < range.upperBound {
            let base = bases.next(g, first: g == range.lowerBound)
            var c = 0
            while c < nh {
                let o = base &+ offsets[c]
                let vr = re.vector(at: o), vi = im.vector(at: o)
                let dr = wr[c], di = wi[c]
                re.setVector((dr * vr).fusedAddingProduct(-di, vi), at: o)
                im.setVector((dr * vi).fusedAddingProduct(di, vr), at: o)
                c &+= 1
            }
            g &+= 1
        }
    }
}
