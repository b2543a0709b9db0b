// `qsh doctor` in SQLite: the library's version, the schema version, the file's pages,
// PRAGMA integrity_check, the worker registry with each worker's leases, the counts per
// state, the queue of each QPU and the tasks whose lease expired before they ended. Reads
// only: the sweep is not run here.
import CSQLite

extension SQLiteTaskStore {
    /// The store's health at `at`; see `TaskRepository.health(at:)`.
    public func health(at: Timestamp, checkIntegrity: Bool) throws -> StoreHealth {
        try connection.transaction(.deferred) { db in
            let integrity = checkIntegrity ? try db.prepare("PRAGMA integrity_check").rows { $0.text(0) } : []
            let workers = try db.prepare(
                """
                SELECT w.owner, w.pid, w.started_ms, w.expires_ms,
                    (SELECT count(*) FROM tasks t WHERE t.lease_owner = w.owner)
                FROM workers w ORDER BY w.started_ms, w.owner
                """
            ).rows { row in
                WorkerRegistration(
                    owner: row.text(0), pid: row.int(1), started: Timestamp(milliseconds: row.int64(2)),
                    expires: Timestamp(milliseconds: row.int64(3)), leasedTasks: row.int(4),
                    live: row.int64(3) > at.milliseconds)
            }
            var counts: [TaskStatus: Int] = [:]
            for status in TaskStatus.allCases { counts[status] = 0 }
            for (name, n) in try db.prepare("SELECT task_status, n FROM task_counts").rows([], { ($0.text(0), $0.int(1)) }) {
                if let status = TaskStatus(rawValue: name) { counts[status] = n }
            }
            let stranded = try expiredLeases(at: at).filter { !$0.status.isTerminal }
            return StoreHealth(
                location: db.path, engine: "SQLite", engineVersion: String(cString: sqlite3_libversion()),
                schemaVersion: try schemaVersion(),
                latestSchemaVersion: Schema.migrator.latestVersion,
                pageCount: Int(try db.scalar("PRAGMA page_count") ?? 0),
                pageSize: Int(try db.scalar("PRAGMA page_size") ?? 0),
                freePages: Int(try db.scalar("PRAGMA freelist_count") ?? 0),
                integrity: integrity, workers: workers, counts: counts, queues: try queueLengths(), stranded: stranded,
                checkedAt: at)
        }
    }
}
