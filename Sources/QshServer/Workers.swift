// The server's in-process workers: N threads, each a `Worker` (QshCore/Tasks/Worker.swift)
// with its own connection, registration and lease heartbeat, as `qsh worker` runs one;
// external `qsh worker` processes claim from the same queue beside them. A submit wakes
// them (on PostgreSQL, any replica's submit: LISTEN/NOTIFY); a lost database server is
// ridden out; on shutdown they claim nothing more, finish what runs within the grace period,
// and a task still running at its end is failed as `qsh worker` fails it on SIGTERM.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import QshCore
import Synchronization

/// A set of in-process workers on the server's database.
final class WorkerPool: Sendable {
    struct Settings: Sendable {
        var count: Int
        var databasePath: String
        var qpus: QPURegistry
        var threads: Int
        var leaseSeconds: Double = 15
        var version: String?
        /// For qsh's own tests: stop after entering this state (see `qsh worker`'s QSH_TEST_HOLD_AFTER).
        var holdAfter: TaskStatus?
        /// Told once per database outage (shared with the server's other connections).
        var outages: OutageReporter?
    }

    private struct State {
        /// Workers whose thread is running.
        var alive = 0
        /// Asked to claim nothing more.
        var draining = false
        /// Asked to stop at once (the grace period is over).
        var stopReason: String?
        /// Bumped by `wake()`.
        var wakeups = 0
    }

    let settings: Settings
    let log: @Sendable (String) -> Void
    private let state = Mutex(State())
    private let changed = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(settings: Settings, log: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.log = log
    }

    /// How many worker threads are running.
    var alive: Int { state.withLock { $0.alive } }

    /// Starts the threads.
    func start() {
        for index in 0..<settings.count {
            state.withLock { $0.alive += 1 }
            let thread = DispatchQueue(label: "qsh-server.worker.\(index)")
            thread.async { self.run(index: index) }
        }
    }

    /// Tells the idle workers to look for work now.
    func wake() {
        let sleepers = state.withLock { state -> Int in
            state.wakeups &+= 1
            return state.alive
        }
        for _ in 0..<sleepers { changed.signal() }
    }

    /// Claims nothing more; the tasks that run go on.
    func drain() {
        state.withLock { $0.draining = true }
        wake()
    }

    /// Stops the tasks that still run (they end Failed, as under `qsh worker` on SIGTERM).
    func stop(reason: String) {
        state.withLock { $0.stopReason = reason }
        wake()
    }

    /// Waits until every worker thread ended, or `seconds` passed.
    /// - Returns: true when all ended.
    func waitForAll(seconds: Double) -> Bool {
        let deadline = DispatchTime.now() + .milliseconds(Int(max(0, seconds) * 1000))
        while alive > 0 {
            if finished.wait(timeout: deadline) == .timedOut { return alive == 0 }
        }
        return true
    }

    private func run(index: Int) {
        defer {
            state.withLock { $0.alive -= 1 }
            finished.signal()
        }
        let owner = "pid \(getpid()) on \(hostName()) (qsh serve worker \(index + 1))"
        let stop = Cancellation(reason: { [self] in stopReason })
        let store: any TaskRepository
        let heartbeat: LeaseHeartbeat
        let clock: any WallClock
        do {
            store = try Database.open(settings.databasePath)
            // A lost database server is ridden out until the pool is stopped.
            store.keepReconnecting(
                ReconnectPolicy(reporter: settings.outages, giveUp: { [self] _ in stopReason != nil }))
            clock = try Database.clock(for: store, fallback: SystemClock())
            try store.registerWorker(
                owner: owner, pid: Int(getpid()), at: clock.now(), leaseSeconds: settings.leaseSeconds)
            let path = settings.databasePath
            heartbeat = try LeaseHeartbeat(
                owner: owner, leaseSeconds: settings.leaseSeconds,
                open: { try Database.open(path) }, clock: clock)
        } catch {
            log("worker \(index + 1) cannot start: \(Self.describe(error))")
            return
        }
        defer {
            heartbeat.stop()
            try? store.unregisterWorker(owner: owner)
        }
        let hold = settings.holdAfter
        let afterTransition: (@Sendable (String, TaskStatus) -> Void)? =
            hold == nil ? nil : { @Sendable [self] (_: String, to: TaskStatus) in if to == hold { self.holdUntilStopping() } }
        let worker = Worker(
            repository: store, clock: clock, compiler: .openQASM(stop: stop), qpus: settings.qpus,
            options: WorkerOptions(
                owner: owner, leaseSeconds: settings.leaseSeconds, threads: settings.threads, stop: stop,
                afterTransition: afterTransition,
                version: settings.version))
        var lastSweep = clock.now()
        var delay = 0.05
        do {
            _ = try worker.sweep()
            while true {
                let (draining, stopped) = state.withLock { ($0.draining, $0.stopReason != nil) }
                if draining || stopped { break }
                if let task = try worker.runNext() {
                    report(task)
                    delay = 0.05
                    continue
                }
                let now = clock.now()
                if lastSweep.seconds(until: now) >= settings.leaseSeconds {
                    lastSweep = now
                    for task in try worker.sweep() { report(task) }
                }
                // Until a submit here wakes it, or work is announced (PostgreSQL); polling
                // otherwise; at most until the next sweep.
                let limit = settings.leaseSeconds - lastSweep.seconds(until: now)
                _ = worker.waitForWork(delay: delay, limit: limit) { [self] seconds in
                    if seconds > 0 { _ = changed.wait(timeout: .now() + .milliseconds(Int(seconds * 1000))) }
                    return state.withLock { !$0.draining && $0.stopReason == nil }
                }
                delay = min(0.5, delay * 1.5)
            }
        } catch {
            log("worker \(index + 1) stopped: \(Self.describe(error))")
        }
    }

    /// Why the workers were stopped; nil while they may run.
    private var stopReason: String? { state.withLock { $0.stopReason } }

    /// Pauses a worker until the server stops, or for a minute (for qsh's own tests, which
    /// catch a task in a state: `ServerOptions.holdAfter`).
    private func holdUntilStopping() {
        for _ in 0..<600 where state.withLock({ $0.stopReason == nil && !$0.draining }) { usleep(100_000) }
    }

    private func report(_ task: QuantumTask) {
        var line = "task \(task.id) \(task.status.rawValue)"
        if let reason = task.errorReasons.first { line += ": \(reason)" }
        log(line)
    }

    static func describe(_ error: any Error) -> String {
        (error as? any QshError)?.message ?? "\(error)"
    }

    private func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
