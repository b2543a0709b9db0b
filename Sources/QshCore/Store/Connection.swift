// Connection: an owned sqlite3 handle with a statement cache. Not Sendable: one
// connection per thread. Opening sets the pragmas qsh relies on; the schema is
// the Migrator's business.
import CSQLite

/// An open SQLite database connection.
public final class Connection {
    let handle: OpaquePointer
    /// The path it was opened with (`:memory:` for a private in-memory database).
    public let path: String
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens (creating when `create` is true) the database at `path`.
    /// - Parameters:
    ///   - busyTimeout: milliseconds to wait for a lock before SQLITE_BUSY.
    /// - Throws: `SQLiteError` when the file cannot be opened.
    public init(path: String, create: Bool = true, readOnly: Bool = false, busyTimeout: Int32 = 5000)
        throws(SQLiteError)
    {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        var db = try Self.openHandle(path, flags: flags)
        // When SQLite cannot open the file for writing it quietly opens it read-only, and
        // the first write fails. That also happens when the file did not exist at its
        // first try and another process created it a moment later (several commands
        // creating the database together); a second open then finds it writable.
        if !readOnly && sqlite3_db_readonly(db, "main") == 1 {
            sqlite3_close_v2(db)
            db = try Self.openHandle(path, flags: flags)
            if sqlite3_db_readonly(db, "main") == 1 {
                sqlite3_close_v2(db)
                throw SQLiteError(
                    resultCode: SQLITE_READONLY,
                    detail: "cannot open '\(path)' for writing; check the permissions of the file and its folder")
            }
        }
        handle = db
        self.path = path
        // Set before anything that may wait on a lock, journal_mode=WAL included.
        sqlite3_busy_timeout(db, busyTimeout)
        sqlite3_extended_result_codes(db, 1)
    }

    private static func openHandle(_ path: String, flags: Int32) throws(SQLiteError) -> OpaquePointer {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let failure = SQLiteError(db: db, resultCode: rc, sql: nil)
            sqlite3_close_v2(db)
            throw SQLiteError(
                resultCode: failure.resultCode, extendedResultCode: failure.extendedResultCode,
                detail: "cannot open '\(path)': \(failure.detail)")
        }
        return db
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters (schema, pragmas).
    /// - Throws: `SQLiteError` carrying `sql`.
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            var failure = SQLiteError(db: handle, resultCode: rc, sql: sql)
            if let message {
                failure.detail = String(cString: message)
                sqlite3_free(message)
            }
            throw failure
        }
    }

    /// Compiles `sql` into a fresh statement.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, 0, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw SQLiteError(db: handle, resultCode: rc, sql: sql) }
        return SQLiteStatement(handle: stmt, sql: sql)
    }

    /// A statement for `sql`, compiled once per connection and reused.
    public func cached(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let hit = cache[sql] { return hit }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw SQLiteError(db: handle, resultCode: rc, sql: sql) }
        let statement = SQLiteStatement(handle: stmt, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// Runs `sql` with `values`, ignoring any rows.
    public func run(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) {
        try cached(sql).execute(values)
    }

    /// The first column of the first row as an integer, or nil when there is no row.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> Int64? {
        try cached(sql).first(values) { $0.isNull(0) ? nil : $0.int64(0) } ?? nil
    }

    /// Switches the file to WAL. SQLite answers SQLITE_BUSY at once, without calling the busy
    /// handler, when another process is switching the same new file at that moment (several
    /// commands creating the database together), so this retries every 10 ms, `attempts` times.
    public func enableWAL(attempts: Int = 500) throws(SQLiteError) {
        var attempt = 0
        while true {
            do {
                try execute("PRAGMA journal_mode = WAL")
                return
            } catch where error.resultCode == SQLITE_BUSY && attempt < attempts {
                attempt += 1
                sqlite3_sleep(10)
            }
        }
    }

    /// Whether closing the last connection checkpoints and removes the WAL (SQLite's
    /// default). A CLI opens and closes the database on every command, so qsh turns this
    /// off: the WAL is checkpointed as it grows instead, not once per process.
    public func setCheckpointOnClose(_ enabled: Bool) throws(SQLiteError) {
        let rc = qsh_sqlite_db_config_int(handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, enabled ? 0 : 1, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(db: handle, resultCode: rc, sql: nil) }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True while a transaction is open.
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

@available(*, unavailable)
extension Connection: Sendable {}
