// State changes in PostgreSQL: each transition is one transaction holding the state
// machine's check, the compare-and-set UPDATE (atomic under READ COMMITTED: the row is
// re-checked once locked, and it announces the change), the payload's rows and the event
// row; run again as a whole on a serialisation failure or a lost connection.

extension PostgresTaskStore {
    static let transitionSQL = """
        UPDATE tasks SET task_status = $1, updated_ms = $2,
            compilation_id = coalesce($3::text, compilation_id),
            error_class = coalesce($4::text, error_class),
            error_reasons = coalesce($5::text, error_reasons),
            shots_done = coalesce($6::bigint, shots_done),
            scheduled_ms = CASE WHEN $1 = 'Scheduled' THEN $2 ELSE scheduled_ms END,
            started_ms = CASE WHEN $1 = 'ExecutionStarted' THEN $2 ELSE started_ms END,
            ended_ms = CASE WHEN $7::boolean THEN $2 ELSE ended_ms END,
            lease_owner = CASE WHEN $7::boolean THEN NULL WHEN $8::text IS NOT NULL THEN $8::text ELSE lease_owner END,
            lease_expires_ms = CASE WHEN $7::boolean THEN NULL WHEN $8::text IS NOT NULL THEN $9::bigint
                ELSE lease_expires_ms END
        WHERE id = $10 AND task_status = $11
        RETURNING pg_notify('qsh_tasks', $1 || ' ' || id)
        """

    static func appendEvent(
        _ db: PostgresConnection, id: String, from: TaskStatus?, to: TaskStatus, at: Timestamp, actor: String,
        detail: String?
    ) throws {
        try db.query(
            "INSERT INTO task_events (task_id, from_status, to_status, at_ms, actor, detail) VALUES ($1, $2, $3, $4, $5, $6)",
            [.text(id), .string(from?.rawValue), .text(to.rawValue), .integer(at.milliseconds), .text(actor),
             .string(detail)])
    }

    /// The compare-and-set, its payload and its event row; the caller holds a transaction.
    /// - Returns: false when the task was not in `from`.
    static func applyTransition(_ db: PostgresConnection, _ move: TaskTransition) throws -> Bool {
        try TaskStateMachine.check(from: move.from, to: move.to, id: move.taskID)
        let changes = move.changes
        let updated = try db.query(
            transitionSQL,
            [
                .text(move.to.rawValue), .integer(move.at.milliseconds), .string(changes.compilation?.id),
                .string(changes.errorClass?.rawValue), .string(changes.errorReasons.map(SQLiteTaskStore.stringsJSON)),
                .int(changes.shotsDone), .text(move.to.isTerminal ? "true" : "false"), .string(changes.lease?.owner),
                changes.lease.map { .integer($0.expires.milliseconds) } ?? .null, .text(move.taskID),
                .text(move.from.rawValue),
            ])
        guard updated.changes == 1 else { return false }
        if let compilation = changes.compilation { try insertCompilation(db, compilation) }
        if !changes.diagnostics.isEmpty { try saveDiagnostics(db, taskID: move.taskID, changes.diagnostics) }
        if move.to == .executionStarted { try startRun(db, taskID: move.taskID, at: move.at) }
        if let result = changes.result { try saveResult(db, taskID: move.taskID, result, at: move.at) }
        if move.from == .executionStarted { try endRun(db, taskID: move.taskID, at: move.at) }
        try appendEvent(
            db, id: move.taskID, from: move.from, to: move.to, at: move.at, actor: move.actor, detail: move.detail)
        return true
    }

    /// True when the task's latest event is this very move: an earlier attempt whose
    /// COMMIT landed though its answer was lost.
    static func landedBefore(_ db: PostgresConnection, _ move: TaskTransition) throws -> Bool {
        let rows = try db.query(
            """
            SELECT from_status, to_status, at_ms, actor FROM task_events WHERE task_id = $1 ORDER BY seq DESC LIMIT 1
            """, [.text(move.taskID)])
        guard rows.count == 1 else { return false }
        return rows.optionalText(0, 0) == move.from.rawValue && rows.text(0, 1) == move.to.rawValue
            && rows.int64(0, 2) == move.at.milliseconds && rows.text(0, 3) == move.actor
    }

    /// Moves a task if it is still in `from`, with its payload and event row, in one
    /// transaction (run again as a whole after a lost connection: a move found already
    /// made by the lost attempt counts as made).
    @discardableResult
    public func transition(_ transition: TaskTransition) throws -> Bool {
        var retried = false
        return try connection.transaction(retried: { retried = true }) { db in
            if try Self.applyTransition(db, transition) { return true }
            return retried ? try Self.landedBefore(db, transition) : false
        }
    }

    /// Records progress while ExecutionStarted: one attempt (progress is advisory; a run
    /// does not wait for a database that cannot be reached, the next write carries it).
    public func recordProgress(id: String, shotsDone: Int, partial: [RegisterCounts]?, at: Timestamp) throws {
        try connection.transaction(once: true) { db in
            let updated = try db.query(
                """
                UPDATE tasks SET shots_done = $1 WHERE id = $2 AND task_status = 'ExecutionStarted'
                RETURNING pg_notify('qsh_tasks', 'progress ' || id)
                """,
                [.int(shotsDone), .text(id)])
            guard updated.changes == 1 else { return }
            if let partial, !partial.isEmpty {
                try Self.saveProgress(db, taskID: id, shotsDone: shotsDone, partial: partial, at: at)
            }
        }
    }

    /// Tells listeners (workers, followers: `PostgresChangeWaiter`) that tasks changed, on
    /// `qsh_tasks` with a `TaskChangeNotice` payload, delivered at COMMIT (a rolled-back
    /// change tells nobody; the same payload twice in a transaction is told once). The
    /// transition and progress statements announce themselves (`RETURNING pg_notify`).
    static func notify(_ db: PostgresConnection, _ notice: TaskChangeNotice) throws {
        try db.query("SELECT pg_notify('qsh_tasks', $1)", [.text(notice.payload)])
    }
}
