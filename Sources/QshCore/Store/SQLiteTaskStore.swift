// TaskStore: the task database. Opens the file (0700 directory, 0600 file, pragmas,
// migrations), maps rows to tasks, and makes every state change a compare-and-set
// plus its event row in one transaction. Leases, the sweep query, the worker
// registry, filtered/sorted/paged listing and id-prefix lookup live here too.
import FoundationEssentials

/// Fields a transition may set along with the new state.
public struct TaskChanges: Sendable {
    public var compilationID: String?
    public var errorClass: ErrorClass?
    public var errorReasons: [String]?
    public var shotsDone: Int?
    /// Takes (or hands over) the task's lease; terminal states always drop it.
    public var lease: (owner: String, expires: Timestamp)?

    public init(
        compilationID: String? = nil, errorClass: ErrorClass? = nil, errorReasons: [String]? = nil,
        shotsDone: Int? = nil, lease: (owner: String, expires: Timestamp)? = nil
    ) {
        self.compilationID = compilationID
        self.errorClass = errorClass
        self.errorReasons = errorReasons
        self.shotsDone = shotsDone
        self.lease = lease
    }
}

/// The columns `tasks list` can sort by (wire names).
public enum TaskSortField: String, Sendable, CaseIterable {
    case createdDate = "created_date"
    case updatedDate = "updated_date"
    case status = "task_status"
    case qpuID = "qpu_id"
    case shots
    case name
    case id

    var column: String {
        switch self {
        case .createdDate: return "created_ms"
        case .updatedDate: return "updated_ms"
        case .status: return "task_status"
        case .qpuID: return "qpu_id"
        case .shots: return "shots"
        case .name: return "name"
        case .id: return "id"
        }
    }
}

/// A `tasks list` query: filters first, then sort, then the page.
public struct TaskQuery: Sendable {
    /// Any of these states (empty: all).
    public var statuses: [TaskStatus] = []
    public var qpuID: String?
    /// Every pair must match.
    public var tags: [(String, String)] = []
    /// Created at or after.
    public var since: Timestamp?
    /// Created before.
    public var until: Timestamp?
    public var limit: Int = 20
    /// 0-based page of `limit` tasks.
    public var page: Int = 0
    public var sort: TaskSortField = .createdDate
    public var descending: Bool = true

    public init() {}
}

/// One page of a listing and the number of tasks that match the filters.
public struct TaskPage: Sendable {
    public var tasks: [QuantumTask]
    public var page: Int
    public var size: Int
    public var total: Int

    /// `{"elements": [...], "page": 0, "size": N, "total": T}`.
    public var wireJSON: JSONValue {
        .object([
            ("elements", .array(tasks.map(\.wireJSON))),
            ("page", .int(page)),
            ("size", .int(size)),
            ("total", .int(total)),
        ])
    }
}

/// The task database behind one connection. Not Sendable (the connection is not).
public final class TaskStore {
    /// The underlying connection.
    public let connection: Connection

