// The worker: claims Created tasks with a lease and drives each one through
// PayloadProcessing (compile, check against the QPU), Scheduled, ExecutionStarted
// (partial counts as shots complete), ExecutionCompleted and Completed, or ends it
// in PayloadProcessingError or Failed. The compile step and the QPUs are injected.
// A stop request ends the current task Failed at once; a database file deleted or
// replaced under the worker stops it before it records anything more.

/// Why a program could not be compiled or run: its diagnostics (when the front end
/// found them), the reasons stored in `error_reasons`, and the failure's class.
public struct CompileFailure: Error, Sendable {
    public var errorClass: ErrorClass
    public var diagnostics: [Diagnostic]
    /// One line per error, as stored in `error_reasons`.
    public var reasons: [String]

    /// A failure found by the front end: the reasons are its errors.
    public init(errorClass: ErrorClass, diagnostics: [Diagnostic]) {
        self.errorClass = errorClass
        self.diagnostics = diagnostics
        reasons = Self.reasons(of: diagnostics)
    }

    /// A failure without diagnostics (a QPU's limit, a QPU that is not there).
    public init(errorClass: ErrorClass, reasons: [String]) {
        self.errorClass = errorClass
        diagnostics = []
        self.reasons = reasons
    }

    /// One `file:line:col: message (note: ...)` line per error (per diagnostic when none
    /// is an error): what `qsh qasm check` prints, notes included, on one line.
    public static func reasons(of diagnostics: [Diagnostic]) -> [String] {
        let errors = diagnostics.filter { $0.severity == .error }
        return (errors.isEmpty ? diagnostics : errors).map { d in
            "\(d.location): \(d.message)" + d.notes.map { " (note: \($0))" }.joined()
        }
    }
}

/// The compile step: a program and the files it included at submit time to a circuit,
/// or diagnostics. It must not read files: the snapshot is the whole input.
public struct TaskCompiler: Sendable {
    public var compile: @Sendable (_ program: ProgramSnapshot) -> Result<Circuit, CompileFailure>

    public init(_ compile: @escaping @Sendable (_ program: ProgramSnapshot) -> Result<Circuit, CompileFailure>) {
        self.compile = compile
    }
}

/// How a worker runs.
public struct WorkerOptions: Sendable {
    /// The lease owner id, unique per worker process, e.g. `pid 4242 on host`.
    public var owner: String
    /// How long a lease lasts unless renewed.
    public var leaseSeconds: Double
    /// Threads handed to the QPU.
    public var threads: Int
    /// The precision of every run; nil (the default) runs each QPU in its own.
    public var precision: Precision?
    /// Least time between two progress writes.
    public var progressInterval: Double
    /// Asked in every phase of a task (and handed to the QPU); when it asks to stop, the
    /// task ends Failed with `internal_error` and a reason naming the stop, and the
    /// worker claims nothing more. A run that already finished is still recorded.
    public var stop: Cancellation
    /// qsh's version, recorded in each run's metadata (`qsh_version`); nil leaves it out.
    public var version: String?
    /// Called after the worker moved a task into a state (its claim included), with the
    /// task's id and the state: for tests that must catch a task in a given state.
    public var afterTransition: (@Sendable (_ taskID: String, _ to: TaskStatus) -> Void)?

    public init(
        owner: String, leaseSeconds: Double = 15, threads: Int = 1, precision: Precision? = nil,
        progressInterval: Double = 0.2, stop: Cancellation = .never,
        afterTransition: (@Sendable (_ taskID: String, _ to: TaskStatus) -> Void)? = nil, version: String? = nil
    ) {
        self.version = version
        self.owner = owner
        self.leaseSeconds = leaseSeconds
        self.threads = threads
        self.precision = precision
        self.progressInterval = progressInterval
        self.stop = stop
        self.afterTransition = afterTransition
    }
}

/// Claims and runs tasks. Not Sendable (its repository may not be); one per thread.
public final class Worker {
    public let repository: any TaskRepository
    public let clock: any WallClock
    public let compiler: TaskCompiler
    public let qpus: QPURegistry
    public let options: WorkerOptions
    /// The store's announcements of new work, once asked for (nil: the store makes none).
    private var waiter: (any TaskChangeWaiter)?
    private var askedForWaiter = false

