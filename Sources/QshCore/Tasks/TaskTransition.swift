// A change of a task's state as a value: the compare-and-set (task, from, to), who made
// it and why, and what it records with the new state (its payload). A repository writes
// all of it, with the event row, at once or not at all.

/// A worker's hold on a task: who holds it and until when, unless renewed.
public struct TaskLease: Hashable, Sendable {
    public var owner: String
    public var expires: Timestamp

    public init(owner: String, expires: Timestamp) {
        self.owner = owner
        self.expires = expires
    }
}

/// What a transition records along with the new state. Empty fields change nothing.
public struct TaskChanges: Sendable {
    /// The program compiled for the task's QPU; the task's `compilation_id` becomes its id.
    public var compilation: Compilation?
    public var errorClass: ErrorClass?
    public var errorReasons: [String]?
    /// The diagnostics of a program that did not compile, notes included.
    public var diagnostics: [Diagnostic]
    public var shotsDone: Int?
    /// The counts (final, or what a run left) for the task's current run.
    public var result: TaskResult?
    /// Takes (or hands over) the task's lease; terminal states always drop it.
    public var lease: TaskLease?

    public init(
        compilation: Compilation? = nil, errorClass: ErrorClass? = nil, errorReasons: [String]? = nil,
        diagnostics: [Diagnostic] = [], shotsDone: Int? = nil, result: TaskResult? = nil, lease: TaskLease? = nil
    ) {
        self.compilation = compilation
        self.errorClass = errorClass
        self.errorReasons = errorReasons
        self.diagnostics = diagnostics
        self.shotsDone = shotsDone
        self.result = result
        self.lease = lease
    }
}

/// One compare-and-set: move task `taskID` from `from` to `to` if it is still in `from`.
public struct TaskTransition: Sendable {
    public var taskID: String
    public var from: TaskStatus
    public var to: TaskStatus
    public var at: Timestamp
    /// Who moves it, for the event log: `cli`, `worker <owner>`, `sweep <owner>`.
    public var actor: String
    /// Why, for the event log (an error's first reason, a cancel's wording).
    public var detail: String?
    public var changes: TaskChanges

    public init(
        _ taskID: String, from: TaskStatus, to: TaskStatus, at: Timestamp, actor: String, detail: String? = nil,
        changes: TaskChanges = TaskChanges()
    ) {
        self.taskID = taskID
        self.from = from
        self.to = to
        self.at = at
        self.actor = actor
        self.detail = detail
        self.changes = changes
    }
}
