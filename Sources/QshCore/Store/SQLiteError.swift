// SQLiteError: a failed SQLite call as a typed value (result code, extended code,
// SQLite's message, the SQL text, the database file). Bound values never appear in it;
// the message names the file and says what to check for each kind of failure.
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
    /// The database file as it was opened; nil when `detail` already names it (open
    /// errors) or for a private in-memory database, which has no file to check.
    public var path: String?

    public init(resultCode: Int32, extendedResultCode: Int32? = nil, detail: String, sql: String? = nil, path: String? = nil) {
        self.resultCode = resultCode
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.detail = detail
        self.sql = sql
        self.path = Self.isFile(path) ? path : nil
    }

    /// Reads the last error of `db`, the connection to `path`.
    init(db: OpaquePointer?, resultCode: Int32, sql: String?, path: String?) {
        // With SQLITE_OPEN_EXRESCODE calls return extended codes; the low byte is the primary.
        let extended = resultCode > 0xFF ? resultCode : (db.map { sqlite3_extended_errcode($0) } ?? resultCode)
        var text = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? ""
        if text.isEmpty || text == "not an error" { text = String(cString: sqlite3_errstr(resultCode & 0xFF)) }
        self.init(resultCode: resultCode & 0xFF, extendedResultCode: extended, detail: text, sql: sql, path: path)
    }

    /// True for a path that names a file (not `:memory:` or a temporary database).
    static func isFile(_ path: String?) -> Bool {
        guard let path else { return false }
        return !path.isEmpty && path != ":memory:"
    }

    /// `database_busy` for lock timeouts, `database_error` otherwise.
    public var code: ErrorCode {
        switch resultCode {
        case SQLITE_BUSY, SQLITE_LOCKED: return .databaseBusy
        case SQLITE_NOTADB: return .notADatabase
        default: return .databaseError
        }
    }

    /// The message for people: SQLite's words, the file, and what to check. The SQL is
    /// left to `description`.
    public var message: String {
        guard let path else { return "database error: \(detail)" }
        return "database error: \(detail) on '\(path)'; \(Self.advice(resultCode, path: path))"
    }

    /// The message plus the SQL, for logs and tests.
    public var description: String {
        var text = "\(message) (code \(extendedResultCode))"
        if let sql { text += " in '\(sql)'" }
        return text
    }

    /// What to check after a failure with `resultCode` on the database at `path`.
    public static func advice(_ resultCode: Int32, path: String) -> String {
        switch resultCode {
        case SQLITE_IOERR:
            return ioErrorAdvice
        case SQLITE_FULL:
            return "free space on the disk that holds it (see 'df') and try again"
        case SQLITE_CORRUPT:
            return "the file is damaged: restore it from a copy, or save what can still be read with "
                + "'sqlite3 \(shellQuoted(path)) .recover | sqlite3 recovered.sqlite'"
        case SQLITE_READONLY:
            return readOnlyAdvice
        case SQLITE_CANTOPEN:
            return "check that its folder exists and that you may read and write the file, the -wal and -shm files "
                + "beside it and the folder"
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "another process held its lock for longer than qsh waits; try again"
        case SQLITE_PERM, SQLITE_AUTH:
            return "check the permissions of the file and its folder"
        case SQLITE_NOMEM:
            return "the process ran out of memory"
        case SQLITE_NOTADB:
            return "it is not an SQLite database"
        default:
            return "the file may have been changed outside qsh or be damaged; check it with "
                + "'sqlite3 \(shellQuoted(path)) \"PRAGMA integrity_check\"'"
        }
    }

    /// What to check when a database cannot be written.
    public static let readOnlyAdvice =
        "check that you may write the file, the -wal and -shm files beside it and its folder"

    /// What to check after SQLITE_IOERR. Besides a full or failing disk, the usual cause
    /// is a database file deleted or replaced while a process had it open: the new file
    /// meets the old one's -wal and -shm files.
    public static let ioErrorAdvice =
        "check that the disk has space, and that the file and the -wal and -shm files beside it were not "
        + "deleted or replaced while a qsh process (a worker: 'pgrep -af \"qsh worker\"') had them open"

    /// `path` quoted for a POSIX shell when it needs quoting.
    static func shellQuoted(_ path: String) -> String {
        let plain = path.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                || byte == 0x2F || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        if plain && !path.isEmpty { return path }
        return "\"" + path.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
            .replacingAll("$", with: "\\$").replacingAll("`", with: "\\`") + "\""
    }

    /// True for SQLITE_BUSY and its extended codes.
    public var isBusy: Bool { resultCode == SQLITE_BUSY }
}

extension String {
    /// Every occurrence of `target` replaced (FoundationEssentials has no replacingOccurrences).
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
