// QPU pause states in SQLite (`qpu_states`, schema step "qpu-pause-states") and the
// queues of waiting tasks per QPU.

extension SQLiteTaskStore {
    /// Pauses or resumes a QPU: an upsert of its row; an unchanged state keeps its time.
    @discardableResult
    public func setQPUPaused(_ qpuID: String, paused: Bool, at: Timestamp, actor: String) throws -> QPUState {
        try connection.transaction { db in
            try db.run(
                """
                INSERT INTO qpu_states (qpu_id, paused, updated_ms, actor) VALUES (?, ?, ?, ?)
                ON CONFLICT (qpu_id) DO UPDATE SET paused = excluded.paused, updated_ms = excluded.updated_ms,
                    actor = excluded.actor WHERE qpu_states.paused <> excluded.paused
                """,
                [.text(qpuID), .int(paused ? 1 : 0), .integer(at.milliseconds), .text(actor)])
            return try Self.qpuState(db, qpuID) ?? QPUState(qpuID: qpuID, paused: paused)
        }
    }

    /// Every QPU that was ever paused or resumed, by id.
    public func qpuStates() throws -> [QPUState] {
        try connection.cached("SELECT qpu_id, paused, updated_ms, actor FROM qpu_states ORDER BY qpu_id")
            .rows([], Self.decodeQPUState)
    }

    static func qpuState(_ db: Connection, _ qpuID: String) throws -> QPUState? {
        try db.cached("SELECT qpu_id, paused, updated_ms, actor FROM qpu_states WHERE qpu_id = ?")
            .first([.text(qpuID)], decodeQPUState)
    }

    static func decodeQPUState(_ row: Row) -> QPUState {
        QPUState(
            qpuID: row.text(0), paused: row.int(1) != 0, updated: Timestamp(milliseconds: row.int64(2)),
            actor: row.text(3))
    }

    /// The task's place among its QPU's waiting tasks, by creation (then insertion) order.
    public func queuePosition(taskID id: String) throws -> QueuePosition? {
        try connection.cached(
            """
            SELECT
                (SELECT count(*) FROM tasks o WHERE o.qpu_id = t.qpu_id
                    AND o.task_status IN ('Created', 'PayloadProcessing', 'Scheduled')
                    AND (o.created_ms < t.created_ms OR (o.created_ms = t.created_ms AND o.rowid < t.rowid))),
                (SELECT count(*) FROM tasks o WHERE o.qpu_id = t.qpu_id
                    AND o.task_status IN ('Created', 'PayloadProcessing', 'Scheduled'))
            FROM tasks t WHERE t.id = ? AND t.task_status IN ('Created', 'PayloadProcessing', 'Scheduled')
            """
        ).first([.text(id)]) { QueuePosition(position: $0.int(0) + 1, length: $0.int(1)) }
    }

    /// Waiting tasks per QPU.
    public func queueLengths() throws -> [String: Int] {
        var lengths: [String: Int] = [:]
        for (qpu, n) in try connection.cached(
            """
            SELECT qpu_id, count(*) FROM tasks WHERE task_status IN ('Created', 'PayloadProcessing', 'Scheduled')
            GROUP BY qpu_id
            """
        ).rows([], { ($0.text(0), $0.int(1)) }) {
            lengths[qpu] = n
        }
        return lengths
    }
}
