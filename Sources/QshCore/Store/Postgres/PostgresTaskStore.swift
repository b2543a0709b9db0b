// PostgresTaskStore: the task repository in a PostgreSQL database, for servers and workers
// on several machines sharing one queue: opening and migrating, row mapping, the reads and
// the insert. Transitions, claims, runs, listing and the rest are in the files beside it.
import FoundationEssentials

/// The task database in PostgreSQL behind one connection. Not Sendable (the connection is not).
public final class PostgresTaskStore: TaskRepository {
    /// The underlying connection.
    public let connection: PostgresConnection

    /// Connects to `address` and migrates the database (creating qsh's tables in a fresh
    /// one; refusing a foreign or newer one untouched).
    /// - Throws: `PostgresError` (cannot connect, libpq missing), `PostgresStoreError`.
    public init(address: PostgresAddress) throws {
        connection = try PostgresConnection(address)
        try PostgresMigrator().migrate(connection)
    }

    /// The database without its password, for messages.
    public var location: String { connection.location }

    /// A PostgreSQL database is not a file: nothing can replace it under a worker.
    public func checkStorage() throws(DatabaseFileChanged) {}

    // MARK: Row mapping

    static let columns = SQLiteTaskStore.columns

    /// The task in row `i` of `rows` (selected with `columns`, from column `offset`).
    func decodeTask(_ rows: PostgresRows, _ i: Int, offset: Int = 0) throws -> QuantumTask {
        let c = offset
        let id = rows.text(i, c)
        let stored = StoredValues(path: location, taskID: id)
        let status = try stored.status(rows.text(i, c + 1), "its task_status")
        let tags = try stored.stringObject(rows.text(i, c + 6), "its tags")
        let reasons = try stored.stringArray(rows.text(i, c + 16), "its error_reasons")
        func time(_ k: Int) -> Timestamp? { rows.optionalInt64(i, c + k).map(Timestamp.init(milliseconds:)) }
        return QuantumTask(
            id: id, status: status, qpuID: rows.text(i, c + 2), shots: rows.int(i, c + 3),
            seed: UInt64(bitPattern: rows.int64(i, c + 4)), name: rows.optionalText(i, c + 5), tags: tags,
            definitionID: rows.text(i, c + 7), compilationID: rows.optionalText(i, c + 8),
            createdBy: rows.text(i, c + 9), createdDate: Timestamp(milliseconds: rows.int64(i, c + 10)),
            updatedDate: Timestamp(milliseconds: rows.int64(i, c + 11)), scheduledDate: time(12), startedDate: time(13),
            endedDate: time(14), errorClass: rows.optionalText(i, c + 15).map(ErrorClass.init(rawValue:)),
            errorReasons: reasons, shotsDone: rows.int(i, c + 17), leaseOwner: rows.optionalText(i, c + 18),
            leaseExpires: time(19), batchID: rows.optionalText(i, c + 20), batchLabel: rows.optionalText(i, c + 21),
            rerunOf: rows.optionalText(i, c + 22))
    }

    /// Every task of `rows`.
    func decodeTasks(_ rows: PostgresRows) throws -> [QuantumTask] { try rows.map { try decodeTask(rows, $0) } }

    /// The task with this id read through `db`.
    func task(_ db: PostgresConnection, id: String) throws -> QuantumTask? {
        let rows = try db.query("SELECT \(Self.columns) FROM tasks WHERE id = $1", [.text(id)])
        return try rows.first { try decodeTask(rows, $0) }
    }

    // MARK: Creating and reading

    /// Stores a new task, its program, its creation event and its idempotency key in one
    /// transaction.
    /// - Throws: `TaskError.idempotencyKeyUsed` when the key is stored already.
    public func insert(
        _ task: QuantumTask, program: ProgramSnapshot, actor: String, idempotency: IdempotencyRecord?
    ) throws {
        var retried = false
        try connection.transaction(retried: { retried = true }) { db in
            // A COMMIT whose answer was lost may have landed: the task is there, as asked.
            if retried, try Self.sameTaskStored(db, task) { return }
            try Self.insertTask(db, task, program: program, actor: actor)
            if let idempotency {
                try Self.insertIdempotencyKey(db, idempotency, taskID: task.id, batchID: nil, at: task.createdDate)
            }
        }
    }

