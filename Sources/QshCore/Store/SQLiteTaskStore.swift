// SQLiteTaskStore: the task repository in an SQLite file (or in memory): pragmas and
// migration, row mapping, the reads and the insert. How a command opens the file is in
// StoreOpening.swift; transitions, runs, leases, listing and workers are beside it.
import FoundationEssentials

/// The task database behind one connection. Not Sendable (the connection is not).
public final class SQLiteTaskStore: TaskRepository {
    /// The underlying connection.
    public let connection: Connection
    /// The database file as it was opened (nil in memory), for `checkStorage`.
    public let databaseFile: DatabaseFileIdentity?

    /// Wraps an open connection, setting the pragmas and migrating it. A read-only
    /// connection is only inspected: it must already have this binary's schema.
    /// - Throws: `StoreError` for a foreign, newer, empty (read-only) or older (read-only)
    ///   file, `SQLiteError` otherwise.
    public init(connection: Connection, migrator: Migrator = Schema.migrator) throws {
        self.connection = connection
        databaseFile = DatabaseFileIdentity(path: connection.path)
        // Checked before anything that writes (journal_mode writes the header).
        let state = try migrator.inspect(connection)
        if connection.isReadOnly {
            guard case .ours(let version) = state else { throw StoreError.missing(path: connection.path) }
            if version < migrator.latestVersion {
                throw StoreError.readOnlyOldSchema(
                    path: connection.path, version: version, needed: migrator.latestVersion)
            }
            try connection.execute("PRAGMA foreign_keys = ON")
            return
        }
        if connection.path != ":memory:" && !connection.path.isEmpty {
            try connection.enableWAL()
            try connection.execute("PRAGMA synchronous = NORMAL")
            try connection.setCheckpointOnClose(false)
        }
        try connection.execute("PRAGMA foreign_keys = ON")
        try migrator.migrate(connection)
    }

    /// True when this store can only read (the file is not writable for this process).
    public var isReadOnly: Bool { connection.isReadOnly }

    /// Checks that the path still names the file this store opened.
    /// - Throws: `DatabaseFileChanged` when it was deleted or replaced.
    public func checkStorage() throws(DatabaseFileChanged) {
        try databaseFile?.check()
    }

    // MARK: Row mapping

    static let columns = """
        id, task_status, qpu_id, shots, seed, name, tags, definition_id, compilation_id, created_by, \
        created_ms, updated_ms, scheduled_ms, started_ms, ended_ms, error_class, error_reasons, shots_done, \
        lease_owner, lease_expires_ms, batch_id, batch_label, rerun_of
        """

    /// The task in `row` (selected with `columns`); a stored value that does not decode
    /// is `StoreError.corrupt` naming `path` and the task.
    static func task(_ row: Row, path: String) throws -> QuantumTask {
        let id = row.text(0)
        let stored = StoredValues(path: path, taskID: id)
        let status = try stored.status(row.text(1), "its task_status")
        let tags = try stored.stringObject(row.text(6), "its tags")
        let reasons = try stored.stringArray(row.text(16), "its error_reasons")
        func time(_ i: Int32) -> Timestamp? { row.optionalInt64(i).map(Timestamp.init(milliseconds:)) }
        return QuantumTask(
            id: id, status: status, qpuID: row.text(2), shots: row.int(3),
            seed: UInt64(bitPattern: row.int64(4)), name: row.optionalText(5), tags: tags,
            definitionID: row.text(7), compilationID: row.optionalText(8), createdBy: row.text(9),
            createdDate: Timestamp(milliseconds: row.int64(10)), updatedDate: Timestamp(milliseconds: row.int64(11)),
            scheduledDate: time(12), startedDate: time(13), endedDate: time(14),
            errorClass: row.optionalText(15).map(ErrorClass.init(rawValue:)), errorReasons: reasons,
            shotsDone: row.int(17), leaseOwner: row.optionalText(18), leaseExpires: time(19),
            batchID: row.optionalText(20), batchLabel: row.optionalText(21), rerunOf: row.optionalText(22))
    }

    /// `task(_:path:)` for this store's file.
    func decodeTask(_ row: Row) throws -> QuantumTask { try Self.task(row, path: connection.path) }

    static func tagsJSON(_ tags: [String: String]) -> String {
        JSONValue.object(tags.keys.sorted().map { ($0, .string(tags[$0] ?? "")) }).serialized()
    }

    static func stringsJSON(_ strings: [String]) -> String {
        JSONValue.array(strings.map { .string($0) }).serialized()
    }

    // MARK: Creating and reading

    /// Stores a new task, its program (with the files it includes, unless a definition
    /// with its id is stored already), its creation event and its idempotency key in one
    /// transaction.
    /// - Throws: `TaskError.idempotencyKeyUsed` when the key is stored already.
    public func insert(
        _ task: QuantumTask, program: ProgramSnapshot, actor: String, idempotency: IdempotencyRecord?
    ) throws {
        try connection.transaction { db in
            try Self.insertTask(db, task, program: program, actor: actor)
            if let idempotency {
                try Self.insertIdempotencyKey(db, idempotency, taskID: task.id, batchID: nil, at: task.createdDate)
            }
        }
    }

