// A lineage read back: the inverse of `TaskHistory.wireJSON` (Tasks/Rerun.swift). Each
// element carries its latest run's counts only (`data`): a decoded result has no timings.

extension TaskHistory {
    /// The lineage of a `tasks history --json` object.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "history")
        var entries: [(task: QuantumTask, result: TaskResult?)] = []
        for element in try r.array("elements") {
            let task = try QuantumTask(wireJSON: element)
            var result: TaskResult?
            if let data = element["data"], data != .null {
                guard data.objectValue != nil else {
                    throw WireDecodingError(shape: "history", problem: "member 'data' is not an object")
                }
                result = TaskResult(
                    taskID: task.id, shots: task.shots, shotsDone: task.shotsDone, partial: false,
                    registers: TaskResult.registers(from: data))
            }
            entries.append((task, result))
        }
        self.init(lineageID: try r.string("lineage_id"), entries: entries)
    }
}
