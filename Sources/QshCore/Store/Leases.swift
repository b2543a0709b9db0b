// Leases in SQLite: the claim (candidates read without the write lock, then one
// compare-and-set per candidate, TaskClaim's loop), renewal, release, and the sweep of
// tasks whose lease expired.

extension SQLiteTaskStore {
    /// Claims a held Scheduled task of a running QPU, else the oldest Created task for
    /// `owner` (moved to PayloadProcessing), with a lease. A candidate another claimer
    /// took first is passed over for the next one.
    public func claimNext(owner: String, at: Timestamp, leaseSeconds: Double) throws -> QuantumTask? {
        let lease = TaskLease(owner: owner, expires: at.adding(seconds: leaseSeconds))
        if let held = try claimHeld(owner: owner, lease: lease) { return held }
        return try TaskClaim.next(
            candidates: { limit in
                try connection.cached(
                    "SELECT id FROM tasks WHERE task_status = 'Created' ORDER BY created_ms, rowid LIMIT ?"
                ).rows([.int(limit)]) { $0.text(0) }
            },
            take: { id in
                try connection.transaction { db -> QuantumTask? in
                    let move = TaskTransition(
                        id, from: .created, to: .payloadProcessing, at: at, actor: "worker \(owner)",
                        changes: TaskChanges(lease: lease))
                    guard try Self.applyTransition(db, move) else { return nil }
                    return try db.cached("SELECT \(Self.columns) FROM tasks WHERE id = ?")
                        .first([.text(id)], decodeTask)
                }
            })
    }

    /// The oldest Scheduled task no worker holds whose QPU is not paused, leased to `owner`.
    private func claimHeld(owner: String, lease: TaskLease) throws -> QuantumTask? {
        let running = "qpu_id NOT IN (SELECT qpu_id FROM qpu_states WHERE paused = 1)"
        return try TaskClaim.next(
            candidates: { limit in
                try connection.cached(
                    """
                    SELECT id FROM tasks WHERE task_status = 'Scheduled' AND lease_owner IS NULL AND \(running)
                    ORDER BY created_ms, rowid LIMIT ?
                    """
                ).rows([.int(limit)]) { $0.text(0) }
            },
            take: { id in
                try connection.transaction { db -> QuantumTask? in
                    try db.run(
                        """
                        UPDATE tasks SET lease_owner = ?, lease_expires_ms = ? WHERE id = ? \
                        AND task_status = 'Scheduled' AND lease_owner IS NULL AND \(running)
                        """,
                        [.text(lease.owner), .integer(lease.expires.milliseconds), .text(id)])
                    guard db.changes == 1 else { return nil }
                    return try db.cached("SELECT \(Self.columns) FROM tasks WHERE id = ?").first([.text(id)], decodeTask)
                }
            })
    }

    /// Drops `owner`'s lease on Scheduled task `id` when its QPU is paused.
    public func holdIfPaused(id: String, owner: String) throws -> Bool {
        try connection.run(
            """
            UPDATE tasks SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = ? AND lease_owner = ? \
            AND task_status = 'Scheduled' AND qpu_id IN (SELECT qpu_id FROM qpu_states WHERE paused = 1)
            """,
            [.text(id), .text(owner)])
        return connection.changes == 1
    }

    /// Extends every lease `owner` holds (and its registration) to `at + leaseSeconds`.
    /// - Returns: how many task leases were renewed.
    @discardableResult
    public func renewLeases(owner: String, at: Timestamp, leaseSeconds: Double) throws -> Int {
        let expires = at.adding(seconds: leaseSeconds).milliseconds
        return try connection.transaction { db in
            try db.run(
                "UPDATE tasks SET lease_expires_ms = ? WHERE lease_owner = ? AND lease_expires_ms IS NOT NULL",
                [.integer(expires), .text(owner)])
            let renewed = db.changes
            try db.run("UPDATE workers SET expires_ms = ? WHERE owner = ?", [.integer(expires), .text(owner)])
            return renewed
        }
    }

    /// Drops `owner`'s lease on a task (after it was cancelled under the worker).
    public func releaseLease(id: String, owner: String) throws {
        try connection.run(
            "UPDATE tasks SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = ? AND lease_owner = ?",
            [.text(id), .text(owner)])
    }

    /// Non-terminal tasks whose lease expired before `at`.
    public func expiredLeases(at: Timestamp) throws -> [QuantumTask] {
        try connection.cached(
            "SELECT \(Self.columns) FROM tasks WHERE lease_owner IS NOT NULL AND lease_expires_ms < ? ORDER BY rowid"
        ).rows([.integer(at.milliseconds)], decodeTask)
    }

    /// Settles every task whose lease expired before `at` (its worker is gone), each
    /// re-checked under the write lock so that a lease renewed meanwhile is left alone:
    /// a task in ExecutionCompleted whose latest run has complete results (not partial,
    /// every shot) becomes Completed, since nothing of it is missing; any other becomes
    /// Failed with `internal_error` and `reason(task)` as its error reason.
    /// - Parameter completed: the event detail of a task completed this way.
    /// - Returns: the tasks it settled, as they are now.
    public func recoverExpiredLeases(
        at: Timestamp, actor: String, reason: (QuantumTask) -> String, completed: (QuantumTask) -> String
    ) throws -> [QuantumTask] {
        guard try !expiredLeases(at: at).isEmpty else { return [] }
        return try connection.transaction { db in
            var settled: [QuantumTask] = []
            for task in try self.expiredLeases(at: at) where !task.status.isTerminal {
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
                if try Self.applyTransition(db, move), let now = try self.task(id: task.id) { settled.append(now) }
            }
            return settled
        }
    }
}
