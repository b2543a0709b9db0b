// The client protocol: what the task commands ask of tasks, wherever they live. The local
// client (LocalTaskClient.swift) wraps the task service on a database file; an HTTP client
// of `qsh serve` will be the second. A client returns values and throws typed errors
// (QshError); it never prints: the commands render what it returns, at the edge.
import QshCore

/// What the commands do with tasks and QPUs.
protocol TaskClient: AnyObject {
    /// The QPUs tasks can run on, the default first.
    /// - Throws: only when the QPUs cannot be asked (a server out of reach).
    func qpus() throws -> [QPUInfo]

    /// Stores a new Created task and returns it at once; something else runs it.
    func submit(_ submission: TaskSubmission) throws -> SubmitReceipt

    /// PayloadProcessing without storing anything: the verdict the task would get.
    /// - Throws: `Interrupted` when `stop` asked to stop.
    func dryRun(_ submission: TaskSubmission, stop: Cancellation) throws -> DryRunVerdict

    /// The task whose id is, or starts with, `idOrPrefix`.
    /// - Throws: `TaskError.notFound`, `.ambiguousPrefix`, `.invalidID`.
    func get(_ idOrPrefix: String) throws -> QuantumTask

    /// A page of tasks; filters apply before paging.
    func list(_ query: TaskQuery) throws -> TaskPage

    /// The task and its counts (partial while it runs).
    /// - Throws: `TaskError.noResults`, with the error class and reasons of a task that failed.
    func results(_ idOrPrefix: String) throws -> (task: QuantumTask, result: TaskResult)

    /// The task and its event log, oldest first.
    func events(_ idOrPrefix: String) throws -> (task: QuantumTask, events: [TaskEvent])

    /// Cancels a task that has not started executing; a task that ended is left as it is.
    /// - Throws: `TaskError.cancelRefused` once execution has started (completion wins).
    func cancel(_ idOrPrefix: String) throws -> CancelOutcome

    /// Pauses (`paused` true) or resumes a QPU of `qpus()`, and returns its status; after
    /// a resume, something runs the tasks that wait for it.
    /// - Throws: `TaskError.unknownQPU` for an id `qpus()` does not list.
    func setQPUPaused(_ id: String, paused: Bool) throws -> QPUStatus

    /// The status of every QPU of `qpus()`, by id: paused or online, and its queue. With no
    /// task database yet, every QPU is online with nothing queued.
    func qpuStatuses() throws -> [String: QPUStatus]

    /// Where a waiting task (full id) stands in its QPU's queue; nil once it runs or ended.
    func queuePosition(_ id: String) throws -> QueuePosition?

    /// The task with its runs (timings, metrics, metadata) and compile diagnostics.
    func diagnostics(_ idOrPrefix: String) throws -> TaskDiagnostics

    /// Follows tasks (full ids) until every one has ended, `timeout` seconds (`.infinity`:
    /// no limit) have passed, or `pause` returns false. Hands each event to `receive` as it
    /// happens and returns how the following ended.
    /// - Parameter pause: sleeps up to the given seconds between looks; false stops following
    ///   (Ctrl-C, or output nobody reads any more).
    func follow(
        _ ids: [String], timeout: Double, pause: (Double) -> Bool, receive: (FollowEvent) -> Void
    ) throws -> FollowOutcome
}

/// A program to run as a task, and how.
struct TaskSubmission: Sendable {
    /// The program and every file it includes, as read now.
    var program: ProgramSnapshot
    var qpuID: String
    var shots: Int
    /// nil draws a random seed (stored with the task).
    var seed: UInt64?
    var name: String?
    var tags: [String: String] = [:]
}

/// What a submit did: the stored task, and warnings for the user (a worker that could not
/// be started).
struct SubmitReceipt: Sendable {
    var task: QuantumTask
    var warnings: [String] = []
}

/// The verdict of a dry run: ok with the circuit's size, or the failure the task would end in.
struct DryRunVerdict: Sendable {
    var qpuID: String
    var shots: Int
    /// nil when the program would run.
    var errorClass: ErrorClass?
    var reasons: [String] = []
    /// The program's diagnostics when it does not compile.
    var diagnostics: [Diagnostic] = []
    /// The compiled circuit's size, when it compiled.
    var circuit: CircuitSize?

    var ok: Bool { errorClass == nil }
}

/// How big a compiled circuit is.
struct CircuitSize: Sendable, Equatable {
    var qubits: Int
    var clbits: Int
    var operations: Int
}

/// A QPU as a client sees it: what it is called and what it can run.
struct QPUInfo: Sendable, Equatable {
    var id: String
    var summary: String
    var capabilities: QPUCapabilities

    init(id: String, summary: String, capabilities: QPUCapabilities) {
        self.id = id
        self.summary = summary
        self.capabilities = capabilities
    }

    init(_ qpu: any QPU) { self.init(id: qpu.id, summary: qpu.summary, capabilities: qpu.capabilities) }
}

/// Whether a QPU takes work now, and how many tasks wait for it.
struct QPUStatus: Sendable, Equatable {
    var paused: Bool
    /// When it was last paused or resumed; nil when never.
    var since: Timestamp?
    /// Tasks waiting for it (Created, PayloadProcessing, Scheduled).
    var queued: Int

    /// `online` or `paused`, as the JSON gives it.
    var name: String { paused ? "paused" : "online" }
}
