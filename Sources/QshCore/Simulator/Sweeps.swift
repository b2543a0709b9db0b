// Cache blocking: fused gates whose qubits are the low qubits plus at most a few high
// ones are applied together, one cache-sized chunk at a time, so the state crosses the
// memory bus once per sweep instead of once per gate (SweepSchedule.swift picks them).
//
// A sweep with high set H (|H| <= h) splits the state into 2^(n-c-|H|) chunks: the
// amplitudes that agree on every high qubit outside H. A chunk is 2^|H| contiguous
// runs of 2^c amplitudes. Every gate of the sweep runs on one chunk after another,
// in place, with the ordinary kernels: their plans hold the qubits outside H fixed
// (`KernelPlan.restricted(fixing:)`) and the chunk's number sets them, the way high
// controls select groups. An earlier version copied each chunk into a contiguous
// scratch state and back; the copies took a quarter of rqc_24's time, and the
// in-place chunks, measured with c from 10 to 13, ran no slower from L2 and L3.

import Synchronization

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

    /// Chunks of 2 MiB (2^17 double or 2^18 single amplitudes; Zen 4 has 1 MiB of L2
    /// per core and 32 MiB of L3), five of their qubits free to be any high qubits.
    /// With the schedule of SweepSchedule.swift, on qv_24 and rqc_24 (double, the sum
    /// of the steps' times, medians of three to five runs): c = 12, h = 5 took 768 and
    /// 1438 ms at 1 thread, 380 and 775 ms at 2; c = 13, h = 4 took 773, 1493, 425
    /// and 792 ms; c = 13, h = 5 (4 MiB chunks) 735, 1445, 411 and 816 ms.
    /// Single precision: c = 13, h = 5 and c = 14, h = 5 alike, c = 14, h = 4 slower.
    public static func `default`(precision: Precision) -> SweepOptions {
        precision == .double ? SweepOptions(lowQubits: 12, highQubits: 5) : SweepOptions(lowQubits: 13, highQubits: 5)
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
    /// Work on a run of amplitudes, `start..<start + count`, from any thread.
    typealias RunVisitor = (_ start: Int, _ count: Int) -> Void

    /// The qubits of a run: the amplitudes every chunk holds contiguously.
    static func runQubits(qubitCount n: Int, options: SweepOptions, laneBits: Int) -> Int {
        min(n, max(options.lowQubits, laneBits))
    }

    /// Applies a blocked schedule to `state`. `first` visits every run of amplitudes
    /// before a gate touches it, and `last` after the last gate has: inside the first
    /// and the last sweep, while the chunk is in cache, or in a pass of their own when
    /// the schedule starts or ends with a gate over the whole state, or is empty.
    /// `shouldStop` is asked before each step; `stop`, from every thread, before each
    /// gate on a chunk (a sweep of many gates can take minutes).
    /// - Returns: false when `shouldStop` or `stop` asked to stop before all steps were
    ///   applied (`last` has then visited nothing, and the state is left part way).
    @discardableResult
    static func apply<T: SimulatorScalar>(
        _ steps: [SweepStep], to state: StateVector<T>, options: SweepOptions, loop: ParallelLoop,
        shouldStop: () -> Bool = { false }, stop: Cancellation = .never, first: RunVisitor? = nil,
        last: RunVisitor? = nil
    ) -> Bool {
        let n = state.qubitCount, c = options.lowQubits
        let runBits = runQubits(qubitCount: n, options: options, laneBits: T.laneBits)
        func isLocal(_ step: SweepStep?) -> Bool { if case .local = step { return true } else { return false } }
        if let first, !isLocal(steps.first) { visitAll(first, qubitCount: n, runQubits: runBits, loop: loop) }
        for (index, step) in steps.enumerated() {
            if shouldStop() || stop.isRequested { return false }
            switch step {
            case .direct(let g):
                KernelDispatch.apply(KernelDispatch.prepare(g, qubitCount: n, as: T.self), to: state, loop: loop)
            case .local(let high, let gates):
                // The high qubits outside the sweep number the chunks: each plan keeps
                // them fixed, and a chunk's number sets them like extra controls. Qubits
                // inside the lanes always stay in the chunk (no gate of the sweep acts
                // on those of them at or above c, so that only makes chunks larger).
                let rest = (max(c, T.laneBits)..<n).filter { !high.contains($0) }
                var restMask = 0, runsMask = 0
                for q in rest { restMask |= 1 << q }
                for q in high where q >= runBits { runsMask |= 1 << q }
                var plans: [ChunkGate<T>] = []
                plans.reserveCapacity(gates.count)
                for (k, g) in gates.enumerated() {
                    if k % 4096 == 4095, stop.isRequested { return false }
                    plans.append(ChunkGate<T>(g, rest: rest, qubitCount: n))
                }
                let chunks = 1 << rest.count
                let workers = min(loop.threads, chunks)
                let before = index == 0 ? first : nil, after = index == steps.count - 1 ? last : nil
                let runs = 1 << runsMask.nonzeroBitCount
                func visitRuns(_ visit: RunVisitor, chunk bits: Int) {
                    for v in 0..<runs { visit(bits | KernelIndex.deposit(v, mask: runsMask), 1 << runBits) }
                }
                let re = state.re, im = state.im
                let stopped = Atomic<Bool>(false)
                loop.run(count: workers, minimumPerThread: 1) { range in
                    let view = StateVector<T>(wrapping: re, im, qubits: n)
                    for worker in range {
                        let lo = chunks * worker / workers, hi = chunks * (worker + 1) / workers
                        for chunk in lo..<hi {
                            let bits = KernelIndex.deposit(chunk, mask: restMask)
                            if let before { visitRuns(before, chunk: bits) }
                            for gate in plans {
                                if stop.isRequested || stopped.load(ordering: .relaxed) {
                                    stopped.store(true, ordering: .relaxed)
                                    return
                                }
                                guard var plan = gate.plan(forChunk: bits) else { continue }
                                plan.controlMask |= bits
                                KernelDispatch.apply(plan, to: view, loop: SequentialLoop())
                            }
                            if let after { visitRuns(after, chunk: bits) }
                        }
                    }
                }
                if stopped.load(ordering: .relaxed) { return false }
            }
        }
        if let last, !isLocal(steps.last) { visitAll(last, qubitCount: n, runQubits: runBits, loop: loop) }
        return true
    }

    /// Visits every run of a state, in a pass of its own on the loop's threads.
    static func visitAll(_ visit: RunVisitor, qubitCount n: Int, runQubits k: Int, loop: some LoopRunner) {
        loop.run(count: 1 << (n - k), minimumPerThread: max(1, KernelDispatch.minimumAmplitudesPerThread >> k)) { range in
            visit(range.lowerBound << k, range.count << k)
        }
    }
}

