// What the commands do with batches, on the task service: submit (all items or none),
// get, list, results (every completed item's counts in one read), cancel (item by item,
// completion wins) and wait (one aggregate read per poll).

/// How a batch wait ended, with the batch as last read.
public enum BatchWaitOutcome: Sendable {
    /// Every item has ended (or the batch has none).
    case finished(BatchSummary)
    /// The timeout ran out first.
    case timedOut(BatchSummary)
    /// The caller's pause function reported an interrupt.
    case interrupted(BatchSummary)

    /// The batch as last read.
    public var summary: BatchSummary {
        switch self {
        case .finished(let s), .timedOut(let s), .interrupted(let s): return s
        }
    }
}

extension TaskService {
    /// Stores a batch: one Created task per item, labels unique, all in one transaction.
    /// For an idempotency key stored before with the same request, returns the batch
    /// that first submit made (`reused` true).
    /// - Throws: `TaskError.invalidRequest` (no items, an empty or repeated label, bad
    ///   shots or tags: nothing is stored), `.idempotencyMismatch`.
    public func submitBatch(_ request: BatchRequest, actor: String = "cli") throws
        -> (summary: BatchSummary, reused: Bool)
    {
        guard !request.items.isEmpty else { throw TaskError.invalidRequest(reason: "a batch needs at least one item") }
        var labels = Set<String>()
        for item in request.items {
            guard !item.label.isEmpty else { throw TaskError.invalidRequest(reason: "a batch item's label cannot be empty") }
            guard labels.insert(item.label).inserted else {
                throw TaskError.invalidRequest(reason: "label '\(item.label)' is used twice in the batch")
            }
        }
        var rng = SystemRandomNumberGenerator()
        let now = clock.now()
        let batch = Batch(
            id: TaskID.generate(using: &rng), name: request.name, createdBy: request.createdBy, createdDate: now,
            size: request.items.count)
        var items: [(task: QuantumTask, program: ProgramSnapshot)] = []
        items.reserveCapacity(request.items.count)
        for item in request.items {
            var task = try makeTask(item.request)
            task.createdDate = now
            task.updatedDate = now
            task.batchID = batch.id
            task.batchLabel = item.label
            items.append((task, item.request.program))
        }
        var record: IdempotencyRecord?
        if let key = request.idempotencyKey {
            let made = try idempotency(key, request.items.map { ($0.label, $0.request) }, name: request.name)
            if let earlier = try earlierBatch(made) { return (earlier, true) }
            record = made
        }
        do {
            try repository.insertBatch(batch, items: items, actor: actor, idempotency: record)
        } catch TaskError.idempotencyKeyUsed {
            guard let record, let earlier = try earlierBatch(record) else {
                throw TaskError.idempotencyMismatch(key: request.idempotencyKey ?? "")
            }
            return (earlier, true)
        }
        return (BatchSummary(batch: batch, counts: [.created: items.count]), false)
    }

    /// The batch an earlier submit with the record's key made; nil when the key is new.
    func earlierBatch(_ record: IdempotencyRecord) throws -> BatchSummary? {
        guard let stored = try repository.idempotencyRecord(key: record.key) else { return nil }
        guard stored.fingerprint == record.fingerprint, let id = stored.batchID, let batch = try repository.batch(id: id)
        else { throw TaskError.idempotencyMismatch(key: record.key) }
        return try summary(of: batch)
    }

    /// The batch and its counts per state (the sweep runs first, when a lease expired).
    func summary(of batch: Batch) throws -> BatchSummary {
        BatchSummary(batch: batch, counts: try repository.batchCounts(batchID: batch.id))
    }

    /// The batch whose id is, or starts with, `idOrPrefix`, with its counts.
    /// - Throws: `TaskError.batchNotFound`, `.ambiguousBatchPrefix`, `.invalidBatchID`.
    public func batch(_ idOrPrefix: String) throws -> BatchSummary {
        let id = try repository.resolveBatch(idOrPrefix)
        guard let batch = try repository.batch(id: id) else { throw TaskError.batchNotFound(id: idOrPrefix) }
        recoverLostTasks()
        return try summary(of: batch)
    }