    /// - Parameter repository: the repository to claim from; its storage is checked (see
    ///   `checkDatabaseFile`) before every claim, transition and sweep, and as a run
    ///   progresses.
    public init(
        repository: any TaskRepository, clock: any WallClock, compiler: TaskCompiler, qpus: QPURegistry,
        options: WorkerOptions
    ) {
        self.repository = repository
        self.clock = clock
        self.compiler = compiler
        self.qpus = qpus
        self.options = options
    }

    var actor: String { "worker \(options.owner)" }

    /// Checks that the database path still names the file the repository has open.
    /// - Throws: `DatabaseFileChanged` when it was deleted or replaced.
    public func checkDatabaseFile() throws(DatabaseFileChanged) {
        try repository.checkStorage()
    }

    /// Settles the tasks of lost workers (RecoverySweep).
    /// - Throws: `DatabaseFileChanged` when the database file is gone.
    @discardableResult
    public func sweep() throws -> [QuantumTask] {
        try checkDatabaseFile()
        return try RecoverySweep(repository: repository, clock: clock, actor: options.owner).run()
    }

    /// Claims the oldest Created task and runs it to its end.
    /// - Returns: the task as it ended, or nil when none was waiting (or a stop was asked for).
    /// - Throws: `DatabaseFileChanged` when the database file was deleted or replaced
    ///   (before the claim, or while the task ran: its run is then lost with the file).
    public func runNext() throws -> QuantumTask? {
        if options.stop.isRequested { return nil }
        try checkDatabaseFile()
        guard let task = try repository.claimNext(owner: options.owner, at: clock.now(), leaseSeconds: options.leaseSeconds)
        else { return nil }
        options.afterTransition?(task.id, task.status)
        do {
            try process(task)
        } catch var error as DatabaseFileChanged {
            // Nothing written now would be seen: leave the old file as it is.
            error.taskID = task.id
            throw error
        } catch {
            // Never leave a claimed task behind: fail it now if the repository still lets us,
            // otherwise its lease runs out and the sweep fails it.
            if let now = try? repository.task(id: task.id), !now.status.isTerminal {
                _ = try? repository.transition(
                    task.id, from: now.status, to: .failed, at: clock.now(), actor: actor,
                    detail: "worker error",
                    changes: TaskChanges(errorClass: .internalError, errorReasons: ["worker error: \(error)"]))
            }
            throw error
        }
        // A task deleted under the worker (`tasks delete --force`) is still one it ran:
        // nil would tell `drain` that nothing was waiting.
        return try repository.task(id: task.id) ?? task
    }

    /// Pauses an idle worker until work may be waiting. On a store that announces changes
    /// (PostgreSQL's NOTIFY), until a task is created or a paused QPU resumed, or at most
    /// `limit` seconds (and the waiter's fallback poll); otherwise for `delay` (capped by
    /// `limit`), polling. The first call only starts listening and returns at once, for the
    /// caller to claim again (a task created before it listened was not announced to it).
    /// - Parameter pause: sleeps up to the given seconds (0: only asks); false stops waiting.
    /// - Returns: false when `pause` asked to stop.
    public func waitForWork(delay: Double, limit: Double, pause: (Double) -> Bool) -> Bool {
        if !askedForWaiter {
            askedForWaiter = true
            // A store that cannot listen now is polled.
            waiter = (try? repository.changeWaiter()) ?? nil
            if waiter != nil { return pause(0) }
        }
        guard let waiter else { return pause(max(0, min(delay, limit))) }
        let seconds = max(0, min(limit, waiter.fallbackPoll))
        return waiter.wait(seconds: seconds, for: .work, pause: pause) != .interrupted
    }

    /// Runs tasks until none is waiting.
    /// - Returns: how many tasks it ran.
    @discardableResult
    public func drain() throws -> Int {
        var count = 0
        while try runNext() != nil { count += 1 }
        return count
    }

    /// Moves `task` on; false when someone else moved it first (a cancel), in which
    /// case the worker lets the task go.
    /// - Throws: `DatabaseFileChanged` when the database file is gone (nothing is written).
    private func move(
        _ task: QuantumTask, _ from: TaskStatus, _ to: TaskStatus, detail: String? = nil,
        changes: TaskChanges = TaskChanges()
    ) throws -> Bool {
        try checkDatabaseFile()
        let moved = try repository.transition(
            task.id, from: from, to: to, at: clock.now(), actor: actor, detail: detail, changes: changes)
        if moved {
            options.afterTransition?(task.id, to)
        } else {
            try repository.releaseLease(id: task.id, owner: options.owner)
        }
        return moved
    }

