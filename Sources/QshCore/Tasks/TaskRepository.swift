// The repository protocol: everything the service, the worker and the sweep ask of where
// tasks are kept. Store/SQLiteTaskStore.swift conforms; the contract suite
// (TaskRepositoryContractTests) says what every conformance must do. No SQL here.

/// Where tasks, their programs, events, runs and diagnostics live, and the worker
/// registry. Every state change is a compare-and-set plus its event row, written at
/// once or not at all; a transition the state machine lacks is refused before anything
/// is written. Not Sendable in general: a conformance may hold a connection that
/// belongs to one thread.
public protocol TaskRepository: AnyObject {
    // MARK: Tasks and what they hold

    /// Stores a new task, its program (with the files it includes), its creation event
    /// and, when given, its idempotency key, at once or not at all. A program already
    /// stored under the task's `definitionID` (the same content, see
    /// `ProgramSnapshot.definitionID`) is shared, not stored again. A task with `rerunOf`
    /// joins the lineage of that task.
    /// - Throws: `TaskError.idempotencyKeyUsed` when the key is stored already (nothing
    ///   is written).
    func insert(_ task: QuantumTask, program: ProgramSnapshot, actor: String, idempotency: IdempotencyRecord?) throws

    /// Stores several tasks as `insert` does, each at once or not at all, in as few
    /// writes as the store can (the SQLite store: one transaction, so one sync).
    /// - Returns: per insertion, in order: nil when it was stored, else why it was not
    ///   (`TaskError.idempotencyKeyUsed`, ...); one insertion's failure leaves the others.
    /// - Throws: when the shared write failed as a whole (nothing was stored).
    func insertMany(_ insertions: [TaskInsertion]) throws -> [(any Error)?]

    /// The task with exactly this id, or nil.
    func task(id: String) throws -> QuantumTask?

    /// The full id of the one task whose id starts with `prefix` (case-insensitive).
    /// - Throws: `TaskError.invalidID`, `.notFound` or `.ambiguousPrefix` (up to 10
    ///   candidates, in id order).
    func resolve(_ prefix: String) throws -> String

    /// One page of tasks matching `query`, and how many match.
    func list(_ query: TaskQuery) throws -> TaskPage

    /// The task's events, oldest first.
    func events(taskID: String) throws -> [TaskEvent]

    /// The results of the task's latest run (final, or partial while it runs), or nil
    /// when it has reported no counts.
    func result(taskID: String) throws -> TaskResult?

    /// The task's runs, first attempt first. A run begins when the task enters
    /// ExecutionStarted and ends when it leaves it.
    func runs(taskID: String) throws -> [TaskRun]

    /// The diagnostics recorded for the task, in order.
    func diagnostics(taskID: String) throws -> [Diagnostic]

    /// The program of a definition, as it was submitted; nil when there is none.
    func definition(id: String) throws -> ProgramSnapshot?

    /// The compilation with this id, or nil.
    func compilation(id: String) throws -> Compilation?

    // MARK: Batches, lineages, idempotency keys

    /// Stores a batch and every item's task (`batchID` and `batchLabel` set), with their
    /// programs, creation events and the batch's idempotency key: all or none.
    /// - Throws: `TaskError.invalidRequest` for a label used twice,
    ///   `TaskError.idempotencyKeyUsed` when the key is stored already.
    func insertBatch(
        _ batch: Batch, items: [(task: QuantumTask, program: ProgramSnapshot)], actor: String,
        idempotency: IdempotencyRecord?
    ) throws

    /// The batch with exactly this id, or nil.
    func batch(id: String) throws -> Batch?

    /// The full id of the one batch whose id starts with `prefix` (case-insensitive).
    /// - Throws: `TaskError.invalidBatchID`, `.batchNotFound` or `.ambiguousBatchPrefix`.
    func resolveBatch(_ prefix: String) throws -> String

    /// How many items of the batch are in each state (states without items absent).
    func batchCounts(batchID: String) throws -> [TaskStatus: Int]

