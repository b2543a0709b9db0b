// Results and event logs read back: the inverses of `TaskResult.wireJSON` and
// `TaskEvent.wireJSON`.

extension TaskResult {
    /// The results of a `tasks results --json` object. Register widths come from the
    /// bitstrings (a register without counts has width 0).
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "results")
        guard let data = r.value("data"), data.objectValue != nil else { throw r.failure("data", "an object") }
        var timings: [(String, Double)] = []
        for (stage, seconds) in try r.object("timings") {
            guard let value = seconds.doubleValue else { throw r.failure("timings", "an object of numbers") }
            timings.append((stage, value))
        }
        self.init(
            taskID: try r.string("task_id"), shots: try r.int("shots"), shotsDone: try r.int("shots_done"),
            partial: try r.bool("partial"), registers: TaskResult.registers(from: data), timings: timings,
            metrics: r.value("metrics") ?? .object([]), metadata: r.value("metadata") ?? .object([]))
    }
}

extension TaskEvent {
    /// One event of `tasks events --json`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "event")
        let from: TaskStatus? = r.isNull("from") ? nil : try r.status("from")
        self.init(
            sequence: Int64(try r.int("seq")), taskID: try r.string("task_id"), from: from, to: try r.status("to"),
            at: try r.timestamp("at"), actor: try r.string("actor"), detail: try r.optionalString("detail"))
    }

    /// The events of a JSON array, oldest first.
    /// - Throws: `WireDecodingError`.
    public static func list(wireJSON: JSONValue) throws(WireDecodingError) -> [TaskEvent] {
        guard let elements = wireJSON.arrayValue else {
            throw WireDecodingError(shape: "event list", problem: "not an array")
        }
        var events: [TaskEvent] = []
        for element in elements { events.append(try TaskEvent(wireJSON: element)) }
        return events
    }
}
