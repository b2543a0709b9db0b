// `tasks get --diagnostics --json` read back: the task with its runs and its compile's
// diagnostics. A run's JSON writes no results as zero shots and empty objects, so a run
// with nothing recorded decodes with no result.

extension Diagnostic {
    /// An error of the `diagnostics` array; one without `file` is in `mainFile`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue, mainFile: String) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "diagnostic")
        let notes = r.isNull("notes") ? [] : try r.strings("notes")
        self.init(
            .error, code: try r.string("code"), message: try r.string("message"),
            at: SourceLocation(
                file: try r.optionalString("file") ?? mainFile, line: try r.int("line"), column: try r.int("column")),
            notes: notes)
    }
}

extension TaskRun {
    /// A run of the `runs` array of the task `task`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue, task: QuantumTask) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "run")
        var timings: [(String, Double)] = []
        for (stage, seconds) in try r.object("timings") {
            guard let value = seconds.doubleValue else { throw r.failure("timings", "an object of numbers") }
            timings.append((stage, value))
        }
        let metrics = r.value("metrics") ?? .object([])
        let metadata = r.value("metadata") ?? .object([])
        let shotsDone = try r.int("shots_done")
        let empty = JSONValue.object([])
        let recorded = shotsDone != 0 || !timings.isEmpty || metrics != empty || metadata != empty
        self.init(
            id: try r.string("run_id"), taskID: task.id, attempt: try r.int("attempt"),
            compilationID: try r.optionalString("compilation_id"), worker: try r.optionalString("worker"),
            started: try r.timestamp("started_date"), ended: try r.optionalTimestamp("ended_date"),
            result: recorded
                ? TaskResult(
                    taskID: task.id, shots: task.shots, shotsDone: shotsDone, partial: shotsDone < task.shots,
                    registers: [], timings: timings, metrics: metrics, metadata: metadata)
                : nil)
    }
}

extension TaskDiagnostics {
    /// The task, runs, program name and diagnostics of a `tasks get --diagnostics --json`
    /// object; the diagnostics without a `file` are in its `program_name`, or in `mainFile`
    /// when it has none (an older server's answer).
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue, mainFile: String = "") throws(WireDecodingError) {
        let task = try QuantumTask(wireJSON: wireJSON)
        let r = try WireReader(wireJSON, shape: "task diagnostics")
        var runs: [TaskRun] = []
        for element in try r.array("runs") { runs.append(try TaskRun(wireJSON: element, task: task)) }
        let programName = try r.optionalString("program_name")
        var diagnostics: [Diagnostic] = []
        for element in try r.array("diagnostics") {
            diagnostics.append(try Diagnostic(wireJSON: element, mainFile: programName ?? mainFile))
        }
        self.init(task: task, runs: runs, diagnostics: diagnostics, programName: programName)
    }
}
