// Tasks as records that move between databases (`tasks export` / `tasks import`): each
// record holds rows by table, column by column, as stored, so a column a later schema
// adds travels with no code here. The NDJSON text of a record is TaskArchiveFormat.swift.

/// A value as a column stores it.
public enum ArchiveValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// Bytes, exactly (a program, an included file).
    case blob([UInt8])
}

/// One column of a row and its value.
public struct ArchiveField: Sendable, Hashable {
    public var column: String
    public var value: ArchiveValue

    public init(_ column: String, _ value: ArchiveValue) {
        self.column = column
        self.value = value
    }
}

/// One stored row, its columns in the table's order.
public struct ArchiveRow: Sendable, Hashable {
    public var fields: [ArchiveField]

    public init(_ fields: [ArchiveField]) { self.fields = fields }

    /// The value of `column`, or nil when the row lacks it.
    public subscript(column: String) -> ArchiveValue? { fields.first { $0.column == column }?.value }
}

/// The rows of one table that belong to a record.
public struct ArchiveTable: Sendable, Hashable {
    /// The table's name in the schema (`tasks`, `task_events`...).
    public var name: String
    public var rows: [ArchiveRow]

    public init(_ name: String, _ rows: [ArchiveRow]) {
        self.name = name
        self.rows = rows
    }
}

/// One record of an export: a program definition (its bytes and includes) or a task with
/// everything that is its own (tags, events, compilations, runs, diagnostics).
public struct ArchiveRecord: Sendable, Hashable {
    /// What a record holds.
    public enum Kind: String, Sendable, CaseIterable {
        case definition
        case task
    }

    public var kind: Kind
    /// The definition's or the task's id.
    public var id: String
    /// The schema version of the database it was exported from.
    public var schemaVersion: Int
    /// Its rows, parents before the rows that refer to them.
    public var tables: [ArchiveTable]

    public init(kind: Kind, id: String, schemaVersion: Int, tables: [ArchiveTable]) {
        self.kind = kind
        self.id = id
        self.schemaVersion = schemaVersion
        self.tables = tables
    }

    /// The rows of `table` (empty when the record has none).
    public func rows(_ table: String) -> [ArchiveRow] { tables.first { $0.name == table }?.rows ?? [] }
}

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    /// The ids of the tasks stored, in the file's order.
    public var imported: [String] = []
    /// The ids of the tasks already stored, left as they were (`--skip-existing`).
    public var skipped: [String] = []
    /// How many program definitions were new to the database.
    public var definitions: Int = 0

    public init(imported: [String] = [], skipped: [String] = [], definitions: Int = 0) {
        self.imported = imported
        self.skipped = skipped
        self.definitions = definitions
    }
}

/// Why an import stored nothing.
public enum ImportError: QshError, Equatable {
    /// A task of the file is already stored (and skipping was not asked for).
    case duplicate(id: String)
    /// A record does not fit this database (its shape, a column it lacks, a row it refuses).
    case invalid(record: String, reason: String)

    public var code: ErrorCode {
        switch self {
        case .duplicate: return .alreadyExists
        case .invalid: return .invalidRecord
        }
    }

    public var message: String {
        switch self {
        case .duplicate(let id):
            return "task '\(id)' is already in the database; nothing was imported "
                + "(use --skip-existing to import the others)"
        case .invalid(let record, let reason):
            return "cannot import the record of '\(record)': \(reason); nothing was imported"
        }
    }
}
