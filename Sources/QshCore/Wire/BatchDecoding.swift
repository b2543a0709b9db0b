// Batches read back: the inverses of the wire shapes of Tasks/Batch.swift (summary, detail,
// page, results) and of a batch cancel's outcome. A detail's element carries only its
// item's label, id, state, shots and error: the other fields of a decoded item's task are
// the batch's (creator, date) or empty.

extension BatchSummary {
    /// The summary of a `batches get --json` object.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "batch")
        var counts: [TaskStatus: Int] = [:]
        for (state, count) in try r.object("counts") {
            guard let status = TaskStatus(rawValue: state), let n = count.intValue else {
                throw r.failure("counts", "an object of task states and counts")
            }
            counts[status] = n
        }
        self.init(
            batch: Batch(
                id: try r.string("id"), name: try r.optionalString("name"), createdBy: try r.string("created_by"),
                createdDate: try r.timestamp("created_date"), size: try r.int("size")),
            counts: counts)
    }
}

extension BatchItem {
    /// An item of a batch detail's `elements` (`{"label", "task_id", "task_status", "shots",
    /// "error_class", "error_reasons"}`), of the batch `batch`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue, batch: Batch) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "batch item")
        let label = try r.string("label")
        self.init(
            label: label,
            task: QuantumTask(
                id: try r.string("task_id"), status: try r.status("task_status"), qpuID: "", shots: try r.int("shots"),
                seed: 0, definitionID: "", createdBy: batch.createdBy, createdDate: batch.createdDate,
                updatedDate: batch.createdDate, errorClass: try r.optionalErrorClass("error_class"),
                errorReasons: try r.strings("error_reasons"), batchID: batch.id, batchLabel: label))
    }

}

extension BatchDetail {
    /// The batch and its items of a `batches get --json` object with `elements`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let summary = try BatchSummary(wireJSON: wireJSON)
        let r = try WireReader(wireJSON, shape: "batch")
        var items: [BatchItem] = []
        for element in try r.array("elements") { items.append(try BatchItem(wireJSON: element, batch: summary.batch)) }
        self.init(summary: summary, items: items)
    }
}

extension BatchPage {
    /// A page of `batches list --json`.
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "batch page")
        var batches: [BatchSummary] = []
        for element in try r.array("elements") { batches.append(try BatchSummary(wireJSON: element)) }
        self.init(batches: batches, page: try r.int("page"), total: try r.int("total"))
    }
}

extension BatchResults {
    /// The results of `batches results --json` for the items of `detail` (the results
    /// object keys its counts by label; the detail gives the items' order and tasks).
    /// - Throws: `WireDecodingError`, also for a label the detail does not have.
    public init(detail: BatchDetail, wireJSON: JSONValue) throws(WireDecodingError) {
        let r = try WireReader(wireJSON, shape: "batch results")
        var data: [String: JSONValue] = [:]
        for (label, counts) in try r.object("results") { data[label] = counts }
        let labels = Set(detail.items.map(\.label))
        if let stray = data.keys.first(where: { !labels.contains($0) }) {
            throw WireDecodingError(shape: "batch results", problem: "label '\(stray)' is not an item of the batch")
        }
        self.init(
            summary: detail.summary,
            items: detail.items.map { item in
                (item, data[item.label].map { counts in
                    let registers = TaskResult.registers(from: counts)
                    let done = registers.first.map { $0.counts.values.reduce(0, +) } ?? item.task.shots
                    return TaskResult(
                        taskID: item.task.id, shots: item.task.shots, shotsDone: done, partial: false,
                        registers: registers)
                })
            })
    }
}

extension BatchCancelOutcome {
    /// The batch as it is after the cancel, with the items of each kind:
    /// `{<summary>, "cancelled": [item], "already_ended": [item], "refused": [item]}` (an
    /// absent list is empty).
    /// - Throws: `WireDecodingError`.
    public init(wireJSON: JSONValue) throws(WireDecodingError) {
        let summary = try BatchSummary(wireJSON: wireJSON)
        let r = try WireReader(wireJSON, shape: "batch cancel")
        func items(_ key: String) throws(WireDecodingError) -> [BatchItem] {
            if r.isNull(key) { return [] }
            var items: [BatchItem] = []
            for element in try r.array(key) { items.append(try BatchItem(wireJSON: element, batch: summary.batch)) }
            return items
        }
        self.init(
            summary: summary, cancelled: try items("cancelled"), alreadyEnded: try items("already_ended"),
            refused: try items("refused"))
    }

}
