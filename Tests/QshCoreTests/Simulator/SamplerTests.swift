// Sampling statistics (chi-square with a loose bound, fixed seed) and determinism.
import Testing
@testable import QshCore

@Suite("Sampler")
struct SamplerTests {
    /// A state with known probabilities p_i ∝ i + 1 on 6 qubits.
    static func rampState<T: SimulatorScalar>(_: T.Type) -> (StateVector<T>, [Double]) {
        let s = StateVector<T>(qubits: 6)
        let total = Double(64 * 65 / 2)
        var p = [Double]()
        for i in 0..<64 {
            let pi = Double(i + 1) / total
            p.append(pi)
            s.re[i] = T(pi.squareRoot() * 0.6)
            s.im[i] = T(pi.squareRoot() * 0.8)
        }
        return (s, p)
    }

    @Test("counts fit the probabilities (chi-square)")
    func chiSquare() throws {
        let (state, p) = Self.rampState(Double.self)
        var generator = SeededGenerator(seed: 11)
        let shots = 100_000
        let picks = try Sampler.sample(state, shots: shots, generator: &generator, loop: SequentialLoop())
        var counts = [Int](repeating: 0, count: 64)
        for (i, c) in picks { counts[i] += c }
        #expect(counts.reduce(0, +) == shots)
        var chi2 = 0.0
        for i in 0..<64 {
            let e = p[i] * Double(shots)
            chi2 += (Double(counts[i]) - e) * (Double(counts[i]) - e) / e
        }
        // 63 degrees of freedom: the 1e-6 upper tail is about 135.
        #expect(chi2 < 135, "chi-square \(chi2)")
    }

    @Test("the same seed gives the same shots whatever the thread count")
    func deterministic() throws {
        let n = 16
        var random = TestRandom(3)
        let state = random.state(n, as: Float.self)
        var results: [[Int]] = []
        for threads in [1, 2, 3] {
            var generator = SeededGenerator(seed: 99)
            let picks = try Sampler.sample(state, shots: 5000, generator: &generator, loop: ParallelLoop(threads: threads))
            results.append(picks.flatMap { [$0.index, $0.count] })
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
    }

    @Test("skipping blocks no uniform falls in picks what a plain cumulative sweep picks")
    func skippedBlocks() throws {
        // 15 qubits, amplitudes on one index in 7 and zero elsewhere; 40 shots fall in
        // at most 40 of the 128 blocks of 256 amplitudes, and the sweep skips the others.
        let n = 15, shots = 40
        var random = TestRandom(8)
        let state = StateVector<Double>(qubits: n)
        for i in stride(from: 0, to: state.count, by: 7) {
            state.re[i] = random.unit() - 0.5
            state.im[i] = random.unit() - 0.5
        }
        var generator = SeededGenerator(seed: 5)
        let picks = try Sampler.sample(state, shots: shots, generator: &generator, loop: ParallelLoop(threads: 2))
        // The same uniforms, drawn again, against the running sum amplitude by amplitude.
        var again = SeededGenerator(seed: 5)
        var total = 0.0
        for i in 0..<state.count { total += state.re[i] * state.re[i] + state.im[i] * state.im[i] }
        let uniforms = (0..<shots).map { _ in again.nextUnit() * total }.sorted()
        var expected: [Int] = []
        var cumulative = 0.0, k = 0
        for i in 0..<state.count where k < uniforms.count {
            cumulative += state.re[i] * state.re[i] + state.im[i] * state.im[i]
            while k < uniforms.count && uniforms[k] < cumulative {
                expected.append(i)
                k += 1
            }
        }
        let got = picks.flatMap { Array(repeating: $0.index, count: $0.count) }
        #expect(got.count == shots && expected.count == shots)
        // Sums in another order round differently: allow a pick at a neighbouring amplitude.
        let differing = zip(got, expected).filter { $0 != $1 }
        #expect(differing.count <= 2 && differing.allSatisfy { abs($0.0 - $0.1) <= 7 }, "\(differing)")
        #expect(got.allSatisfy { $0 % 7 == 0 })
    }

    @Test("block sums worked out beforehand give the shots the sampler's own pass gives")
    func givenBlockSums() throws {
        var random = TestRandom(9)
        let state = random.state(13, as: Double.self)
        let sums = Sampler.blockSums(state, loop: ParallelLoop(threads: 2))
        #expect(sums.count == state.count / Sampler.scanBlock)
        for (b, s) in sums.enumerated() {
            let at = b * Sampler.scanBlock
            #expect(s == Sampler.sumOfSquares(state.re + at, state.im + at, count: Sampler.scanBlock))
        }
        var first = SeededGenerator(seed: 3)
        var second = first
        let own = try Sampler.sample(state, shots: 2000, generator: &first, loop: SequentialLoop())
        let given = try Sampler.sample(state, shots: 2000, generator: &second, loop: ParallelLoop(threads: 3), blockSums: sums)
        #expect(own.map(\.index) == given.map(\.index) && own.map(\.count) == given.map(\.count))
    }

    @Test("the seeded generator is reproducible and covers [0, 1)")
    func generator() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xa = (0..<100).map { _ in a.next() }, xb = (0..<100).map { _ in b.next() }
        #expect(xa == xb)
        #expect(xa != (0..<100).map { _ in c.next() })
        var u = SeededGenerator(seed: 1)
        let values = (0..<10_000).map { _ in u.nextUnit() }
        #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 0.5) < 0.02)
    }
}

