// Scalar reference kernels: the plain definition of applying a gate, in double
// arithmetic, for every kind the fast kernels handle. The tests compare against them,
// and states smaller than one SIMD vector run on them.

/// Scalar, obviously-correct gate application.
public enum ReferenceKernels {
    /// Applies `matrix` (indexed in the order of `targets`) to the amplitudes whose
    /// `controls` are all one. Works for dense, diagonal and controlled gates alike.
    public static func apply<T: SimulatorScalar>(
        _ matrix: GateMatrix, targets: [Int], controls: [Int] = [], to state: StateVector<T>
    ) {
        let k = targets.count, d = 1 << k
        var targetMask = 0, controlMask = 0
        for t in targets { targetMask |= 1 << t }
        for c in controls { controlMask |= 1 << c }
        var offsets = [Int](repeating: 0, count: d)
        for c in 0..<d {
            for (j, t) in targets.enumerated() where c >> j & 1 == 1 { offsets[c] |= 1 << t }
        }
        var inRe = [Double](repeating: 0, count: d), inIm = inRe
        for i in 0..<state.count where i & targetMask == 0 && i & controlMask == controlMask {
            for c in 0..<d {
                inRe[c] = Double(state.re[i + offsets[c]])
                inIm[c] = Double(state.im[i + offsets[c]])
            }
            for r in 0..<d {
                var sr = 0.0, si = 0.0
                for c in 0..<d {
                    let m = matrix[r, c]
                    sr += m.re * inRe[c] - m.im * inIm[c]
                    si += m.re * inIm[c] + m.im * inRe[c]
                }
                state.re[i + offsets[r]] = T(sr)
                state.im[i + offsets[r]] = T(si)
            }
        }
    }

    /// Σ |a_i|² over the amplitudes whose `qubit` is one.
    public static func probabilityOfOne<T: SimulatorScalar>(qubit: Int, in state: StateVector<T>) -> Double {
        var p = 0.0
        for i in 0..<state.count where i >> qubit & 1 == 1 {
            let r = Double(state.re[i]), m = Double(state.im[i])
            p += r * r + m * m
        }
        return p
    }
}
