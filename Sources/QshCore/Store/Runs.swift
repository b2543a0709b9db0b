// Runs and compilations in SQLite (schema version 3): a run row each time a task enters
// ExecutionStarted, with its counts (NULL until it reports some), timings, metrics and
// metadata; a row per compilation. A task's results are its latest run's.

extension SQLiteTaskStore {
    /// `WHERE` clause for the latest run of task `?1`.
    private static let latestRun = "id = (SELECT id FROM runs WHERE task_id = ?1 ORDER BY attempt DESC LIMIT 1)"

    /// Opens the task's next run (attempt 1, 2...) by its lease owner, with its
    /// compilation and shots. Call inside a transaction.
    static func startRun(_ db: Connection, taskID: String, at: Timestamp) throws {
        try db.run(
            """
            INSERT INTO runs (id, task_id, attempt, compilation_id, worker, started_ms, shots, updated_ms)
            SELECT ?1, t.id, coalesce((SELECT max(attempt) FROM runs WHERE task_id = t.id), 0) + 1,
                (SELECT c.id FROM compilations c WHERE c.id = t.compilation_id), t.lease_owner, ?2, t.shots, ?2
            FROM tasks t WHERE t.id = ?3
            """,
            [.text(TaskID.generate()), .integer(at.milliseconds), .text(taskID)])
    }

    /// Ends the task's open run (the task left ExecutionStarted). Call inside a transaction.
    static func endRun(_ db: Connection, taskID: String, at: Timestamp) throws {
        try db.run(
            "UPDATE runs SET ended_ms = ?2, updated_ms = ?2 WHERE task_id = ?1 AND ended_ms IS NULL",
            [.text(taskID), .integer(at.milliseconds)])
    }

    /// Writes `result` into the task's latest run (opening one when the task has none).
    /// Call inside a transaction.
    static func saveResult(_ db: Connection, taskID: String, _ result: TaskResult, at: Timestamp) throws {
        let sql = """
            UPDATE runs SET shots = ?2, shots_done = ?3, partial = ?4, data = ?5, timings = ?6, metrics = ?7,
                metadata = ?8, updated_ms = ?9 WHERE \(latestRun)
            """
        let values: [SQLValue] = [
            .text(taskID), .int(result.shots), .int(result.shotsDone), .integer(result.partial ? 1 : 0),
            .text(result.dataJSON.serialized()),
            .text(JSONValue.object(result.timings.map { ($0.0, .double($0.1)) }).serialized()),
            .text(result.metrics.serialized()), .text(result.metadata.serialized()), .integer(at.milliseconds),
        ]
        try db.run(sql, values)
        if db.changes == 0 {
            try startRun(db, taskID: taskID, at: at)
            try db.run(sql, values)
        }
    }

    /// Writes partial counts into the task's latest run (opening one when it has none).
    /// Call inside a transaction.
    static func saveProgress(
        _ db: Connection, taskID: String, shotsDone: Int, partial: [RegisterCounts], at: Timestamp
    ) throws {
        let counts = TaskResult(taskID: taskID, shots: 0, shotsDone: shotsDone, partial: true, registers: partial)
        let data = counts.dataJSON
        let sql = "UPDATE runs SET shots_done = ?2, partial = 1, data = ?3, updated_ms = ?4 WHERE \(latestRun)"
        let values: [SQLValue] = [.text(taskID), .int(shotsDone), .text(data.serialized()), .integer(at.milliseconds)]
        try db.run(sql, values)
        if db.changes == 0 {
            try startRun(db, taskID: taskID, at: at)
            try db.run(sql, values)
        }
    }

    /// The counts of a run row's columns 0...6 (shots, shots_done, partial, data, timings,
    /// metrics, metadata), or nil when `data` is NULL; `what` names the row in errors.
    static func result(_ row: Row, offset: Int32, taskID: String, _ stored: StoredValues, _ what: String) throws
        -> TaskResult?
    {
        guard !row.isNull(offset + 3) else { return nil }
        return TaskResult(
            taskID: taskID, shots: row.int(offset), shotsDone: row.int(offset + 1), partial: row.int(offset + 2) != 0,
            registers: try stored.counts(row.text(offset + 3), "the 'data' of \(what)"),
            timings: try stored.numbers(row.text(offset + 4), "the 'timings' of \(what)"),
            metrics: try stored.object(row.text(offset + 5), "the 'metrics' of \(what)"),
            metadata: try stored.object(row.text(offset + 6), "the 'metadata' of \(what)"))
    }

