// Deleting tasks in SQLite (`tasks delete`, `tasks prune`): each task with every row of
// its own in one transaction (the foreign keys cascade to tags, events, runs and
// diagnostics), then the compilations, definitions and batches that no remaining task uses.

extension SQLiteTaskStore {
    /// Deletes the tasks, all of them or none; see `TaskRepository.delete(ids:unfinished:)`.
    public func delete(ids: [String], unfinished: Bool) throws {
        try connection.transaction { db in
            for id in ids {
                guard let status = try db.cached("SELECT task_status FROM tasks WHERE id = ?")
                    .first([.text(id)], { $0.text(0) }).map({ TaskStatus(rawValue: $0) })
                else { throw TaskError.notFound(id: id) }
                if let status, !status.isTerminal, !unfinished {
                    throw TaskError.deleteRefused(id: id, status: status)
                }
            }
            try Self.deleteTasks(db, ids)
        }
    }

    /// The ended tasks matching `filter`, oldest end first, deleted unless `dryRun`.
    public func prune(_ filter: PruneFilter, dryRun: Bool) throws -> [String] {
        let statuses = filter.terminalStatuses.filter(\.isTerminal)
        guard !statuses.isEmpty else { return [] }
        var sql = "SELECT id FROM tasks WHERE task_status IN (" + statuses.map { _ in "?" }.joined(separator: ", ") + ")"
        var values: [SQLValue] = statuses.map { .text($0.rawValue) }
        if let before = filter.endedBefore {
            sql += " AND coalesce(ended_ms, updated_ms) < ?"
            values.append(.integer(before.milliseconds))
        }
        sql += " ORDER BY coalesce(ended_ms, updated_ms), rowid"
        if dryRun { return try connection.prepare(sql).rows(values) { $0.text(0) } }
        return try connection.transaction { db in
            let ids = try db.prepare(sql).rows(values) { $0.text(0) }
            try Self.deleteTasks(db, ids)
            return ids
        }
    }

    /// Deletes `ids` (which exist) and the compilations, definitions and batches left unused,
    /// each found with one set-based statement (no scan per row). Call inside a transaction.
    static func deleteTasks(_ db: Connection, _ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try db.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS doomed_tasks (id TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS doomed_compilations (id TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS doomed_definitions (id TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TEMP TABLE IF NOT EXISTS doomed_batches (id TEXT PRIMARY KEY) WITHOUT ROWID;
            DELETE FROM temp.doomed_tasks; DELETE FROM temp.doomed_compilations; DELETE FROM temp.doomed_definitions;
            DELETE FROM temp.doomed_batches;
            """)
        defer {
            try? db.execute(
                "DELETE FROM temp.doomed_tasks; DELETE FROM temp.doomed_compilations; DELETE FROM temp.doomed_definitions; "
                    + "DELETE FROM temp.doomed_batches")
        }
        for id in ids { try db.run("INSERT OR IGNORE INTO temp.doomed_tasks (id) VALUES (?)", [.text(id)]) }
        // What the doomed tasks use, to be dropped once nothing else does.
        try db.execute(
            """
            INSERT OR IGNORE INTO temp.doomed_compilations (id)
                SELECT compilation_id FROM tasks WHERE id IN temp.doomed_tasks AND compilation_id IS NOT NULL
                UNION SELECT compilation_id FROM runs WHERE task_id IN temp.doomed_tasks AND compilation_id IS NOT NULL;
            INSERT OR IGNORE INTO temp.doomed_definitions (id)
                SELECT definition_id FROM tasks WHERE id IN temp.doomed_tasks
                UNION SELECT definition_id FROM compilations WHERE id IN temp.doomed_compilations;
            INSERT OR IGNORE INTO temp.doomed_batches (id)
                SELECT batch_id FROM tasks WHERE id IN temp.doomed_tasks AND batch_id IS NOT NULL;
            DELETE FROM tasks WHERE id IN temp.doomed_tasks;
            DELETE FROM compilations WHERE id IN temp.doomed_compilations
                AND id NOT IN (SELECT compilation_id FROM tasks WHERE compilation_id IS NOT NULL)
                AND id NOT IN (SELECT compilation_id FROM runs WHERE compilation_id IS NOT NULL);
            DELETE FROM definitions WHERE id IN temp.doomed_definitions
                AND id NOT IN (SELECT definition_id FROM tasks)
                AND id NOT IN (SELECT definition_id FROM compilations);
            DELETE FROM batches WHERE id IN temp.doomed_batches
                AND id NOT IN (SELECT batch_id FROM tasks WHERE batch_id IS NOT NULL);
            """)
    }
}
