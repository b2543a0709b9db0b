// `qsh worker`: runs tasks in the foreground (or detached, when a submit starts
// it). Registers itself, renews its leases from a heartbeat thread with its own
// connection, sweeps lost workers' tasks at start and periodically, and stops at
// once on SIGINT (status 130) or SIGTERM (0), failing the task it was running; on
// --once when the queue is empty; after --idle-exit seconds without work; and with
// status 1 when its database file is deleted or replaced. On PostgreSQL it sleeps until
// work is announced (LISTEN/NOTIFY) and rides out a server restart or network cut.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import QshCore

enum WorkerCommand {
    static let command = Command(
        name: "worker",
        summary: "Run queued tasks (started on demand by 'tasks submit')",
        synopsis: ["worker [--once] [--idle-exit <seconds>] [--lease <seconds>]"],
        details: """
            Claims Created tasks with a lease, runs them and renews the lease while it works. Tasks whose
            worker was lost (its lease expired) are failed with error_class internal_error, or completed
            when their run had finished. Ctrl-C (SIGINT) or SIGTERM stops it within a fraction of a second,
            in any phase: the task it was running ends Failed with error_class internal_error and a reason
            naming the signal (a run that already finished is recorded first); it then exits 130 after
            SIGINT and 0 after SIGTERM. If its database file is deleted or replaced it stops with status 1.
            """,
        examples: ["qsh worker", "qsh worker --once", "qsh worker --idle-exit 5m"],
        options: [
            OptionSpec("--once", help: "run the tasks waiting now, then exit"),
            OptionSpec("--idle-exit", value: "<seconds>", help: "exit after this long without work"),
            OptionSpec("--lease", value: "<seconds>", help: "lease length (default: 15s)"),
            CommonOptions.database,
        ],
        run: { invocation in try run(invocation) })

    /// For qsh's own tests (with QSH_TEST_QPU=1): QSH_TEST_HOLD_AFTER=<state> makes the
    /// worker pause right after it moves a task into that state, for up to a minute or
    /// until a signal, so that a test can catch it there (and signal or kill it).
    static func testHold(_ environment: [String: String], signals: SignalLatch)
        -> (@Sendable (String, TaskStatus) -> Void)?
    {
        guard environment["QSH_TEST_QPU"] == "1", let name = environment["QSH_TEST_HOLD_AFTER"],
            let state = TaskStatus(rawValue: name)
        else { return nil }
        return { _, to in if to == state { _ = signals.sleep(60) } }
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return cString(buffer)
    }

    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let args = invocation.arguments
        let context = invocation.context
        let lease = try args.duration("--lease") ?? 15
        guard lease >= 0.2, lease <= 86_400 else {
            throw args.error("option '--lease' must be between 0.2s and 1d", option: "--lease")
        }
        let idle = try args.duration("--idle-exit")
        let once = args.has("--once")
        let database = LocalDatabase(invocation)
        let path = try database.path()
        let store = try database.open(.create)
        // On PostgreSQL every machine takes its times from the server's clock.
        let clock: any WallClock = try (store as? PostgresTaskStore)?.databaseClock() ?? SystemClock()
        let owner = "pid \(getpid()) on \(hostName())"
        // Blocked before the heartbeat thread and the simulator's threads start, so every
        // thread inherits the mask and a signal stays pending until the latch takes it.
        let watch = SignalWatch([SIGINT, SIGTERM])
        defer { watch.restore() }
        let signals = SignalLatch([SIGINT, SIGTERM])
        let stop = Cancellation(reason: { signals.signal.map(SignalLatch.name) })
        func log(_ text: String) {
            context.stderr.line("qsh worker: " + text.terminalSafe())
            context.stderr.flush()
        }
        // A lost database server (PostgreSQL restarting, a network cut) is ridden out:
        // one line when it goes, the work it interrupted done again when it is back. Only
        // this thread's connection reports (the heartbeat's is quiet).
        let logOnThisThread = UncheckedLog(log)
        store.keepReconnecting(
            ReconnectPolicy(reporter: OutageReporter { logOnThisThread.write($0) }, giveUp: { _ in signals.signal != nil }))
        try store.registerWorker(owner: owner, pid: Int(getpid()), at: clock.now(), leaseSeconds: lease)
        let heartbeat = try LeaseHeartbeat(
            owner: owner, leaseSeconds: lease, open: { try LocalDatabase.open(path: path, access: .create) },
            clock: clock)
        defer {
            heartbeat.stop()
            try? store.unregisterWorker(owner: owner)
        }
        let worker = Worker(
            repository: store, clock: clock, compiler: .openQASM(stop: stop),
            qpus: Backends.registry(context.environment),
            options: WorkerOptions(
                owner: owner, leaseSeconds: lease, threads: Backends.threads(context.environment), stop: stop,
                afterTransition: testHold(context.environment, signals: signals), version: VersionCommand.version))
        func report(_ task: QuantumTask) {
            var line = "task \(task.id) \(task.status.rawValue)"
            if let reason = task.errorReasons.first { line += ": \(reason)" }
            log(line)
        }
        log("\(owner) started on '\(LocalDatabase.displayName(path))'")
        do {
            for task in try worker.sweep() { report(task) }
            var lastWork = clock.now()
            var lastSweep = clock.now()
            var delay = 0.05
            while signals.signal == nil {
                if let task = try worker.runNext() {
                    report(task)
                    lastWork = clock.now()
                    delay = 0.05
                    continue
                }
                if once { break }
                let now = clock.now()
                if let idle, lastWork.seconds(until: now) >= idle { break }
                if lastSweep.seconds(until: now) >= lease {
                    lastSweep = now
                    for task in try worker.sweep() { report(task) }
                }
                // An idle worker notices a database file that went away within one pause.
                try worker.checkDatabaseFile()
                // Until work is announced (PostgreSQL), else for the polling delay; at most
                // until the next sweep or the idle exit.
                var limit = lease - lastSweep.seconds(until: now)
                if let idle { limit = min(limit, idle - lastWork.seconds(until: now)) }
                if !worker.waitForWork(delay: delay, limit: limit, pause: { signals.sleep($0) == nil }) { break }
                delay = min(0.5, delay * 1.5)
            }
        } catch let error as DatabaseFileChanged {
            log("\(owner) stopped: its database file is gone")
            throw CommandFailure(code: error.code, message: error.message)
        } catch where signals.signal != nil {
            // Stopped while the database could not be reached: the signal decides the status.
        }
        if let signal = signals.signal {
            log("\(owner) stopped by \(SignalLatch.name(signal))")
            return signal == SIGINT ? .interrupted : .ok
        }
        log("\(owner) stopped")
        return .ok
    }
}

/// A log function handed to a Sendable reporter that only the thread which made it calls
/// (the worker's own connection reports its outages on the worker's thread).
struct UncheckedLog: @unchecked Sendable {
    let write: (String) -> Void
    init(_ write: @escaping (String) -> Void) { self.write = write }
}
