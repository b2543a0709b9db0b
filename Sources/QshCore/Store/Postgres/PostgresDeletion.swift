// Deleting tasks in PostgreSQL (`tasks delete`, `tasks prune`): the tasks with every row of
// their own in one transaction (foreign keys cascade to tags, events, runs, diagnostics and
// keys), then the compilations, definitions and batches that no remaining task uses.

extension PostgresTaskStore {
    /// Deletes the tasks, all of them or none; see `TaskRepository.delete(ids:unfinished:)`.
    public func delete(ids: [String], unfinished: Bool) throws {
        try connection.transaction { db in
            let rows = try db.query(
                "SELECT id, task_status FROM tasks WHERE id = ANY($1::text[]) FOR UPDATE", [.text(postgresArray(ids))])
            var status: [String: String] = [:]
            for i in 0..<rows.count { status[rows.text(i, 0)] = rows.text(i, 1) }
            for id in ids {
                guard let text = status[id] else { throw TaskError.notFound(id: id) }
                if let state = TaskStatus(rawValue: text), !state.isTerminal, !unfinished {
                    throw TaskError.deleteRefused(id: id, status: state)
                }
            }
            try Self.deleteTasks(db, ids)
        }
    }

    /// The ended tasks matching `filter`, oldest end first, deleted unless `dryRun`.
    public func prune(_ filter: PruneFilter, dryRun: Bool) throws -> [String] {
        let statuses = filter.terminalStatuses.filter(\.isTerminal)
        guard !statuses.isEmpty else { return [] }
        var sql = "SELECT id FROM tasks WHERE task_status = ANY($1::text[])"
        var values: [SQLValue] = [.text(postgresArray(statuses.map(\.rawValue)))]
        if let before = filter.endedBefore {
            sql += " AND coalesce(ended_ms, updated_ms) < $2"
            values.append(.integer(before.milliseconds))
        }
        sql += " ORDER BY coalesce(ended_ms, updated_ms), row_order"
        func ids(_ db: PostgresConnection) throws -> [String] {
            let rows = try db.query(sql, values)
            return rows.map { rows.text($0, 0) }
        }
        if dryRun { return try ids(connection) }
        return try connection.transaction { db in
            let found = try ids(db)
            try Self.deleteTasks(db, found)
            return found
        }
    }

    /// Deletes `ids` and what they leave unused, set-based. Call inside a transaction.
    static func deleteTasks(_ db: PostgresConnection, _ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        // Followers of a task that has not ended learn that it is gone.
        try db.query(
            """
            SELECT pg_notify('qsh_tasks', 'deleted ' || id) FROM tasks WHERE id = ANY($1::text[])
                AND task_status NOT IN ('Completed', 'Failed', 'Cancelled', 'PayloadProcessingError')
            """, [.text(postgresArray(ids))])
        try db.execute("CREATE TEMP TABLE qsh_doomed (kind TEXT, id TEXT, PRIMARY KEY (kind, id)) ON COMMIT DROP")
        try db.query(
            """
            WITH doomed AS (
                DELETE FROM tasks WHERE id = ANY($1::text[]) RETURNING id, compilation_id, definition_id, batch_id
            ), doomed_runs AS (
                SELECT compilation_id FROM runs WHERE task_id IN (SELECT id FROM doomed) AND compilation_id IS NOT NULL
            )
            INSERT INTO pg_temp.qsh_doomed (kind, id)
            SELECT 'c', compilation_id FROM doomed WHERE compilation_id IS NOT NULL
            UNION SELECT 'c', compilation_id FROM doomed_runs
            UNION SELECT 'd', definition_id FROM doomed
            UNION SELECT 'b', batch_id FROM doomed WHERE batch_id IS NOT NULL
            """, [.text(postgresArray(ids))])
        try db.execute(
            """
            INSERT INTO pg_temp.qsh_doomed (kind, id)
                SELECT 'd', definition_id FROM compilations WHERE id IN (SELECT id FROM pg_temp.qsh_doomed WHERE kind = 'c')
                ON CONFLICT DO NOTHING;
            DELETE FROM compilations WHERE id IN (SELECT id FROM pg_temp.qsh_doomed WHERE kind = 'c')
                AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.compilation_id = compilations.id)
                AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.compilation_id = compilations.id);
            DELETE FROM definitions WHERE id IN (SELECT id FROM pg_temp.qsh_doomed WHERE kind = 'd')
                AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.definition_id = definitions.id)
                AND NOT EXISTS (SELECT 1 FROM compilations c WHERE c.definition_id = definitions.id);
            DELETE FROM batches WHERE id IN (SELECT id FROM pg_temp.qsh_doomed WHERE kind = 'b')
                AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.batch_id = batches.id);
            DROP TABLE pg_temp.qsh_doomed;
            """)
    }
}