    private func fail(
        _ task: QuantumTask, from: TaskStatus, to: TaskStatus, _ errorClass: ErrorClass, _ reasons: [String],
        diagnostics: [Diagnostic] = []
    ) throws {
        _ = try move(
            task, from, to, detail: reasons.first,
            changes: TaskChanges(errorClass: errorClass, errorReasons: reasons, diagnostics: diagnostics))
    }

    /// The reason recorded for a task whose worker was asked to stop.
    public static func interruptionReason(owner: String, stop: String, status: TaskStatus) -> String {
        "worker '\(owner)' was interrupted (\(stop)) while the task was \(status.rawValue)"
    }

    /// Ends `task` Failed (`internal_error`) because the worker was asked to stop.
    private func interrupted(_ task: QuantumTask, from: TaskStatus, _ why: String) throws {
        try fail(
            task, from: from, to: .failed, .internalError,
            [Self.interruptionReason(owner: options.owner, stop: why, status: from)])
    }

    /// Drives a claimed task to a terminal state: a PayloadProcessing one from its compile,
    /// a Scheduled one (held while its QPU was paused, claimed again) from its run, compiled
    /// again from its stored program. A task whose QPU is paused when it is Scheduled is
    /// left there unheld (`holdIfPaused`), for a claim after the QPU is resumed.
    public func process(_ task: QuantumTask) throws {
        let claimed = clock.now()
        let phase = task.status == .scheduled ? TaskStatus.scheduled : .payloadProcessing
        guard let definition = try repository.definition(id: task.definitionID) else {
            return try fail(task, from: phase, to: .failed, .internalError, ["the task's program is missing"])
        }
        // PayloadProcessing: parse, check, lower (from the stored program and includes
        // only), then check against the QPU. The compile step was made with the same stop
        // request: a compile or check it stopped is an interruption, not a faulty program.
        let request: RunRequest
        let qpu: any QPU
        let prepared = Self.prepare(
            definition, qpuID: task.qpuID, shots: task.shots, seed: task.seed, compiler: compiler, qpus: qpus,
            threads: options.threads, precision: options.precision, stop: options.stop)
        if let why = options.stop.reason() { return try interrupted(task, from: phase, why) }
        switch prepared {
        case .success(let prepared):
            request = prepared.request
            qpu = prepared.qpu
        case .failure(let failure):
            // A held task compiled when it was scheduled; what changed since is qsh's.
            return try fail(
                task, from: phase, to: phase == .scheduled ? .failed : .payloadProcessingError,
                failure.errorClass, failure.reasons, diagnostics: failure.diagnostics)
        }
        let compiled = clock.now()

        if phase == .payloadProcessing {
            let compilation = Compilation(
                id: TaskID.generate(), definitionID: task.definitionID, qpuID: qpu.id, created: compiled,
                circuit: request.circuit)
            guard try move(task, .payloadProcessing, .scheduled, changes: TaskChanges(compilation: compilation)) else {
                return
            }
            // A paused QPU: the task waits in Scheduled, held by no worker.
            if try repository.holdIfPaused(id: task.id, owner: options.owner) { return }
        }
        if let why = options.stop.reason() { return try interrupted(task, from: .scheduled, why) }
        guard try move(task, .scheduled, .executionStarted) else { return }

        // ExecutionStarted: run, writing progress and renewing the lease as shots complete.
        // A database file gone stops the run (its results could not be kept).
        let started = clock.now()
        var lastWrite = started
        var lastRenewal = started
        var lostFile: DatabaseFileChanged?
        let outcome: Result<RunResult, Error>
        do {
            let result = try qpu.run(request) { progress in
                let now = clock.now()
                guard lastWrite.seconds(until: now) >= options.progressInterval
                else { return true }
                lastWrite = now
                do throws(DatabaseFileChanged) {
                    try checkDatabaseFile()
                } catch {
                    lostFile = error
                    return false
                }
                do {
                    try repository.recordProgress(
                        id: task.id, shotsDone: progress.shotsDone,
                        partial: progress.partial.isEmpty ? nil : progress.partial, at: now)
                    if lastRenewal.seconds(until: now) >= options.leaseSeconds / 3 {
                        lastRenewal = now
                        try repository.renewLeases(owner: options.owner, at: now, leaseSeconds: options.leaseSeconds)
                    }
                } catch {
                    // A busy database must not stop the run: progress is advisory, the
                    // next write (and the final one) carry the whole state again.
                }
                return true
            }
            outcome = .success(result)
        } catch {
            outcome = .failure(error)
        }
        let finished = clock.now()
        if let lostFile { throw lostFile }

        switch outcome {
        case .failure(let error as QPUError) where error.isInterruption:
            return try interrupted(task, from: .executionStarted, options.stop.reason() ?? "interrupted")
        case .failure(let error as QPUError):
            return try fail(task, from: .executionStarted, to: .failed, error.errorClass, [error.message])
        case .failure(let error):
            return try fail(task, from: .executionStarted, to: .failed, .executionError, ["\(error)"])
        case .success(let run):
            let result = TaskResult(
                taskID: task.id, shots: task.shots, shotsDone: run.shots, partial: false, registers: run.registers,
                timings: Self.timings(
                    created: task.createdDate, claimed: claimed, compiled: compiled, started: started,
                    finished: finished, run: run.timings),
                metrics: Self.metricsJSON(run.metrics, circuit: request.circuit),
                metadata: Self.metadataJSON(run.metadata, qpu: qpu.id, request: request, version: options.version))
            guard
                try move(
                    task, .executionStarted, .executionCompleted,
                    changes: TaskChanges(shotsDone: run.shots, result: result))
            else { return }
            _ = try move(task, .executionCompleted, .completed)
        }
    }

