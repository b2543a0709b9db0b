// Idempotency keys in PostgreSQL: a key, the fingerprint of the request that first used
// it, and the task or batch it made, written in the same transaction as that task or batch.

extension PostgresTaskStore {
    /// Stores a key for a task or a batch. Call inside a transaction.
    /// - Throws: `TaskError.idempotencyKeyUsed` when the key is stored already.
    static func insertIdempotencyKey(
        _ db: PostgresConnection, _ record: IdempotencyRecord, taskID: String?, batchID: String?, at: Timestamp
    ) throws {
        let inserted = try db.query(
            """
            INSERT INTO idempotency_keys (key, fingerprint, task_id, batch_id, created_ms) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (key) DO NOTHING
            """,
            [.text(record.key), .text(record.fingerprint), .string(taskID), .string(batchID), .integer(at.milliseconds)])
        if inserted.changes == 0 { throw TaskError.idempotencyKeyUsed(key: record.key) }
    }

    /// What the key made, or nil when it was never used.
    public func idempotencyRecord(key: String) throws -> IdempotencyRecord? {
        let rows = try connection.query(
            "SELECT fingerprint, task_id, batch_id FROM idempotency_keys WHERE key = $1", [.text(key)])
        return rows.first { i in
            IdempotencyRecord(
                key: key, fingerprint: rows.text(i, 0), taskID: rows.optionalText(i, 1), batchID: rows.optionalText(i, 2))
        }
    }
}
