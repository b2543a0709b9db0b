// One run of a task: a task may be run more than once (a re-run, a batch run again);
// each run has its attempt number, the worker and compilation it used, and its counts.
// A task's results are those of its latest run.

/// A run of a task on its QPU.
public struct TaskRun: Hashable, Sendable {
    public var id: String
    public var taskID: String
    /// 1 for the first run of the task, then 2, 3...
    public var attempt: Int
    public var compilationID: String?
    /// The lease owner that ran it; nil when a run recorded before schema version 3 does
    /// not say.
    public var worker: String?
    public var started: Timestamp
    /// When the task left ExecutionStarted; nil while it runs.
    public var ended: Timestamp?
    /// Its counts, final or partial; nil until the run reports any.
    public var result: TaskResult?

    public init(
        id: String, taskID: String, attempt: Int, compilationID: String?, worker: String?, started: Timestamp,
        ended: Timestamp?, result: TaskResult?
    ) {
        self.id = id
        self.taskID = taskID
        self.attempt = attempt
        self.compilationID = compilationID
        self.worker = worker
        self.started = started
        self.ended = ended
        self.result = result
    }
}
