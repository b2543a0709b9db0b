// Leases in PostgreSQL: a claim is one transaction that locks the oldest candidate with
// SELECT ... FOR UPDATE SKIP LOCKED (claimers pass over each other's rows; only when every
// waiting row is taken does one wait) and moves it; renewal, release, and the sweep of
// tasks whose lease expired (each re-checked under its row lock).

extension PostgresTaskStore {
    static let running = "qpu_id NOT IN (SELECT qpu_id FROM qpu_states WHERE paused = 1)"

    /// Claims a held Scheduled task of a running QPU, else the oldest Created task (moved to
    /// PayloadProcessing), for `owner` with a lease.
    public func claimNext(owner: String, at: Timestamp, leaseSeconds: Double) throws -> QuantumTask? {
        let lease = TaskLease(owner: owner, expires: at.adding(seconds: leaseSeconds))
        var retried = false
        return try connection.transaction(retried: { retried = true }) { db -> QuantumTask? in
            // A claim whose COMMIT landed though its answer was lost is this claim's task.
            if retried {
                let mine = try db.query(
                    """
                    SELECT \(Self.columns) FROM tasks WHERE lease_owner = $1 AND lease_expires_ms = $2
                        AND updated_ms = $3 AND task_status IN ('PayloadProcessing', 'Scheduled')
                    ORDER BY row_order LIMIT 1
                    """, [.text(owner), .integer(lease.expires.milliseconds), .integer(at.milliseconds)])
                if let task = try mine.first({ try decodeTask(mine, $0) }) { return task }
            }
            let held = try db.query(
                """
                SELECT id FROM tasks WHERE task_status = 'Scheduled' AND lease_owner IS NULL AND \(Self.running)
                ORDER BY created_ms, row_order LIMIT 1 FOR UPDATE SKIP LOCKED
                """)
            if held.count == 1 {
                let id = held.text(0, 0)
                try db.query(
                    "UPDATE tasks SET lease_owner = $1, lease_expires_ms = $2 WHERE id = $3",
                    [.text(owner), .integer(lease.expires.milliseconds), .text(id)])
                return try task(db, id: id)
            }
            var created = try db.query(
                """
                SELECT id FROM tasks WHERE task_status = 'Created' ORDER BY created_ms, row_order LIMIT 1
                FOR UPDATE SKIP LOCKED
                """)
            // Every waiting task locked by other claimers: wait for them (a claim that rolls
            // back leaves its task to this one), and look again while a statement still
            // sees one waiting, so that nil means no task was waiting. Bounded (arbitrary).
            var looks = 0
            while created.count == 0, looks < 1000,
                try db.query("SELECT 1 FROM tasks WHERE task_status = 'Created' LIMIT 1").count == 1
            {
                looks += 1
                created = try db.query(
                    "SELECT id FROM tasks WHERE task_status = 'Created' ORDER BY created_ms, row_order LIMIT 1 FOR UPDATE")
            }
            guard created.count == 1 else { return nil }
            let id = created.text(0, 0)
            let move = TaskTransition(
                id, from: .created, to: .payloadProcessing, at: at, actor: "worker \(owner)",
                changes: TaskChanges(lease: lease))
            guard try Self.applyTransition(db, move) else { return nil }
            return try task(db, id: id)
        }
    }

    /// Drops `owner`'s lease on Scheduled task `id` when its QPU is paused.
    public func holdIfPaused(id: String, owner: String) throws -> Bool {
        try connection.autocommit(
            """
            UPDATE tasks SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = $1 AND lease_owner = $2
            AND task_status = 'Scheduled' AND qpu_id IN (SELECT qpu_id FROM qpu_states WHERE paused = 1)
            """,
            [.text(id), .text(owner)]
        ).changes == 1
    }

    /// Extends every lease `owner` holds (and its registration) to `at + leaseSeconds`.
    @discardableResult
    public func renewLeases(owner: String, at: Timestamp, leaseSeconds: Double) throws -> Int {
        let expires = at.adding(seconds: leaseSeconds).milliseconds
        return try connection.transaction { db in
            let renewed = try db.query(
                "UPDATE tasks SET lease_expires_ms = $1 WHERE lease_owner = $2 AND lease_expires_ms IS NOT NULL",
                [.integer(expires), .text(owner)]
            ).changes
            try db.query("UPDATE workers SET expires_ms = $1 WHERE owner = $2", [.integer(expires), .text(owner)])
            return renewed
        }
    }

    /// Drops `owner`'s lease on a task.
    public func releaseLease(id: String, owner: String) throws {
        try connection.autocommit(
            "UPDATE tasks SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = $1 AND lease_owner = $2",
            [.text(id), .text(owner)])
    }

    /// Non-terminal tasks whose lease expired before `at`, through `db`; `lock` takes their
    /// rows (skipping those another transaction holds).
    func expiredLeases(_ db: PostgresConnection, at: Timestamp, lock: Bool = false) throws -> [QuantumTask] {
        let rows = try db.query(
            """
            SELECT \(Self.columns) FROM tasks WHERE lease_owner IS NOT NULL AND lease_expires_ms < $1
            AND task_status NOT IN ('Completed', 'Failed', 'Cancelled', 'PayloadProcessingError')
            ORDER BY row_order\(lock ? " FOR UPDATE SKIP LOCKED" : "")
            """, [.integer(at.milliseconds)])
        return try decodeTasks(rows)
    }

    /// Settles every task whose lease expired before `at`; see the protocol.
    public func recoverExpiredLeases(
        at: Timestamp, actor: String, reason: (QuantumTask) -> String, completed: (QuantumTask) -> String
    ) throws -> [QuantumTask] {
        guard try !expiredLeases(connection, at: at).isEmpty else { return [] }
        return try connection.transaction { db in
            var settled: [QuantumTask] = []
            for task in try self.expiredLeases(db, at: at, lock: true) {
                let move: TaskTransition
                if task.status == .executionCompleted, try Self.hasCompleteResult(db, task) {
                    move = TaskTransition(
                        task.id, from: task.status, to: .completed, at: at, actor: actor, detail: completed(task))
                } else {
                    let why = reason(task)
                    move = TaskTransition(
                        task.id, from: task.status, to: .failed, at: at, actor: actor, detail: why,
                        changes: TaskChanges(errorClass: .internalError, errorReasons: [why]))
                }
                if try Self.applyTransition(db, move), let now = try self.task(db, id: task.id) { settled.append(now) }
            }
            return settled
        }
    }
}
