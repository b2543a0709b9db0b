// The heartbeat of a worker: renews its leases and registration from its own thread and
// its own repository (connection), every third of the lease, until stopped. If the
// process dies, renewals stop and the recovery sweep takes over. A lost database server is
// ridden out (reconnecting with backoff) until stopped. `qsh worker` and the in-process
// workers of `qsh serve` share it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Synchronization

/// Renews a worker's leases in the background until `stop()`.
public final class LeaseHeartbeat: Sendable {
    private let stopWrite: Int32
    private let done = DispatchSemaphore(value: 0)
    private let stopping = StopFlag()

    /// Starts the thread. `open` makes the repository it renews through (on that thread);
    /// when it throws, no lease is renewed and the sweep settles the worker's tasks once
    /// their leases run out.
    /// - Throws: `HeartbeatError` when the thread's stop pipe cannot be made.
    public init(
        owner: String, leaseSeconds: Double, open: @escaping @Sendable () throws -> any TaskRepository,
        clock: any WallClock = SystemClock()
    ) throws(HeartbeatError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw HeartbeatError() }
        let stopRead = fds[0]
        stopWrite = fds[1]
        let done = self.done
        let stopping = self.stopping
        let interval = Int32(min(86_400_000, max(50, leaseSeconds * 1000 / 3)))
        DispatchQueue.global().async {
            defer {
                close(stopRead)
                done.signal()
            }
            guard let store = try? open() else { return }
            store.keepReconnecting(ReconnectPolicy(giveUp: { _ in stopping.isSet }))
            var poller = pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)
            while true {
                let ready = poll(&poller, 1, interval)
                if ready > 0 { return }
                if ready < 0 && errno != EINTR { return }
                // A busy database delays one renewal; the next one retries.
                _ = try? store.renewLeases(owner: owner, at: clock.now(), leaseSeconds: leaseSeconds)
            }
        }
    }

    /// Stops the thread and waits for it.
    public func stop() {
        stopping.set()
        var byte: UInt8 = 1
        _ = write(stopWrite, &byte, 1)
        done.wait()
        close(stopWrite)
    }
}

/// A flag one thread sets and others read.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

/// The heartbeat's thread could not be set up (no pipe: out of file descriptors).
public struct HeartbeatError: QshError {
    public init() {}
    public var code: ErrorCode { .internalError }
    public var message: String { "cannot start the worker's heartbeat: cannot create a pipe" }
}
