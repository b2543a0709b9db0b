// State changes in SQLite: each transition is one write transaction holding the state
// machine's check, the compare-and-set UPDATE, the payload's rows (compilation,
// diagnostics, the run's counts, its start and end) and the event row.

extension SQLiteTaskStore {
    static let transitionSQL = """
        UPDATE tasks SET task_status = ?1, updated_ms = ?2,
            compilation_id = coalesce(?3, compilation_id),
            error_class = coalesce(?4, error_class),
            error_reasons = coalesce(?5, error_reasons),
            shots_done = coalesce(?6, shots_done),
            scheduled_ms = CASE WHEN ?1 = 'Scheduled' THEN ?2 ELSE scheduled_ms END,
            started_ms = CASE WHEN ?1 = 'ExecutionStarted' THEN ?2 ELSE started_ms END,
            ended_ms = CASE WHEN ?7 THEN ?2 ELSE ended_ms END,
            lease_owner = CASE WHEN ?7 THEN NULL WHEN ?8 IS NOT NULL THEN ?8 ELSE lease_owner END,
            lease_expires_ms = CASE WHEN ?7 THEN NULL WHEN ?8 IS NOT NULL THEN ?9 ELSE lease_expires_ms END
        WHERE id = ?10 AND task_status = ?11
        """

    static func appendEvent(
        _ db: Connection, id: String, from: TaskStatus?, to: TaskStatus, at: Timestamp, actor: String,
        detail: String?
    ) throws {
        try db.run(
            "INSERT INTO task_events (task_id, from_status, to_status, at_ms, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(id), .string(from?.rawValue), .text(to.rawValue), .integer(at.milliseconds), .text(actor),
             .string(detail)])
    }

    /// The compare-and-set, its payload and its event row; the caller holds a write
    /// transaction.
    /// - Returns: false when the task was not in `from` (someone else moved it first).
    static func applyTransition(_ db: Connection, _ move: TaskTransition) throws -> Bool {
        try TaskStateMachine.check(from: move.from, to: move.to, id: move.taskID)
        let changes = move.changes
        try db.run(
            transitionSQL,
            [
                .text(move.to.rawValue), .integer(move.at.milliseconds), .string(changes.compilation?.id),
                .string(changes.errorClass?.rawValue), .string(changes.errorReasons.map(stringsJSON)),
                .int(changes.shotsDone), .integer(move.to.isTerminal ? 1 : 0), .string(changes.lease?.owner),
                changes.lease.map { .integer($0.expires.milliseconds) } ?? .null, .text(move.taskID),
                .text(move.from.rawValue),
            ])
        guard db.changes == 1 else { return false }
        if let compilation = changes.compilation { try insertCompilation(db, compilation) }
        if !changes.diagnostics.isEmpty { try saveDiagnostics(db, taskID: move.taskID, changes.diagnostics) }
        if move.to == .executionStarted { try startRun(db, taskID: move.taskID, at: move.at) }
        if let result = changes.result { try saveResult(db, taskID: move.taskID, result, at: move.at) }
        if move.from == .executionStarted { try endRun(db, taskID: move.taskID, at: move.at) }
        try appendEvent(
            db, id: move.taskID, from: move.from, to: move.to, at: move.at, actor: move.actor, detail: move.detail)
        return true
    }

    /// Moves a task if it is still in `from`, with its payload and event row, in one
    /// transaction.
    /// - Returns: false when the task was no longer in `from` (nothing was written).
    /// - Throws: `TaskError.illegalTransition` for an edge the graph lacks.
    @discardableResult
    public func transition(_ transition: TaskTransition) throws -> Bool {
        try connection.transaction { db in try Self.applyTransition(db, transition) }
    }

    /// Records progress while ExecutionStarted: shots done and, when given, the partial
    /// counts of the current run.
    public func recordProgress(id: String, shotsDone: Int, partial: [RegisterCounts]?, at: Timestamp) throws {
        try connection.transaction { db in
            try db.run(
                "UPDATE tasks SET shots_done = ? WHERE id = ? AND task_status = 'ExecutionStarted'",
                [.int(shotsDone), .text(id)])
            guard db.changes == 1 else { return }
            if let partial, !partial.isEmpty {
                try Self.saveProgress(db, taskID: id, shotsDone: shotsDone, partial: partial, at: at)
            }
        }
    }
}
