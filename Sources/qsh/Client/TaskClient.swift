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

    // MARK: Housekeeping

    /// Deletes tasks with everything of their own; one that has not ended is cancelled
    /// first where it can be, and refuses the deletion otherwise unless `force`.
    /// - Throws: `TaskError.deleteRefused`, and the id errors, before anything is deleted.
    func delete(_ idsOrPrefixes: [String], force: Bool) throws -> [DeletedTask]

    /// Deletes the ended tasks `filter` selects (only finds them with `dryRun`).
    /// - Returns: their ids, oldest end first.
    func prune(_ filter: PruneFilter, dryRun: Bool) throws -> [String]

    /// Hands `write` the export records of the selected tasks, each task's program first.
    /// - Returns: how many tasks were written.
    func export(_ selection: ExportSelection, write: (ArchiveRecord) throws -> Void) throws -> Int

    /// Stores exported records, all or nothing; creates the database when there is none.
    /// - Throws: `ImportError.duplicate` (unless `skipExisting`), `.invalid`.
    func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary

    /// The store's health now; nothing is changed (no sweep).
    func health() throws -> StoreHealth

    // MARK: Batches, re-runs, history

    /// Stores a batch (one task per item, all or none) and returns it at once.
    /// - Throws: `TaskError.invalidRequest` (a label twice, no items), `.idempotencyMismatch`.
    func submitBatch(_ submission: BatchSubmission) throws -> BatchReceipt

    /// Submits a new task from an earlier one's settings with the overrides applied.
    func rerun(_ idOrPrefix: String, _ rerun: RerunSubmission) throws -> SubmitReceipt

    /// The lineage of a task: its first task and every re-run, oldest first.
    func history(_ idOrPrefix: String) throws -> TaskHistory

    /// The batch whose id is, or starts with, `idOrPrefix`, with its counts per state.
    /// - Throws: `TaskError.batchNotFound`, `.ambiguousBatchPrefix`, `.invalidBatchID`.
    func batch(_ idOrPrefix: String) throws -> BatchSummary

    /// The batch with its items in order.
    func batchDetail(_ idOrPrefix: String) throws -> BatchDetail

    /// A page of batches, newest first.
    func batches(limit: Int, page: Int) throws -> BatchPage

    /// The counts of every item that completed and why the others have none, in one call.
    func batchResults(_ idOrPrefix: String) throws -> BatchResults

    /// Cancels every item of the batch that has not started executing.
    func cancelBatch(_ idOrPrefix: String) throws -> BatchCancelOutcome

    /// Follows a batch (full id) until every item has ended, `timeout` seconds have passed
    /// or `pause` returns false; `receive` sees the batch whenever its counts change,
    /// `unattended` once when an item is queued and no worker is running.
    func followBatch(
        _ id: String, timeout: Double, pause: (Double) -> Bool, receive: (BatchSummary) -> Void,
        unattended: (BatchSummary) -> Void
    ) throws -> BatchWaitOutcome
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
    /// A retry with the same key returns the task the first submit made.
    var idempotencyKey: String?
}

/// What a submit did: the stored task, and warnings for the user (a worker that could not
/// be started).
struct SubmitReceipt: Sendable {
    var task: QuantumTask
    var warnings: [String] = []
    /// True when an idempotency key returned the task an earlier submit made.
    var reused = false
}

/// Several programs to run as one batch, each item with its label.
struct BatchSubmission: Sendable {
    var name: String?
    var items: [(label: String, submission: TaskSubmission)]
    var idempotencyKey: String?
}

/// What a batch submit did.
struct BatchReceipt: Sendable {
    var summary: BatchSummary
    var warnings: [String] = []
    /// True when an idempotency key returned the batch an earlier submit made.
    var reused = false
}

/// What a re-run changes; nil keeps the earlier task's value.
struct RerunSubmission: Sendable {
    var shots: Int?
    var seed: UInt64?
    var newSeed = false
    var qpuID: String?
    var program: ProgramSnapshot?
}

// DryRunVerdict, CircuitSize, QPUInfo and QPUStatus live in QshCore (Wire/), where the
// server encodes them too.
