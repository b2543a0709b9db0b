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
    ///   - readOnly: opens for reading only; SQLite still needs the -wal and -shm files of a
    ///     WAL database (it reads a -shm it may not write, but cannot create a missing one).
    ///   - immutable: with `readOnly`, reads the main file alone, without locks, -wal or
    ///     -shm: for a database whose WAL is empty in a folder the user may not write.
    ///   - busyTimeout: milliseconds to wait for a lock before SQLITE_BUSY.
    /// - Throws: `SQLiteError` when the file cannot be opened, or opened for writing.
    public init(
        path: String, create: Bool = true, readOnly: Bool = false, immutable: Bool = false, busyTimeout: Int32 = 5000
    ) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        var db: OpaquePointer
        if immutable && readOnly {
            db = try Self.openHandle(Self.immutableURI(path), flags: flags | SQLITE_OPEN_URI, name: path)
        } else {
            db = try Self.openHandle(path, flags: flags, name: path)
        }
        // When SQLite cannot open the file for writing it quietly opens it read-only, and
        // the first write fails. That also happens when the file did not exist at its
        // first try and another process created it a moment later (several commands
        // creating the database together); a second open then finds it writable.
        if !readOnly && sqlite3_db_readonly(db, "main") == 1 {
            sqlite3_close_v2(db)
            db = try Self.openHandle(path, flags: flags, name: path)
            if sqlite3_db_readonly(db, "main") == 1 {
                sqlite3_close_v2(db)
                throw SQLiteError(
                    resultCode: SQLITE_READONLY,
                    detail: "cannot open '\(path)' for writing; " + SQLiteError.readOnlyAdvice)
            }
        }
        handle = db
        self.path = path
        // Set before anything that may wait on a lock, journal_mode=WAL included.
        sqlite3_busy_timeout(db, busyTimeout)
        sqlite3_extended_result_codes(db, 1)
    }

    private static func openHandle(_ filename: String, flags: Int32, name: String) throws(SQLiteError) -> OpaquePointer {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(filename, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let failure = SQLiteError(db: db, resultCode: rc, sql: nil, path: nil)
            sqlite3_close_v2(db)
            throw SQLiteError(
                resultCode: failure.resultCode, extendedResultCode: failure.extendedResultCode,
                detail: "cannot open '\(name)': \(failure.detail); \(SQLiteError.advice(failure.resultCode, path: name))")
        }
        return db
    }

    /// `file:PATH?immutable=1`, with the characters a URI gives meaning to escaped.
    static func immutableURI(_ path: String) -> String {
        var uri = "file:"
        // "file://x" would make x a host name; an extra slash keeps a path that starts with "//" a path.
        if path.hasPrefix("//") { uri += "//" }
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x21, 0x7F...:
                let hex = Array("0123456789ABCDEF".utf8)
                uri += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            default:
                uri += String(decoding: [byte], as: UTF8.self)
            }
        }
        return uri + "?immutable=1"
    }

    /// True when the connection cannot write (opened read-only, or the file is not writable).
    public var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

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
            var failure = SQLiteError(db: handle, resultCode: rc, sql: sql, path: path)
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
        guard rc == SQLITE_OK, let stmt else { throw SQLiteError(db: handle, resultCode: rc, sql: sql, path: path) }
        return SQLiteStatement(handle: stmt, sql: sql, path: path)
    }

    /// A statement for `sql`, compiled once per connection and reused.
    public func cached(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let hit = cache[sql] { return hit }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw SQLiteError(db: handle, resultCode: rc, sql: sql, path: path) }
        let statement = SQLiteStatement(handle: stmt, sql: sql, path: path)
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
        guard rc == SQLITE_OK else { throw SQLiteError(db: handle, resultCode: rc, sql: nil, path: path) }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True while a transaction is open.
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

@available(*, unavailable)
extension Connection: Sendable {}
