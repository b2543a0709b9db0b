// Export and import in SQLite, table-driven: a record is the rows of the tables listed
// here, every column as stored (SELECT *); an import writes the columns a record names. A
// column a later schema adds travels unchanged; a new table is one more line here.
import CSQLite

/// A table a record carries, and which of its rows belong to the record.
struct ArchiveTableSpec {
    var name: String
    /// The WHERE clause (and order) that selects the record's rows; `?1` is the record's id.
    var rowsOf: String
    /// Rows another record may hold too (a shared compilation): an import keeps the one
    /// already stored.
    var shared: Bool = false
    /// The record's own row (`tasks`, `definitions`): exactly one, with the record's id.
    /// Tables its row refers to (a batch, say) may come before it.
    var main: Bool = false
}

extension SQLiteTaskStore {
    /// The tables of a definition record, parents first.
    static let definitionTables = [
        ArchiveTableSpec(name: "definitions", rowsOf: "WHERE id = ?1", main: true),
        ArchiveTableSpec(name: "definition_includes", rowsOf: "WHERE definition_id = ?1 ORDER BY seq"),
    ]

    /// The tables of a task record, each after the tables its rows refer to.
    static let taskTables = [
        ArchiveTableSpec(
            name: "batches", rowsOf: "WHERE id IN (SELECT batch_id FROM tasks WHERE id = ?1)", shared: true),
        ArchiveTableSpec(name: "tasks", rowsOf: "WHERE id = ?1", main: true),
        ArchiveTableSpec(name: "task_tags", rowsOf: "WHERE task_id = ?1 ORDER BY key"),
        ArchiveTableSpec(name: "task_events", rowsOf: "WHERE task_id = ?1 ORDER BY seq"),
        ArchiveTableSpec(
            name: "compilations",
            rowsOf: """
                WHERE id IN (SELECT compilation_id FROM tasks WHERE id = ?1
                    UNION SELECT compilation_id FROM runs WHERE task_id = ?1) ORDER BY created_ms, id
                """,
            shared: true),
        ArchiveTableSpec(name: "runs", rowsOf: "WHERE task_id = ?1 ORDER BY attempt"),
        ArchiveTableSpec(name: "diagnostics", rowsOf: "WHERE task_id = ?1 ORDER BY seq"),
        // A task's own key, and its batch's (shared by the batch's other tasks).
        ArchiveTableSpec(
            name: "idempotency_keys",
            rowsOf: "WHERE task_id = ?1 OR batch_id IN (SELECT batch_id FROM tasks WHERE id = ?1) ORDER BY key",
            shared: true),
    ]

    /// The tables a record of `kind` carries.
    static func tables(of kind: ArchiveRecord.Kind) -> [ArchiveTableSpec] {
        kind == .task ? taskTables : definitionTables
    }

    /// The schema version of this database.
    func schemaVersion() throws -> Int { Int(try connection.scalar("PRAGMA user_version") ?? 0) }

    /// The task with this id as a record, or nil.
    public func exportTask(id: String) throws -> ArchiveRecord? {
        try exportRecord(.task, id: id)
    }

    /// The program definition with this id as a record, or nil.
    public func exportDefinition(id: String) throws -> ArchiveRecord? {
        try exportRecord(.definition, id: id)
    }

    private func exportRecord(_ kind: ArchiveRecord.Kind, id: String) throws -> ArchiveRecord? {
        var tables: [ArchiveTable] = []
        for spec in Self.tables(of: kind) {
            let rows = try connection.cached("SELECT * FROM \(spec.name) \(spec.rowsOf)").rows([.text(id)]) { row in
                ArchiveRow((0..<row.count).map { ArchiveField(row.name($0), ArchiveValue(row.value($0))) })
            }
            if spec.main && rows.isEmpty { return nil }
            tables.append(ArchiveTable(spec.name, rows))
        }
        return ArchiveRecord(kind: kind, id: id, schemaVersion: try schemaVersion(), tables: tables)
    }

    /// Stores the task records of `records` (with the definitions they need, from the
    /// definition records) in one transaction: all of them or none.
    public func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary {
        var definitions: [String: ArchiveRecord] = [:]
        for record in records where record.kind == .definition {
            try Self.checkShape(record)
            definitions[record.id] = record
        }
        return try connection.transaction { db in
            var summary = ImportSummary()
            var columns: [String: [String: TableColumn]] = [:]
            func columnsOf(_ table: String) throws -> [String: TableColumn] {
                if let known = columns[table] { return known }
                let found = try Self.tableColumns(db, table)
                columns[table] = found
                return found
            }
            for record in records where record.kind == .task {
                try Self.checkShape(record)
                if try db.scalar("SELECT 1 FROM tasks WHERE id = ?", [.text(record.id)]) != nil {
                    guard skipExisting else { throw ImportError.duplicate(id: record.id) }
                    summary.skipped.append(record.id)
                    continue
                }
                guard case .text(let definitionID)? = record.rows("tasks").first?["definition_id"] else {
                    throw ImportError.invalid(record: record.id, reason: "its task row has no definition_id")
                }
                if try db.scalar("SELECT 1 FROM definitions WHERE id = ?", [.text(definitionID)]) == nil {
                    guard let definition = definitions[definitionID] else {
                        throw ImportError.invalid(
                            record: record.id,
                            reason: "its program definition '\(definitionID)' is neither in the file nor in the database")
                    }
                    try Self.insertRecord(db, definition, columnsOf: columnsOf)
                    summary.definitions += 1
                }
                try Self.insertRecord(db, record, columnsOf: columnsOf)
                summary.imported.append(record.id)
            }
            return summary
        }
    }

