// Export and import in PostgreSQL, driven by SQLite's table list (Archive.swift): a record
// is the rows of those tables, every column as stored except PostgreSQL's own `row_order`,
// so that records move between the two stores unchanged; an import writes the columns a
// record names.

extension PostgresTaskStore {
    /// The record's columns of `table` in this database, in order, and which is an identity
    /// (SQLite's rowid: kept when free, else assigned anew).
    func archiveColumns(_ db: PostgresConnection, _ table: String) throws -> [(name: String, isIdentity: Bool)] {
        let rows = try db.query(
            """
            SELECT column_name, is_identity FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 AND column_name <> 'row_order'
            ORDER BY ordinal_position
            """, [.text(table)])
        return rows.map { (rows.text($0, 0), rows.text($0, 1) == "YES") }
    }

    public func exportTask(id: String) throws -> ArchiveRecord? { try exportRecord(.task, id: id) }

    public func exportDefinition(id: String) throws -> ArchiveRecord? { try exportRecord(.definition, id: id) }

    private func exportRecord(_ kind: ArchiveRecord.Kind, id: String) throws -> ArchiveRecord? {
        try connection.transaction("REPEATABLE READ") { db -> ArchiveRecord? in
            var tables: [ArchiveTable] = []
            for spec in SQLiteTaskStore.tables(of: kind) {
                let names = try archiveColumns(db, spec.name).map { "\"\($0.name)\"" }.joined(separator: ", ")
                let rows = try db.query(
                    "SELECT \(names) FROM \(spec.name) \(spec.rowsOf.replacing("?1", with: "$1"))", [.text(id)])
                let read = rows.map { i in
                    ArchiveRow((0..<rows.columns).map { c in ArchiveField(rows.name(c), Self.archiveValue(rows, i, c)) })
                }
                if spec.main && read.isEmpty { return nil }
                tables.append(ArchiveTable(spec.name, read))
            }
            return ArchiveRecord(kind: kind, id: id, schemaVersion: try schemaVersion(db), tables: tables)
        }
    }

    /// A column's value as an archive value, by its type: what SQLite would have read.
    static func archiveValue(_ rows: PostgresRows, _ i: Int, _ c: Int) -> ArchiveValue {
        if rows.isNull(i, c) { return .null }
        switch rows.type(c) {
        case 20, 21, 23: return .integer(rows.int64(i, c))
        case 700, 701: return .real(rows.double(i, c))
        case 17: return .blob(rows.bytes(i, c))
        case 16: return .integer(rows.text(i, c) == "t" ? 1 : 0)
        default: return .text(rows.text(i, c))
        }
    }

    /// Stores the task records of `records` (with the definitions they need) in one
    /// transaction: all of them or none.
    public func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary {
        var definitions: [String: ArchiveRecord] = [:]
        for record in records where record.kind == .definition {
            try SQLiteTaskStore.checkShape(record)
            definitions[record.id] = record
        }
        return try connection.transaction { db in
            var summary = ImportSummary()
            var columns: [String: [String: Bool]] = [:]
            var identitiesGiven: Set<String> = []
            func columnsOf(_ table: String) throws -> [String: Bool] {
                if let known = columns[table] { return known }
                var found: [String: Bool] = [:]
                for column in try archiveColumns(db, table) { found[column.name] = column.isIdentity }
                columns[table] = found
                return found
            }
            _ = try Self.countingOnce(db, expected: records.count) {
                for record in records where record.kind == .task {
                    try SQLiteTaskStore.checkShape(record)
                    if try db.query("SELECT 1 FROM tasks WHERE id = $1", [.text(record.id)]).count > 0 {
                        guard skipExisting else { throw ImportError.duplicate(id: record.id) }
                        summary.skipped.append(record.id)
                        continue
                    }
                    guard case .text(let definitionID)? = record.rows("tasks").first?["definition_id"] else {
                        throw ImportError.invalid(record: record.id, reason: "its task row has no definition_id")
                    }
                    if try db.query("SELECT 1 FROM definitions WHERE id = $1", [.text(definitionID)]).count == 0 {
                        guard let definition = definitions[definitionID] else {
                            throw ImportError.invalid(
                                record: record.id,
                                reason: "its program definition '\(definitionID)' is neither in the file nor in the database")
                        }
                        try Self.insertRecord(db, definition, columnsOf: columnsOf, identitiesGiven: &identitiesGiven)
                        summary.definitions += 1
                    }
                    try Self.insertRecord(db, record, columnsOf: columnsOf, identitiesGiven: &identitiesGiven)
                    summary.imported.append(record.id)
                }
                return summary.imported
            }
            // Identity values written as given: the sequence moves past them.
            for column in identitiesGiven.sorted() {
                let parts = column.split(separator: ".").map(String.init)
                try db.query(
                    """
                    SELECT setval(pg_get_serial_sequence($1, $2), greatest(
                        (SELECT max(\(parts[1])) FROM \(parts[0])),
                        (SELECT last_value FROM pg_sequences WHERE schemaname || '.' || sequencename =
                            pg_get_serial_sequence($1, $2))))
                    """, [.text(parts[0]), .text(parts[1])])
            }
            // Imported tasks may wait for a worker.
            try Self.notify(db, TaskChangeNotice(taskID: nil, status: .created))
            return summary
        }
    }

    /// Writes every row of a checked record, table by table in the kind's order.
    static func insertRecord(
        _ db: PostgresConnection, _ record: ArchiveRecord, columnsOf: (String) throws -> [String: Bool],
        identitiesGiven: inout Set<String>
    ) throws {
        for spec in SQLiteTaskStore.tables(of: record.kind) {
            let rows = record.rows(spec.name)
            guard !rows.isEmpty else { continue }
            let known = try columnsOf(spec.name)
            var dropped: Set<String> = []
            for (column, isIdentity) in known where isIdentity {
                for row in rows {
                    guard case .integer(let key)? = row[column] else { continue }
                    if try db.query("SELECT 1 FROM \(spec.name) WHERE \(column) = $1", [.integer(key)]).count > 0 {
                        dropped.insert(column)
                        break
                    }
                }
                if !dropped.contains(column) { identitiesGiven.insert(spec.name + "." + column) }
            }
            for row in rows {
                let (names, values) = try row.columns(
                    leaving: dropped, of: spec.name, known: { known[$0] != nil }, record: record.id)
                let conflict = spec.shared || record.kind == .definition ? " ON CONFLICT DO NOTHING" : ""
                let sql = "INSERT INTO \(spec.name) (" + names.map { "\"\($0)\"" }.joined(separator: ", ")
                    + ") VALUES (" + (1...max(1, names.count)).prefix(names.count).map { "$\($0)" }
                    .joined(separator: ", ") + ")" + conflict
                do {
                    try db.query(sql, values)
                } catch {
                    guard error.kind == .constraint || error.kind == .server else { throw error }
                    throw ImportError.invalid(
                        record: record.id, reason: "a row of its table '\(spec.name)' is refused: \(error.detail)")
                }
            }
        }
    }
}
