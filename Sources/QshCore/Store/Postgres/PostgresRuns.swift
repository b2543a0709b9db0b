// Runs and compilations in PostgreSQL: a run row each time a task enters ExecutionStarted,
// with its counts (NULL until it reports some), timings, metrics and metadata; a row per
// compilation. A task's results are its latest run's.

extension PostgresTaskStore {
    private static let latestRun = "id = (SELECT id FROM runs WHERE task_id = $1 ORDER BY attempt DESC LIMIT 1)"

    /// Opens the task's next run by its lease owner. Call inside a transaction.
    static func startRun(_ db: PostgresConnection, taskID: String, at: Timestamp) throws {
        try db.query(
            """
            INSERT INTO runs (id, task_id, attempt, compilation_id, worker, started_ms, shots, updated_ms)
            SELECT $1, t.id, coalesce((SELECT max(attempt) FROM runs WHERE task_id = t.id), 0) + 1,
                (SELECT c.id FROM compilations c WHERE c.id = t.compilation_id), t.lease_owner, $2, t.shots, $2
            FROM tasks t WHERE t.id = $3
            """,
            [.text(TaskID.generate()), .integer(at.milliseconds), .text(taskID)])
    }

    /// Ends the task's open run. Call inside a transaction.
    static func endRun(_ db: PostgresConnection, taskID: String, at: Timestamp) throws {
        try db.query(
            "UPDATE runs SET ended_ms = $2, updated_ms = $2 WHERE task_id = $1 AND ended_ms IS NULL",
            [.text(taskID), .integer(at.milliseconds)])
    }

    /// Writes `result` into the task's latest run (opening one when it has none).
    static func saveResult(_ db: PostgresConnection, taskID: String, _ result: TaskResult, at: Timestamp) throws {
        let sql = """
            UPDATE runs SET shots = $2, shots_done = $3, partial = $4, data = $5, timings = $6, metrics = $7,
                metadata = $8, updated_ms = $9 WHERE \(latestRun)
            """
        let values: [SQLValue] = [
            .text(taskID), .int(result.shots), .int(result.shotsDone), .integer(result.partial ? 1 : 0),
            .text(result.dataJSON.serialized()),
            .text(JSONValue.object(result.timings.map { ($0.0, .double($0.1)) }).serialized()),
            .text(result.metrics.serialized()), .text(result.metadata.serialized()), .integer(at.milliseconds),
        ]
        if try db.query(sql, values).changes == 0 {
            try startRun(db, taskID: taskID, at: at)
            try db.query(sql, values)
        }
    }

    /// Writes partial counts into the task's latest run (opening one when it has none).
    static func saveProgress(
        _ db: PostgresConnection, taskID: String, shotsDone: Int, partial: [RegisterCounts], at: Timestamp
    ) throws {
        let counts = TaskResult(taskID: taskID, shots: 0, shotsDone: shotsDone, partial: true, registers: partial)
        let sql = "UPDATE runs SET shots_done = $2, partial = 1, data = $3, updated_ms = $4 WHERE \(latestRun)"
        let values: [SQLValue] = [
            .text(taskID), .int(shotsDone), .text(counts.dataJSON.serialized()), .integer(at.milliseconds),
        ]
        if try db.query(sql, values).changes == 0 {
            try startRun(db, taskID: taskID, at: at)
            try db.query(sql, values)
        }
    }

    /// The counts of row `i`'s columns offset...offset+6 (shots, shots_done, partial, data,
    /// timings, metrics, metadata), or nil when `data` is NULL.
    static func result(
        _ rows: PostgresRows, _ i: Int, offset: Int, taskID: String, _ stored: StoredValues, _ what: String
    ) throws -> TaskResult? {
        guard !rows.isNull(i, offset + 3) else { return nil }
        return TaskResult(
            taskID: taskID, shots: rows.int(i, offset), shotsDone: rows.int(i, offset + 1),
            partial: rows.int(i, offset + 2) != 0,
            registers: try stored.counts(rows.text(i, offset + 3), "the 'data' of \(what)"),
            timings: try stored.numbers(rows.text(i, offset + 4), "the 'timings' of \(what)"),
            metrics: try stored.object(rows.text(i, offset + 5), "the 'metrics' of \(what)"),
            metadata: try stored.object(rows.text(i, offset + 6), "the 'metadata' of \(what)"))
    }

