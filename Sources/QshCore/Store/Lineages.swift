// Lineages in SQLite (schema version 4): a re-run names the task it was re-run from
// (`rerun_of`) and the first task of the lineage (`lineage_id`, set at insert), so a
// whole lineage is one indexed read whichever of its tasks is asked about.

extension SQLiteTaskStore {
    /// The lineage of a task: the id of its first task, and every task of it, oldest
    /// first (nil when no task has this id).
    public func lineage(taskID: String) throws -> (root: String, tasks: [QuantumTask])? {
        guard
            let root = try connection.cached("SELECT coalesce(lineage_id, id) FROM tasks WHERE id = ?")
                .first([.text(taskID)], { $0.text(0) })
        else { return nil }
        let tasks = try connection.cached(
            "SELECT \(Self.columns) FROM tasks WHERE id = ?1 OR lineage_id = ?1 ORDER BY created_ms, rowid"
        ).rows([.text(root)], decodeTask)
        return (root, tasks)
    }
}