/// A gate of a sweep, ready for any chunk: one plan, or for a diagonal gate on qubits
/// outside the chunk one plan per value of those qubits (nil where it does nothing).
struct ChunkGate<T: SimulatorScalar> {
    /// The gate's qubits outside the chunks, as a mask.
    let outsideMask: Int
    let plans: [KernelPlan<T>?]

    init(_ g: FusedGate, rest: [Int], qubitCount n: Int) {
        let outside = g.qubits.filter { rest.contains($0) }
        var mask = 0
        for q in outside { mask |= 1 << q }
        outsideMask = mask
        if outside.isEmpty {
            plans = [KernelDispatch.prepare(g, qubitCount: n, as: T.self).restricted(fixing: rest)]
            return
        }
        // Only diagonal gates reach here: Sweeps.plan lets no other gate on outside qubits in.
        plans = (0..<(1 << outside.count)).map { value in
            let bits = KernelIndex.deposit(value, mask: mask)
            var fixed: [Int: Bool] = [:]
            for q in outside { fixed[q] = bits & (1 << q) != 0 }
            return g.diagonalSlice(fixing: fixed).map {
                KernelDispatch.prepare($0, qubitCount: n, as: T.self).restricted(fixing: rest)
            }
        }
    }

    /// The plan for the chunk whose outside qubits are set as in `bits`.
    func plan(forChunk bits: Int) -> KernelPlan<T>? {
        outsideMask == 0 ? plans[0] : plans[KernelIndex.extract(bits, mask: outsideMask)]
    }
}
