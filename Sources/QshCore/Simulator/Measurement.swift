// Projective measurement of one qubit (collapse and renormalise) and reset, for
// circuits that run shot by shot. Probabilities are summed over fixed chunks, so a
// seed gives the same outcomes whatever the thread count.

enum Measurement {
    /// P(qubit = 1), summed over the state's fixed chunks in order.
    static func probabilityOfOne<T: SimulatorScalar>(qubit: Int, in state: StateVector<T>, loop: some LoopRunner) -> Double {
        let chunks = StateVectorMemory.chunks(count: state.count)
        let size = state.count / chunks
        var sums = [Double](repeating: 0, count: chunks)
        let re = state.re, im = state.im
        let bit = 1 << qubit
        sums.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            loop.run(count: chunks, minimumPerThread: 1) { range in
                for c in range {
                    var s = 0.0
                    for i in (c * size)..<((c + 1) * size) where i & bit != 0 {
                        s += Double(re[i]) * Double(re[i]) + Double(im[i]) * Double(im[i])
                    }
                    o[c] = s
                }
            }
        }
        return sums.reduce(0, +)
    }

    /// Measures `qubit`: draws the outcome, keeps the matching half, renormalises.
    static func measure<T: SimulatorScalar>(
        qubit: Int, in state: StateVector<T>, generator: inout SeededGenerator, loop: some LoopRunner
    ) -> Int {
        let p1 = min(1, max(0, probabilityOfOne(qubit: qubit, in: state, loop: loop)))
        let outcome = generator.nextUnit() < p1 ? 1 : 0
        let kept = outcome == 1 ? p1 : 1 - p1
        collapse(qubit: qubit, to: outcome, probability: kept, in: state, loop: loop)
        return outcome
    }

    /// Zeroes the amplitudes where `qubit` differs from `outcome`, scales the rest.
    static func collapse<T: SimulatorScalar>(
        qubit: Int, to outcome: Int, probability: Double, in state: StateVector<T>, loop: some LoopRunner
    ) {
        let scale = T(probability > 0 ? 1 / probability.squareRoot() : 0)
        let re = state.re, im = state.im
        let bit = 1 << qubit
        let keep = outcome == 1 ? bit : 0
        let chunks = StateVectorMemory.chunks(count: state.count)
        let size = state.count / chunks
        loop.run(count: chunks, minimumPerThread: 1) { range in
            for i in (range.lowerBound * size)..<(range.upperBound * size) {
                if i & bit == keep {
                    re[i] *= scale
                    im[i] *= scale
                } else {
                    re[i] = 0
                    im[i] = 0
                }
            }
        }
    }

    /// Resets `qubit` to |0⟩: measure, and on 1 move the amplitudes to the 0 half.
    static func reset<T: SimulatorScalar>(
        qubit: Int, in state: StateVector<T>, generator: inout SeededGenerator, loop: some LoopRunner
    ) {
        let outcome = measure(qubit: qubit, in: state, generator: &generator, loop: loop)
        if outcome == 1 { flip(qubit: qubit, in: state) }
    }

    /// Moves the amplitudes where `qubit` is one to where it is zero (X on a collapsed qubit).
    static func flip<T: SimulatorScalar>(qubit: Int, in state: StateVector<T>) {
        let bit = 1 << qubit
        for i in 0..<state.count where i & bit != 0 {
            state.re[i ^ bit] = state.re[i]
            state.im[i ^ bit] = state.im[i]
            state.re[i] = 0
            state.im[i] = 0
        }
    }
}