    /// A column of a table in this database.
    struct TableColumn {
        var name: String
        /// True for an INTEGER PRIMARY KEY (the rowid): kept when free, else assigned anew.
        var isRowID: Bool
    }

    /// The columns `table` has in this database, by name (PRAGMA table_info).
    static func tableColumns(_ db: Connection, _ table: String) throws -> [String: TableColumn] {
        let info = try db.prepare("SELECT name, type, pk FROM pragma_table_info(?)").rows([.text(table)]) {
            (name: $0.text(0), type: $0.text(1).uppercased(), pk: $0.int(2))
        }
        let keyCount = info.filter { $0.pk > 0 }.count
        var out: [String: TableColumn] = [:]
        for column in info {
            out[column.name] = TableColumn(
                name: column.name, isRowID: column.pk == 1 && keyCount == 1 && column.type == "INTEGER")
        }
        return out
    }

    /// Checks that a record holds the tables of its kind only, and its one main row with its id.
    static func checkShape(_ record: ArchiveRecord) throws {
        let specs = tables(of: record.kind)
        for table in record.tables where !specs.contains(where: { $0.name == table.name }) {
            throw ImportError.invalid(
                record: record.id,
                reason: "it holds the table '\(table.name)', which a \(record.kind.rawValue) record of this qsh has not")
        }
        let table = specs.first(where: \.main)?.name ?? ""
        let main = record.rows(table)
        guard main.count == 1, main[0]["id"] == .text(record.id) else {
            throw ImportError.invalid(record: record.id, reason: "it needs exactly one '\(table)' row with the record's id")
        }
    }

    /// Writes every row of a checked record, table by table in the kind's order.
    static func insertRecord(
        _ db: Connection, _ record: ArchiveRecord, columnsOf: (String) throws -> [String: TableColumn]
    ) throws {
        for spec in tables(of: record.kind) {
            let rows = record.rows(spec.name)
            guard !rows.isEmpty else { continue }
            let known = try columnsOf(spec.name)
            // A rowid already taken here (events of another database) is assigned anew for
            // every row of the table, so that the record's rows keep their order.
            var dropped: Set<String> = []
            for column in known.values where column.isRowID {
                for row in rows {
                    guard case .integer(let key)? = row[column.name] else { continue }
                    if try db.scalar("SELECT 1 FROM \(spec.name) WHERE \(column.name) = ?", [.integer(key)]) != nil {
                        dropped.insert(column.name)
                        break
                    }
                }
            }
            for row in rows {
                let (names, values) = try row.columns(
                    leaving: dropped, of: spec.name, known: { known[$0] != nil }, record: record.id)
                let conflict = spec.shared || record.kind == .definition ? " ON CONFLICT DO NOTHING" : ""
                let sql = "INSERT INTO \(spec.name) (" + names.map { "\"\($0)\"" }.joined(separator: ", ")
                    + ") VALUES (" + names.map { _ in "?" }.joined(separator: ", ") + ")" + conflict
                let statement = try db.cached(sql)
                do {
                    try statement.execute(values)
                } catch {
                    guard error.resultCode == SQLITE_CONSTRAINT else { throw error }
                    throw ImportError.invalid(
                        record: record.id, reason: "a row of its table '\(spec.name)' is refused: \(error.detail)")
                }
            }
        }
    }
}

extension ArchiveValue {
    /// The value a column read gave.
    init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let i): self = .integer(i)
        case .real(let d): self = .real(d)
        case .text(let s): self = .text(s)
        case .blob(let b): self = .blob(b)
        }
    }

    /// The value to bind to write it back.
    var sqlValue: SQLValue {
        switch self {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .real(let d): return .real(d)
        case .text(let s): return .text(s)
        case .blob(let b): return .blob(b)
        }
    }
}

extension ArchiveRow {
    /// The column names and values of this row for an INSERT into `table`, without the
    /// `dropped` columns (assigned anew here), for both stores.
    /// - Throws: `ImportError.invalid` for a column this database does not have.
    func columns(leaving dropped: Set<String>, of table: String, known: (String) -> Bool, record: String) throws
        -> (names: [String], values: [SQLValue])
    {
        var names: [String] = []
        var values: [SQLValue] = []
        for field in fields where !dropped.contains(field.column) {
            guard known(field.column) else {
                throw ImportError.invalid(
                    record: record,
                    reason: "the column '\(field.column)' of its table '\(table)' is not in this database "
                        + "(was it exported by a newer qsh?)")
            }
            names.append(field.column)
            values.append(field.value.sqlValue)
        }
        return (names, values)
    }
}
