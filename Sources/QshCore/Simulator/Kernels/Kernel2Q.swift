// The 2-qubit kernel for two targets above the lanes. Most fused blocks run here, so
// its inner loops are shaped for the core's limits rather than written the obvious way:
//
// * A complex matrix uses Gauss's three real products per complex one (the 3M method,
//   Kernel2QProducts.swift): 12 FMAs per amplitude instead of 16, plus three additions
//   that run on Zen 4's separate adder pipes. rqc_24 took 0.80 of the time of the
//   four-product loop (2.4–2.5 s against 3.0–3.3 s, 1 thread, interleaved runs).
// * Its 48 coefficients are the same in every lane, so each FMA reads its own from
//   memory as a broadcast scalar ({1to8}), which costs no extra instruction and no
//   vector load: with whole coefficient vectors from memory, the loop did 56 vector
//   loads for 48 FMAs, was bound by the load ports and ran slower than before.
// * Products run column by column into twelve accumulators, twelve independent FMA
//   chains, and each input is needed only while its column is summed.
// * A real matrix (`plan.real`) skips the imaginary parts: out.re = M·in.re and
//   out.im = M·in.im, 8 FMAs per amplitude. Its 16 real vectors are loaded once per
//   range into registers at 512 bits (32 zmm) and read per group at 256 bits
//   (RealCoefficients16 in KernelCoefficients.swift).

/// Two targets above the lanes: four vectors in, four out per group.
enum Kernel2Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im, real = plan.real
        plan.withPointers { fixed, offsets, _, w, _ in
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o = (offsets[1], offsets[2], offsets[3])
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                let bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: mask, runMask: runMask, laneBits: T.laneBits)
                if real {
                    runReal(range, re: re, im: im, bases: bases, o: o, w: RealCoefficients16<T.Vector>(w))
                } else {
                    runGauss(range, re: re, im: im, bases: bases, o: o, g: w)
                }
            }
        }
    }

    /// The complex loop: `g` is the plan's 3M coefficients (`KernelPlan.gauss`).
    @inline(__always)
    static func runGauss<T: SimulatorScalar>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>, bases: GroupBases,
        o: (Int, Int, Int), g: UnsafePointer<T.Vector>
    ) {
        let (o1, o2, o3) = o
        var bases = bases
        var group = range.lowerBound
        while group < range.upperBound {
            let base = bases.next(group, first: group == range.lowerBound)
            let i1 = base &+ o1, i2 = base &+ o2, i3 = base &+ o3
            var acc = Kernel2QProduct.GaussRows4<T.Vector>(g, re.vector(at: base), im.vector(at: base))
            acc.add(column: 1, g, re.vector(at: i1), im.vector(at: i1))
            acc.add(column: 2, g, re.vector(at: i2), im.vector(at: i2))
            acc.add(column: 3, g, re.vector(at: i3), im.vector(at: i3))
            re.setVector(acc.p0 - acc.q0, at: base)
            im.setVector(acc.p0 + acc.t0, at: base)
            re.setVector(acc.p1 - acc.q1, at: i1)
            im.setVector(acc.p1 + acc.t1, at: i1)
            re.setVector(acc.p2 - acc.q2, at: i2)
            im.setVector(acc.p2 + acc.t2, at: i2)
            re.setVector(acc.p3 - acc.q3, at: i3)
            im.setVector(acc.p3 + acc.t3, at: i3)
            group &+= 1
        }
    }

    /// The real loop: `w` reads the 16 real coefficient vectors, from registers or memory.
    @inline(__always)
    static func runReal<T: SimulatorScalar, W: CoefficientVectors>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>, bases: GroupBases,
        o: (Int, Int, Int), w: W
    ) where W.V == T.Vector {
        let (o1, o2, o3) = o
        var bases = bases
        var group = range.lowerBound
        while group < range.upperBound {
            let base = bases.next(group, first: group == range.lowerBound)
            let i1 = base &+ o1, i2 = base &+ o2, i3 = base &+ o3
            var acc = Kernel2QProduct.RealRows4<T.Vector>(w, re.vector(at: base), im.vector(at: base))
            acc.add(column: 1, w, re.vector(at: i1), im.vector(at: i1))
            acc.add(column: 2, w, re.vector(at: i2), im.vector(at: i2))
            acc.add(column: 3, w, re.vector(at: i3), im.vector(at: i3))
            re.setVector(acc.x0, at: base)
            im.setVector(acc.y0, at: base)
            re.setVector(acc.x1, at: i1)
            im.setVector(acc.y1, at: i1)
            re.setVector(acc.x2, at: i2)
            im.setVector(acc.y2, at: i2)
            re.setVector(acc.x3, at: i3)
            im.setVector(acc.y3, at: i3)
            group &+= 1
        }
    }
}