    /// Stores every insertion in one transaction: each inside its own savepoint, so one
    /// that fails (an idempotency key stored already) is undone alone.
    public func insertMany(_ insertions: [TaskInsertion]) throws -> [(any Error)?] {
        if insertions.isEmpty { return [] }
        return try connection.transaction { db in
            insertions.map { i -> (any Error)? in
                do {
                    try db.execute("SAVEPOINT submit")
                    do {
                        try Self.insertTask(db, i.task, program: i.program, actor: i.actor)
                        if let idempotency = i.idempotency {
                            try Self.insertIdempotencyKey(
                                db, idempotency, taskID: i.task.id, batchID: nil, at: i.task.createdDate)
                        }
                    } catch {
                        try db.execute("ROLLBACK TO submit")
                        try db.execute("RELEASE submit")
                        return error
                    }
                    try db.execute("RELEASE submit")
                    return nil
                } catch {
                    return error
                }
            }
        }
    }

    /// Writes a task, its program, tags and creation event. Call inside a transaction.
    static func insertTask(_ db: Connection, _ task: QuantumTask, program: ProgramSnapshot, actor: String) throws {
        try insertDefinition(db, id: task.definitionID, program, at: task.createdDate)
        try db.cached(
            """
            INSERT INTO tasks (id, task_status, qpu_id, shots, seed, name, tags, definition_id, created_by,
                created_ms, updated_ms, error_reasons, batch_id, batch_label, rerun_of, lineage_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                (SELECT coalesce(lineage_id, id) FROM tasks WHERE id = ?15))
            """
        ).execute(
            [
                .text(task.id), .text(task.status.rawValue), .text(task.qpuID), .int(task.shots),
                .integer(Int64(bitPattern: task.seed)), .string(task.name), .text(tagsJSON(task.tags)),
                .text(task.definitionID), .text(task.createdBy), .integer(task.createdDate.milliseconds),
                .integer(task.updatedDate.milliseconds), .text(stringsJSON(task.errorReasons)),
                .string(task.batchID), .string(task.batchLabel), .string(task.rerunOf),
            ])
        for key in task.tags.keys.sorted() {
            try db.cached("INSERT INTO task_tags (task_id, key, value) VALUES (?, ?, ?)").execute(
                [.text(task.id), .text(key), .text(task.tags[key] ?? "")])
        }
        try appendEvent(db, id: task.id, from: nil, to: task.status, at: task.createdDate, actor: actor, detail: nil)
    }

    /// The task with exactly this id, or nil.
    public func task(id: String) throws -> QuantumTask? {
        try connection.cached("SELECT \(Self.columns) FROM tasks WHERE id = ?").first([.text(id)], decodeTask)
    }

    /// The full id of the one task whose id starts with `prefix` (case-insensitive).
    /// - Throws: `TaskError.invalidID`, `.notFound` or `.ambiguousPrefix` (up to 10 candidates).
    public func resolve(_ prefix: String) throws -> String {
        guard let normalized = TaskID.normalizedPrefix(prefix) else { throw TaskError.invalidID(text: prefix) }
        if normalized.utf8.count == 36 {
            if try task(id: normalized) != nil { return normalized }
            throw TaskError.notFound(id: prefix)
        }
        // '~' sorts after every hex digit and '-', so this is an index range scan.
        let matches = try connection.cached("SELECT id FROM tasks WHERE id >= ? AND id < ? ORDER BY id LIMIT 11")
            .rows([.text(normalized), .text(normalized + "~")]) { $0.text(0) }
        switch matches.count {
        case 0: throw TaskError.notFound(id: prefix)
        case 1: return matches[0]
        default: throw TaskError.ambiguousPrefix(prefix: prefix, candidates: Array(matches.prefix(10)))
        }
    }

    /// The task's events, oldest first.
    public func events(taskID: String) throws -> [TaskEvent] {
        let stored = StoredValues(path: connection.path, taskID: taskID)
        return try connection.cached(
            "SELECT seq, from_status, to_status, at_ms, actor, detail FROM task_events WHERE task_id = ? ORDER BY seq"
        ).rows([.text(taskID)]) { row in
            let seq = row.int64(0)
            return TaskEvent(
                sequence: seq, taskID: taskID,
                from: try row.optionalText(1).map { try stored.status($0, "the from_status of its event \(seq)") },
                to: try stored.status(row.text(2), "the to_status of its event \(seq)"),
                at: Timestamp(milliseconds: row.int64(3)), actor: row.text(4), detail: row.optionalText(5))
        }
    }

    /// The diagnostics recorded for a task, in order.
    public func diagnostics(taskID: String) throws -> [Diagnostic] {
        let stored = StoredValues(path: connection.path, taskID: taskID)
        return try connection.cached(
            "SELECT severity, code, message, file, line, col, notes FROM diagnostics WHERE task_id = ? ORDER BY seq"
        ).rows([.text(taskID)]) { row in
            let severityText = row.text(0)
            guard let severity = Severity(rawValue: severityText) else {
                throw stored.corrupt("the severity of a diagnostic", "is '\(StoredValues.excerpt(severityText))'")
            }
            return Diagnostic(
                severity, code: row.text(1), message: row.text(2),
                at: SourceLocation(file: row.text(3), line: row.int(4), column: row.int(5)),
                notes: try stored.stringArray(row.text(6), "the notes of a diagnostic"))
        }
    }

    /// Stores the diagnostics of a failed compilation, notes included. Call inside a transaction.
    static func saveDiagnostics(_ db: Connection, taskID: String, _ diagnostics: [Diagnostic]) throws {
        for (n, d) in diagnostics.enumerated() {
            try db.run(
                """
                INSERT OR REPLACE INTO diagnostics (task_id, seq, severity, code, message, file, line, col, notes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(taskID), .int(n), .text(d.severity.rawValue), .text(d.code), .text(d.message),
                    .text(d.location.file), .int(d.location.line), .int(d.location.column),
                    .text(stringsJSON(d.notes)),
                ])
        }
    }
}

@available(*, unavailable)
extension SQLiteTaskStore: Sendable {}
