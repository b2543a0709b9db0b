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

    /// The JSON `tasks delete --json` prints for `deleted`.
    public static func wireJSON(_ deleted: [DeletedTask]) -> JSONValue {
        .object([
            ("deleted", .array(deleted.map { d in
                .object([("id", .string(d.task.id)), ("task_status", .string(d.task.status.rawValue)),
                         ("cancelled", .bool(d.cancelled))])
            })),
            ("count", .int(deleted.count)),
        ])
    }
}

/// What a prune deleted (or would delete, in a dry run).
public struct PruneSummary: Sendable, Equatable {
    public var dryRun: Bool
    /// Their ids, oldest end first.
    public var ids: [String]

    public init(dryRun: Bool, ids: [String]) {
        self.dryRun = dryRun
        self.ids = ids
    }

    /// `{"dry_run", "count", "ids"}`, as `tasks prune --json` prints.
    public var wireJSON: JSONValue {
        .object([("dry_run", .bool(dryRun)), ("count", .int(ids.count)), ("ids", .array(ids.map { .string($0) }))])
    }

    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "prune")
        self.init(dryRun: try r.bool("dry_run"), ids: try r.strings("ids"))
    }
}

extension ImportSummary {
    /// `{"imported", "skipped", "definitions", "ids", "skipped_ids"}`, as `tasks import --json` prints.
    public var wireJSON: JSONValue {
        .object([
            ("imported", .int(imported.count)), ("skipped", .int(skipped.count)), ("definitions", .int(definitions)),
            ("ids", .array(imported.map { .string($0) })), ("skipped_ids", .array(skipped.map { .string($0) })),
        ])
    }

    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "import")
        self.init(imported: try r.strings("ids"), skipped: try r.strings("skipped_ids"), definitions: try r.int("definitions"))
    }
}
