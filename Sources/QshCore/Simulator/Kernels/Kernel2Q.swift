// The 2-qubit kernel for two targets above the lanes. Most fused blocks run here, so
// its inner loop is shaped for the core's limits rather than written the obvious way:
//
// * A complex matrix uses Gauss's three real products per complex one (the 3M method,
//   Kernel2QProducts.swift): 12 FMAs per amplitude instead of 16, plus three additions
//   that run on Zen 4's separate adder pipes. 200 complex blocks above the lanes on
//   24 qubits took 0.61 ns per amplitude and block against 0.82–0.85 with the
//   four-product loop (1 thread, interleaved runs).
// * Its 48 coefficients are the same in every lane, so each FMA reads its own from
//   memory as a broadcast scalar ({1to8}), which costs no extra instruction and no
//   vector load: with whole coefficient vectors from memory, the loop did 56 vector
//   loads for 48 FMAs, was bound by the load ports and ran slower than before.
// * Products run column by column into twelve accumulators, twelve independent FMA
//   chains, and each input is needed only while its column is summed.
// * A real matrix (`plan.real`) skips the imaginary parts: out.re = M·in.re and
//   out.im = M·in.im, 8 FMAs per amplitude. Its 16 real vectors are loaded once per
//   range into registers at 512 bits (32 zmm) and read per group at 256 bits
//   (CoefficientsHeld16 in KernelCoefficients.swift).
// * A column-phased real matrix (`plan.columnPhases`, from PhaseForwarding) multiplies
//   inputs 1 to 3 by their phases (3 FMAs each) and then runs the real product: 41
//   FMAs per group instead of the 3M method's 48.
// * A complex matrix whose column 0 is real in rows 0 to 2 (`plan.realColumn0`, as
//   PhaseForwarding leaves general blocks) takes 2 FMAs for each of those: 45 in all.

/// Two targets above the lanes: four vectors in, four out per group.
enum Kernel2Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im, real = plan.real, realColumn0 = plan.realColumn0
        plan.withPointers { fixed, offsets, _, w, _ in plan.withColumnPhases { phases in
            let fixedCount = plan.fixed.count, mask = plan.controlMask
            let o = (offsets[1], offsets[2], offsets[3])
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                let bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: mask, laneBits: T.laneBits)
                typealias Real = Kernel2QProduct.RealRows4<CoefficientsHeld16<T.Vector>>
                if let phases {
                    run(range, re: re, im: im, bases: bases, o: o, w: CoefficientsHeld16<T.Vector>(w), Real.self,
                        phases: BroadcastInputPhases(p: phases, count: 4))
                } else if real {
                    run(range, re: re, im: im, bases: bases, o: o, w: CoefficientsHeld16<T.Vector>(w), Real.self,
                        phases: NoInputPhases())
                } else if realColumn0 {
                    run(range, re: re, im: im, bases: bases, o: o, w: w, Kernel2QProduct.GaussRows4RealColumn0<T.Vector>.self,
                        phases: NoInputPhases())
                } else {
                    run(range, re: re, im: im, bases: bases, o: o, w: w, Kernel2QProduct.GaussRows4<T.Vector>.self,
                        phases: NoInputPhases())
                }
            }
        } }
    }

    /// The loop, for one row product and its coefficients.
    @inline(__always)
    static func run<T: SimulatorScalar, P: RowProduct, F: InputPhases>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>, bases: GroupBases,
        o: (Int, Int, Int), w: P.Coefficients, _: P.Type, phases: F
    ) where P.V == T.Vector, F.V == T.Vector {
        let (o1, o2, o3) = o
        var bases = bases
        var group = range.lowerBound
        while group < range.upperBound {
            let base = bases.next(group, first: group == range.lowerBound)
            let i1 = base &+ o1, i2 = base &+ o2, i3 = base &+ o3
            // Column 0's phase is 1.
            var acc = P(w, re.vector(at: base), im.vector(at: base))
            let (a1, b1) = phases.apply(1, re.vector(at: i1), im.vector(at: i1))
            acc.add(column: 1, w, a1, b1)
            let (a2, b2) = phases.apply(2, re.vector(at: i2), im.vector(at: i2))
            acc.add(column: 2, w, a2, b2)
            let (a3, b3) = phases.apply(3, re.vector(at: i3), im.vector(at: i3))
            acc.add(column: 3, w, a3, b3)
            let (x0, y0) = acc.row(0), (x1, y1) = acc.row(1), (x2, y2) = acc.row(2), (x3, y3) = acc.row(3)
            re.setVector(x0, at: base)
            im.setVector(y0, at: base)
            re.setVector(x1, at: i1)
            im.setVector(y1, at: i1)
            re.setVector(x2, at: i2)
            im.setVector(y2, at: i2)
            re.setVector(x3, at: i3)
            im.setVector(y3, at: i3)
            group &+= 1
        }
    }
}