    /// Wraps an open connection, setting the pragmas and migrating it. A read-only
    /// connection is only inspected: it must already have this binary's schema.
    /// - Throws: `StoreError` for a foreign, newer, empty (read-only) or older (read-only)
    ///   file, `SQLiteError` otherwise.
    public init(connection: Connection, migrator: Migrator = Schema.migrator) throws {
        self.connection = connection
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

    // MARK: Row mapping

    static let columns = """
        id, task_status, qpu_id, shots, seed, name, tags, definition_id, compilation_id, created_by, \
        created_ms, updated_ms, scheduled_ms, started_ms, ended_ms, error_class, error_reasons, shots_done, \
        lease_owner, lease_expires_ms
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
            shotsDone: row.int(17), leaseOwner: row.optionalText(18), leaseExpires: time(19))
    }

    /// `task(_:path:)` for this store's file.
    func decodeTask(_ row: Row) throws -> QuantumTask { try Self.task(row, path: connection.path) }

    static func tagsJSON(_ tags: [String: String]) -> String {
        JSONValue.object(tags.keys.sorted().map { ($0, .string(tags[$0] ?? "")) }).serialized()
    }

    static func reasonsJSON(_ reasons: [String]) -> String {
        JSONValue.array(reasons.map { .string($0) }).serialized()
    }

    // MARK: Creating and reading

    /// Stores a new task, its program (with the files it includes) and its creation event
    /// in one transaction.
    public func insert(_ task: QuantumTask, program: ProgramSnapshot, actor: String) throws {
        try connection.transaction { db in
            try Self.insertDefinition(db, id: task.definitionID, program, at: task.createdDate)
            try db.run(
                """
                INSERT INTO tasks (id, task_status, qpu_id, shots, seed, name, tags, definition_id, created_by,
                    created_ms, updated_ms, error_reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(task.id), .text(task.status.rawValue), .text(task.qpuID), .int(task.shots),
                    .integer(Int64(bitPattern: task.seed)), .string(task.name), .text(Self.tagsJSON(task.tags)),
                    .text(task.definitionID), .text(task.createdBy), .integer(task.createdDate.milliseconds),
                    .integer(task.updatedDate.milliseconds), .text(Self.reasonsJSON(task.errorReasons)),
                ])
            for key in task.tags.keys.sorted() {
                try db.run(
                    "INSERT INTO task_tags (task_id, key, value) VALUES (?, ?, ?)",
                    [.text(task.id), .text(key), .text(task.tags[key] ?? "")])
            }
            try Self.appendEvent(
                db, id: task.id, from: nil, to: task.status, at: task.createdDate, actor: actor, detail: nil)
        }
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

    /// The stored results (final or partial), or nil.
    /// - Throws: `StoreError.corrupt` when a stored column does not decode.
    public func result(taskID: String) throws -> TaskResult? {
        let stored = StoredValues(path: connection.path, taskID: taskID)
        return try connection.cached(
            "SELECT shots, shots_done, partial, data, timings, metrics, metadata FROM results WHERE task_id = ?"
        ).first([.text(taskID)]) { row in
            TaskResult(
                taskID: taskID, shots: row.int(0), shotsDone: row.int(1), partial: row.int(2) != 0,
                registers: try stored.counts(row.text(3), "the 'data' of its results"),
                timings: try stored.numbers(row.text(4), "the 'timings' of its results"),
                metrics: try stored.object(row.text(5), "the 'metrics' of its results"),
                metadata: try stored.object(row.text(6), "the 'metadata' of its results"))
        }
    }

    /// Writes (or replaces) a task's results. Call inside a transaction or alone.
    public static func saveResult(_ db: Connection, _ result: TaskResult, at: Timestamp) throws {
        try db.run(
            """
            INSERT INTO results (task_id, shots, shots_done, partial, data, timings, metrics, metadata, updated_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (task_id) DO UPDATE SET shots = excluded.shots, shots_done = excluded.shots_done,
                partial = excluded.partial, data = excluded.data, timings = excluded.timings,
                metrics = excluded.metrics, metadata = excluded.metadata, updated_ms = excluded.updated_ms
            """,
            [
                .text(result.taskID), .int(result.shots), .int(result.shotsDone), .integer(result.partial ? 1 : 0),
                .text(result.dataJSON.serialized()),
                .text(JSONValue.object(result.timings.map { ($0.0, .double($0.1)) }).serialized()),
                .text(result.metrics.serialized()), .text(result.metadata.serialized()), .integer(at.milliseconds),
            ])
    }

    /// Stores the diagnostics of a failed compilation, notes included. Call inside a transaction.
    public static func saveDiagnostics(_ db: Connection, taskID: String, _ diagnostics: [Diagnostic]) throws {
        for (n, d) in diagnostics.enumerated() {
            try db.run(
                """
                INSERT OR REPLACE INTO diagnostics (task_id, seq, severity, code, message, file, line, col, notes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(taskID), .int(n), .text(d.severity.rawValue), .text(d.code), .text(d.message),
                    .text(d.location.file), .int(d.location.line), .int(d.location.column),
                    .text(reasonsJSON(d.notes)),
                ])
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

    // MARK: Listing

    /// One page of tasks matching `query`, filtered and sorted in SQL, and the total.
    public func list(_ query: TaskQuery) throws -> TaskPage {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if !query.statuses.isEmpty {
            let unique = Array(Set(query.statuses)).sorted { $0.rawValue < $1.rawValue }
            conditions.append("task_status IN (" + unique.map { _ in "?" }.joined(separator: ", ") + ")")
            values += unique.map { .text($0.rawValue) }
        }
        if let qpu = query.qpuID {
            conditions.append("qpu_id = ?")
            values.append(.text(qpu))
        }
        for (key, value) in query.tags {
            conditions.append("id IN (SELECT task_id FROM task_tags WHERE key = ? AND value = ?)")
            values += [.text(key), .text(value)]
        }
        if let since = query.since {
            conditions.append("created_ms >= ?")
            values.append(.integer(since.milliseconds))
        }
        if let until = query.until {
            conditions.append("created_ms < ?")
            values.append(.integer(until.milliseconds))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let direction = query.descending ? "DESC" : "ASC"
        let limit = max(0, query.limit)
        let offset = max(0, query.page).multipliedReportingOverflow(by: limit)
        let sql = "SELECT \(Self.columns) FROM tasks\(filter) ORDER BY \(query.sort.column) \(direction), "
            + "rowid \(direction) LIMIT ? OFFSET ?"
        let tasks = try connection.cached(sql).rows(
            values + [.int(limit), .int(offset.overflow ? Int.max : offset.partialValue)], decodeTask)

        let total: Int
        if query.qpuID == nil && query.tags.isEmpty && query.since == nil && query.until == nil {
            // Kept by triggers, so an unfiltered count does not scan a million rows.
            let statuses = query.statuses.isEmpty ? TaskStatus.allCases : Array(Set(query.statuses))
            let marks = statuses.map { _ in "?" }.joined(separator: ", ")
            total = Int(
                try connection.scalar(
                    "SELECT coalesce(sum(n), 0) FROM task_counts WHERE task_status IN (\(marks))",
                    statuses.map { .text($0.rawValue) }) ?? 0)
        } else {
            total = Int(try connection.scalar("SELECT count(*) FROM tasks\(filter)", values) ?? 0)
        }
        return TaskPage(tasks: tasks, page: max(0, query.page), size: tasks.count, total: total)
    }

    // MARK: Transitions

    static let transitionSQL = """
        UPDATE tasks SET task_status = ?1, updated_ms = ?2,
            compilation_id = coalesce(?3, compilation_id),
            error_class = coalesce(?4, error_class),
            error_reasons = coalesce(?5, error_reasons),
            shots_done = coalesce(?6, shots_done),
            scheduled_ms = CASE WHEN ?1 = 'Scheduled' THEN ?2 ELSE scheduled_ms END,
            started_ms = CASE WHEN ?1 = 'ExecutionStarted' THEN ?2 ELSE started_ms END,
            ended_ms = CASE WHEN ?7 THEN ?2 ELSE ended_ms END,
            lease_owner = CASE WHEN ?7 THEN NULL WHEN ?8 IS NOT NULL THEN ?8 ELSE lease_owner END,
            lease_expires_ms = CASE WHEN ?7 THEN NULL WHEN ?8 IS NOT NULL THEN ?9 ELSE lease_expires_ms END
        WHERE id = ?10 AND task_status = ?11
        """

    static func appendEvent(
        _ db: Connection, id: String, from: TaskStatus?, to: TaskStatus, at: Timestamp, actor: String,
        detail: String?
    ) throws {
        try db.run(
            "INSERT INTO task_events (task_id, from_status, to_status, at_ms, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(id), .string(from?.rawValue), .text(to.rawValue), .integer(at.milliseconds), .text(actor),
             .string(detail)])
    }

    /// The compare-and-set and its event row; the caller holds a write transaction.
    /// - Returns: false when the task was not in `from` (someone else moved it first).
    static func applyTransition(
        _ db: Connection, id: String, from: TaskStatus, to: TaskStatus, at: Timestamp, actor: String,
        detail: String?, changes: TaskChanges
    ) throws -> Bool {
        try TaskStateMachine.check(from: from, to: to, id: id)
        try db.run(
            transitionSQL,
            [
                .text(to.rawValue), .integer(at.milliseconds), .string(changes.compilationID),
                .string(changes.errorClass?.rawValue), .string(changes.errorReasons.map(reasonsJSON)),
                .int(changes.shotsDone), .integer(to.isTerminal ? 1 : 0), .string(changes.lease?.owner),
                changes.lease.map { .integer($0.expires.milliseconds) } ?? .null, .text(id), .text(from.rawValue),
            ])
        guard db.changes == 1 else { return false }
        try appendEvent(db, id: id, from: from, to: to, at: at, actor: actor, detail: detail)
        return true
    }

    /// Moves a task from `from` to `to` if it is still in `from`: the state machine's
    /// check, the guarded UPDATE, the event row and `extra` in one transaction.
    /// - Returns: false when the task was no longer in `from` (nothing was written).
    /// - Throws: `TaskError.illegalTransition` for an edge the graph lacks.
    @discardableResult
    public func transition(
        _ id: String, from: TaskStatus, to: TaskStatus, at: Timestamp, actor: String, detail: String? = nil,
        changes: TaskChanges = TaskChanges(), extra: ((Connection) throws -> Void)? = nil
    ) throws -> Bool {
        try connection.transaction { db in
            guard
                try Self.applyTransition(
                    db, id: id, from: from, to: to, at: at, actor: actor, detail: detail, changes: changes)
            else { return false }
            try extra?(db)
            return true
        }
    }

    // MARK: Leases

    /// Claims the oldest Created task for `owner`: moves it to PayloadProcessing with a lease.
    public func claimNext(owner: String, at: Timestamp, leaseSeconds: Double) throws -> QuantumTask? {
        try connection.transaction { db -> QuantumTask? in
            guard
                let id = try db.cached(
                    "SELECT id FROM tasks WHERE task_status = 'Created' ORDER BY created_ms, rowid LIMIT 1"
                ).first([], { $0.text(0) })
            else { return nil }
            let claimed = try Self.applyTransition(
                db, id: id, from: .created, to: .payloadProcessing, at: at, actor: "worker \(owner)", detail: nil,
                changes: TaskChanges(lease: (owner, at.adding(seconds: leaseSeconds))))
            guard claimed else { return nil }
            return try db.cached("SELECT \(Self.columns) FROM tasks WHERE id = ?").first([.text(id)], self.decodeTask)
        }
    }

    /// Extends every lease `owner` holds (and its registration) to `at + leaseSeconds`.
    /// - Returns: how many task leases were renewed.
    @discardableResult
    public func renewLeases(owner: String, at: Timestamp, leaseSeconds: Double) throws -> Int {
        let expires = at.adding(seconds: leaseSeconds).milliseconds
        return try connection.transaction { db in
            try db.run(
                "UPDATE tasks SET lease_expires_ms = ? WHERE lease_owner = ? AND lease_expires_ms IS NOT NULL",
                [.integer(expires), .text(owner)])
            let renewed = db.changes
            try db.run("UPDATE workers SET expires_ms = ? WHERE owner = ?", [.integer(expires), .text(owner)])
            return renewed
        }
    }

    /// Drops `owner`'s lease on a task (after it was cancelled under the worker).
    public func releaseLease(id: String, owner: String) throws {
        try connection.run(
            "UPDATE tasks SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = ? AND lease_owner = ?",
            [.text(id), .text(owner)])
    }

    /// Non-terminal tasks whose lease expired before `at`.
    public func expiredLeases(at: Timestamp) throws -> [QuantumTask] {
        try connection.cached(
            "SELECT \(Self.columns) FROM tasks WHERE lease_owner IS NOT NULL AND lease_expires_ms < ? ORDER BY rowid"
        ).rows([.integer(at.milliseconds)], decodeTask)
    }

    /// Settles every task whose lease expired before `at` (its worker is gone), each
    /// re-checked under the write lock so that a lease renewed meanwhile is left alone:
    /// a task in ExecutionCompleted whose complete results are stored (not partial,
    /// every shot) becomes Completed, since nothing of it is missing; any other becomes
    /// Failed with `internal_error` and `reason(task)` as its error reason.
    /// - Parameter completed: the event detail of a task completed this way.
    /// - Returns: the tasks it settled, as they are now.
    public func recoverExpiredLeases(
        at: Timestamp, actor: String, reason: (QuantumTask) -> String, completed: (QuantumTask) -> String
    ) throws -> [QuantumTask] {
        guard try !expiredLeases(at: at).isEmpty else { return [] }
        return try connection.transaction { db in
            var settled: [QuantumTask] = []
            for task in try self.expiredLeases(at: at) where !task.status.isTerminal {
                let moved: Bool
                if task.status == .executionCompleted, try Self.hasCompleteResult(db, task) {
                    moved = try Self.applyTransition(
                        db, id: task.id, from: task.status, to: .completed, at: at, actor: actor,
                        detail: completed(task), changes: TaskChanges())
                } else {
                    let why = reason(task)
                    moved = try Self.applyTransition(
                        db, id: task.id, from: task.status, to: .failed, at: at, actor: actor, detail: why,
                        changes: TaskChanges(errorClass: .internalError, errorReasons: [why]))
                }
                if moved, let now = try self.task(id: task.id) { settled.append(now) }
            }
            return settled
        }
    }

    /// True when the final results of every one of the task's shots are stored.
    static func hasCompleteResult(_ db: Connection, _ task: QuantumTask) throws -> Bool {
        try db.cached("SELECT shots, shots_done, partial FROM results WHERE task_id = ?").first([.text(task.id)]) {
            $0.int(0) == task.shots && $0.int(1) == task.shots && $0.int(2) == 0
        } ?? false
    }

    /// Records progress while ExecutionStarted: shots done and, when given, partial counts.
    public func recordProgress(
        id: String, shots: Int, shotsDone: Int, partial: [RegisterCounts]?, at: Timestamp
    ) throws {
        try connection.transaction { db in
            try db.run(
                "UPDATE tasks SET shots_done = ? WHERE id = ? AND task_status = 'ExecutionStarted'",
                [.int(shotsDone), .text(id)])
            guard db.changes == 1 else { return }
            if let partial, !partial.isEmpty {
                try Self.saveResult(
                    db, TaskResult(taskID: id, shots: shots, shotsDone: shotsDone, partial: true, registers: partial),
                    at: at)
            }
        }
    }

    // MARK: Workers

    /// Records a running worker (replacing a launcher's placeholder) and drops stale rows.
    public func registerWorker(owner: String, pid: Int, at: Timestamp, leaseSeconds: Double) throws {
        try connection.transaction { db in
            try db.run("DELETE FROM workers WHERE expires_ms < ? OR owner = 'starting'", [.integer(at.milliseconds)])
            try db.run(
                "INSERT OR REPLACE INTO workers (owner, pid, started_ms, expires_ms) VALUES (?, ?, ?, ?)",
                [.text(owner), .int(pid), .integer(at.milliseconds),
                 .integer(at.adding(seconds: leaseSeconds).milliseconds)])
        }
    }

    /// Removes a worker's registration when it exits.
    public func unregisterWorker(owner: String) throws {
        try connection.run("DELETE FROM workers WHERE owner = ?", [.text(owner)])
    }

    /// True when some worker (or a worker being started) has a registration that has not expired.
    public func hasLiveWorker(at: Timestamp) throws -> Bool {
        try connection.scalar("SELECT 1 FROM workers WHERE expires_ms > ? LIMIT 1", [.integer(at.milliseconds)]) != nil
    }

    /// Atomically: if no worker is live, records a placeholder valid for `seconds` and
    /// returns true (the caller then starts one); otherwise returns false.
    public func reserveWorkerStart(at: Timestamp, seconds: Double) throws -> Bool {
        if try hasLiveWorker(at: at) { return false }
        return try connection.transaction { db in
            if try db.scalar("SELECT 1 FROM workers WHERE expires_ms > ? LIMIT 1", [.integer(at.milliseconds)]) != nil {
                return false
            }
            try db.run(
                "INSERT OR REPLACE INTO workers (owner, pid, started_ms, expires_ms) VALUES ('starting', 0, ?, ?)",
                [.integer(at.milliseconds), .integer(at.adding(seconds: seconds).milliseconds)])
            return true
        }
    }
}

@available(*, unavailable)
extension TaskStore: Sendable {}
