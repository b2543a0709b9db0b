// The kernel for gates whose targets all lie inside the lanes: one or two low qubits
// and no high one (controls above the lanes select groups, as everywhere). Each vector
// maps to itself: with x running over the lane permutations of the targets (0 and the
// xor patterns, `KernelPlan.xors`), the output is Σ_x W_x ⊙ perm_x(v), W_x the plan's
// coefficient vectors. A complex matrix uses the 3M products (Kernel2QProducts.swift):
//     p = Σ c_x ⊙ perm_x(a + b),  q = Σ (c + d)_x ⊙ perm_x(b),  t = Σ (d - c)_x ⊙ perm_x(a),
// out = (p - q, p + t): 3 FMAs per term instead of 4, and 6 or 12 coefficient vectors
// held in registers. A real one needs 2 FMAs per term. The general kernel, which these
// gates took before, gathered the permuted copies through memory and took 2.2 times
// as long per amplitude as the 2-qubit kernels.

enum KernelLanes {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im, real = plan.real
        plan.withPointers { fixed, _, xors, w, _ in
            let fixedCount = plan.fixed.count, mask = plan.controlMask
            let two = plan.xors.count == 4
            let x1 = xors[1], x2 = two ? xors[2] : 0
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                let bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: mask, laneBits: T.laneBits)
                // One loop per permutation pattern, so that each permutation is one shuffle.
                switch (x1, x2) {
                case (1, 0): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (1, 0))
                case (2, 0): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (2, 0))
                case (4, 0): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (4, 0))
                case (8, 0): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (8, 0))
                case (1, 2): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (1, 2))
                case (1, 4): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (1, 4))
                case (1, 8): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (1, 8))
                case (2, 4): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (2, 4))
                case (2, 8): run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (2, 8))
                default: run(range, re: re, im: im, bases: bases, w: w, real: real, xors: (4, 8))
                }
            }
        }
    }

    /// The real or the complex loop, chosen once rather than per group.
    @inline(__always)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>, bases: GroupBases,
        w: UnsafePointer<T.Vector>, real: Bool, xors: (Int, Int)
    ) {
        if real {
            loop(range, re: re, im: im, bases: bases, w: w, real: true, xors: xors)
        } else {
            loop(range, re: re, im: im, bases: bases, w: w, real: false, xors: xors)
        }
    }

    /// `xors`: the low targets' xor patterns, (x, 0) for one target. `w`: the real
    /// coefficient vectors (one per permutation) for a real matrix, else the 3M ones.
    @inline(__always)
    static func loop<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>, bases: GroupBases,
        w: UnsafePointer<T.Vector>, real: Bool, xors: (Int, Int)
    ) {
        let (x1, x2) = xors
        let two = x2 != 0
        let n = two ? 4 : 2
        // Held in registers: the c, c + d and d - c vectors (n of each), or the n real ones.
        let c = Coefficients4<T.Vector>(w, count: n)
        let cd = Coefficients4<T.Vector>(w + n, count: real ? 0 : n)
        let dc = Coefficients4<T.Vector>(w + 2 &* n, count: real ? 0 : n)
        var bases = bases
        var group = range.lowerBound
        while group < range.upperBound {
            let base = bases.next(group, first: group == range.lowerBound)
            let a = re.vector(at: base), b = im.vector(at: base)
            let a1 = T.permute(a, xor: x1), b1 = T.permute(b, xor: x1)
            var x, y: T.Vector
            if real {
                x = (c[0] * a).fusedAddingProduct(c[1], a1)
                y = (c[0] * b).fusedAddingProduct(c[1], b1)
                if two {
                    let a2 = T.permute(a, xor: x2), b2 = T.permute(b, xor: x2)
                    let a3 = T.permute(a, xor: x1 ^ x2), b3 = T.permute(b, xor: x1 ^ x2)
                    x = x.fusedAddingProduct(c[2], a2).fusedAddingProduct(c[3], a3)
                    y = y.fusedAddingProduct(c[2], b2).fusedAddingProduct(c[3], b3)
                }
            } else {
                var p = (c[0] * (a + b)).fusedAddingProduct(c[1], a1 + b1)
                var q = (cd[0] * b).fusedAddingProduct(cd[1], b1)
                var t = (dc[0] * a).fusedAddingProduct(dc[1], a1)
                if two {
                    let a2 = T.permute(a, xor: x2), b2 = T.permute(b, xor: x2)
                    let a3 = T.permute(a, xor: x1 ^ x2), b3 = T.permute(b, xor: x1 ^ x2)
                    p = p.fusedAddingProduct(c[2], a2 + b2).fusedAddingProduct(c[3], a3 + b3)
                    q = q.fusedAddingProduct(cd[2], b2).fusedAddingProduct(cd[3], b3)
                    t = t.fusedAddingProduct(dc[2], a2).fusedAddingProduct(dc[3], a3)
                }
                (x, y) = (p - q, p + t)
            }
            re.setVector(x, at: base)
            im.setVector(y, at: base)
            group &+= 1
        }
    }
}