    /// The batch's items in the order they were submitted.
    func batchItems(batchID: String) throws -> [BatchItem]

    /// Every item of the batch in order, with its latest run's results (nil when it has
    /// none), read at once.
    func batchResults(batchID: String) throws -> [(item: BatchItem, result: TaskResult?)]

    /// One page of batches, newest first, with their counts, and how many there are;
    /// only `createdBy`'s batches when it is given.
    func listBatches(limit: Int, page: Int, createdBy: String?) throws -> BatchPage

    /// The first task of the task's lineage and every task of the lineage (the first
    /// and every re-run made from it or from its re-runs), oldest first; nil when no
    /// task has this id.
    func lineage(taskID: String) throws -> (root: String, tasks: [QuantumTask])?

    /// What the idempotency key made, or nil when it is not stored.
    func idempotencyRecord(key: String) throws -> IdempotencyRecord?

    // MARK: State changes

    /// Moves a task if it is still in `transition.from`: the state machine's check,
    /// the compare-and-set, the event row and the payload (compilation, diagnostics,
    /// results, error, shots, lease). Entering ExecutionStarted opens a new run (the
    /// next attempt, by the task's lease owner); leaving it ends that run. A terminal
    /// state drops the lease and sets `endedDate`.
    /// - Returns: false when the task was no longer in `from` (nothing was written).
    /// - Throws: `TaskError.illegalTransition` for an edge the graph lacks.
    @discardableResult
    func transition(_ transition: TaskTransition) throws -> Bool

    /// Claims a task for `owner` with a lease until `at + leaseSeconds`: first the oldest
    /// Scheduled task no worker holds whose QPU is not paused (a task held while its QPU
    /// was paused; it stays Scheduled, the claim records no event), else the oldest Created
    /// task, which moves to PayloadProcessing. A claim that loses its compare-and-set to
    /// another claimer tries the next candidate (`TaskClaim`): nil means no task was waiting.
    func claimNext(owner: String, at: Timestamp, leaseSeconds: Double) throws -> QuantumTask?

    /// Atomically: when the QPU of task `id` is paused and `owner` holds the task in
    /// Scheduled, drops the lease (the task waits, unheld, until the QPU is resumed and a
    /// claim takes it again) and returns true; otherwise changes nothing and returns false.
    func holdIfPaused(id: String, owner: String) throws -> Bool

    /// Records progress while the task is ExecutionStarted (nothing otherwise): shots
    /// done and, when given, the partial counts of its current run.
    func recordProgress(id: String, shotsDone: Int, partial: [RegisterCounts]?, at: Timestamp) throws

    /// Extends every lease `owner` holds (and its registration) to `at + leaseSeconds`.
    /// - Returns: how many task leases were renewed.
    @discardableResult
    func renewLeases(owner: String, at: Timestamp, leaseSeconds: Double) throws -> Int

    /// Drops `owner`'s lease on a task (one that was cancelled under the worker).
    func releaseLease(id: String, owner: String) throws

    /// Settles every non-terminal task whose lease expired before `at` (its worker is
    /// gone), each re-checked as it is moved so that a lease renewed meanwhile is left
    /// alone: a task in ExecutionCompleted whose latest run has complete results (not
    /// partial, every shot) becomes Completed with `completed(task)` as the event's
    /// detail; any other becomes Failed with `internal_error` and `reason(task)`.
    /// - Returns: the tasks it settled, as they are now.
    func recoverExpiredLeases(
        at: Timestamp, actor: String, reason: (QuantumTask) -> String, completed: (QuantumTask) -> String
    ) throws -> [QuantumTask]

    // MARK: QPUs

    /// Pauses (`paused` true) or resumes QPU `qpuID`, recording when and by whom, and
    /// returns its state. Pausing a paused QPU (or resuming a running one) changes nothing.
    @discardableResult
    func setQPUPaused(_ qpuID: String, paused: Bool, at: Timestamp, actor: String) throws -> QPUState

