// What housekeeping answers, read back: deleted tasks, pruned ids and an import's summary,
// in the shapes `tasks delete|prune|import --json` print. A deleted task's element carries
// only its id and state: the decoded task's other fields are empty.

extension DeletedTask {
    /// The tasks of `{"deleted": [{"id", "task_status", "cancelled"}], "count"}`.
    /// - Throws: `WireDecodingError`.
    public static func list(wireJSON: JSONValue) throws(WireDecodingError) -> [DeletedTask] {
        let r = try WireReader(wireJSON, shape: "deletion")
        var deleted: [DeletedTask] = []
        for element in try r.array("deleted") {
            let e = try WireReader(element, shape: "deleted task")
            let epoch = Timestamp(milliseconds: 0)
            deleted.append(DeletedTask(
                task: QuantumTask(
                    id: try e.string("id"), status: try e.status("task_status"), qpuID: "", shots: 0, seed: 0,
                    definitionID: "", createdBy: "", createdDate: epoch, updatedDate: epoch),
                cancelled: try e.bool("cancelled")))
        }
        return deleted
    }

}

extension PruneSummary {
    /// The summary of `{"dry_run", "count", "ids"}`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "prune")
        self.init(dryRun: try r.bool("dry_run"), ids: try r.strings("ids"))
    }
}

extension ImportSummary {
    /// The summary of `{"imported", "skipped", "definitions", "ids", "skipped_ids"}`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "import")
        self.init(imported: try r.strings("ids"), skipped: try r.strings("skipped_ids"), definitions: try r.int("definitions"))
    }
}
