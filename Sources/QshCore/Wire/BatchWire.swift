// Batches on the wire beyond what Tasks/Batch.swift writes: one item's element and a
// batch cancel's outcome (the summary with the items cancelled, already ended and left
// executing), as the API answers POST /v2/batches/{id}/cancel.

extension BatchItem {
    /// `{"label", "task_id", "task_status", "shots", "error_class", "error_reasons"}`: the
    /// element `BatchDetail.wireJSON` writes for the item.
    public var wireJSON: JSONValue {
        .object([
            ("label", .string(label)),
            ("task_id", .string(task.id)),
            ("task_status", .string(task.status.rawValue)),
            ("shots", .int(task.shots)),
            ("error_class", .string(task.errorClass?.rawValue)),
            ("error_reasons", .array(task.errorReasons.map { .string($0) })),
        ])
    }
}

extension BatchCancelOutcome {
    /// The summary's wire shape with the items of each kind: `{<summary>, "cancelled":
    /// [item], "already_ended": [item], "refused": [item]}`.
    public var wireJSON: JSONValue {
        guard case .object(var members) = summary.wireJSON else { return summary.wireJSON }
        members.append(("cancelled", .array(cancelled.map(\.wireJSON))))
        members.append(("already_ended", .array(alreadyEnded.map(\.wireJSON))))
        members.append(("refused", .array(refused.map(\.wireJSON))))
        return .object(members)
    }
}