    /// The results of the task's latest run (final or partial), or nil when it has none.
    /// - Throws: `StoreError.corrupt` when a stored column does not decode.
    public func result(taskID: String) throws -> TaskResult? {
        let stored = StoredValues(path: connection.path, taskID: taskID)
        return try connection.cached(
            """
            SELECT shots, shots_done, partial, data, timings, metrics, metadata FROM runs WHERE task_id = ?
            ORDER BY attempt DESC LIMIT 1
            """
        ).first([.text(taskID)]) { row in
            try Self.result(row, offset: 0, taskID: taskID, stored, "its results")
        } ?? nil
    }

    /// The task's runs, first attempt first.
    /// - Throws: `StoreError.corrupt` when a stored column does not decode.
    public func runs(taskID: String) throws -> [TaskRun] {
        let stored = StoredValues(path: connection.path, taskID: taskID)
        return try connection.cached(
            """
            SELECT id, attempt, compilation_id, worker, started_ms, ended_ms, shots, shots_done, partial, data,
                timings, metrics, metadata FROM runs WHERE task_id = ? ORDER BY attempt
            """
        ).rows([.text(taskID)]) { row in
            let attempt = row.int(1)
            return TaskRun(
                id: row.text(0), taskID: taskID, attempt: attempt, compilationID: row.optionalText(2),
                worker: row.optionalText(3), started: Timestamp(milliseconds: row.int64(4)),
                ended: row.optionalInt64(5).map(Timestamp.init(milliseconds:)),
                result: try Self.result(row, offset: 6, taskID: taskID, stored, "its run \(attempt)"))
        }
    }

    /// True when the latest run of `task` has final results for every one of its shots.
    static func hasCompleteResult(_ db: Connection, _ task: QuantumTask) throws -> Bool {
        try db.cached(
            """
            SELECT shots, shots_done, partial, data IS NOT NULL FROM runs WHERE task_id = ?
            ORDER BY attempt DESC LIMIT 1
            """
        ).first([.text(task.id)]) {
            $0.int(0) == task.shots && $0.int(1) == task.shots && $0.int(2) == 0 && $0.int(3) == 1
        } ?? false
    }

    // MARK: Compilations

    /// Stores a compilation record. Call inside a transaction.
    static func insertCompilation(_ db: Connection, _ compilation: Compilation) throws {
        let gates = compilation.gateCounts.map { counts in
            JSONValue.object(counts.keys.sorted().map { ($0, .int(counts[$0] ?? 0)) }).serialized()
        }
        try db.run(
            """
            INSERT INTO compilations (id, definition_id, qpu_id, created_ms, qubits, clbits, operations, gates)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(compilation.id), .text(compilation.definitionID), .text(compilation.qpuID),
                .integer(compilation.created.milliseconds), .int(compilation.qubits), .int(compilation.clbits),
                .int(compilation.operations), .string(gates),
            ])
    }

    /// The compilation with this id, or nil.
    /// - Throws: `StoreError.corrupt` when its gate counts do not decode.
    public func compilation(id: String) throws -> Compilation? {
        let stored = StoredValues(path: connection.path, taskID: nil)
        return try connection.cached(
            """
            SELECT definition_id, qpu_id, created_ms, qubits, clbits, operations, gates FROM compilations
            WHERE id = ?
            """
        ).first([.text(id)]) { row in
            Compilation(
                id: id, definitionID: row.text(0), qpuID: row.text(1), created: Timestamp(milliseconds: row.int64(2)),
                qubits: row.optionalInt64(3).map(Int.init), clbits: row.optionalInt64(4).map(Int.init),
                operations: row.optionalInt64(5).map(Int.init),
                gateCounts: try row.optionalText(6).map {
                    try stored.wholeNumbers($0, "the gate counts of compilation '\(id)'")
                })
        }
    }
}
