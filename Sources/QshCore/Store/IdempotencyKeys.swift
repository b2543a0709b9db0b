// Idempotency keys in SQLite (schema version 4): a key, the fingerprint of the request
// that first used it, and the task or batch it made, written in the same transaction
// as that task or batch (so a retry finds all of it or none).

extension SQLiteTaskStore {
    /// Stores a key for a task or a batch. Call inside a transaction.
    /// - Throws: `TaskError.idempotencyKeyUsed` when the key is stored already.
    static func insertIdempotencyKey(
        _ db: Connection, _ record: IdempotencyRecord, taskID: String?, batchID: String?, at: Timestamp
    ) throws {
        try db.run(
            """
            INSERT INTO idempotency_keys (key, fingerprint, task_id, batch_id, created_ms) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (key) DO NOTHING
            """,
            [.text(record.key), .text(record.fingerprint), .string(taskID), .string(batchID), .integer(at.milliseconds)])
        if db.changes == 0 { throw TaskError.idempotencyKeyUsed(key: record.key) }
    }

    /// What the key made, or nil when it was never used (or what it made was deleted).
    public func idempotencyRecord(key: String) throws -> IdempotencyRecord? {
        try connection.cached("SELECT fingerprint, task_id, batch_id FROM idempotency_keys WHERE key = ?")
            .first([.text(key)]) { row in
                IdempotencyRecord(
                    key: key, fingerprint: row.text(0), taskID: row.optionalText(1), batchID: row.optionalText(2))
            }
    }
}
