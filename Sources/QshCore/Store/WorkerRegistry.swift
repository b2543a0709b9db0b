// The worker registry in SQLite: one row per running worker (and a launcher's
// placeholder, owner 'starting', while one starts), each valid until it expires.

extension SQLiteTaskStore {
    /// Records a running worker (replacing a launcher's placeholder) and drops stale rows.
    public func registerWorker(owner: String, pid: Int, at: Timestamp, leaseSeconds: Double) throws {
        try connection.transaction { db in
            try db.run("DELETE FROM workers WHERE expires_ms < ? OR owner = 'starting'", [.integer(at.milliseconds)])
            try db.run(
                "INSERT OR REPLACE INTO workers (owner, pid, started_ms, expires_ms) VALUES (?, ?, ?, ?)",
                [.text(owner), .int(pid), .integer(at.milliseconds),
                 .integer(at.adding(seconds: leaseSeconds).milliseconds)])
        }
    }

    /// Removes a worker's registration when it exits.
    public func unregisterWorker(owner: String) throws {
        try connection.run("DELETE FROM workers WHERE owner = ?", [.text(owner)])
    }

    /// True when some worker (or a worker being started) has a registration that has not expired.
    public func hasLiveWorker(at: Timestamp) throws -> Bool {
        try connection.scalar("SELECT 1 FROM workers WHERE expires_ms > ? LIMIT 1", [.integer(at.milliseconds)]) != nil
    }

    /// Atomically: if no worker is live, records a placeholder valid for `seconds` and
    /// returns true (the caller then starts one); otherwise returns false.
    public func reserveWorkerStart(at: Timestamp, seconds: Double) throws -> Bool {
        if try hasLiveWorker(at: at) { return false }
        return try connection.transaction { db in
            if try db.scalar("SELECT 1 FROM workers WHERE expires_ms > ? LIMIT 1", [.integer(at.milliseconds)]) != nil {
                return false
            }
            try db.run(
                "INSERT OR REPLACE INTO workers (owner, pid, started_ms, expires_ms) VALUES ('starting', 0, ?, ?)",
                [.integer(at.milliseconds), .integer(at.adding(seconds: seconds).milliseconds)])
            return true
        }
    }
}