    /// The batch with its items, in the order they were submitted.
    public func batchDetail(_ idOrPrefix: String) throws -> BatchDetail {
        let summary = try batch(idOrPrefix)
        return BatchDetail(summary: summary, items: try repository.batchItems(batchID: summary.batch.id))
    }

    /// A page of batches, newest first.
    public func listBatches(limit: Int, page: Int, createdBy: String? = nil) throws -> BatchPage {
        recoverLostTasks()
        return try repository.listBatches(limit: limit, page: page, createdBy: createdBy)
    }

    /// Every item with the counts of its latest run when it Completed (nil for any other
    /// item: its state, error class and reasons say why), in one read.
    public func batchResults(_ idOrPrefix: String) throws -> BatchResults {
        let summary = try batch(idOrPrefix)
        let items = try repository.batchResults(batchID: summary.batch.id).map { entry in
            (item: entry.item, result: entry.item.task.status == .completed ? entry.result : nil)
        }
        // Counts from the same items, so the aggregate agrees with what is shown.
        var counts: [TaskStatus: Int] = [:]
        for entry in items { counts[entry.item.task.status, default: 0] += 1 }
        return BatchResults(summary: BatchSummary(batch: summary.batch, counts: counts), items: items)
    }

    /// Cancels every item that has not started executing; items that ended are left as
    /// they are, and items executing run to their end (completion wins).
    public func cancelBatch(_ idOrPrefix: String, actor: String = "cli") throws -> BatchCancelOutcome {
        let detail = try batchDetail(idOrPrefix)
        var cancelled: [BatchItem] = []
        var ended: [BatchItem] = []
        var refused: [BatchItem] = []
        for item in detail.items {
            if item.task.status.isTerminal {
                ended.append(item)
                continue
            }
            do {
                switch try cancel(item.task.id, actor: actor) {
                case .cancelled(let task): cancelled.append(BatchItem(label: item.label, task: task))
                case .alreadyTerminal(let task): ended.append(BatchItem(label: item.label, task: task))
                }
            } catch TaskError.cancelRefused {
                refused.append(BatchItem(label: item.label, task: try repository.task(id: item.task.id) ?? item.task))
            }
        }
        return BatchCancelOutcome(
            summary: try summary(of: detail.summary.batch), cancelled: cancelled, alreadyEnded: ended,
            refused: refused)
    }

    /// Looks at the batch's counts (one query per look) until every item has ended, the
    /// timeout runs out, or `pause` reports an interrupt: again whenever the store announces
    /// a change (at most every `backoff.initial`), else polling with `backoff`. `onChange` sees the batch when
    /// its counts change (and once at the start); `onUnattended` once, the first time
    /// an item is queued while no worker is live.
    public func waitForBatch(
        id: String, timeout: Double, backoff: Backoff = Backoff(), pause: (Double) -> Bool,
        onChange: (BatchSummary) -> Void, onUnattended: (BatchSummary) -> Void = { _ in }
    ) throws -> BatchWaitOutcome {
        guard let batch = try repository.batch(id: id) else { throw TaskError.batchNotFound(id: id) }
        let deadline = timeout.isFinite ? clock.now().adding(seconds: max(0, timeout)) : nil
        var seen: [TaskStatus: Int]?
        var delay = backoff.initial
        var toldUnattended = false
        var listener = ChangeListener(repository)
        while true {
            recoverLostTasks()
            let current = try summary(of: batch)
            if seen != current.counts {
                seen = current.counts
                onChange(current)
            }
            if current.status.isTerminal || current.total == 0 { return .finished(current) }
            if !toldUnattended, current.counts[.created] != nil, try !workerIsLive() {
                toldUnattended = true
                onUnattended(current)
            }
            let now = clock.now()
            if let deadline, now >= deadline { return .timedOut(current) }
            // Any change may be an item's: looks are spaced by the backoff's first delay.
            switch listener.pause(.any, until: deadline, now: now, delay: delay, spacing: backoff.initial, pause: pause) {
            case .interrupted: return .interrupted(current)
            case .lookAgain: break
            case .slept: delay = backoff.next(after: delay)
            }
        }
    }
}
