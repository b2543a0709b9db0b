// Batches in PostgreSQL: a `batches` row and one task per item, written in one
// transaction; items in the order they were stored; counts per state, items and every
// item's latest results each in one query.

extension PostgresTaskStore {
    /// Stores a batch, its items' tasks and its idempotency key, all in one transaction or none.
    public func insertBatch(
        _ batch: Batch, items: [(task: QuantumTask, program: ProgramSnapshot)], actor: String,
        idempotency: IdempotencyRecord?
    ) throws {
        try Batch.checkDistinctLabels(items.map(\.task))
        var retried = false
        try connection.transaction(retried: { retried = true }) { db in
            if retried, try db.query("SELECT 1 FROM batches WHERE id = $1", [.text(batch.id)]).count == 1 { return }
            try db.query(
                "INSERT INTO batches (id, name, created_by, created_ms, size) VALUES ($1, $2, $3, $4, $5)",
                [
                    .text(batch.id), .string(batch.name), .text(batch.createdBy),
                    .integer(batch.createdDate.milliseconds), .int(batch.size),
                ])
            if let idempotency {
                try Self.insertIdempotencyKey(db, idempotency, taskID: nil, batchID: batch.id, at: batch.createdDate)
            }
            _ = try Self.countingOnce(db, expected: items.count) {
                for item in items { try Self.insertTask(db, item.task, program: item.program, actor: actor) }
                return items.map(\.task.id)
            }
        }
    }

    static func decodeBatch(_ rows: PostgresRows, _ i: Int) -> Batch {
        Batch(
            id: rows.text(i, 0), name: rows.optionalText(i, 1), createdBy: rows.text(i, 2),
            createdDate: Timestamp(milliseconds: rows.int64(i, 3)), size: rows.int(i, 4))
    }

    /// The batch with exactly this id, or nil.
    public func batch(id: String) throws -> Batch? {
        let rows = try connection.query(
            "SELECT \(SQLiteTaskStore.batchColumns) FROM batches WHERE id = $1", [.text(id)])
        return rows.first { Self.decodeBatch(rows, $0) }
    }

    /// The full id of the one batch whose id starts with `prefix` (case-insensitive).
    public func resolveBatch(_ prefix: String) throws -> String {
        guard let normalized = TaskID.normalizedPrefix(prefix) else { throw TaskError.invalidBatchID(text: prefix) }
        let matches = try prefixMatches("batches", normalized)
        switch matches.count {
        case 0: throw TaskError.batchNotFound(id: prefix)
        case 1: return matches[0]
        default: throw TaskError.ambiguousBatchPrefix(prefix: prefix, candidates: Array(matches.prefix(10)))
        }
    }

    /// How many items of the batch are in each state.
    public func batchCounts(batchID: String) throws -> [TaskStatus: Int] {
        let stored = StoredValues(path: location, taskID: nil)
        let rows = try connection.query(
            "SELECT task_status, count(*) FROM tasks WHERE batch_id = $1 GROUP BY task_status", [.text(batchID)])
        var counts: [TaskStatus: Int] = [:]
        for i in 0..<rows.count { counts[try stored.status(rows.text(i, 0), "a task_status")] = rows.int(i, 1) }
        return counts
    }

    /// The batch's items in the order they were stored.
    public func batchItems(batchID: String) throws -> [BatchItem] {
        let rows = try connection.query(
            "SELECT \(Self.columns) FROM tasks WHERE batch_id = $1 ORDER BY row_order", [.text(batchID)])
        return try rows.map { i in
            let task = try decodeTask(rows, i)
            return BatchItem(label: task.batchLabel ?? "", task: task)
        }
    }

    /// Every item in order with the results of its latest run, in one query.
    public func batchResults(batchID: String) throws -> [(item: BatchItem, result: TaskResult?)] {
        let rows = try connection.query(
            """
            SELECT \(SQLiteTaskStore.taskColumnsOfT), r.shots, r.shots_done, r.partial, r.data, r.timings, r.metrics,
                r.metadata
            FROM tasks t LEFT JOIN runs r ON r.id = (SELECT id FROM runs WHERE task_id = t.id ORDER BY attempt DESC LIMIT 1)
            WHERE t.batch_id = $1 ORDER BY t.row_order
            """, [.text(batchID)])
        let offset = Int(SQLiteTaskStore.taskColumnCount)
        return try rows.map { i in
            let task = try decodeTask(rows, i)
            let stored = StoredValues(path: location, taskID: task.id)
            let result = try Self.result(rows, i, offset: offset, taskID: task.id, stored, "its results")
            return (BatchItem(label: task.batchLabel ?? "", task: task), result)
        }
    }

    /// One page of batches, newest first, each with its counts, and how many there are.
    public func listBatches(limit: Int, page: Int, createdBy: String?) throws -> BatchPage {
        let size = max(0, limit)
        let offset = max(0, page).multipliedReportingOverflow(by: size)
        let user: [SQLValue] = createdBy.map { [.text($0)] } ?? []
        let filter = createdBy == nil ? "" : " WHERE created_by = $1"
        let n = user.count
        let rows = try connection.query(
            "SELECT \(SQLiteTaskStore.batchColumns) FROM batches\(filter) ORDER BY created_ms DESC, row_order DESC "
                + "LIMIT $\(n + 1) OFFSET $\(n + 2)",
            user + [.int(size), .int(offset.overflow ? Int.max : offset.partialValue)])
        let batches = rows.map { Self.decodeBatch(rows, $0) }
        let total = Int(try connection.scalar("SELECT count(*) FROM batches\(filter)", user) ?? 0)
        return BatchPage(
            batches: try batches.map { BatchSummary(batch: $0, counts: try batchCounts(batchID: $0.id)) },
            page: max(0, page), total: total)
    }
}