    /// True when a task with this id and creation time is stored (an earlier attempt's).
    static func sameTaskStored(_ db: PostgresConnection, _ task: QuantumTask) throws -> Bool {
        try db.query(
            "SELECT 1 FROM tasks WHERE id = $1 AND created_ms = $2", [.text(task.id), .integer(task.createdDate.milliseconds)]
        ).count == 1
    }

    /// Stores every insertion in one transaction, each inside its own savepoint.
    public func insertMany(_ insertions: [TaskInsertion]) throws -> [(any Error)?] {
        if insertions.isEmpty { return [] }
        var retried = false
        return try connection.transaction(retried: { retried = true }) { db in
            var outcomes: [(any Error)?] = []
            _ = try Self.countingOnce(db, expected: insertions.count) {
                var stored: [String] = []
                for i in insertions {
                    let outcome = try Self.insertOne(db, i, retried: retried)
                    if outcome.stored { stored.append(i.task.id) }
                    outcomes.append(outcome.error)
                }
                return stored
            }
            return outcomes
        }
    }

    /// One insertion of a group inside its own savepoint: stored now, or its own failure
    /// (a failure that calls for the whole transaction to run again is thrown instead).
    private static func insertOne(_ db: PostgresConnection, _ i: TaskInsertion, retried: Bool) throws
        -> (stored: Bool, error: (any Error)?)
    {
        if retried, try Self.sameTaskStored(db, i.task) { return (false, nil) }
        try db.execute("SAVEPOINT submit")
        do {
            try Self.insertTask(db, i.task, program: i.program, actor: i.actor)
            if let idempotency = i.idempotency {
                try Self.insertIdempotencyKey(
                    db, idempotency, taskID: i.task.id, batchID: nil, at: i.task.createdDate)
            }
        } catch let error as PostgresError where error.isRetryable {
            throw error
        } catch {
            try db.execute("ROLLBACK TO SAVEPOINT submit")
            try db.execute("RELEASE SAVEPOINT submit")
            return (false, error)
        }
        try db.execute("RELEASE SAVEPOINT submit")
        return (true, nil)
    }

    /// Writes a task, its program, tags and creation event. Call inside a transaction.
    static func insertTask(_ db: PostgresConnection, _ task: QuantumTask, program: ProgramSnapshot, actor: String) throws {
        try insertDefinition(db, id: task.definitionID, program, at: task.createdDate)
        try db.query(
            """
            INSERT INTO tasks (id, task_status, qpu_id, shots, seed, name, tags, definition_id, created_by,
                created_ms, updated_ms, error_reasons, batch_id, batch_label, rerun_of, lineage_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::text,
                (SELECT coalesce(lineage_id, id) FROM tasks WHERE id = $15::text))
            RETURNING pg_notify('qsh_tasks', task_status)
            """,
            [
                .text(task.id), .text(task.status.rawValue), .text(task.qpuID), .int(task.shots),
                .integer(Int64(bitPattern: task.seed)), .string(task.name),
                .text(SQLiteTaskStore.tagsJSON(task.tags)), .text(task.definitionID), .text(task.createdBy),
                .integer(task.createdDate.milliseconds), .integer(task.updatedDate.milliseconds),
                .text(SQLiteTaskStore.stringsJSON(task.errorReasons)), .string(task.batchID), .string(task.batchLabel),
                .string(task.rerunOf),
            ])
        if !task.tags.isEmpty {
            let keys = task.tags.keys.sorted()
            try db.query(
                "INSERT INTO task_tags (task_id, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t(k, v)",
                [.text(task.id), .text(postgresArray(keys)), .text(postgresArray(keys.map { task.tags[$0] ?? "" }))])
        }
        try appendEvent(db, id: task.id, from: nil, to: task.status, at: task.createdDate, actor: actor, detail: nil)
    }

    /// The task with exactly this id, or nil.
    public func task(id: String) throws -> QuantumTask? { try task(connection, id: id) }