    /// The state of every QPU that was ever paused or resumed, by id; a QPU not listed runs.
    func qpuStates() throws -> [QPUState]

    /// Where task `id` stands in its QPU's queue (the QPU's Created, PayloadProcessing and
    /// Scheduled tasks in order of creation), or nil when it is not waiting (or not there).
    func queuePosition(taskID id: String) throws -> QueuePosition?

    /// How many tasks wait (Created, PayloadProcessing, Scheduled) for each QPU that has any.
    func queueLengths() throws -> [String: Int]

    // MARK: Workers

    /// Records a running worker until `at + leaseSeconds` (replacing a launcher's
    /// placeholder) and drops expired registrations.
    func registerWorker(owner: String, pid: Int, at: Timestamp, leaseSeconds: Double) throws

    /// Removes a worker's registration when it exits.
    func unregisterWorker(owner: String) throws

    /// True when some worker (or one being started) holds a registration that has not
    /// expired at `at`.
    func hasLiveWorker(at: Timestamp) throws -> Bool

    /// Atomically: when no worker is live, records a placeholder valid for `seconds` and
    /// returns true (the caller then starts one); otherwise returns false.
    func reserveWorkerStart(at: Timestamp, seconds: Double) throws -> Bool

    // MARK: Housekeeping

    /// Deletes the tasks with these ids, each with every row of its own (tags, events,
    /// runs, diagnostics), and the compilations and program definitions that no remaining
    /// task uses (a definition another task shares stays): all of them or none.
    /// - Parameter unfinished: also deletes tasks that have not ended; otherwise one such
    ///   task refuses the whole deletion.
    /// - Throws: `TaskError.notFound` for an id not stored, `.deleteRefused` for a task
    ///   that has not ended (without `unfinished`); nothing is deleted then.
    func delete(ids: [String], unfinished: Bool) throws

    /// The ended tasks `filter` selects, oldest end first, deleted as `delete` does (in
    /// one transaction) unless `dryRun`.
    /// - Returns: their ids.
    func prune(_ filter: PruneFilter, dryRun: Bool) throws -> [String]

    /// The task with this id and every row of its own, as a record to export; nil when
    /// there is no such task.
    func exportTask(id: String) throws -> ArchiveRecord?

    /// The program definition with this id (its bytes and includes) as a record; nil when
    /// there is none.
    func exportDefinition(id: String) throws -> ArchiveRecord?

    /// Stores the task records of `records`, each with the definition it needs (from the
    /// database, else from the definition records), in one transaction: all or nothing.
    /// Stored values are written as they are (ids, times, events, runs), so the tasks read
    /// back as they were exported. A shared row already stored (a definition, a
    /// compilation) is kept; an event number already taken is assigned anew, in order.
    /// - Parameter skipExisting: leaves a task that is already stored as it is instead of
    ///   refusing the import.
    /// - Throws: `ImportError.duplicate` for a task already stored, `.invalid` for a record
    ///   that does not fit (a table or column this store lacks, a row it refuses).
    func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary

    /// The store's health at `at`: schema, size, integrity check, workers and their leases,
    /// counts per state and the tasks stranded past their lease. It changes nothing (no
    /// sweep), so what it finds is still there to see. Without `checkIntegrity` the
    /// integrity check (a read of every page) is skipped and `integrity` is empty: the
    /// cheap report a server's /health and /metrics make on every request.
    func health(at: Timestamp, checkIntegrity: Bool) throws -> StoreHealth

    // MARK: API tokens

    /// Makes a token for `user` with `scope`, valid until `expires` (nil: for ever), and
    /// returns it with its secret: `qsh_` and 40 base62 characters, and its id, drawn from
    /// `rng` (`createToken(user:scope:expires:now:)` uses the system's cryptographic
    /// generator). Only the secret's SHA-256 is stored, so the secret cannot be shown again.
    /// - Throws: `TaskError.invalidRequest` for a user name that is not 1 to 64 of
    ///   A-Z a-z 0-9 . _ @ - (nothing is stored).
    func createToken<R: RandomNumberGenerator>(
        user: String, scope: TokenScope, expires: Timestamp?, now: Timestamp, using rng: inout R
    ) throws -> (token: AccessToken, secret: String)

