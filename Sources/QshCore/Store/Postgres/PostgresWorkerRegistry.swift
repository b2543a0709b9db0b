// The worker registry in PostgreSQL: one row per running worker (and a launcher's
// placeholder, owner 'starting', while one starts), each valid until it expires.

extension PostgresTaskStore {
    /// Records a running worker (replacing a launcher's placeholder) and drops stale rows.
    public func registerWorker(owner: String, pid: Int, at: Timestamp, leaseSeconds: Double) throws {
        try connection.transaction { db in
            try db.query("DELETE FROM workers WHERE expires_ms < $1 OR owner = 'starting'", [.integer(at.milliseconds)])
            try db.query(
                """
                INSERT INTO workers (owner, pid, started_ms, expires_ms) VALUES ($1, $2, $3, $4)
                ON CONFLICT (owner) DO UPDATE SET pid = excluded.pid, started_ms = excluded.started_ms,
                    expires_ms = excluded.expires_ms
                """,
                [.text(owner), .int(pid), .integer(at.milliseconds),
                 .integer(at.adding(seconds: leaseSeconds).milliseconds)])
        }
    }

    /// Removes a worker's registration when it exits.
    public func unregisterWorker(owner: String) throws {
        try connection.autocommit("DELETE FROM workers WHERE owner = $1", [.text(owner)])
    }

    /// True when some worker (or one being started) has a registration that has not expired.
    public func hasLiveWorker(at: Timestamp) throws -> Bool {
        try connection.query("SELECT 1 FROM workers WHERE expires_ms > $1 LIMIT 1", [.integer(at.milliseconds)]).count > 0
    }

    /// Atomically: if no worker is live, records a placeholder and returns true. The table
    /// is locked for the check, so two launchers cannot both reserve.
    public func reserveWorkerStart(at: Timestamp, seconds: Double) throws -> Bool {
        if try hasLiveWorker(at: at) { return false }
        return try connection.transaction { db in
            try db.execute("LOCK TABLE workers IN SHARE ROW EXCLUSIVE MODE")
            if try db.query("SELECT 1 FROM workers WHERE expires_ms > $1 LIMIT 1", [.integer(at.milliseconds)]).count > 0 {
                return false
            }
            try db.query(
                """
                INSERT INTO workers (owner, pid, started_ms, expires_ms) VALUES ('starting', 0, $1, $2)
                ON CONFLICT (owner) DO UPDATE SET pid = 0, started_ms = excluded.started_ms,
                    expires_ms = excluded.expires_ms
                """,
                [.integer(at.milliseconds), .integer(at.adding(seconds: seconds).milliseconds)])
            return true
        }
    }
}
