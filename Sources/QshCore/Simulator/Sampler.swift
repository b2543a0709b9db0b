// Drawing shots from the final state: Σ|a|² per block of 256 amplitudes, summed in
// order into a fixed number of chunk totals, and sorted uniforms swept over the
// cumulative distribution, a batch of 2^20 at a time, stepping over the blocks no
// uniform falls in. The block sums are the sampler's one read of the state; the
// simulator works them out in its last sweep, chunk by chunk while the chunk is in
// cache (a separate 7 ms read of a 24-qubit state becomes 0.2 ms). The result depends
// on the seed only, never on the thread count: the sums are the same whoever
// computes them, and the batches are cut from one sequence of draws.

/// Samples basis states from a state vector.
enum Sampler {
    /// Amplitudes per block of the scan for the drawn uniforms.
    static let scanBlock = 256

    /// The amplitudes of one block of a state of `count` amplitudes.
    static func blockSize(count: Int) -> Int { min(count, scanBlock) }

    /// Σ|a|² of each block of `blockSize(count:)` amplitudes, in double: the sampler's
    /// one read of the whole state. The last sweep works them out chunk by chunk while
    /// the chunk is in cache (`addBlockSums`); this is the pass for other states.
    static func blockSums<T: SimulatorScalar>(_ state: StateVector<T>, loop: some LoopRunner) -> [Double] {
        var sums = [Double](repeating: 0, count: state.count / blockSize(count: state.count))
        sums.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            // Runs of 2^13 (or the whole state) hold whole blocks.
            Sweeps.visitAll(
                { addBlockSums(state, start: $0, count: $1, into: o) }, qubitCount: state.qubitCount,
                runQubits: min(state.qubitCount, 13), loop: loop)
        }
        return sums
    }

    /// Writes the sums of the blocks of amplitudes `start..<start + count` (whole blocks)
    /// into their places in `sums`.
    static func addBlockSums<T: SimulatorScalar>(
        _ state: StateVector<T>, start: Int, count: Int, into sums: UnsafeMutablePointer<Double>
    ) {
        let block = blockSize(count: state.count)
        let re = state.re, im = state.im
        for b in stride(from: start, to: start + count, by: block) {
            sums[b / block] = sumOfSquares(re + b, im + b, count: block)
        }
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

    /// Uniforms drawn, sorted and swept at a time: 2^20 (8 MiB of doubles, about 0.1 s of
    /// work), so 10^8 shots take a few MiB instead of 1.6 GB and a stop request is asked
    /// between batches. Arbitrary. The batches are cut from the one sequence of draws, so
    /// up to this many shots the picks are exactly those of one sweep over every uniform;
    /// past it they can differ only where a uniform lies within rounding of the boundary
    /// between two amplitudes (the running sum is added up differently). Either way they
    /// depend on the seed only, never on the thread count.
    static let batch = 1 << 20

    /// `shots` basis indices drawn from |a_i|², as (index, count) pairs in index order.
    /// `blockSums`, when given, are the state's block sums (`blockSums(_:loop:)`), worked
    /// out already; the scan then reads only the blocks a uniform falls in. `shouldStop`
    /// is asked before each batch of `batch` shots.
    /// - Throws: `QPUError.interrupted` when `shouldStop` said stop.
    static func sample<T: SimulatorScalar>(
        _ state: StateVector<T>, shots: Int, generator: inout SeededGenerator, loop: some LoopRunner,
        blockSums given: [Double]? = nil, shouldStop: () -> Bool = { false }
    ) throws(QPUError) -> [(index: Int, count: Int)] {
        let blockSums = given ?? blockSums(state, loop: loop)
        let block = blockSize(count: state.count)
        precondition(blockSums.count * block == state.count, "block sums of another state")
        // The fixed chunks' sums, each its blocks' sums added in order.
        let chunks = StateVectorMemory.chunks(count: state.count)
        let size = state.count / chunks, blocksPerChunk = size / block
        var prefix = [Double](repeating: 0, count: chunks + 1)
        for c in 0..<chunks {
            var s = 0.0
            for b in c * blocksPerChunk..<(c + 1) * blocksPerChunk { s += blockSums[b] }
            prefix[c + 1] = prefix[c] + s
        }
        let total = prefix[chunks]
        guard total > 0, shots > 0 else { return shots > 0 ? [(0, shots)] : [] }
        let scan = Scan(state: state, blockSums: blockSums, prefix: prefix, chunks: chunks, size: size, block: block)
        var counts = CountRuns()
        var uniforms = [Double]()
        uniforms.reserveCapacity(min(shots, batch))
        var picked = [Int](repeating: 0, count: min(shots, batch))
        var done = 0
        while done < shots {
            if shouldStop() { throw QPUError.interrupted }
            let n = min(batch, shots - done)
            uniforms.removeAll(keepingCapacity: true)
            for _ in 0..<n { uniforms.append(generator.nextUnit() * total) }
            uniforms.sort()
            scan.pick(uniforms, into: &picked, loop: loop)
            var run: [(index: Int, count: Int)] = []
            for i in picked[..<n] {
                if let last = run.last, last.index == i {
                    run[run.count - 1].count += 1
                } else {
                    run.append((i, 1))
                }
            }
            counts.add(run)
            done += n
        }
        return counts.total()
    }

    /// One sweep of sorted uniforms over the cumulative distribution of a state.
    private struct Scan<T: SimulatorScalar> {
        let state: StateVector<T>
        let blockSums: [Double]
        /// prefix[c]: the sum of the chunks before chunk c.
        let prefix: [Double]
        let chunks: Int, size: Int, block: Int

        /// Writes into `picked[k]` the index that sorted uniform `uniforms[k]` falls on.
        func pick(_ uniforms: [Double], into picked: inout [Int], loop: some LoopRunner) {
            let shots = uniforms.count
            // Which uniforms fall in each chunk.
            var starts = [Int](repeating: 0, count: chunks + 1)
            var u = 0
            for c in 0..<chunks {
                starts[c] = u
                while u < shots && (uniforms[u] < prefix[c + 1] || c == chunks - 1) { u += 1 }
            }
            starts[chunks] = shots
            let re = state.re, im = state.im
            let chunks = chunks, size = size, block = block, prefix = prefix, blockSums = blockSums
            uniforms.withUnsafeBufferPointer { uni in
                picked.withUnsafeMutableBufferPointer { out in
                    let un = uni.baseAddress!, o = out.baseAddress!
                    loop.run(count: chunks, minimumPerThread: 1) { range in
                        for c in range where starts[c] < starts[c + 1] {
                            var cumulative = prefix[c]
                            var k = starts[c]
                            let end = starts[c + 1]
                            var lastNonZero = c * size
                            // Blocks that every uniform left lies past are stepped over by
                            // their sums; the others are scanned amplitude by amplitude.
                            var i = c * size, skipped = -1
                            let stop = (c + 1) * size
                            while i < stop && k < end {
                                let blockEnd = i + block
                                let s = blockSums[i / block]
                                if s == 0 || cumulative + s < un[k] {
                                    if s > 0 { skipped = i }
                                    cumulative += s
                                    i = blockEnd
                                    continue
                                }
                                for j in i..<blockEnd {
                                    let p = Double(re[j]) * Double(re[j]) + Double(im[j]) * Double(im[j])
                                    if p == 0 { continue }
                                    lastNonZero = j
                                    cumulative += p
                                    while k < end && un[k] < cumulative {
                                        o[k] = j
                                        k += 1
                                    }
                                    if k == end { break }
                                }
                                i = blockEnd
                            }
                            if k < end && skipped > lastNonZero {
                                lastNonZero =
                                    (skipped..<(skipped + block)).last { re[$0] != 0 || im[$0] != 0 } ?? lastNonZero
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
        }
    }
}

/// Counts per index gathered from runs of (index, count) pairs in index order, one run
/// per batch of shots: runs of similar length are merged as they come (the merges of a
/// merge sort), so n pairs cost O(n log n) and at most twice their memory.
struct CountRuns {
    private var runs: [[(index: Int, count: Int)]] = []

    /// Adds a run whose indices increase.
    mutating func add(_ run: [(index: Int, count: Int)]) {
        runs.append(run)
        while runs.count >= 2 && runs[runs.count - 2].count <= 2 * runs[runs.count - 1].count {
            let top = runs.removeLast()
            runs[runs.count - 1] = Self.merge(runs[runs.count - 1], top)
        }
    }

    /// Every count so far, in index order.
    func total() -> [(index: Int, count: Int)] {
        guard var result = runs.last else { return [] }
        for run in runs.dropLast().reversed() { result = Self.merge(run, result) }
        return result
    }

    /// Two runs as one, counts of the same index added.
    static func merge(_ a: [(index: Int, count: Int)], _ b: [(index: Int, count: Int)]) -> [(index: Int, count: Int)] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [(index: Int, count: Int)] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i].index < b[j].index {
                out.append(a[i])
                i += 1
            } else if b[j].index < a[i].index {
                out.append(b[j])
                j += 1
            } else {
                out.append((a[i].index, a[i].count + b[j].count))
                i += 1
                j += 1
            }
        }
        out += a[i...]
        out += b[j...]
        return out
    }
}
