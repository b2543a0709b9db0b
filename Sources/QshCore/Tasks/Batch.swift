// Batches: several programs submitted at once, each item a task of its own with a label
// unique in its batch. A batch's status is an aggregate of its items' (one rule, below);
// each item keeps its own status and results.

/// A batch as stored: who submitted it, when, and how many items it was submitted with.
public struct Batch: Hashable, Sendable {
    /// A UUID v4 in lower case, like a task id (and found by prefix the same way).
    public var id: String
    public var name: String?
    public var createdBy: String
    public var createdDate: Timestamp
    /// How many items the batch was submitted with.
    public var size: Int

    public init(id: String, name: String? = nil, createdBy: String, createdDate: Timestamp, size: Int) {
        self.id = id
        self.name = name
        self.createdBy = createdBy
        self.createdDate = createdDate
        self.size = size
    }
}

/// The aggregate status of a batch.
public enum BatchStatus: String, Sendable, CaseIterable {
    case created = "Created"
    case running = "Running"
    case completed = "Completed"
    case payloadProcessingError = "PayloadProcessingError"
    case failed = "Failed"
    case cancelled = "Cancelled"

    /// The rule: no items, Created; some item not terminal, Running; every item
    /// Completed, Completed; otherwise the worst terminal state among the items, Failed
    /// before PayloadProcessingError before Cancelled.
    public static func aggregate(_ counts: [TaskStatus: Int]) -> BatchStatus {
        let present = counts.filter { $0.value > 0 }
        if present.isEmpty { return .created }
        if present.keys.contains(where: { !$0.isTerminal }) { return .running }
        if present[.failed] != nil { return .failed }
        if present[.payloadProcessingError] != nil { return .payloadProcessingError }
        if present[.cancelled] != nil { return .cancelled }
        return .completed
    }

    /// True once every item has ended.
    public var isTerminal: Bool { self != .created && self != .running }
}

/// A batch with the number of its items in each task state.
public struct BatchSummary: Hashable, Sendable {
    public var batch: Batch
    /// Items per state; states without items are absent.
    public var counts: [TaskStatus: Int]

    public init(batch: Batch, counts: [TaskStatus: Int]) {
        self.batch = batch
        self.counts = counts.filter { $0.value > 0 }
    }

    public var status: BatchStatus { BatchStatus.aggregate(counts) }
    /// How many items the batch holds now.
    public var total: Int { counts.values.reduce(0, +) }
    /// How many items have ended.
    public var done: Int { counts.filter { $0.key.isTerminal }.values.reduce(0, +) }
    /// The states of the items, one entry per item (for exit statuses).
    public var itemStatuses: [TaskStatus] {
        TaskStatus.allCases.flatMap { Array(repeating: $0, count: counts[$0] ?? 0) }
    }

    /// `{"Completed": 2, "Failed": 1}`, in lifecycle order, states with items only.
    public var countsJSON: JSONValue {
        .object(TaskStatus.allCases.compactMap { s in counts[s].map { (s.rawValue, .int($0)) } })
    }

    /// The batch's wire shape: id, batch_status, name, created_by, created_date, size,
    /// items (how many it holds now), done, counts.
    public var wireJSON: JSONValue {
        .object([
            ("id", .string(batch.id)),
            ("batch_status", .string(status.rawValue)),
            ("name", .string(batch.name)),
            ("created_by", .string(batch.createdBy)),
            ("created_date", .string(batch.createdDate.rfc3339)),
            ("size", .int(batch.size)),
            ("items", .int(total)),
            ("done", .int(done)),
            ("counts", countsJSON),
        ])
    }
}

/// One item of a batch: its label and its task.
public struct BatchItem: Hashable, Sendable {
    public var label: String
    public var task: QuantumTask

    public init(label: String, task: QuantumTask) {
        self.label = label
        self.task = task
    }
}

/// A batch, its aggregate and its items in the order they were submitted.
public struct BatchDetail: Sendable {
    public var summary: BatchSummary
    public var items: [BatchItem]

