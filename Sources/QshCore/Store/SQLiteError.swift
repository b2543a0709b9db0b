// SQLiteError: a failed SQLite call as a typed value (result code, extended code,
// SQLite's message, the SQL text). Bound values never appear in it.
import CSQLite

/// An error reported by SQLite, with the statement that caused it.
public struct SQLiteError: QshError, CustomStringConvertible {
    /// The primary result code, e.g. `SQLITE_BUSY` (5).
    public var resultCode: Int32
    /// The extended result code, e.g. `SQLITE_BUSY_SNAPSHOT`.
    public var extendedResultCode: Int32
    /// SQLite's own explanation (`sqlite3_errmsg`), or qsh's when SQLite gave none.
    public var detail: String
    /// The SQL text of the failing statement, without bound values; nil for open errors.
    public var sql: String?

    public init(resultCode: Int32, extendedResultCode: Int32? = nil, detail: String, sql: String? = nil) {
        self.resultCode = resultCode
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.detail = detail
        self.sql = sql
    }

    /// Reads the last error of `db`.
    init(db: OpaquePointer?, resultCode: Int32, sql: String?) {
        // With SQLITE_OPEN_EXRESCODE calls return extended codes; the low byte is the primary.
        let extended = resultCode > 0xFF ? resultCode : (db.map { sqlite3_extended_errcode($0) } ?? resultCode)
        var text = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? ""
        if text.isEmpty || text == "not an error" { text = String(cString: sqlite3_errstr(resultCode & 0xFF)) }
        // SQLite's "disk I/O error" names neither the file nor a cause.
        if resultCode & 0xFF == SQLITE_IOERR, let db, let file = sqlite3_db_filename(db, "main"), file.pointee != 0 {
            text += " on '\(String(cString: file))'; " + Self.ioErrorAdvice
        }
        self.init(resultCode: resultCode & 0xFF, extendedResultCode: extended, detail: text, sql: sql)
    }

    /// `database_busy` for lock timeouts, `database_error` otherwise.
    public var code: String {
        switch resultCode {
        case SQLITE_BUSY, SQLITE_LOCKED: return "database_busy"
        case SQLITE_NOTADB: return "not_a_database"
        default: return "database_error"
        }
    }

    /// The message for people; the SQL is left to `description`.
    public var message: String { "database error: \(detail)" }

    /// The message plus the SQL, for logs and tests.
    public var description: String {
        var text = "\(message) (code \(extendedResultCode))"
        if let sql { text += " in '\(sql)'" }
        return text
    }

    /// What to check after SQLITE_IOERR. Besides a full or failing disk, the usual cause
    /// is a database file deleted or replaced while a process had it open: the new file
    /// meets the old one's -wal and -shm files.
    public static let ioErrorAdvice =
        "check that the disk has space, and that the file and the -wal and -shm files beside it were not "
        + "deleted or replaced while a qsh process (a worker: 'pgrep -af \"qsh worker\"') had them open"

    /// True for SQLITE_BUSY and its extended codes.
    public var isBusy: Bool { resultCode == SQLITE_BUSY }
}
