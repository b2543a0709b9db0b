// `qsh doctor` in PostgreSQL: the server's version, the schema version, the database's size
// (in blocks; PostgreSQL keeps no free list to count), a consistency check
// (PostgreSQL keeps its own pages; what qsh checks is its own bookkeeping: the counter slots
// against the tasks, and leases only on tasks that have not ended), the worker registry with
// each worker's leases, the counts per state and the tasks stranded past their lease.

extension PostgresTaskStore {
    /// The store's health at `at`; see `TaskRepository.health(at:checkIntegrity:)`.
    public func health(at: Timestamp, checkIntegrity: Bool) throws -> StoreHealth {
        try connection.transaction("REPEATABLE READ") { db in
            let integrity = checkIntegrity ? try Self.consistency(db) : []
            let workerRows = try db.query(
                """
                SELECT w.owner, w.pid, w.started_ms, w.expires_ms,
                    (SELECT count(*) FROM tasks t WHERE t.lease_owner = w.owner)
                FROM workers w ORDER BY w.started_ms, w.owner
                """)
            let workers = workerRows.map { i in
                WorkerRegistration(
                    owner: workerRows.text(i, 0), pid: workerRows.int(i, 1),
                    started: Timestamp(milliseconds: workerRows.int64(i, 2)),
                    expires: Timestamp(milliseconds: workerRows.int64(i, 3)), leasedTasks: workerRows.int(i, 4),
                    live: workerRows.int64(i, 3) > at.milliseconds)
            }
            var counts: [TaskStatus: Int] = [:]
            for status in TaskStatus.allCases { counts[status] = 0 }
            let countRows = try db.query("SELECT task_status, sum(n) FROM task_counts GROUP BY task_status")
            for i in 0..<countRows.count {
                if let status = TaskStatus(rawValue: countRows.text(i, 0)) { counts[status] = countRows.int(i, 1) }
            }
            let size = try db.query(
                """
                SELECT pg_database_size(current_database()), current_setting('block_size')::bigint,
                    current_setting('server_version')
                """)
            let pageSize = size.int(0, 1)
            return StoreHealth(
                location: location, engine: "PostgreSQL", engineVersion: size.text(0, 2),
                schemaVersion: try schemaVersion(db), latestSchemaVersion: PostgresSchema.latestVersion,
                pageCount: size.int(0, 0) / max(1, pageSize), pageSize: pageSize, freePages: nil, integrity: integrity,
                workers: workers, counts: counts, queues: try queueLengths(), stranded: try expiredLeases(db, at: at),
                checkedAt: at)
        }
    }

    /// The schema version in the metadata table.
    func schemaVersion(_ db: PostgresConnection) throws -> Int {
        Int(try db.scalar("SELECT schema_version FROM qsh_metadata") ?? 0)
    }

    /// What is inconsistent in qsh's own bookkeeping, one line each; ["ok"] when nothing is.
    static func consistency(_ db: PostgresConnection) throws -> [String] {
        var found: [String] = []
        let counts = try db.query(
            """
            SELECT s.task_status, coalesce(c.n, 0), coalesce(t.n, 0)
            FROM (SELECT DISTINCT task_status FROM task_counts) s
            LEFT JOIN (SELECT task_status, sum(n) AS n FROM task_counts GROUP BY task_status) c USING (task_status)
            LEFT JOIN (SELECT task_status, count(*) AS n FROM tasks GROUP BY task_status) t USING (task_status)
            WHERE coalesce(c.n, 0) <> coalesce(t.n, 0) ORDER BY s.task_status
            """)
        for i in 0..<counts.count {
            found.append(
                "the count of \(counts.text(i, 0)) tasks is \(counts.text(i, 1)) but \(counts.text(i, 2)) are stored")
        }
        let leased = try db.scalar(
            """
            SELECT count(*) FROM tasks WHERE (lease_owner IS NULL) <> (lease_expires_ms IS NULL)
            OR (lease_owner IS NOT NULL AND task_status IN ('Completed', 'Failed', 'Cancelled', 'PayloadProcessingError'))
            """) ?? 0
        if leased > 0 { found.append("\(leased) tasks have a lease that does not fit their state") }
        return found.isEmpty ? ["ok"] : found
    }
}
