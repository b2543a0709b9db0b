// TaskService: what the commands do with tasks — submit, get, list, cancel, wait,
// results, events — on top of a repository (TaskRepository.swift). Cancel follows the
// lifecycle (idempotent on terminal tasks, refused once execution started, completion
// wins a race). A task read after its worker's lease expired is recovered first.

/// What a cancel request did.
public enum CancelOutcome: Sendable {
    /// The task is now Cancelled.
    case cancelled(QuantumTask)
    /// The task had already ended; nothing changed.
    case alreadyTerminal(QuantumTask)

    /// The task as it is now.
    public var task: QuantumTask {
        switch self {
        case .cancelled(let t), .alreadyTerminal(let t): return t
        }
    }
}

/// How a wait ended, with the tasks as last read.
public enum WaitOutcome: Sendable {
    /// Every task reached a terminal state.
    case finished([QuantumTask])
    /// The timeout ran out first.
    case timedOut([QuantumTask])
    /// The caller's pause function reported an interrupt.
    case interrupted([QuantumTask])

    public var tasks: [QuantumTask] {
        switch self {
        case .finished(let t), .timedOut(let t), .interrupted(let t): return t
        }
    }
}

/// The polling schedule of a wait: exponential backoff from `initial` to `maximum`.
public struct Backoff: Sendable {
    public var initial: Double
    public var factor: Double
    public var maximum: Double

    /// 50 ms, growing by half each poll, capped at 1 s: a local database is cheap to read.
    public init(initial: Double = 0.05, factor: Double = 1.5, maximum: Double = 1.0) {
        self.initial = initial
        self.factor = factor
        self.maximum = maximum
    }

    /// The delay after `delay`.
    public func next(after delay: Double) -> Double { min(maximum, delay * factor) }
}

/// Task operations for the commands. Not Sendable (its repository may not be).
public final class TaskService {
    public let repository: any TaskRepository
    public let clock: any WallClock

    public init(repository: any TaskRepository, clock: any WallClock) {
        self.repository = repository
        self.clock = clock
    }

    /// Builds the task a request describes, without storing it. Its definition id is the
    /// program's content address, so the same program is stored once.
    public func makeTask(_ request: SubmitRequest) throws -> QuantumTask {
        guard request.shots > 0 else { throw TaskError.invalidRequest(reason: "shots must be at least 1") }
        for key in request.tags.keys where key.isEmpty {
            throw TaskError.invalidRequest(reason: "tag keys cannot be empty")
        }
        let now = clock.now()
        var rng = SystemRandomNumberGenerator()
        return QuantumTask(
            id: TaskID.generate(using: &rng), status: .created, qpuID: request.qpuID, shots: request.shots,
            seed: request.seed ?? RunLimits.randomSeed(using: &rng), name: request.name,
            tags: request.tags, definitionID: request.program.definitionID, createdBy: request.createdBy,
            createdDate: now, updatedDate: now)
    }

    /// Stores a new Created task and returns it; it never runs the program.
    public func submit(_ request: SubmitRequest, actor: String = "cli") throws -> QuantumTask {
        try submitReporting(request, actor: actor).task
    }

    /// Stores a new Created task, or, for an idempotency key stored before with the same
    /// request, returns the task that first submit made (`reused` true).
    /// - Throws: `TaskError.idempotencyMismatch` for a key used with another request.
    public func submitReporting(_ request: SubmitRequest, actor: String = "cli") throws
        -> (task: QuantumTask, reused: Bool)
    {
        let task = try makeTask(request)
        guard let key = request.idempotencyKey else {
            try repository.insert(task, program: request.program, actor: actor)
            return (task, false)
        }
        let record = try idempotency(key, [(nil, request)], name: nil)
        if let earlier = try earlierTask(record) { return (earlier, true) }
        do {
            try repository.insert(task, program: request.program, actor: actor, idempotency: record)
            return (task, false)
        } catch TaskError.idempotencyKeyUsed {
            // Another submit stored the key first.
            guard let earlier = try earlierTask(record) else { throw TaskError.idempotencyMismatch(key: key) }
            return (earlier, true)
        }
    }

    /// Checks that `key` can be an idempotency key: 1 to 255 bytes.
    /// - Throws: `TaskError.invalidRequest` otherwise.
    public static func checkIdempotencyKey(_ key: String) throws {
        guard !key.isEmpty, key.utf8.count <= 255 else {
            throw TaskError.invalidRequest(reason: "an idempotency key must be 1 to 255 bytes long")
        }
    }

