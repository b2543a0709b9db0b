// The 1-qubit kernel for a target above the lanes: two vectors in, two out. The 2×2
// matrix is eight coefficient vectors (re, im), each used by two FMAs (Kernel2Q.swift
// says why), and the sums run as eight independent chains. A real matrix (`plan.real`)
// needs only its four real vectors, held in registers, and four FMAs per amplitude.

enum Kernel1Q {
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        let re = state.re, im = state.im, real = plan.real
        plan.withPointers { fixed, offsets, _, wr, wi in
            let fixedCount = plan.fixed.count, mask = plan.controlMask, runMask = plan.runMask
            let o1 = offsets[1]
            loop.run(count: plan.groups, minimumPerThread: plan.minimumGroups) { range in
                if real {
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, wr: wr, wi: wi, Coefficients4<T.Vector>.self, complex: false)
                } else {
                    run(range, re: re, im: im, fixed: fixed, fixedCount: fixedCount, controlMask: mask,
                        runMask: runMask, o1: o1, wr: wr, wi: wi, CoefficientsInMemory<T.Vector>.self, complex: true)
                }
            }
        }
    }

    /// `complex: false` skips the imaginary coefficients; `W` says where the real ones are read.
    @inline(__always)
    static func run<T: SimulatorScalar, W: CoefficientVectors>(
        _ range: Range<Int>, re: UnsafeMutablePointer<T>, im: UnsafeMutablePointer<T>,
        fixed: UnsafePointer<Int>, fixedCount: Int, controlMask: Int, runMask: Int, o1: Int,
        wr: UnsafePointer<T.Vector>, wi: UnsafePointer<T.Vector>, _: W.Type, complex: Bool
    ) where W.V == T.Vector {
        let b = T.laneBits
        let w = W(wr)
        var bases = GroupBases(fixed: fixed, count: fixedCount, controlMask: controlMask, runMask: runMask, laneBits: b)
        var g = range.lowerBound
        while g < range.upperBound {
            let base = bases.next(g, first: g == range.lowerBound)
            let i1 = base &+ o1
            let a0r = re.vector(at: base), a0i = im.vector(at: base)
            let a1r = re.vector(at: i1), a1i = im.vector(at: i1)
            // Row r, column k: wr[2r + k], wi[2r + k]; columns 0 and 1 sum separately.
            let c00 = w[0], c01 = w[1], c10 = w[2], c11 = w[3]
            let x0, y0, x1, y1: T.Vector
            if complex {
                let d00 = wi[0], d01 = wi[1], d10 = wi[2], d11 = wi[3]
                let n0i = 0 - a0i, n1i = 0 - a1i
                x0 = (c00 * a0r).addingProduct(d00, n0i) + (c01 * a1r).addingProduct(d01, n1i)
                y0 = (c00 * a0i).addingProduct(d00, a0r) + (c01 * a1i).addingProduct(d01, a1r)
                x1 = (c10 * a0r).addingProduct(d10, n0i) + (c11 * a1r).addingProduct(d11, n1i)
                y1 = (c10 * a0i).addingProduct(d10, a0r) + (c11 * a1i).addingProduct(d11, a1r)
            } else {
                x0 = (c00 * a0r).addingProduct(c01, a1r)
                y0 = (c00 * a0i).addingProduct(c01, a1i)
                x1 = (c10 * a0r).addingProduct(c11, a1r)
                y1 = (c10 * a0i).addingProduct(c11, a1i)
            }
            re.setVector(x0, at: base)
            im.setVector(y0, at: base)
            re.setVector(x1, at: i1)
            im.setVector(y1, at: i1)
            g &+= 1
        }
    }
}
