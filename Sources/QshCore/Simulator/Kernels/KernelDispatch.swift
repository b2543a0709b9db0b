// The one switch: turns a fused gate into a kernel plan for one precision (folding
// low controls into the matrix, sorting targets, building coefficient vectors) and
// sends each plan to its kernel.

/// A gate prepared for the kernels of precision T, built once per run.
struct KernelPlan<T: SimulatorScalar> {
    enum Kind {
        /// The state is smaller than one vector: the reference kernel.
        case scalar
        /// One high target, no low ones.
        case oneHigh
        /// Two high targets, no low ones.
        case twoHigh
        /// One low target and one high one.
        case oneLowOneHigh
        /// One or two low targets and no high one.
        case lanes
        /// Any other dense gate.
        case dense
        /// A diagonal matrix: one complex factor per amplitude.
        case diagonal
    }

    var kind: Kind
    /// For `.oneHigh`, `.twoHigh`, `.oneLowOneHigh` and `.lanes`: every imaginary coefficient is
    /// zero, so the kernel runs its real variant (re and im parts transform separately).
    var real = false
    /// Targets in ascending order (low controls folded in) and the matrix in that order.
    var targets: [Int]
    var matrix: GateMatrix
    /// The controls left on high qubits.
    var controls: [Int]
    /// Sorted high targets and high controls: where group numbers get zero bits.
    var fixed: [Int] = []
    var controlMask = 0
    var groups = 0
    var minimumGroups = 1
    /// Offset of each of the group's 2^kh vectors.
    var offsets: [Int] = [0]
    /// The lane permutations (xor patterns) of the low targets.
    var xors: [Int] = [0]
    /// Coefficient vectors: dense, 2^kh rows × 2^k columns; diagonal, 2^kh factors.
    var wr: [T.Vector] = []
    var wi: [T.Vector] = []
    /// Dense coefficients as quads (re, -im, re, im) per matrix entry, row by row, for
    /// the general kernel: each is read by exactly one FMA, so the compiler folds the
    /// loads into the FMAs. The other kernels read `wr` (real) or `gauss`.
    var quads: [T.Vector] = []
    /// For a complex `.oneHigh`, `.twoHigh`, `.oneLowOneHigh` or `.lanes` plan, the coefficients
    /// of the 3M product (Kernel2QProducts.swift): the vectors of wr (c), then of c + d,
    /// then of d - c, each computed in double precision from the matrix.
    var gauss: [T.Vector] = []
    /// For a `.twoHigh` or `.oneLowOneHigh` plan of a column-phased real matrix M =
    /// R·diag(f) (ColumnPhasedReal): the 3M vectors of the phases f, one per input
    /// vector (KernelColumnPhases.swift); `wr` then holds R and `real` is true.
    var columnPhases: [T.Vector] = []
    /// For a complex `.twoHigh` plan in 3M form: column 0 is real in rows 0, 1 and 2,
    /// which Kernel2Q multiplies with 2 FMAs each instead of 3.
    var realColumn0 = false

    /// This plan limited to the amplitudes whose `qubits` (high, not the gate's) have
    /// the values set in `controlMask`: they join the fixed positions, so the groups
    /// cover one chunk of a cache-blocked sweep, in place.
    func restricted(fixing qubits: [Int]) -> KernelPlan {
        guard kind != .scalar, !qubits.isEmpty else { return self }
        var plan = self
        plan.fixed = (fixed + qubits).sorted()
        plan.groups = groups >> qubits.count
        return plan
    }