    /// Seconds rounded to the microsecond, so the stored JSON stays short.
    static func microseconds(_ seconds: Double) -> Double { (seconds * 1_000_000).rounded() / 1_000_000 }

    /// A run's timings, in seconds: `queued` (waiting for a worker and, held, for a paused
    /// QPU: the total less compiling and executing), `compile` (this run's compile),
    /// `execute` (the QPU's run, of which `simulate` and `sample` are parts) and `total`
    /// (from submission to the end of the run).
    static func timings(
        created: Timestamp, claimed: Timestamp, compiled: Timestamp, started: Timestamp, finished: Timestamp,
        run: RunTimings
    ) -> [(String, Double)] {
        let total = created.seconds(until: finished)
        let compile = claimed.seconds(until: compiled), execute = started.seconds(until: finished)
        return [
            ("queued", Self.microseconds(max(0, total - compile - execute))),
            ("compile", compile),
            ("execute", execute),
            ("simulate", Self.microseconds(run.simulate)),
            ("sample", Self.microseconds(run.sample)),
            ("total", total),
        ]
    }

    /// The metrics of a run: qubits, clbits, depth; `gates` (the circuit's operations by
    /// name before fusion: gates, measure, reset, barrier, as `qasm check` counts them),
    /// `gate_count` (gates alone) and `fused_gates` (the blocks applied after fusion);
    /// `two_qubit_gates` and `multi_qubit_gates` (three or more qubits).
    static func metricsJSON(_ m: CircuitMetrics, circuit: Circuit) -> JSONValue {
        .object([
            ("qubits", .int(m.qubits)),
            ("clbits", .int(m.clbits)),
            ("depth", .int(m.depth)),
            ("gates", .object(m.gateCounts.keys.sorted().map { ($0, .int(m.gateCounts[$0] ?? 0)) })),
            ("gate_count", .int(m.gateCount)),
            ("fused_gates", .int(m.fusedGates)),
            ("two_qubit_gates", .int(m.twoQubitGates)),
            ("multi_qubit_gates", .int(m.multiQubitGates)),
        ])
    }

    /// The metadata of a run: the QPU's own (simulator, method, SIMD level...) and the
    /// run's seed, threads and precision, with qsh's version when the worker was given it.
    static func metadataJSON(
        _ metadata: [String: String], qpu: String, request: RunRequest, version: String? = nil
    ) -> JSONValue {
        var members: [(String, JSONValue)] = [("qpu_id", .string(qpu))]
        var defaults: [String: String] = [
            "seed": String(request.seed), "threads": String(request.threads), "precision": request.precision.rawValue,
        ]
        if let version { defaults["qsh_version"] = version }
        for (k, v) in metadata { defaults[k] = v }
        // Counts and the seed are JSON numbers, as the task's own `seed` is.
        for key in defaults.keys.sorted() {
            let value = defaults[key] ?? ""
            members.append((key, Int(value).map { .int($0) } ?? .string(value)))
        }
        return .object(members)
    }
}

@available(*, unavailable)
extension Worker: Sendable {}
