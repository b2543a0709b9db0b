// Sweeps.apply's visitors: `first` sees every run of amplitudes once, before any gate
// has touched it, and `last` once, after the last gate has, whether the schedule starts
// and ends with sweeps, with gates over the whole state, or is empty.
import Testing
@testable import QshCore

@Suite("Sweeps")
struct SweepsTests {
    /// The schedules the tests run on 10 qubits, with chunks of 3 low qubits and 2 high.
    static let options = SweepOptions(lowQubits: 3, highQubits: 2)

    enum Shape: String, CaseIterable {
        /// One sweep: `first`, the gates and `last` on each chunk in turn.
        case oneSweep
        /// Random gates: a sweep first, a gate alone (over the whole state) last.
        case mixed
        /// A gate on three high qubits (wider than a sweep) first and last.
        case direct
        /// No gate at all.
        case empty
    }

    static func gates(_ shape: Shape, n: Int) -> [FusedGate] {
        var random = TestRandom(7)
        let wide = FusedGate(targets: [5, 7, 9], matrix: random.unitary(qubits: 3), sourceGates: 1)
        func pairs(on qubits: Int) -> [FusedGate] {
            (0..<24).map { _ in FusedGate(targets: random.qubits(2, of: qubits), matrix: random.unitary(qubits: 2), sourceGates: 1) }
        }
        let middle = pairs(on: n)
        switch shape {
        case .oneSweep: return pairs(on: 5)
        case .mixed: return middle
        case .direct: return [wide] + middle + [wide]
        case .empty: return []
        }
    }

    @Test("first writes each run before its gates, last reads it after them", arguments: Shape.allCases)
    func visitors(shape: Shape) {
        let n = 10
        let gates = Self.gates(shape, n: n)
        let steps = Sweeps.plan(gates, qubitCount: n, options: Self.options)
        func isLocal(_ step: SweepStep?) -> Bool { if case .local = step { true } else { false } }
        switch shape {
        case .oneSweep: #expect(steps.count == 1 && isLocal(steps.first))
        case .mixed: #expect(isLocal(steps.first) && !isLocal(steps.last))
        case .direct: #expect(!isLocal(steps.first) && !isLocal(steps.last))
        case .empty: #expect(steps.isEmpty)
        }
        var random = TestRandom(11)
        let start = random.state(n, as: Double.self)
        // The gates one by one on the start state.
        let expected = copy(start)
        for g in gates { KernelDispatch.apply(KernelDispatch.prepare(g, qubitCount: n, as: Double.self), to: expected, loop: SequentialLoop()) }
        let runBits = Sweeps.runQubits(qubitCount: n, options: Self.options, laneBits: Double.laneBits)
        let runs = 1 << (n - runBits)
        for loop in testLoops {
            // The state starts at zero; `first` copies the start state in, run by run.
            let state = StateVector<Double>(qubits: n)
            var firstVisits = [Int](repeating: 0, count: runs), lastVisits = firstVisits
            var sums = [Double](repeating: -1, count: runs)
            firstVisits.withUnsafeMutableBufferPointer { fv in
                lastVisits.withUnsafeMutableBufferPointer { lv in
                    sums.withUnsafeMutableBufferPointer { s in
                        let (f, l, o) = (fv.baseAddress!, lv.baseAddress!, s.baseAddress!)
                        let done = Sweeps.apply(
                            steps, to: state, options: Self.options, loop: loop,
                            first: { begin, count in
                                for run in stride(from: begin, to: begin + count, by: 1 << runBits) {
                                    f[run >> runBits] += 1
                                    for i in run..<(run + (1 << runBits)) { state[i] = start[i] }
                                }
                            },
                            last: { begin, count in
                                for run in stride(from: begin, to: begin + count, by: 1 << runBits) {
                                    l[run >> runBits] += 1
                                    o[run >> runBits] = Sampler.sumOfSquares(state.re + run, state.im + run, count: 1 << runBits)
                                }
                            })
                        #expect(done)
                    }
                }
            }
            #expect(firstVisits.allSatisfy { $0 == 1 } && lastVisits.allSatisfy { $0 == 1 }, "\(loop.threads) threads")
            #expect(maxDifference(state, expected) < 1e-12, "\(loop.threads) threads")
            // The sums were read from the final state.
            let stale = (0..<runs).filter {
                sums[$0] != Sampler.sumOfSquares(state.re + $0 << runBits, state.im + $0 << runBits, count: 1 << runBits)
            }
            #expect(stale.isEmpty, "\(loop.threads) threads")
        }
    }

    @Test("a stopped schedule visits nothing last")
    func stopped() {
        let n = 10
        let steps = Sweeps.plan(Self.gates(.mixed, n: n), qubitCount: n, options: Self.options)
        let state = StateVector<Double>(qubits: n)
        var lastVisits = 0
        let done = Sweeps.apply(
            steps, to: state, options: Self.options, loop: ParallelLoop(threads: 1), shouldStop: { true },
            last: { _, _ in lastVisits += 1 })
        #expect(!done && lastVisits == 0)
    }
}
