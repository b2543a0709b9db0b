// One row of a task's event log: a transition (or the creation), when, by whom, why.

/// A recorded change of a task's state.
public struct TaskEvent: Hashable, Sendable {
    /// The event's position in the database-wide log.
    public var sequence: Int64
    public var taskID: String
    /// Nil for the creation event.
    public var from: TaskStatus?
    public var to: TaskStatus
    public var at: Timestamp
    /// Who made the change: `cli`, `worker <owner>`, `sweep <owner>`.
    public var actor: String
    public var detail: String?

    public init(
        sequence: Int64, taskID: String, from: TaskStatus?, to: TaskStatus, at: Timestamp, actor: String,
        detail: String?
    ) {
        self.sequence = sequence
        self.taskID = taskID
        self.from = from
        self.to = to
        self.at = at
        self.actor = actor
        self.detail = detail
    }

    /// `{"task_id", "seq", "from", "to", "at", "actor", "detail"}`.
    public var wireJSON: JSONValue {
        .object([
            ("task_id", .string(taskID)),
            ("seq", .int(Int(sequence))),
            ("from", .string(from?.rawValue)),
            ("to", .string(to.rawValue)),
            ("at", .string(at.rfc3339)),
            ("actor", .string(actor)),
            ("detail", .string(detail)),
        ])
    }
}
