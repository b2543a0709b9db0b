// The loop that runs kernels over a state: sequentially, or in parallel over a fixed
// number of contiguous slices with a minimum amount of work per thread.
import Dispatch

/// Runs `body` over `0..<count`, split into contiguous ranges.
public protocol LoopRunner: Sendable {
    /// The worker threads (1 for a sequential loop).
    var threads: Int { get }
    /// Calls `body` on disjoint ranges that cover `0..<count`, possibly concurrently.
    /// Work is split only when each thread gets at least `minimumPerThread` items.
    func run(count: Int, minimumPerThread: Int, _ body: (Range<Int>) -> Void)
}

/// Everything on the calling thread.
public struct SequentialLoop: LoopRunner {
    public init() {}
    public var threads: Int { 1 }

    @inline(__always)
    public func run(count: Int, minimumPerThread: Int, _ body: (Range<Int>) -> Void) {
        if count > 0 { body(0..<count) }
    }
}

/// Splits the range into one slice per thread and runs them with
/// `DispatchQueue.concurrentPerform`; small ranges stay on the calling thread.
public struct ParallelLoop: LoopRunner {
    public let threads: Int

    public init(threads: Int) {
        self.threads = max(1, threads)
    }

    public func run(count: Int, minimumPerThread: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let parts = min(threads, count / max(1, minimumPerThread))
        if parts <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let lo = count * part / parts, hi = count * (part + 1) / parts
                box.value(lo..<hi)
            }
        }
    }
}

/// Carries a kernel closure (which captures raw pointers into the state) across the
/// threads of `concurrentPerform`. This is sound because every thread writes a
/// disjoint range of the state and `concurrentPerform` returns only when all are
/// done; it is the one `@unchecked Sendable` of the simulator.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