    /// The results of the task's latest run, or nil when it has none.
    public func result(taskID: String) throws -> TaskResult? {
        let stored = StoredValues(path: location, taskID: taskID)
        let rows = try connection.query(
            """
            SELECT shots, shots_done, partial, data, timings, metrics, metadata FROM runs WHERE task_id = $1
            ORDER BY attempt DESC LIMIT 1
            """, [.text(taskID)])
        return try rows.first { try Self.result(rows, $0, offset: 0, taskID: taskID, stored, "its results") } ?? nil
    }

    /// The task's runs, first attempt first.
    public func runs(taskID: String) throws -> [TaskRun] {
        let stored = StoredValues(path: location, taskID: taskID)
        let rows = try connection.query(
            """
            SELECT id, attempt, compilation_id, worker, started_ms, ended_ms, shots, shots_done, partial, data,
                timings, metrics, metadata FROM runs WHERE task_id = $1 ORDER BY attempt
            """, [.text(taskID)])
        return try rows.map { i in
            let attempt = rows.int(i, 1)
            return TaskRun(
                id: rows.text(i, 0), taskID: taskID, attempt: attempt, compilationID: rows.optionalText(i, 2),
                worker: rows.optionalText(i, 3), started: Timestamp(milliseconds: rows.int64(i, 4)),
                ended: rows.optionalInt64(i, 5).map(Timestamp.init(milliseconds:)),
                result: try Self.result(rows, i, offset: 6, taskID: taskID, stored, "its run \(attempt)"))
        }
    }

    /// True when the latest run of `task` has final results for every one of its shots.
    static func hasCompleteResult(_ db: PostgresConnection, _ task: QuantumTask) throws -> Bool {
        let rows = try db.query(
            """
            SELECT shots, shots_done, partial, data IS NOT NULL FROM runs WHERE task_id = $1
            ORDER BY attempt DESC LIMIT 1
            """, [.text(task.id)])
        return rows.first {
            rows.int($0, 0) == task.shots && rows.int($0, 1) == task.shots && rows.int($0, 2) == 0
                && rows.text($0, 3) == "t"
        } ?? false
    }

    // MARK: Compilations

    /// Stores a compilation record. Call inside a transaction.
    static func insertCompilation(_ db: PostgresConnection, _ compilation: Compilation) throws {
        let gates = compilation.gateCounts.map { counts in
            JSONValue.object(counts.keys.sorted().map { ($0, .int(counts[$0] ?? 0)) }).serialized()
        }
        try db.query(
            """
            INSERT INTO compilations (id, definition_id, qpu_id, created_ms, qubits, clbits, operations, gates)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                .text(compilation.id), .text(compilation.definitionID), .text(compilation.qpuID),
                .integer(compilation.created.milliseconds), .int(compilation.qubits), .int(compilation.clbits),
                .int(compilation.operations), .string(gates),
            ])
    }

    /// The compilation with this id, or nil.
    public func compilation(id: String) throws -> Compilation? {
        let stored = StoredValues(path: location, taskID: nil)
        let rows = try connection.query(
            """
            SELECT definition_id, qpu_id, created_ms, qubits, clbits, operations, gates FROM compilations WHERE id = $1
            """, [.text(id)])
        return try rows.first { i in
            Compilation(
                id: id, definitionID: rows.text(i, 0), qpuID: rows.text(i, 1),
                created: Timestamp(milliseconds: rows.int64(i, 2)), qubits: rows.optionalInt64(i, 3).map(Int.init),
                clbits: rows.optionalInt64(i, 4).map(Int.init), operations: rows.optionalInt64(i, 5).map(Int.init),
                gateCounts: try rows.optionalText(i, 6).map {
                    try stored.wholeNumbers($0, "the gate counts of compilation '\(id)'")
                })
        }
    }
}
