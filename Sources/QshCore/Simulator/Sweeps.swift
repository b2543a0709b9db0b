// Cache blocking: consecutive fused gates whose qubits are the low qubits plus at most
// a few high ones are applied together, one cache-sized chunk at a time, so the state
// crosses the memory bus once per sweep instead of once per gate.
//
// A sweep with high set H (|H| <= h) splits the state into 2^(n-c-|H|) chunks: the
// amplitudes that agree on every high qubit outside H. A chunk is 2^|H| contiguous
// runs of 2^c amplitudes; it is copied into a per-thread scratch state of c + |H|
// qubits (H relabelled c, c+1, ...), every gate of the sweep runs on it with the
// ordinary kernels while it sits in L2, and it is copied back.

/// Where the cache-resident chunks end: c low qubits plus h high ones.
public struct SweepOptions: Hashable, Sendable {
    /// c: qubits below this are inside every chunk.
    public var lowQubits: Int
    /// h: the most high qubits one sweep may touch.
    public var highQubits: Int

    public init(lowQubits: Int, highQubits: Int) {
        self.lowQubits = lowQubits
        self.highQubits = highQubits
    }

    /// Chunks of 2 MiB (the L2 of one core): 2^17 double or 2^18 single amplitudes,
    /// four of their qubits free to be any high qubits. Measured on rqc_24 and qv_24
    /// (single): h = 3, 4, 5, 6 gave 65, 47, 41, 38 sweeps for rqc_24; h = 4 was fastest.
    public static func `default`(precision: Precision) -> SweepOptions {
        precision == .double ? SweepOptions(lowQubits: 13, highQubits: 4) : SweepOptions(lowQubits: 14, highQubits: 4)
    }
}

/// One step of a blocked schedule.
enum SweepStep {
    /// One gate over the whole state.
    case direct(FusedGate)
    /// Gates applied chunk by chunk; `high` are the sweep's qubits at or above c.
    case local(high: [Int], gates: [FusedGate])
}

enum Sweeps {
    /// Groups `gates` (in order) into sweeps.
    static func plan(_ gates: [FusedGate], qubitCount n: Int, options: SweepOptions) -> [SweepStep] {
        let c = options.lowQubits, h = options.highQubits
        guard n > c + h else { return gates.map { .direct($0) } }
        var steps: [SweepStep] = []
        var high = Set<Int>()
        var current: [FusedGate] = []
        func close() {
            if current.count == 1 {
                steps.append(.direct(current[0]))
            } else if !current.isEmpty {
                steps.append(.local(high: high.sorted(), gates: current))
            }
            current = []
            high = []
        }
        for g in gates {
            let gh = Set(g.qubits.filter { $0 >= c })
            if gh.count > h {
                close()
                steps.append(.direct(g))
                continue
            }
            if high.union(gh).count > h { close() }
            high.formUnion(gh)
            current.append(g)
        }
        close()
        return steps
    }

    /// Applies a blocked schedule to `state`.
    /// - Returns: false when `shouldStop` asked to stop before all steps were applied.
    @discardableResult
    static func apply<T: SimulatorScalar>(
        _ steps: [SweepStep], to state: StateVector<T>, options: SweepOptions, loop: ParallelLoop,
        shouldStop: () -> Bool = { false }
    ) -> Bool {
        let n = state.qubitCount, c = options.lowQubits
        for step in steps {
            if shouldStop() { return false }
            switch step {
            case .direct(let g):
                KernelDispatch.apply(KernelDispatch.prepare(g, qubitCount: n, as: T.self), to: state, loop: loop)
            case .local(let high, let gates):
                let m = high.count, local = c + m
                var label = [Int: Int]()
                for (i, q) in high.enumerated() { label[q] = c + i }
                func relabel(_ q: Int) -> Int { q < c ? q : label[q]! }
                let plans = gates.map { g in
                    KernelDispatch.prepare(
                        FusedGate(
                            targets: g.targets.map(relabel), controls: g.controls.map(relabel), matrix: g.matrix,
                            sourceGates: g.sourceGates),
                        qubitCount: local, as: T.self)
                }
                // The high qubits outside the sweep number the chunks.
                let rest = (c..<n).filter { !high.contains($0) }
                var restMask = 0
                for q in rest { restMask |= 1 << q }
                var highMask = 0
                for q in high { highMask |= 1 << q }
                let chunks = 1 << rest.count
                let segment = 1 << c
                let segmentStarts = (0..<(1 << m)).map { KernelIndex.deposit($0, mask: highMask) }
                let re = state.re, im = state.im
                let workers = min(loop.threads, chunks)
                loop.run(count: workers, minimumPerThread: 1) { range in
                    let (sre, sim) = StateVector<T>.allocateScratch(qubits: local)
                    let scratch = StateVector<T>(wrapping: sre, sim, qubits: local)
                    for worker in range {
                        let lo = chunks * worker / workers, hi = chunks * (worker + 1) / workers
                        for chunk in lo..<hi {
                            let base = KernelIndex.deposit(chunk, mask: restMask)
                            for (k, start) in segmentStarts.enumerated() {
                                (sre + k * segment).update(from: re + (base | start), count: segment)
                                (sim + k * segment).update(from: im + (base | start), count: segment)
                            }
                            for plan in plans { KernelDispatch.apply(plan, to: scratch, loop: SequentialLoop()) }
                            for (k, start) in segmentStarts.enumerated() {
                                (re + (base | start)).update(from: sre + k * segment, count: segment)
                                (im + (base | start)).update(from: sim + k * segment, count: segment)
                            }
                        }
                    }
                    sre.deallocate()
                    sim.deallocate()
                }
            }
        }
        return true
    }
}