    /// The record a request with `key` would store (checking the key).
    func idempotency(_ key: String, _ requests: [(label: String?, request: SubmitRequest)], name: String?) throws
        -> IdempotencyRecord
    {
        try Self.checkIdempotencyKey(key)
        return IdempotencyRecord(key: key, fingerprint: IdempotencyRecord.fingerprint(requests, name: name))
    }

    /// The task an earlier submit with the record's key made; nil when the key is new.
    /// - Throws: `TaskError.idempotencyMismatch` when that submit asked for something else.
    func earlierTask(_ record: IdempotencyRecord) throws -> QuantumTask? {
        guard let stored = try repository.idempotencyRecord(key: record.key) else { return nil }
        guard stored.fingerprint == record.fingerprint, let id = stored.taskID, let task = try repository.task(id: id)
        else { throw TaskError.idempotencyMismatch(key: record.key) }
        return try recovered(task)
    }

    /// The task whose id is, or starts with, `idOrPrefix` (recovered first when its
    /// worker's lease has expired).
    /// - Throws: `TaskError.notFound`, `.ambiguousPrefix`, `.invalidID`.
    public func get(_ idOrPrefix: String) throws -> QuantumTask {
        let id = try repository.resolve(idOrPrefix)
        guard let task = try repository.task(id: id) else { throw TaskError.notFound(id: idOrPrefix) }
        return try recovered(task)
    }

    /// A page of tasks (the sweep runs first, when some lease has expired).
    public func list(_ query: TaskQuery) throws -> TaskPage {
        recoverLostTasks()
        return try repository.list(query)
    }

    /// Who the commands' sweeps are, in the event log (`sweep cli`).
    static let sweepActor = "cli"

    /// Runs the recovery sweep: the tasks of workers whose lease expired are settled
    /// (Completed when their run had finished, Failed otherwise). One indexed read when
    /// no lease has expired. A database this process cannot write (read-only, busy) is
    /// left for a worker's sweep: this one is opportunistic.
    /// - Returns: the tasks it settled.
    @discardableResult
    public func recoverLostTasks() -> [QuantumTask] {
        (try? RecoverySweep(repository: repository, clock: clock, actor: Self.sweepActor).run()) ?? []
    }

    /// `task`, or, when its lease expired before now, the task as the sweep left it.
    func recovered(_ task: QuantumTask) throws -> QuantumTask {
        guard !task.status.isTerminal, let expires = task.leaseExpires, expires < clock.now() else { return task }
        recoverLostTasks()
        return try repository.task(id: task.id) ?? task
    }

    /// True when some worker (or one being started) holds a live registration, so that
    /// a Created task will be claimed.
    public func workerIsLive() throws -> Bool { try repository.hasLiveWorker(at: clock.now()) }

    /// The task and its event log.
    public func events(_ idOrPrefix: String) throws -> (QuantumTask, [TaskEvent]) {
        let task = try get(idOrPrefix)
        return (task, try repository.events(taskID: task.id))
    }

    /// The task and its results (final, or partial while running).
    /// - Throws: `TaskError.noResults` when nothing was recorded, and for a task that
    ///   failed (whatever partial counts it left), with its error class and reasons.
    public func results(_ idOrPrefix: String) throws -> (QuantumTask, TaskResult) {
        let task = try get(idOrPrefix)
        if task.status.isUnsuccessful {
            throw TaskError.noResults(
                id: task.id, status: task.status, errorClass: task.errorClass, reasons: task.errorReasons)
        }
        guard let result = try repository.result(taskID: task.id) else {
            throw TaskError.noResults(
                id: task.id, status: task.status, errorClass: task.errorClass, reasons: task.errorReasons)
        }
        return (task, result)
    }

    /// Cancels a task if the lifecycle allows it.
    /// - Throws: `TaskError.cancelRefused` once execution has started (completion wins).
    public func cancel(_ idOrPrefix: String, actor: String = "cli") throws -> CancelOutcome {
        var task = try get(idOrPrefix)
        // Each round either wins the compare-and-set or sees a newer state; the lifecycle
        // is finite, so this ends within a few rounds.
        for _ in 0..<16 {
            if task.status.isTerminal { return .alreadyTerminal(task) }
            guard TaskStateMachine.cancellable.contains(task.status) else {
                throw TaskError.cancelRefused(id: task.id, status: task.status)
            }
            if try repository.transition(
                task.id, from: task.status, to: .cancelled, at: clock.now(), actor: actor,
                detail: "cancelled by the user")
            {
                return .cancelled(try repository.task(id: task.id) ?? task)
            }
            guard let now = try repository.task(id: task.id) else { throw TaskError.notFound(id: task.id) }
            task = now
        }
        throw TaskError.cancelRefused(id: task.id, status: task.status)
    }

    // MARK: QPUs and queues

