// Drawing shots from the final state: probabilities summed over a fixed number of
// chunks (combined in order), sorted uniforms swept once over the cumulative
// distribution. The result depends on the seed only, never on the thread count.

/// Samples basis states from a state vector.
enum Sampler {
    /// Σ|a|² of each of the state's fixed chunks, in double.
    static func chunkSums<T: SimulatorScalar>(_ state: StateVector<T>, loop: some LoopRunner) -> [Double] {
        let chunks = StateVectorMemory.chunks(count: state.count)
        let size = state.count / chunks
        var sums = [Double](repeating: 0, count: chunks)
        let re = state.re, im = state.im
        sums.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            loop.run(count: chunks, minimumPerThread: 1) { range in
                for c in range { o[c] = sumOfSquares(re + c * size, im + c * size, count: size) }
            }
        }
        return sums
    }

    /// Σ re² + im² over `count` amplitudes, in a fixed order (vector blocks of 256,
    /// each block's sum added in double).
    static func sumOfSquares<T: SimulatorScalar>(
        _ re: UnsafeMutablePointer<T>, _ im: UnsafeMutablePointer<T>, count: Int
    ) -> Double {
        let lanes = 1 << T.laneBits
        guard count >= lanes else {
            var s = 0.0
            for i in 0..<count { s += Double(re[i]) * Double(re[i]) + Double(im[i]) * Double(im[i]) }
            return s
        }
        var total = 0.0
        var i = 0
        let block = 256 * lanes
        while i < count {
            let end = min(count, i + block)
            var acc = T.Vector()
            var j = i
            while j < end {
                let r = re.vector(at: j), m = im.vector(at: j)
                acc = acc.addingProduct(r, r).addingProduct(m, m)
                j &+= lanes
            }
            var s = 0.0
            for l in 0..<lanes { s += Double(acc[l]) }
            total += s
            i = end
        }
        return total
    }

    /// `shots` basis indices drawn from |a_i|², as (index, count) pairs in index order.
    static func sample<T: SimulatorScalar>(
        _ state: StateVector<T>, shots: Int, generator: inout SeededGenerator, loop: some LoopRunner
    ) -> [(index: Int, count: Int)] {
        let sums = chunkSums(state, loop: loop)
        var prefix = [Double](repeating: 0, count: sums.count + 1)
        for (c, s) in sums.enumerated() { prefix[c + 1] = prefix[c] + s }
        let total = prefix[sums.count]
        guard total > 0, shots > 0 else { return shots > 0 ? [(0, shots)] : [] }
        var uniforms = (0..<shots).map { _ in generator.nextUnit() * total }
        uniforms.sort()
        // Which uniforms fall in each chunk.
        var starts = [Int](repeating: 0, count: sums.count + 1)
        var u = 0
        for c in 0..<sums.count {
            starts[c] = u
            while u < shots && (uniforms[u] < prefix[c + 1] || c == sums.count - 1) { u += 1 }
        }
        starts[sums.count] = shots
        let size = state.count / sums.count
        var picked = [Int](repeating: 0, count: shots)
        let re = state.re, im = state.im
        uniforms.withUnsafeBufferPointer { uni in
            picked.withUnsafeMutableBufferPointer { out in
                let un = uni.baseAddress!, o = out.baseAddress!
                loop.run(count: sums.count, minimumPerThread: 1) { range in
                    for c in range where starts[c] < starts[c + 1] {
                        var cumulative = prefix[c]
                        var k = starts[c]
                        let end = starts[c + 1]
                        var lastNonZero = c * size
                        for i in (c * size)..<((c + 1) * size) {
                            let p = Double(re[i]) * Double(re[i]) + Double(im[i]) * Double(im[i])
                            if p == 0 { continue }
                            lastNonZero = i
                            cumulative += p
                            while k < end && un[k] < cumulative {
                                o[k] = i
                                k += 1
                            }
                            if k == end { break }
                        }
                        // Rounding can leave the last uniforms just past the running sum.
                        while k < end {
                            o[k] = lastNonZero
                            k += 1
                        }
                    }
                }
            }
        }
        var result: [(index: Int, count: Int)] = []
        for i in picked {
            if let last = result.last, last.index == i {
                result[result.count - 1].count += 1
            } else {
                result.append((i, 1))
            }
        }
        return result
    }
}
