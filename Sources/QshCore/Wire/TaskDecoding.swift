// The task's wire shape read back: the inverse of `QuantumTask.wireJSON` (Tasks/Task.swift).
// The wire does not carry the lease (worker and expiry): a decoded task has none.

extension QuantumTask {
    /// The task of a `wireJSON` object (`tasks get --json`, a server's answer); members
    /// qsh does not know (a server's `queue`) are ignored.
    /// - Throws: `WireDecodingError` naming the first member that is missing or of the wrong type.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "task")
        var tags: [String: String] = [:]
        for (key, value) in try r.object("tags") {
            guard let text = value.stringValue else { throw r.failure("tags", "an object of strings") }
            tags[key] = text
        }
        let seed: UInt64
        switch r.value("seed") {
        case .int(let n)? where n >= 0: seed = UInt64(n)
        case .string(let text)?:
            guard let n = UInt64(text) else { throw r.failure("seed", "an unsigned integer") }
            seed = n
        default: throw r.failure("seed", "an unsigned integer")
        }
        self.init(
            id: try r.string("id"), status: try r.status("task_status"), qpuID: try r.string("qpu_id"),
            shots: try r.int("shots"), seed: seed, name: try r.optionalString("name"), tags: tags,
            definitionID: try r.string("definition_id"), compilationID: try r.optionalString("compilation_id"),
            createdBy: try r.string("created_by"), createdDate: try r.timestamp("created_date"),
            updatedDate: try r.timestamp("updated_date"), scheduledDate: try r.optionalTimestamp("scheduled_date"),
            startedDate: try r.optionalTimestamp("started_date"), endedDate: try r.optionalTimestamp("ended_date"),
            errorClass: try r.optionalErrorClass("error_class"), errorReasons: try r.strings("error_reasons"),
            shotsDone: try r.int("shots_done"), batchID: try r.optionalString("batch_id"),
            batchLabel: try r.optionalString("batch_label"), rerunOf: try r.optionalString("rerun_of"))
    }
}

extension TaskPage {
    /// The page of a `{"elements", "page", "size", "total"}` object.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "task page")
        var tasks: [QuantumTask] = []
        for element in try r.array("elements") { tasks.append(try QuantumTask(wireJSON: element)) }
        self.init(tasks: tasks, page: try r.int("page"), size: try r.int("size"), total: try r.int("total"))
    }
}

extension QueuePosition {
    /// The place of a task's `queue` member (`{"position", "length", "qpu_status"}`).
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "queue")
        self.init(position: try r.int("position"), length: try r.int("length"))
    }
}

extension CancelOutcome {
    /// `{"task": {...}, "outcome": "cancelled" | "already_terminal"}`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "cancel outcome")
        guard let taskJSON = r.value("task") else { throw r.failure("task", "a task") }
        let task = try QuantumTask(wireJSON: taskJSON)
        switch try r.string("outcome") {
        case "cancelled": self = .cancelled(task)
        case "already_terminal": self = .alreadyTerminal(task)
        default: throw r.failure("outcome", "'cancelled' or 'already_terminal'")
        }
    }
}
