// Batches in SQLite (schema version 4): a `batches` row and one task per item, written
// in one transaction; items in the order they were stored; counts per state, items and
// every item's latest results each in one query.

extension SQLiteTaskStore {
    /// Stores a batch, its items' tasks (with their programs and creation events) and its
    /// idempotency key, all in one transaction or none.
    /// - Throws: `TaskError.idempotencyKeyUsed` when the key is stored already,
    ///   `TaskError.invalidRequest` for a label used twice.
    public func insertBatch(
        _ batch: Batch, items: [(task: QuantumTask, program: ProgramSnapshot)], actor: String,
        idempotency: IdempotencyRecord?
    ) throws {
        try Batch.checkDistinctLabels(items.map(\.task))
        try connection.transaction { db in
            try db.run(
                "INSERT INTO batches (id, name, created_by, created_ms, size) VALUES (?, ?, ?, ?, ?)",
                [
                    .text(batch.id), .string(batch.name), .text(batch.createdBy),
                    .integer(batch.createdDate.milliseconds), .int(batch.size),
                ])
            if let idempotency {
                try Self.insertIdempotencyKey(db, idempotency, taskID: nil, batchID: batch.id, at: batch.createdDate)
            }
            for item in items { try Self.insertTask(db, item.task, program: item.program, actor: actor) }
        }
    }

    /// The columns `batch(_:)` reads, in its order.
    static let batchColumns = "id, name, created_by, created_ms, size"

    /// `columns` with each name qualified by the alias `t`, and how many there are.
    static let taskColumnsOfT = columnNames.map { "t." + $0 }.joined(separator: ", ")
    static let taskColumnCount = Int32(columnNames.count)
    /// The names in `columns`.
    static var columnNames: [String] {
        columns.split(separator: ",").map { String($0.filter { $0 != " " && $0 != "\n" }) }
    }

    /// The batch in `row` (selected with `batchColumns`).
    static func batch(_ row: Row) -> Batch {
        Batch(
            id: row.text(0), name: row.optionalText(1), createdBy: row.text(2),
            createdDate: Timestamp(milliseconds: row.int64(3)), size: row.int(4))
    }

    /// The batch with exactly this id, or nil.
    public func batch(id: String) throws -> Batch? {
        try connection.cached("SELECT \(Self.batchColumns) FROM batches WHERE id = ?").first([.text(id)], Self.batch)
    }

    /// The full id of the one batch whose id starts with `prefix` (case-insensitive).
    /// - Throws: `TaskError.invalidBatchID`, `.batchNotFound` or `.ambiguousBatchPrefix`.
    public func resolveBatch(_ prefix: String) throws -> String {
        guard let normalized = TaskID.normalizedPrefix(prefix) else { throw TaskError.invalidBatchID(text: prefix) }
        let matches = try connection.cached("SELECT id FROM batches WHERE id >= ? AND id < ? ORDER BY id LIMIT 11")
            .rows([.text(normalized), .text(normalized + "~")]) { $0.text(0) }
        switch matches.count {
        case 0: throw TaskError.batchNotFound(id: prefix)
        case 1: return matches[0]
        default: throw TaskError.ambiguousBatchPrefix(prefix: prefix, candidates: Array(matches.prefix(10)))
        }
    }

    /// How many items of the batch are in each state (states without items absent).
    public func batchCounts(batchID: String) throws -> [TaskStatus: Int] {
        let stored = StoredValues(path: connection.path, taskID: nil)
        var counts: [TaskStatus: Int] = [:]
        for (status, n) in try connection.cached(
            "SELECT task_status, count(*) FROM tasks WHERE batch_id = ? GROUP BY task_status"
        ).rows([.text(batchID)], { row in (try stored.status(row.text(0), "a task_status"), row.int(1)) }) {
            counts[status] = n
        }
        return counts
    }

    /// The batch's items in the order they were stored.
    public func batchItems(batchID: String) throws -> [BatchItem] {
        try connection.cached("SELECT \(Self.columns) FROM tasks WHERE batch_id = ? ORDER BY rowid").rows(
            [.text(batchID)]
        ) { row in
            let task = try decodeTask(row)
            return BatchItem(label: task.batchLabel ?? "", task: task)
        }
    }

    /// Every item in order with the results of its latest run (nil when it has none), in
    /// one query.
    public func batchResults(batchID: String) throws -> [(item: BatchItem, result: TaskResult?)] {
        return try connection.cached(
            """
            SELECT \(Self.taskColumnsOfT), r.shots, r.shots_done, r.partial, r.data, r.timings, r.metrics, r.metadata
            FROM tasks t LEFT JOIN runs r ON r.id = (SELECT id FROM runs WHERE task_id = t.id ORDER BY attempt DESC LIMIT 1)
            WHERE t.batch_id = ? ORDER BY t.rowid
            """
        ).rows([.text(batchID)]) { row in
            let task = try decodeTask(row)
            let stored = StoredValues(path: connection.path, taskID: task.id)
            let result = try Self.result(row, offset: Self.taskColumnCount, taskID: task.id, stored, "its results")
            return (BatchItem(label: task.batchLabel ?? "", task: task), result)
        }
    }

    /// One page of batches, newest first, each with its counts, and how many there are.
    public func listBatches(limit: Int, page: Int, createdBy: String?) throws -> BatchPage {
        let size = max(0, limit)
        let offset = max(0, page).multipliedReportingOverflow(by: size)
        let filter = createdBy == nil ? "" : " WHERE created_by = ?"
        let user: [SQLValue] = createdBy.map { [.text($0)] } ?? []
        let batches = try connection.cached(
            "SELECT \(Self.batchColumns) FROM batches\(filter) ORDER BY created_ms DESC, rowid DESC LIMIT ? OFFSET ?"
        ).rows(user + [.int(size), .int(offset.overflow ? Int.max : offset.partialValue)], Self.batch)
        let total = Int(try connection.scalar("SELECT count(*) FROM batches\(filter)", user) ?? 0)
        return BatchPage(
            batches: try batches.map { BatchSummary(batch: $0, counts: try batchCounts(batchID: $0.id)) },
            page: max(0, page), total: total)
    }
}

extension Batch {
    /// Refuses a batch whose items repeat a label (each store checks before writing).
    /// - Throws: `TaskError.invalidRequest` naming the first repeated label.
    static func checkDistinctLabels(_ tasks: [QuantumTask]) throws {
        var labels = Set<String>()
        for task in tasks {
            let label = task.batchLabel ?? ""
            guard labels.insert(label).inserted else {
                throw TaskError.invalidRequest(reason: "label '\(label)' is used twice in the batch")
            }
        }
    }
}