    /// The full id of the one task whose id starts with `prefix` (case-insensitive).
    public func resolve(_ prefix: String) throws -> String {
        guard let normalized = TaskID.normalizedPrefix(prefix) else { throw TaskError.invalidID(text: prefix) }
        if normalized.utf8.count == 36 {
            if try task(id: normalized) != nil { return normalized }
            throw TaskError.notFound(id: prefix)
        }
        let matches = try prefixMatches("tasks", normalized)
        switch matches.count {
        case 0: throw TaskError.notFound(id: prefix)
        case 1: return matches[0]
        default: throw TaskError.ambiguousPrefix(prefix: prefix, candidates: Array(matches.prefix(10)))
        }
    }

    /// Up to 11 ids of `table` starting with `prefix`, in order: an index range scan (ids
    /// compare bytewise, and '~' sorts after every hexadecimal digit and '-').
    func prefixMatches(_ table: String, _ prefix: String, _ db: PostgresConnection? = nil) throws -> [String] {
        let rows = try (db ?? connection).query(
            "SELECT id FROM \(table) WHERE id >= $1 AND id < $2 ORDER BY id LIMIT 11", [.text(prefix), .text(prefix + "~")])
        return rows.map { rows.text($0, 0) }
    }

    /// The task's events, oldest first.
    public func events(taskID: String) throws -> [TaskEvent] {
        let stored = StoredValues(path: location, taskID: taskID)
        let rows = try connection.query(
            "SELECT seq, from_status, to_status, at_ms, actor, detail FROM task_events WHERE task_id = $1 ORDER BY seq",
            [.text(taskID)])
        return try rows.map { i in
            let seq = rows.int64(i, 0)
            return TaskEvent(
                sequence: seq, taskID: taskID,
                from: try rows.optionalText(i, 1).map { try stored.status($0, "the from_status of its event \(seq)") },
                to: try stored.status(rows.text(i, 2), "the to_status of its event \(seq)"),
                at: Timestamp(milliseconds: rows.int64(i, 3)), actor: rows.text(i, 4), detail: rows.optionalText(i, 5))
        }
    }

    /// The diagnostics recorded for a task, in order.
    public func diagnostics(taskID: String) throws -> [Diagnostic] {
        let stored = StoredValues(path: location, taskID: taskID)
        let rows = try connection.query(
            "SELECT severity, code, message, file, line, col, notes FROM diagnostics WHERE task_id = $1 ORDER BY seq",
            [.text(taskID)])
        return try rows.map { i in
            let severityText = rows.text(i, 0)
            guard let severity = Severity(rawValue: severityText) else {
                throw stored.corrupt("the severity of a diagnostic", "is '\(StoredValues.excerpt(severityText))'")
            }
            return Diagnostic(
                severity, code: rows.text(i, 1), message: rows.text(i, 2),
                at: SourceLocation(file: rows.text(i, 3), line: rows.int(i, 4), column: rows.int(i, 5)),
                notes: try stored.stringArray(rows.text(i, 6), "the notes of a diagnostic"))
        }
    }

    /// Stores the diagnostics of a failed compilation. Call inside a transaction.
    static func saveDiagnostics(_ db: PostgresConnection, taskID: String, _ diagnostics: [Diagnostic]) throws {
        for (n, d) in diagnostics.enumerated() {
            try db.query(
                """
                INSERT INTO diagnostics (task_id, seq, severity, code, message, file, line, col, notes)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (task_id, seq) DO UPDATE SET severity = excluded.severity, code = excluded.code,
                    message = excluded.message, file = excluded.file, line = excluded.line, col = excluded.col,
                    notes = excluded.notes
                """,
                [
                    .text(taskID), .int(n), .text(d.severity.rawValue), .text(d.code), .text(d.message),
                    .text(d.location.file), .int(d.location.line), .int(d.location.column),
                    .text(SQLiteTaskStore.stringsJSON(d.notes)),
                ])
        }
    }
}

@available(*, unavailable)
extension PostgresTaskStore: Sendable {}

/// `values` as a PostgreSQL array literal of text (`{"a","b"}`), every element quoted.
func postgresArray(_ values: [String]) -> String {
    "{" + values.map { value in
        var out = "\""
        for c in value.unicodeScalars {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }.joined(separator: ",") + "}"
}
