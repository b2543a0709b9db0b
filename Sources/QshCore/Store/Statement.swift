// SQLiteStatement: an owned sqlite3_stmt with typed binding, one step loop and typed
// column reads (text and blobs). Not Sendable: it belongs to its connection's thread.
import CSQLite

/// A value bound to a `?` parameter.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// Bytes stored as they are (an empty array is an empty blob, not NULL).
    case blob([UInt8])

    /// An integer, or null when nil.
    public static func int(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
    /// A string, or null when nil.
    public static func string(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
}

/// A prepared statement. Bind, then step; `reset` happens on every bind.
public final class SQLiteStatement {
    let handle: OpaquePointer
    /// The SQL text, for error messages (never the bound values).
    public let sql: String
    /// The database file, for error messages.
    let path: String

    init(handle: OpaquePointer, sql: String, path: String) {
        self.handle = handle
        self.sql = sql
        self.path = path
    }

    deinit { sqlite3_finalize(handle) }

    private func error(_ rc: Int32) -> SQLiteError {
        SQLiteError(db: sqlite3_db_handle(handle), resultCode: rc, sql: sql, path: path)
    }

    /// Resets the statement and binds `values` to its parameters 1...n.
    /// - Throws: `SQLiteError` when the count is wrong or a bind fails.
    public func bind(_ values: [SQLValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError(
                resultCode: SQLITE_RANGE, detail: "statement takes \(expected) values, got \(values.count)", sql: sql,
                path: path)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let i): rc = sqlite3_bind_int64(handle, index, i)
            case .real(let d): rc = sqlite3_bind_double(handle, index, d)
            case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, qsh_sqlite_transient())
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { buffer in
                    guard let base = buffer.baseAddress, buffer.count > 0 else {
                        return sqlite3_bind_zeroblob(handle, index, 0)
                    }
                    return sqlite3_bind_blob64(
                        handle, index, base, sqlite3_uint64(buffer.count), qsh_sqlite_transient())
                }
            }
            guard rc == SQLITE_OK else { throw error(rc) }
        }
    }

    /// The one step loop: true when a row is ready, false when done.
    /// - Throws: `SQLiteError` for anything but SQLITE_ROW and SQLITE_DONE.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let failure = error(rc)
            sqlite3_reset(handle)
            throw failure
        }
    }

    /// Binds `values` and runs the statement to completion, ignoring rows.
    public func execute(_ values: [SQLValue] = []) throws(SQLiteError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Binds `values` and maps every row with `transform`.
    public func rows<T>(_ values: [SQLValue] = [], _ transform: (Row) throws -> T) throws -> [T] {
        try bind(values)
        defer { sqlite3_reset(handle) }
        var out: [T] = []
        while try step() { out.append(try transform(Row(statement: self))) }
        return out
    }

    /// Binds `values` and maps the first row, or returns nil when there is none.
    public func first<T>(_ values: [SQLValue] = [], _ transform: (Row) throws -> T) throws -> T? {
        try bind(values)
        defer { sqlite3_reset(handle) }
        guard try step() else { return nil }
        return try transform(Row(statement: self))
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}

/// The current row of a statement; valid only inside the mapping closure.
public struct Row {
    let statement: SQLiteStatement

    /// The number of columns in the row.
    public var count: Int32 { sqlite3_column_count(statement.handle) }

    /// True when column `index` is NULL.
    public func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(statement.handle, index) == SQLITE_NULL
    }

    /// Column `index` as an integer (0 for NULL).
    public func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(statement.handle, index) }

    /// Column `index` as an Int (0 for NULL).
    public func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(statement.handle, index)) }

    /// Column `index` as an integer, or nil for NULL.
    public func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }

    /// Column `index` as a double.
    public func double(_ index: Int32) -> Double { sqlite3_column_double(statement.handle, index) }

    /// Column `index` as text ("" for NULL).
    public func text(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement.handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement.handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` as text, or nil for NULL.
    public func optionalText(_ index: Int32) -> String? { isNull(index) ? nil : text(index) }

    /// Column `index` as bytes (a text value's UTF-8; empty for NULL).
    public func blob(_ index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(statement.handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(statement.handle, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Column `index` as bytes, or nil for NULL.
    public func optionalBlob(_ index: Int32) -> [UInt8]? { isNull(index) ? nil : blob(index) }

    /// The name of column `index` (its alias, if the SELECT gave one).
    public func name(_ index: Int32) -> String {
        sqlite3_column_name(statement.handle, index).map { String(cString: $0) } ?? ""
    }

    /// Column `index` as the value it holds, of the type it is stored with.
    public func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(statement.handle, index) {
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .real(double(index))
        case SQLITE_TEXT: return .text(text(index))
        case SQLITE_BLOB: return .blob(blob(index))
        default: return .null
        }
    }
}