extension SamplerTests {
    @Test("shots past one batch: each batch is its own sweep, the counts are their sum")
    func batches() throws {
        var random = TestRandom(17)
        let state = random.state(10, as: Double.self)
        let shots = 2 * Sampler.batch + 12_345
        var generator = SeededGenerator(seed: 23)
        let all = try Sampler.sample(state, shots: shots, generator: &generator, loop: ParallelLoop(threads: 2))
        #expect(all.reduce(0) { $0 + $1.count } == shots)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.index < $1.index })
        // The same draws, batch by batch: every batch is one sampling of its own.
        var again = SeededGenerator(seed: 23)
        var expected = CountRuns()
        for n in [Sampler.batch, Sampler.batch, 12_345] {
            expected.add(try Sampler.sample(state, shots: n, generator: &again, loop: SequentialLoop()))
        }
        let sum = expected.total()
        #expect(all.map(\.index) == sum.map(\.index) && all.map(\.count) == sum.map(\.count))
    }

    @Test("shots past one batch are the same whatever the thread count")
    func batchesAreDeterministic() throws {
        var random = TestRandom(31)
        let state = random.state(12, as: Float.self)
        var results: [[Int]] = []
        for threads in [1, 3] {
            var generator = SeededGenerator(seed: 8)
            let picks = try Sampler.sample(
                state, shots: Sampler.batch + 7, generator: &generator, loop: ParallelLoop(threads: threads))
            results.append(picks.flatMap { [$0.index, $0.count] })
        }
        #expect(results[0] == results[1])
    }

    @Test("a stop request is asked before each batch")
    func stopBetweenBatches() {
        var random = TestRandom(2)
        let state = random.state(6, as: Double.self)
        var asked = 0
        var generator = SeededGenerator(seed: 1)
        #expect(throws: QPUError.interrupted) {
            _ = try Sampler.sample(
                state, shots: 3 * Sampler.batch, generator: &generator, loop: SequentialLoop(),
                shouldStop: {
                    asked += 1
                    return asked == 2
                })
        }
        #expect(asked == 2)
    }

    @Test("merged runs count every index once, in order, whatever the sizes")
    func countRuns() {
        var random = TestRandom(5)
        var runs = CountRuns()
        var expected: [Int: Int] = [:]
        for _ in 0..<40 {
            let size = random.int(300)
            let indices = Set((0..<size).map { _ in random.int(1000) }).sorted()
            let run = indices.map { (index: $0, count: 1 + random.int(5)) }
            for (i, c) in run { expected[i, default: 0] += c }
            runs.add(run)
        }
        let total = runs.total()
        #expect(total.map(\.index) == expected.keys.sorted())
        #expect(total.map(\.count) == expected.keys.sorted().map { expected[$0]! })
        #expect(CountRuns().total().isEmpty)
    }
}
