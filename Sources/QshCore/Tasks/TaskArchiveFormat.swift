// The NDJSON text of export records: one JSON object per line (format version, kind, id,
// schema, rows by table; bytes as {"base64": "..."}), and the end line that GET /v2/export
// ends with, counting the records (ArchiveReader checks it when a file has one).

/// Writes and reads the lines of `qsh tasks export` / `qsh tasks import`.
public enum TaskArchiveFormat {
    /// The version of the record shape, in every record as `qsh_export`. A reader refuses
    /// a newer one; a change that old readers would misread takes a new version.
    public static let version = 1

    /// One record as one line of JSON, without the newline.
    public static func line(_ record: ArchiveRecord) -> String {
        JSONValue.object([
            ("qsh_export", .int(version)),
            ("record", .string(record.kind.rawValue)),
            ("id", .string(record.id)),
            ("schema", .int(record.schemaVersion)),
            ("tables", .object(record.tables.map { table in
                (table.name, .array(table.rows.map { row in .object(row.fields.map { ($0.column, json($0.value)) }) }))
            })),
        ]).serialized()
    }

    /// A stored value as JSON: bytes as `{"base64": ...}`.
    static func json(_ value: ArchiveValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .integer(let i): return .int(Int(i))
        case .real(let d): return .double(d)
        case .text(let s): return .string(s)
        case .blob(let b): return .object([("base64", .string(Base64.encode(b)))])
        }
    }

    /// The line that ends the records `GET /v2/export` sends, with how many task and
    /// program records came before it: `{"qsh_export": 1, "record": "end", "tasks": n,
    /// "definitions": m}`. A stream without it was cut short.
    public static func endLine(tasks: Int, definitions: Int) -> String {
        JSONValue.object([
            ("qsh_export", .int(version)), ("record", .string(endKind)), ("tasks", .int(tasks)),
            ("definitions", .int(definitions)),
        ]).serialized()
    }

    /// The `record` of the end line.
    static let endKind = "end"

    /// The record on one line of an import file.
    /// - Parameters:
    ///   - source: the file's name, for messages.
    ///   - lineNumber: 1-based, for messages.
    /// - Throws: `ArchiveFormatError` naming the file and line (an end line too).
    public static func record(_ text: String, source: String, lineNumber: Int) throws(ArchiveFormatError) -> ArchiveRecord {
        switch try entry(text, source: source, lineNumber: lineNumber) {
        case .record(let record): return record
        case .end:
            throw ArchiveFormatError(source: source, line: lineNumber, reason: "it is an end line, not a record")
        }
    }

    /// What one line of an export holds: a record, or the end line with its counts.
    public enum Entry: Sendable {
        case record(ArchiveRecord)
        case end(tasks: Int, definitions: Int)
    }

    /// The record or end line on one line of an export.
    /// - Throws: `ArchiveFormatError` naming the file and line.
    public static func entry(_ text: String, source: String, lineNumber: Int) throws(ArchiveFormatError) -> Entry {
        func fail(_ reason: String) -> ArchiveFormatError {
            ArchiveFormatError(source: source, line: lineNumber, reason: reason)
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw fail("it is not JSON (\(error.reason) at byte \(error.offset))")
        }
        guard value.objectValue != nil else { throw fail("it is not a JSON object") }
        guard let format = value["qsh_export"]?.intValue else {
            throw fail("it has no 'qsh_export' version; is it a file 'qsh tasks export' wrote?")
        }
        guard format >= 1 && format <= version else {
            throw fail("its export format \(format) is newer than this qsh reads (\(version)); upgrade qsh")
        }
        if value["record"]?.stringValue == endKind {
            guard let tasks = value["tasks"]?.intValue, let definitions = value["definitions"]?.intValue,
                tasks >= 0, definitions >= 0
            else { throw fail("its end line has no counts of 'tasks' and 'definitions'") }
            return .end(tasks: tasks, definitions: definitions)
        }
        guard let kindName = value["record"]?.stringValue, let kind = ArchiveRecord.Kind(rawValue: kindName) else {
            throw fail("its 'record' is not one of: " + ArchiveRecord.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let id = value["id"]?.stringValue, !id.isEmpty else { throw fail("it has no 'id'") }
        guard let schema = value["schema"]?.intValue else { throw fail("it has no 'schema' version") }
        guard let tables = value["tables"]?.objectValue else { throw fail("its 'tables' is not an object") }
        var out: [ArchiveTable] = []
        for (name, rows) in tables {
            guard let rows = rows.arrayValue else { throw fail("its table '\(name)' is not an array of rows") }
            var decoded: [ArchiveRow] = []
            for row in rows {
                guard let fields = row.objectValue else { throw fail("a row of its table '\(name)' is not an object") }
                decoded.append(ArchiveRow(try fields.map { column, json throws(ArchiveFormatError) in
                    guard let value = Self.value(json) else {
                        throw fail("the column '\(column)' of its table '\(name)' holds a value a database cannot")
                    }
                    return ArchiveField(column, value)
                }))
            }
            out.append(ArchiveTable(name, decoded))
        }
        return .record(ArchiveRecord(kind: kind, id: id, schemaVersion: schema, tables: out))
    }

    /// The stored value a JSON value stands for; nil for one no column holds (an array,
    /// an object other than `{"base64": ...}` with valid base64).
    static func value(_ json: JSONValue) -> ArchiveValue? {
        switch json {
        case .null: return .null
        case .int(let i): return .integer(Int64(i))
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .bool(let b): return .integer(b ? 1 : 0)
        case .object(let members):
            guard members.count == 1, members[0].0 == "base64", let text = members[0].1.stringValue,
                let bytes = Base64.decode(text)
            else { return nil }
            return .blob(bytes)
        case .array: return nil
        }
    }
}

/// A line of an import file that is not an export record.
public struct ArchiveFormatError: QshError, Equatable {
    /// The file's name (`-` for stdin).
    public var source: String
    public var line: Int
    public var reason: String

    public init(source: String, line: Int, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var code: ErrorCode { .invalidRecord }
    public var message: String {
        "line \(line) of '\(source)' is not a task export record: \(reason); nothing was imported"
    }
}