    public init(summary: BatchSummary, items: [BatchItem]) {
        self.summary = summary
        self.items = items
    }

    /// The summary's wire shape with `elements`: per item its label, task id, state,
    /// error class and reasons.
    public var wireJSON: JSONValue {
        guard case .object(var members) = summary.wireJSON else { return summary.wireJSON }
        members.append((
            "elements",
            .array(items.map(\.wireJSON))
        ))
        return .object(members)
    }
}

/// One page of batches, newest first, and how many there are.
public struct BatchPage: Sendable {
    public var batches: [BatchSummary]
    public var page: Int
    public var total: Int

    public init(batches: [BatchSummary], page: Int, total: Int) {
        self.batches = batches
        self.page = page
        self.total = total
    }

    /// `{"elements": [...], "page": 0, "size": N, "total": T}`, as `tasks list`.
    public var wireJSON: JSONValue {
        .object([
            ("elements", .array(batches.map(\.wireJSON))),
            ("page", .int(page)),
            ("size", .int(batches.count)),
            ("total", .int(total)),
        ])
    }
}

/// The results of a batch in one piece: the counts of every item that completed, and
/// for every other item its state and why it has none.
public struct BatchResults: Sendable {
    public var summary: BatchSummary
    /// Every item in order, with its latest run's results when it Completed.
    public var items: [(item: BatchItem, result: TaskResult?)]

    public init(summary: BatchSummary, items: [(item: BatchItem, result: TaskResult?)]) {
        self.summary = summary
        self.items = items
    }

    /// The items that have results.
    public var completed: [(item: BatchItem, result: TaskResult)] {
        items.compactMap { entry in entry.result.map { (entry.item, $0) } }
    }

    /// The items without results.
    public var missing: [BatchItem] { items.filter { $0.result == nil }.map(\.item) }

    /// `{"batch_id", "batch_status", "results": {"label": {"c": {...}}}, "missing":
    /// {"label": {"task_id", "task_status", "error_class", "error_reasons"}}}`.
    public var wireJSON: JSONValue {
        .object([
            ("batch_id", .string(summary.batch.id)),
            ("batch_status", .string(summary.status.rawValue)),
            ("results", .object(completed.map { ($0.item.label, $0.result.dataJSON) })),
            ("missing", .object(missing.map { item in
                (item.label, .object([
                    ("task_id", .string(item.task.id)),
                    ("task_status", .string(item.task.status.rawValue)),
                    ("error_class", .string(item.task.errorClass?.rawValue)),
                    ("error_reasons", .array(item.task.errorReasons.map { .string($0) })),
                ]))
            })),
        ])
    }
}

/// One item to submit in a batch.
public struct BatchItemRequest: Sendable {
    public var label: String
    public var request: SubmitRequest

    public init(label: String, request: SubmitRequest) {
        self.label = label
        self.request = request
    }
}

/// A batch to submit: its items, all stored or none.
public struct BatchRequest: Sendable {
    public var name: String?
    public var items: [BatchItemRequest]
    public var createdBy: String
    /// A retry with the same key returns the batch the first submit made.
    public var idempotencyKey: String?

    public init(name: String? = nil, items: [BatchItemRequest], createdBy: String, idempotencyKey: String? = nil) {
        self.name = name
        self.items = items
        self.createdBy = createdBy
        self.idempotencyKey = idempotencyKey
    }
}

/// What a batch cancel did to each item.
public struct BatchCancelOutcome: Sendable {
    public var summary: BatchSummary
    /// Items now Cancelled by this request.
    public var cancelled: [BatchItem]
    /// Items that had already ended.
    public var alreadyEnded: [BatchItem]
    /// Items executing: completion wins, they were left to run.
    public var refused: [BatchItem]

    public init(summary: BatchSummary, cancelled: [BatchItem], alreadyEnded: [BatchItem], refused: [BatchItem]) {
        self.summary = summary
        self.cancelled = cancelled
        self.alreadyEnded = alreadyEnded
        self.refused = refused
    }
}