    /// Pointers to the plan's arrays: fixed positions, offsets, xors, then the
    /// coefficients its kernel reads (the quads for `.dense`, the 3M coefficients for
    /// a complex 1- or 2-qubit plan, else the real parts) and the imaginary parts.
    func withPointers<R>(
        _ body: (
            UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<T.Vector>,
            UnsafePointer<T.Vector>
        ) -> R
    ) -> R {
        // Empty arrays still need a valid pointer; the kernels never read past the counts.
        let f = fixed.isEmpty ? [0] : fixed
        let r = wr.isEmpty ? [T.Vector()] : (kind == .dense ? quads : (gauss.isEmpty ? wr : gauss))
        let i = wi.isEmpty ? [T.Vector()] : wi
        return f.withUnsafeBufferPointer { f in
            offsets.withUnsafeBufferPointer { o in
                xors.withUnsafeBufferPointer { x in
                    r.withUnsafeBufferPointer { r in
                        i.withUnsafeBufferPointer { i in
                            body(f.baseAddress!, o.baseAddress!, x.baseAddress!, r.baseAddress!, i.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    /// A pointer to `columnPhases`, nil when the plan has none.
    func withColumnPhases<R>(_ body: (UnsafePointer<T.Vector>?) -> R) -> R {
        if columnPhases.isEmpty { return body(nil) }
        return columnPhases.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// Prepares and applies gates: the only place that chooses a kernel.
enum KernelDispatch {
    /// Work below this many amplitudes per thread is not split across threads.
    static let minimumAmplitudesPerThread = 1 << 14

    /// The plan of `gate` on a state of `qubitCount` qubits.
    /// `parallelThreshold`: the fewest amplitudes worth a thread (tests pass 1 to force splitting).
    static func prepare<T: SimulatorScalar>(
        _ gate: FusedGate, qubitCount n: Int, as _: T.Type = T.self,
        parallelThreshold: Int = minimumAmplitudesPerThread
    ) -> KernelPlan<T> {
        let b = T.laneBits
        var targets = gate.targets
        var matrix = gate.matrix
        var controls: [Int] = []
        // Low controls become targets of a controlled matrix (target bits first, control above).
        for c in gate.controls {
            if c < b && n >= b {
                matrix = matrix.controlled(by: 1)
                targets.append(c)
            } else {
                controls.append(c)
            }
        }
        // Sort the targets, permuting the matrix to match.
        let order = targets.indices.sorted { targets[$0] < targets[$1] }
        matrix = matrix.permuted(order)
        targets = order.map { targets[$0] }

        var plan = KernelPlan<T>(kind: .dense, targets: targets, matrix: matrix, controls: controls)
        if n < b {
            plan.kind = .scalar
            return plan
        }
        let low = targets.filter { $0 < b }, high = targets.filter { $0 >= b }
        let kl = low.count, kh = high.count
        var lowMask = 0
        for q in low { lowMask |= 1 << q }
        for c in controls { plan.controlMask |= 1 << c }
        plan.fixed = (high + controls).sorted()
        plan.groups = 1 << (n - b - plan.fixed.count)
        plan.minimumGroups = max(1, parallelThreshold >> (b + kh))
        plan.offsets = (0..<(1 << kh)).map { c in
            var o = 0
            for (j, q) in high.enumerated() where c >> j & 1 == 1 { o |= 1 << q }
            return o
        }
        plan.xors = (0..<(1 << kl)).map { KernelIndex.deposit($0, mask: lowMask) }
        let lanes = 1 << b
        // Low-target pattern of each lane.
        let lanePattern = (0..<lanes).map { KernelIndex.extract($0, mask: lowMask) }

        if matrix.isDiagonal {
            plan.kind = .diagonal
            for c in 0..<(1 << kh) {
                var vr = T.Vector(), vi = T.Vector()
                for l in 0..<lanes {
                    let d = matrix[(c << kl) | lanePattern[l], (c << kl) | lanePattern[l]]
                    vr[l] = T(d.re)
                    vi[l] = T(d.im)
                }
                plan.wr.append(vr)
                plan.wi.append(vi)
            }
            return plan
        }
        if kl == 0 && kh == 1 {
            plan.kind = .oneHigh
        } else if kl == 0 && kh == 2 {
            plan.kind = .twoHigh
        } else if kl == 1 && kh == 1 {
            plan.kind = .oneLowOneHigh
        } else if kh == 0 && (1...2).contains(kl) {
            plan.kind = .lanes
        }
        // A column-phased real matrix on the 2-qubit kernels: R in the coefficients, the
        // phases apart.
        var coefficients = matrix
        if plan.kind == .twoHigh || plan.kind == .oneLowOneHigh, matrix.entries.contains(where: { $0.im != 0 }),
            let split = ColumnPhasedReal(matrix)
        {
            coefficients = GateMatrix(qubitCount: matrix.qubitCount, entries: split.real.map { Complex($0) })
            let f = [Complex.one] + split.phases
            var c: [T.Vector] = [], sums: [T.Vector] = [], differences: [T.Vector] = []
            for v in 0..<(1 << kh) {
                var vc = T.Vector(), vs = T.Vector(), vd = T.Vector()
                for l in 0..<lanes {
                    let p = f[(v << kl) | lanePattern[l]]
                    (vc[l], vs[l], vd[l]) = (T(p.re), T(p.re + p.im), T(p.im - p.re))
                }
                c.append(vc)
                sums.append(vs)
                differences.append(vd)
            }
            plan.columnPhases = c + sums + differences
        }
        // The 1- and 2-qubit kernels take the 3M products of a complex matrix.
        let threeM = plan.kind != .dense
        // Dense: W[r][c·2^kl + x][ℓ] = M[(r, lp(ℓ)), (c, lp(ℓ ^ xor_x))].
        var sums: [T.Vector] = [], differences: [T.Vector] = []
        for r in 0..<(1 << kh) {
            for c in 0..<(1 << kh) {
                for x in 0..<(1 << kl) {
                    var vr = T.Vector(), vi = T.Vector(), vs = T.Vector(), vd = T.Vector()
                    for l in 0..<lanes {
                        let m = coefficients[(r << kl) | lanePattern[l], (c << kl) | lanePattern[l ^ plan.xors[x]]]
                        vr[l] = T(m.re)
                        vi[l] = T(m.im)
                        if threeM {
                            vs[l] = T(m.re + m.im)
                            vd[l] = T(m.im - m.re)
                        }
                    }
                    plan.wr.append(vr)
                    plan.wi.append(vi)
                    if threeM {
                        sums.append(vs)
                        differences.append(vd)
                    }
                }
            }
        }
        if !threeM {
            // Only the general kernel reads quads; the others read wr (real) or gauss.
            plan.quads.reserveCapacity(4 * plan.wr.count)
            for (r, i) in zip(plan.wr, plan.wi) { plan.quads += [r, -i, r, i] }
        } else {
            plan.real = plan.wi.allSatisfy { $0 == T.Vector() }
            if !plan.real {
                plan.gauss = plan.wr + sums + differences
                plan.realColumn0 = plan.kind == .twoHigh && (0..<3).allSatisfy { matrix[$0, 0].im == 0 }
            }
        }
        return plan
    }

    /// Applies a prepared gate: one pass (or a fraction of one, for controlled gates).
    static func apply<T: SimulatorScalar>(_ plan: KernelPlan<T>, to state: StateVector<T>, loop: some LoopRunner) {
        switch plan.kind {
        case .scalar:
            ReferenceKernels.apply(plan.matrix, targets: plan.targets, controls: plan.controls, to: state)
        case .oneHigh: Kernel1Q.apply(plan, to: state, loop: loop)
        case .twoHigh: Kernel2Q.apply(plan, to: state, loop: loop)
        case .oneLowOneHigh: Kernel2QLow.apply(plan, to: state, loop: loop)
        case .lanes: KernelLanes.apply(plan, to: state, loop: loop)
        case .dense: KernelFused.apply(plan, to: state, loop: loop)
        case .diagonal: KernelDiagonal.apply(plan, to: state, loop: loop)
        }
    }
}
