// The 2-qubit kernel for one target inside the lanes and one above: each group is two
// vectors, and the low target mixes lanes, so every column comes twice, as loaded and
// lane-permuted (`T.permute`). The coefficients therefore differ from lane to lane and
// are whole vectors (KernelDispatch lays them out).
//
// * A complex matrix uses the 3M products (Kernel2QProducts.swift): 24 FMAs per group
//   instead of 32. Of its 24 coefficient vectors, the 16 of c + d and d - c are held in
//   registers at 512 bits, and the 8 of c are read from memory by their FMAs.
// * A real matrix needs 8 real vectors, held in registers at 512 bits, and 16 FMAs.
// * A column-phased real matrix (`plan.columnPhases`, from PhaseForwarding) multiplies
//   both inputs by their lanes' phases (3 FMAs each), before the permutation, and then
//   runs the real product: 22 FMAs per group instead of 24.

/// One target inside the lanes and one above: two vectors and their lane-permuted
/// copies in, two vectors out per group.
enum Kernel2QLow {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im, real = plan.real
        plan.withPointers { fixed, offsets, xors, w, _ in plan.withColumnPhases { phases in
            let fixedCount = plan.fixed.count, mask = plan.controlMask
            let o1 = offsets[1], x = xors[1]
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                let bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: mask, laneBits: T.laneBits)
                // One loop per lane permutation, each a single shuffle.
                switch x {
                case 1: run(range, re: re, im: im, bases: bases, o1: o1, w: w, xor: 1, real: real, phases: phases)
                case 2: run(range, re: re, im: im, bases: bases, o1: o1, w: w, xor: 2, real: real, phases: phases)
                case 4: run(range, re: re, im: im, bases: bases, o1: o1, w: w, xor: 4, real: real, phases: phases)
                default: run(range, re: re, im: im, bases: bases, o1: o1, w: w, xor: 8, real: real, phases: phases)
                }
            }
        } }
    }

    /// The real, column-phased real or complex loop for one constant `x`.
    @inline(__always)
    static func run<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>, bases: GroupBases,
        o1: Int, w: UnsafePointer<T.Vector>, xor x: Int, real: Bool, phases: UnsafePointer<T.Vector>?
    ) {
        typealias Real = Kernel2QProduct.RealRows2<CoefficientsHeld8<T.Vector>>
        if let phases {
            run(range, re: re, im: im, bases: bases, o1: o1, w: CoefficientsHeld8<T.Vector>(w), Real.self, xor: x,
                phases: LaneInputPhases(p: phases, count: 2))
        } else if real {
            run(range, re: re, im: im, bases: bases, o1: o1, w: CoefficientsHeld8<T.Vector>(w), Real.self, xor: x,
                phases: NoInputPhases())
        } else {
            typealias Product = Kernel2QProduct.GaussRows2<CoefficientsHeld16<T.Vector>>
            run(range, re: re, im: im, bases: bases, o1: o1, w: .init(w), Product.self, xor: x, phases: NoInputPhases())
        }
    }

    /// The loop, for one row product and its coefficients: columns 0 and 2 are the
    /// vectors as loaded, 1 and 3 their lane-permuted copies.
    @inline(__always)
    static func run<T: SimulatorScalar, P: RowProduct, F: InputPhases>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>, bases: GroupBases,
        o1: Int, w: P.Coefficients, _: P.Type, xor x: Int, phases: F
    ) where P.V == T.Vector, F.V == T.Vector {
        var bases = bases
        var group = range.lowerBound
        while group < range.upperBound {
            let base = bases.next(group, first: group == range.lowerBound)
            let i1 = base &+ o1
            let (a0r, a0i) = phases.apply(0, re.vector(at: base), im.vector(at: base))
            let (a1r, a1i) = phases.apply(1, re.vector(at: i1), im.vector(at: i1))
            var acc = P(w, a0r, a0i)
            acc.add(column: 1, w, T.permute(a0r, xor: x), T.permute(a0i, xor: x))
            acc.add(column: 2, w, a1r, a1i)
            acc.add(column: 3, w, T.permute(a1r, xor: x), T.permute(a1i, xor: x))
            let (x0, y0) = acc.row(0), (x1, y1) = acc.row(1)
            re.setVector(x0, at: base)
            im.setVector(y0, at: base)
            re.setVector(x1, at: i1)
            im.setVector(y1, at: i1)
            group &+= 1
        }
    }
}
