// What housekeeping did, on the wire: deleted tasks, pruned ids and an import's summary,
// in the shapes `tasks delete|prune|import --json` print and the API answers.

extension DeletedTask {
    /// `{"id", "task_status", "cancelled"}` of one deleted task.
    public var wireJSON: JSONValue {
        .object([("id", .string(task.id)), ("task_status", .string(task.status.rawValue)), ("cancelled", .bool(cancelled))])
    }

    /// `{"deleted": [{"id", "task_status", "cancelled"}], "count"}`, as `tasks delete --json` prints.
    public static func wireJSON(_ deleted: [DeletedTask]) -> JSONValue {
        .object([("deleted", .array(deleted.map(\.wireJSON))), ("count", .int(deleted.count))])
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
}

extension ImportSummary {
    /// `{"imported", "skipped", "definitions", "ids", "skipped_ids"}`, as `tasks import --json` prints.
    public var wireJSON: JSONValue {
        .object([
            ("imported", .int(imported.count)), ("skipped", .int(skipped.count)), ("definitions", .int(definitions)),
            ("ids", .array(imported.map { .string($0) })), ("skipped_ids", .array(skipped.map { .string($0) })),
        ])
    }
}