    /// Every token, revoked and expired ones too, oldest first.
    func tokens() throws -> [AccessToken]

    /// Revokes the one token whose id starts with `idOrPrefix` (case-insensitive) at `now`.
    /// A token revoked before stays as it was (its `revoked` date is the first revocation's).
    /// - Returns: the token as it is now, and whether this call revoked it (false when it
    ///   was revoked already, even by another call in the same millisecond).
    /// - Throws: `TaskError.invalidTokenID`, `.tokenNotFound` or `.ambiguousTokenPrefix`.
    func revokeToken(_ idOrPrefix: String, now: Timestamp) throws -> (token: AccessToken, revokedNow: Bool)

    /// The token whose secret this is, when it is neither revoked nor expired at `now`;
    /// nil otherwise (unknown, malformed, revoked or expired: the caller cannot tell which,
    /// and should not). The stored digest is found by the secret's SHA-256 and compared with
    /// it in constant time. Records `now` as its last use when the one stored is a minute
    /// old or more (`AccessToken.lastUsedResolution`), so that most requests only read.
    func authenticate(secret: String, now: Timestamp) throws -> AccessToken?

    // MARK: Long-lived processes

    /// A waiter on this store's announcements of task changes, listening from now; nil when
    /// the store announces none (SQLite: its callers poll with backoff).
    /// - Throws: when the waiter's own connection cannot be made.
    func changeWaiter() throws -> (any TaskChangeWaiter)?

    /// Makes the store ride out losing its database server as `policy` says: reconnect
    /// with backoff and run the interrupted work again (for workers and servers). A store
    /// with no connection to lose (SQLite) ignores it.
    func keepReconnecting(_ policy: ReconnectPolicy)

    // MARK: The storage

    /// Checks that the storage this repository opened is still the one its name leads
    /// to, for a long-lived process (a worker) to stop before it writes where nothing
    /// else would read. Storage without such a notion (in memory) always passes.
    /// - Throws: `DatabaseFileChanged` when the database file was deleted or replaced.
    func checkStorage() throws(DatabaseFileChanged)
}

extension TaskRepository {
    /// No announcements: callers poll.
    public func changeWaiter() throws -> (any TaskChangeWaiter)? { nil }

    /// Nothing to reconnect.
    public func keepReconnecting(_ policy: ReconnectPolicy) {}

    /// `insert(_:program:actor:idempotency:)` without an idempotency key.
    public func insert(_ task: QuantumTask, program: ProgramSnapshot, actor: String) throws {
        try insert(task, program: program, actor: actor, idempotency: nil)
    }

    /// `createToken(user:scope:expires:now:using:)` with the system's cryptographic generator:
    /// the token and its secret, which only the caller ever sees.
    public func createToken(user: String, scope: TokenScope, expires: Timestamp?, now: Timestamp) throws
        -> (token: AccessToken, secret: String)
    {
        var rng = SystemRandomNumberGenerator()
        return try createToken(user: user, scope: scope, expires: expires, now: now, using: &rng)
    }

    /// `health(at:checkIntegrity:)` with the integrity check.
    public func health(at: Timestamp) throws -> StoreHealth { try health(at: at, checkIntegrity: true) }

    /// `listBatches(limit:page:createdBy:)` of everyone's batches.
    public func listBatches(limit: Int, page: Int) throws -> BatchPage {
        try listBatches(limit: limit, page: page, createdBy: nil)
    }

    /// `transition(_:)` with the transition's fields as arguments.
    @discardableResult
    public func transition(
        _ id: String, from: TaskStatus, to: TaskStatus, at: Timestamp, actor: String, detail: String? = nil,
        changes: TaskChanges = TaskChanges()
    ) throws -> Bool {
        try transition(TaskTransition(id, from: from, to: to, at: at, actor: actor, detail: detail, changes: changes))
    }
}
