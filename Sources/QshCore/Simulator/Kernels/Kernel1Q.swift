// The 1-qubit kernel for a target above the lanes: two vectors in, two out. A complex
// matrix uses the 3M products (Kernel2QProducts.swift says how): 12 FMAs per group,
// each reading its coefficient as a broadcast scalar, since the coefficients are the
// same in every lane. A real matrix (`plan.real`) needs only its four real vectors,
// held in registers, and 8 FMAs per group.

enum Kernel1Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im, real = plan.real
        plan.withPointers { fixed, offsets, _, w, _ in
            let fixedCount = plan.fixed.count, mask = plan.controlMask
            let o1 = offsets[1]
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                let bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: mask, laneBits: T.laneBits)
                // A constant `real` in each call, so that neither loop tests it per group.
                if real {
                    run(range, re: re, im: im, bases: bases, o1: o1, w: w, real: true)
                } else {
                    run(range, re: re, im: im, bases: bases, o1: o1, w: w, real: false)
                }
            }
        }
    }

    /// `w`: the four real coefficient vectors (row r, column k at 2r + k) for a real
    /// matrix, else the twelve 3M vectors (`KernelPlan.gauss`).
    @inline(__always)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>, bases: GroupBases,
        o1: Int, w: UnsafePointer<T.Vector>, real: Bool
    ) {
        let c = Coefficients4<T.Vector>(w)
        var bases = bases
        var group = range.lowerBound
        while group < range.upperBound {
            let base = bases.next(group, first: group == range.lowerBound)
            let i1 = base &+ o1
            let a0r = re.vector(at: base), a0i = im.vector(at: base)
            let a1r = re.vector(at: i1), a1i = im.vector(at: i1)
            let x0, y0, x1, y1: T.Vector
            if real {
                x0 = (c[0] * a0r).fusedAddingProduct(c[1], a1r)
                y0 = (c[0] * a0i).fusedAddingProduct(c[1], a1i)
                x1 = (c[2] * a0r).fusedAddingProduct(c[3], a1r)
                y1 = (c[2] * a0i).fusedAddingProduct(c[3], a1i)
            } else {
                let s0 = a0r + a0i, s1 = a1r + a1i
                let p0 = (broadcast(w, 0) * s0).fusedAddingProduct(broadcast(w, 1), s1)
                let p1 = (broadcast(w, 2) * s0).fusedAddingProduct(broadcast(w, 3), s1)
                let q0 = (broadcast(w, 4) * a0i).fusedAddingProduct(broadcast(w, 5), a1i)
                let q1 = (broadcast(w, 6) * a0i).fusedAddingProduct(broadcast(w, 7), a1i)
                let t0 = (broadcast(w, 8) * a0r).fusedAddingProduct(broadcast(w, 9), a1r)
                let t1 = (broadcast(w, 10) * a0r).fusedAddingProduct(broadcast(w, 11), a1r)
                (x0, y0, x1, y1) = (p0 - q0, p0 + t0, p1 - q1, p1 + t1)
            }
            re.setVector(x0, at: base)
            im.setVector(y0, at: base)
            re.setVector(x1, at: i1)
            im.setVector(y1, at: i1)
            group &+= 1
        }
    }
}
