// The task counters under many inserts in one transaction (a batch, a group of submits, an
// import): the row trigger would add to the same counter row once per task, and each such
// update walks the row's growing chain of versions, so a transaction's cost grew with the
// square of its tasks. Instead the trigger stands aside and one statement adds them all.

extension PostgresTaskStore {
    /// Below this many tasks the trigger's own counting costs less than the two settings
    /// and the one statement (a lone submit, the server's small groups).
    static let bulkCountingFrom = 32

    /// Runs `insert` (which stores up to `expected` tasks and returns the ids of those it
    /// stored) with the counting trigger off for inserts, then adds those tasks to the
    /// counters in one statement; for fewer than `bulkCountingFrom` tasks the trigger counts
    /// as usual. Call inside a transaction.
    static func countingOnce(_ db: PostgresConnection, expected: Int, _ insert: () throws -> [String]) throws
        -> [String]
    {
        if expected < bulkCountingFrom { return try insert() }
        try db.execute("SET LOCAL qsh.bulk_insert = 'on'")
        let ids = try insert()
        try db.execute("SET LOCAL qsh.bulk_insert = 'off'")
        if !ids.isEmpty {
            try db.query(
                """
                UPDATE task_counts c SET n = c.n + a.k
                FROM (SELECT task_status, count(*) AS k FROM tasks WHERE id = ANY($1::text[]) GROUP BY task_status) a
                WHERE c.task_status = a.task_status AND c.slot = pg_backend_pid() % \(PostgresSchema.countSlots)
                """, [.text(arrayLiteral(ids))])
        }
        return ids
    }

    /// A PostgreSQL array literal of `values`, each quoted.
    static func arrayLiteral(_ values: [String]) -> String {
        let quoted = values.map { value -> String in
            var text = "\""
            for character in value {
                if character == "\"" || character == "\\" { text.append("\\") }
                text.append(character)
            }
            return text + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}
