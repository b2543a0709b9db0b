// QPU pause states in PostgreSQL (`qpu_states`) and the queues of waiting tasks per QPU.

extension PostgresTaskStore {
    /// Pauses or resumes a QPU: an upsert of its row; an unchanged state keeps its time.
    @discardableResult
    public func setQPUPaused(_ qpuID: String, paused: Bool, at: Timestamp, actor: String) throws -> QPUState {
        try connection.transaction { db in
            try db.query(
                """
                INSERT INTO qpu_states (qpu_id, paused, updated_ms, actor) VALUES ($1, $2, $3, $4)
                ON CONFLICT (qpu_id) DO UPDATE SET paused = excluded.paused, updated_ms = excluded.updated_ms,
                    actor = excluded.actor WHERE qpu_states.paused <> excluded.paused
                """,
                [.text(qpuID), .int(paused ? 1 : 0), .integer(at.milliseconds), .text(actor)])
            if !paused { try Self.notify(db, TaskChangeNotice(taskID: nil, status: .scheduled)) }
            let rows = try db.query(
                "SELECT qpu_id, paused, updated_ms, actor FROM qpu_states WHERE qpu_id = $1", [.text(qpuID)])
            return rows.first { Self.decodeQPUState(rows, $0) } ?? QPUState(qpuID: qpuID, paused: paused)
        }
    }

    /// Every QPU that was ever paused or resumed, by id.
    public func qpuStates() throws -> [QPUState] {
        let rows = try connection.query("SELECT qpu_id, paused, updated_ms, actor FROM qpu_states ORDER BY qpu_id")
        return rows.map { Self.decodeQPUState(rows, $0) }
    }

    static func decodeQPUState(_ rows: PostgresRows, _ i: Int) -> QPUState {
        QPUState(
            qpuID: rows.text(i, 0), paused: rows.int(i, 1) != 0, updated: Timestamp(milliseconds: rows.int64(i, 2)),
            actor: rows.text(i, 3))
    }

    /// The task's place among its QPU's waiting tasks, by creation (then insertion) order.
    public func queuePosition(taskID id: String) throws -> QueuePosition? {
        let rows = try connection.query(
            """
            SELECT
                (SELECT count(*) FROM tasks o WHERE o.qpu_id = t.qpu_id
                    AND o.task_status IN ('Created', 'PayloadProcessing', 'Scheduled')
                    AND (o.created_ms < t.created_ms OR (o.created_ms = t.created_ms AND o.row_order < t.row_order))),
                (SELECT count(*) FROM tasks o WHERE o.qpu_id = t.qpu_id
                    AND o.task_status IN ('Created', 'PayloadProcessing', 'Scheduled'))
            FROM tasks t WHERE t.id = $1 AND t.task_status IN ('Created', 'PayloadProcessing', 'Scheduled')
            """, [.text(id)])
        return rows.first { QueuePosition(position: rows.int($0, 0) + 1, length: rows.int($0, 1)) }
    }

    /// Waiting tasks per QPU.
    public func queueLengths() throws -> [String: Int] {
        let rows = try connection.query(
            """
            SELECT qpu_id, count(*) FROM tasks WHERE task_status IN ('Created', 'PayloadProcessing', 'Scheduled')
            GROUP BY qpu_id
            """)
        var lengths: [String: Int] = [:]
        for i in 0..<rows.count { lengths[rows.text(i, 0)] = rows.int(i, 1) }
        return lengths
    }
}
