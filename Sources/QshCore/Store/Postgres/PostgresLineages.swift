// Lineages in PostgreSQL: a re-run names the task it was re-run from (`rerun_of`) and the
// first task of the lineage (`lineage_id`, set at insert), so a lineage is one indexed read.

extension PostgresTaskStore {
    /// The lineage of a task: its first task's id and every task of it, oldest first.
    public func lineage(taskID: String) throws -> (root: String, tasks: [QuantumTask])? {
        let found = try connection.query("SELECT coalesce(lineage_id, id) FROM tasks WHERE id = $1", [.text(taskID)])
        guard found.count == 1 else { return nil }
        let root = found.text(0, 0)
        let rows = try connection.query(
            "SELECT \(Self.columns) FROM tasks WHERE id = $1 OR lineage_id = $1 ORDER BY created_ms, row_order",
            [.text(root)])
        return (root, try decodeTasks(rows))
    }
}