    /// Pauses (`paused` true) or resumes QPU `qpuID` (an id the caller checked against its
    /// registry): a paused QPU's tasks are compiled, then wait in Scheduled until it is
    /// resumed. Idempotent.
    @discardableResult
    public func setQPUPaused(_ qpuID: String, paused: Bool, actor: String = "cli") throws -> QPUState {
        try repository.setQPUPaused(qpuID, paused: paused, at: clock.now(), actor: actor)
    }

    /// The state of every QPU that was ever paused or resumed, by id (the others run).
    public func qpuStates() throws -> [String: QPUState] {
        Dictionary(try repository.qpuStates().map { ($0.qpuID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Tasks waiting (Created, PayloadProcessing, Scheduled) per QPU.
    public func queueLengths() throws -> [String: Int] { try repository.queueLengths() }

    /// Where a waiting task stands in its QPU's queue; nil once it runs or ended.
    public func queuePosition(taskID: String) throws -> QueuePosition? {
        try repository.queuePosition(taskID: taskID)
    }

    /// What `tasks get --diagnostics` shows: the task, every run (timings, metrics and
    /// metadata in its results), the diagnostics its compile recorded and the name its
    /// program was submitted under.
    public func diagnostics(_ idOrPrefix: String) throws -> TaskDiagnostics {
        let task = try get(idOrPrefix)
        return TaskDiagnostics(
            task: task, runs: try repository.runs(taskID: task.id),
            diagnostics: try repository.diagnostics(taskID: task.id),
            programName: try repository.definition(id: task.definitionID)?.main.name)
    }

    /// Looks until every task is terminal, the timeout runs out, or `pause` reports an
    /// interrupt: again whenever the store announces a change to one of them (its
    /// `changeWaiter`), else polling with `backoff`. `onChange` sees every task whenever its state or shot count changes
    /// (and once at the start). A task whose worker's lease expired is recovered (the
    /// sweep settles it), so a wait never outlasts a lost worker by more than its lease.
    /// `onUnattended` is called once, the first time a task is queued (Created) while no
    /// worker is live: nothing will run it until one starts.
    /// - Parameters:
    ///   - ids: full task ids.
    ///   - timeout: seconds; `.infinity` waits without a limit.
    ///   - pause: sleeps for the given seconds; returns false when interrupted.
    public func waitUntilTerminal(
        ids: [String], timeout: Double, backoff: Backoff = Backoff(), pause: (Double) -> Bool,
        onChange: (QuantumTask) -> Void, onUnattended: (QuantumTask) -> Void = { _ in }
    ) throws -> WaitOutcome {
        let deadline = timeout.isFinite ? clock.now().adding(seconds: max(0, timeout)) : nil
        var seen: [String: (TaskStatus, Int)] = [:]
        var delay = backoff.initial
        var toldUnattended = false
        var listener = ChangeListener(repository)
        while true {
            var current: [QuantumTask] = []
            for id in ids {
                guard let read = try repository.task(id: id) else { throw TaskError.notFound(id: id) }
                let task = try recovered(read)
                current.append(task)
                let key = (task.status, task.shotsDone)
                if seen[id].map({ $0 != key }) ?? true {
                    seen[id] = key
                    onChange(task)
                }
            }
            if current.allSatisfy(\.status.isTerminal) { return .finished(current) }
            if !toldUnattended, let queued = current.first(where: { $0.status == .created }), try !workerIsLive() {
                toldUnattended = true
                onUnattended(queued)
            }
            let now = clock.now()
            if let deadline, now >= deadline { return .timedOut(current) }
            switch listener.pause(ids: ids, until: deadline, now: now, delay: delay, pause: pause) {
            case .interrupted: return .interrupted(current)
            case .lookAgain: break
            case .slept: delay = backoff.next(after: delay)
            }
        }
    }
}

@available(*, unavailable)
extension TaskService: Sendable {}

/// A task's diagnostics: its runs, each with the timings, metrics and metadata it
/// recorded, and the diagnostics of its compile (a refused program's, with line and column).
public struct TaskDiagnostics: Sendable {
    public var task: QuantumTask
    /// First attempt first; empty for a task that never ran.
    public var runs: [TaskRun]
    public var diagnostics: [Diagnostic]
    /// The name of the program's main file as submitted (`program_name` on the wire): the
    /// file of every diagnostic that names none. Nil when it is not known (its definition
    /// is not stored, or an older server did not send it).
    public var programName: String?

    public init(task: QuantumTask, runs: [TaskRun], diagnostics: [Diagnostic], programName: String? = nil) {
        self.task = task
        self.runs = runs
        self.diagnostics = diagnostics
        self.programName = programName
    }
}
