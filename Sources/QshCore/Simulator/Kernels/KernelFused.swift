// The general kernel: a dense k-qubit matrix on any targets, low (inside a vector,
// by lane permutations) or high, with high controls as a mask. Fused blocks of 3 to
// 5 qubits and every gate without a faster special case run here.

/// Applies a prepared dense gate to the groups in a range (see KernelConventions).
enum KernelFused {
    /// One pass over the state.
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im
        let nh = plan.offsets.count, nl = plan.xors.count
        plan.withPointers { fixed, offsets, xors, wr, wi in
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                withUnsafeTemporaryAllocation(of: T.Vector.self, capacity: 2 * nh * nl) { scratch in
                    let sr = scratch.baseAddress!, si = sr + nh * nl
                    run(
                        range, re: re, im: im, fixed: fixed, fixedCount: plan.fixed.count,
                        controlMask: plan.controlMask, offsets: offsets, nh: nh,
                        xors: xors, nl: nl, wr: wr, wi: wi, sr: sr, si: si)
                }
            }
        }
    }

    @_specialize(where T == Double)
    @_specialize(where T == Float)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int,
        offsets: UnsafePointer<Int>, nh: Int, xors: UnsafePointer<Int>, nl: Int,
        wr: UnsafePointer<T.Vector>, wi: UnsafePointer<T.Vector>,
        sr: UnsafeMutablePointer<T.Vector>, si: UnsafeMutablePointer<T.Vector>
    ) {
        let b = T.laneBits
        let nk = nh &* nl
        var bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: controlMask, laneBits: b)
        var g = range.lowerBound
        while g < range.upperBound {
            let base = bases.next(g, first: g == range.lowerBound)
            // Gather the group, with every lane permutation the low targets need.
            var c = 0
            while c < nh {
                let o = base &+ offsets[c]
                let vr = re.vector(at: o), vi = im.vector(at: o)
                if nl == 1 {
                    sr[c] = vr
                    si[c] = vi
                } else {
                    var x = 0
                    while x < nl {
                        sr[c &* nl &+ x] = T.permute(vr, xor: xors[x])
                        si[c &* nl &+ x] = T.permute(vi, xor: xors[x])
                        x &+= 1
                    }
                }
                c &+= 1
            }
            // Each output vector: a row of coefficient vectors times the gathered inputs.
            var r = 0
            var q = wr
            while r < nh {
                var x1 = T.Vector(), x2 = T.Vector(), y1 = T.Vector(), y2 = T.Vector()
                var j = 0
                while j < nk {
                    let xr = sr[j], xi = si[j]
                    x1 = x1.fusedAddingProduct(q[0], xr)
                    x2 = x2.fusedAddingProduct(q[1], xi)
                    y1 = y1.fusedAddingProduct(q[2], xi)
                    y2 = y2.fusedAddingProduct(q[3], xr)
                    j &+= 1
                    q += 4
                }
                let o = base &+ offsets[r]
                re.setVector(x1 + x2, at: o)
                im.setVector(y1 + y2, at: o)
                r &+= 1
            }
            g &+= 1
        }
    }
}
