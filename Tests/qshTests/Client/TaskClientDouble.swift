// A TaskClient double for command tests: it answers from values the test sets, records
// what the commands asked, and plays a scripted follow, so that commands are tested
// without a database, a worker or a clock.
import QshCore
@testable import qsh

/// A client whose answers are set by the test.
final class TaskClientDouble: TaskClient {
    /// The tasks `get`, `results`, `events` and `cancel` know, by full id (a prefix of 4 or
    /// more characters finds a task, as the local client's does).
    var tasks: [String: QuantumTask] = [:]
    var results: [String: TaskResult] = [:]
    var events: [String: [TaskEvent]] = [:]
    var qpuList = [
        QPUInfo(
            id: "sim:statevector", summary: "state vector",
            capabilities: QPUCapabilities(
                maxQubits: 30, maxShots: 100_000_000, memoryLimit: 1 << 30, supportsMidCircuitMeasurement: true))
    ]
    /// What `list` returns (its query is recorded).
    var page = TaskPage(tasks: [], page: 0, size: 0, total: 0)
    /// Errors to throw instead of answering, by id (get, results, cancel).
    var errors: [String: TaskError] = [:]
    /// The ids `cancel` refuses: they are executing.
    var executing: Set<String> = []
    /// Warnings `submit` returns.
    var submitWarnings: [String] = []
    /// What `dryRun` returns.
    var verdict: DryRunVerdict?
    /// What `follow` reports, and how it ends.
    var followEvents: [FollowEvent] = []
    var followOutcome: FollowOutcome = .finished([])

    /// The batches `batch`, `batchDetail`, `batchResults` and `cancelBatch` know, by full id
    /// (a prefix of 4 or more characters finds one).
    var batchDetails: [String: BatchDetail] = [:]
    /// Per batch id, the results `batchResults` returns (default: none completed).
    var batchResultsByID: [String: BatchResults] = [:]
    /// The lineages `history` returns, by any member's full id.
    var histories: [String: TaskHistory] = [:]
    /// What `followBatch` reports, and how it ends (default: finished as `batchDetails` has it).
    var batchFollowSummaries: [BatchSummary] = []
    var batchFollowOutcome: BatchWaitOutcome?
    private(set) var batchSubmissions: [BatchSubmission] = []
    private(set) var reruns: [(id: String, rerun: RerunSubmission)] = []
    /// QPU statuses by id (`qpuStatuses`, `setQPUPaused` changes them); a QPU of
    /// `qpuList` not here is online with nothing queued.
    var statuses: [String: QPUStatus] = [:]
    /// Queue positions by full task id.
    var positions: [String: QueuePosition] = [:]
    /// Runs and compile diagnostics by full task id (`diagnostics`).
    var runs: [String: [TaskRun]] = [:]
    var compileDiagnostics: [String: [Diagnostic]] = [:]

    /// What the commands asked, in order: `get 550e`, `cancel 550e...`, `follow 2`.
    private(set) var calls: [String] = []
    private(set) var submissions: [TaskSubmission] = []
    private(set) var queries: [TaskQuery] = []
    /// The timeouts `follow` was given.
    private(set) var followTimeouts: [Double] = []

    func qpus() throws -> [QPUInfo] {
        calls.append("qpus")
        return qpuList
    }

    func submit(_ submission: TaskSubmission) throws -> SubmitReceipt {
        calls.append("submit")
        submissions.append(submission)
        let task = QuantumTask(
            id: "00000000-0000-4000-8000-00000000000\(submissions.count)", status: .created, qpuID: submission.qpuID,
            shots: submission.shots, seed: submission.seed ?? 0, name: submission.name, tags: submission.tags,
            definitionID: "d", createdBy: "tester", createdDate: Self.time, updatedDate: Self.time)
        tasks[task.id] = task
        return SubmitReceipt(task: task, warnings: submitWarnings)
    }

    func dryRun(_ submission: TaskSubmission, stop: Cancellation) throws -> DryRunVerdict {
        calls.append("dryRun")
        submissions.append(submission)
        return verdict ?? DryRunVerdict(qpuID: submission.qpuID, shots: submission.shots)
    }

    func get(_ idOrPrefix: String) throws -> QuantumTask {
        calls.append("get \(idOrPrefix)")
        return try find(idOrPrefix)
    }

    func list(_ query: TaskQuery) throws -> TaskPage {
        calls.append("list")
        queries.append(query)
        return page
    }

    func results(_ idOrPrefix: String) throws -> (task: QuantumTask, result: TaskResult) {
        calls.append("results \(idOrPrefix)")
        let task = try find(idOrPrefix)
        guard !task.status.isUnsuccessful, let result = results[task.id] else {
            throw TaskError.noResults(
                id: task.id, status: task.status, errorClass: task.errorClass, reasons: task.errorReasons)
        }
        return (task, result)
    }

    func events(_ idOrPrefix: String) throws -> (task: QuantumTask, events: [TaskEvent]) {
        calls.append("events \(idOrPrefix)")
        let task = try find(idOrPrefix)
        return (task, events[task.id] ?? [])
    }

    func cancel(_ idOrPrefix: String) throws -> CancelOutcome {
        calls.append("cancel \(idOrPrefix)")
        var task = try find(idOrPrefix)
        if task.status.isTerminal { return .alreadyTerminal(task) }
        if executing.contains(task.id) { throw TaskError.cancelRefused(id: task.id, status: task.status) }
        task.status = .cancelled
        tasks[task.id] = task
        return .cancelled(task)
    }

    func follow(
        _ ids: [String], timeout: Double, pause: (Double) -> Bool, receive: (FollowEvent) -> Void
    ) throws -> FollowOutcome {
        calls.append("follow \(ids.joined(separator: " "))")
        followTimeouts.append(timeout)
        for event in followEvents { receive(event) }
        return followOutcome
    }

    /// The ids `delete` and `prune` removed, and the records `importRecords` stored.
    private(set) var deleted: [String] = []
    private(set) var imported: [ArchiveRecord] = []
    /// What `prune` finds, `export` writes and `health` reports.
    var prunable: [String] = []
    var exportRecords: [ArchiveRecord] = []
    var healthReport: StoreHealth?

    func delete(_ idsOrPrefixes: [String], force: Bool) throws -> [DeletedTask] {
        calls.append("delete\(force ? " --force" : "") \(idsOrPrefixes.joined(separator: " "))")
        var out: [DeletedTask] = []
        for text in idsOrPrefixes {
            let task = try find(text)
            if !task.status.isTerminal && (executing.contains(task.id) || !TaskStateMachine.cancellable.contains(task.status)) {
                if !force { throw TaskError.deleteRefused(id: task.id, status: task.status) }
                out.append(DeletedTask(task: task, cancelled: false))
            } else if !task.status.isTerminal {
                var cancelled = task
                cancelled.status = .cancelled
                out.append(DeletedTask(task: cancelled, cancelled: true))
            } else {
                out.append(DeletedTask(task: task, cancelled: false))
            }
        }
        for item in out { tasks[item.task.id] = nil }
        deleted += out.map(\.task.id)
        return out
    }

    func prune(_ filter: PruneFilter, dryRun: Bool) throws -> [String] {
        calls.append("prune\(dryRun ? " --dry-run" : "")")
        if !dryRun { deleted += prunable }
        return prunable
    }

    func export(_ selection: ExportSelection, write: (ArchiveRecord) throws -> Void) throws -> Int {
        calls.append("export \(selection.ids.joined(separator: " "))")
        for record in exportRecords { try write(record) }
        return exportRecords.filter { $0.kind == .task }.count
    }

    func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary {
        calls.append("import\(skipExisting ? " --skip-existing" : "")")
        imported += records
        return ImportSummary(imported: records.filter { $0.kind == .task }.map(\.id))
    }

    func health() throws -> StoreHealth {
        calls.append("health")
        guard let healthReport else { throw CommandFailure(code: .noDatabase, message: "no task database") }
        return healthReport
    }

    func submitBatch(_ submission: BatchSubmission) throws -> BatchReceipt {
        calls.append("submitBatch \(submission.items.map(\.label).joined(separator: " "))")
        batchSubmissions.append(submission)
        let id = "b0000000-0000-4000-8000-00000000000\(batchSubmissions.count)"
        var items: [BatchItem] = []
        for (n, item) in submission.items.enumerated() {
            var task = Self.task("a\(batchSubmissions.count)000000-0000-4000-8000-00000000000\(n)", .created)
            task.batchID = id
            task.batchLabel = item.label
            task.shots = item.submission.shots
            tasks[task.id] = task
            items.append(BatchItem(label: item.label, task: task))
        }
        let summary = BatchSummary(
            batch: Batch(id: id, name: submission.name, createdBy: "tester", createdDate: Self.time,
                         size: items.count),
            counts: [.created: items.count])
        batchDetails[id] = BatchDetail(summary: summary, items: items)
        return BatchReceipt(summary: summary, warnings: submitWarnings)
    }

    func rerun(_ idOrPrefix: String, _ rerun: RerunSubmission) throws -> SubmitReceipt {
        calls.append("rerun \(idOrPrefix)")
        let earlier = try find(idOrPrefix)
        reruns.append((earlier.id, rerun))
        var task = Self.task("c0000000-0000-4000-8000-00000000000\(reruns.count)", .created)
        task.shots = rerun.shots ?? earlier.shots
        task.seed = rerun.seed ?? earlier.seed
        task.qpuID = rerun.qpuID ?? earlier.qpuID
        task.rerunOf = earlier.id
        tasks[task.id] = task
        return SubmitReceipt(task: task, warnings: submitWarnings)
    }

    func history(_ idOrPrefix: String) throws -> TaskHistory {
        calls.append("history \(idOrPrefix)")
        let task = try find(idOrPrefix)
        return histories[task.id] ?? TaskHistory(lineageID: task.id, entries: [(task, results[task.id])])
    }

    func batch(_ idOrPrefix: String) throws -> BatchSummary {
        calls.append("batch \(idOrPrefix)")
        return try findBatch(idOrPrefix).summary
    }

    func batchDetail(_ idOrPrefix: String) throws -> BatchDetail {
        calls.append("batchDetail \(idOrPrefix)")
        return try findBatch(idOrPrefix)
    }

    func batches(limit: Int, page: Int) throws -> BatchPage {
        calls.append("batches \(limit) \(page)")
        let all = batchDetails.keys.sorted().reversed().map { batchDetails[$0]!.summary }
        return BatchPage(batches: Array(all.dropFirst(limit * page).prefix(limit)), page: page, total: all.count)
    }

    func batchResults(_ idOrPrefix: String) throws -> BatchResults {
        calls.append("batchResults \(idOrPrefix)")
        let detail = try findBatch(idOrPrefix)
        return batchResultsByID[detail.summary.batch.id]
            ?? BatchResults(summary: detail.summary, items: detail.items.map { ($0, nil) })
    }

    func cancelBatch(_ idOrPrefix: String) throws -> BatchCancelOutcome {
        calls.append("cancelBatch \(idOrPrefix)")
        var detail = try findBatch(idOrPrefix)
        var cancelled: [BatchItem] = [], ended: [BatchItem] = [], refused: [BatchItem] = []
        for (n, item) in detail.items.enumerated() {
            if item.task.status.isTerminal {
                ended.append(item)
            } else if executing.contains(item.task.id) {
                refused.append(item)
            } else {
                detail.items[n].task.status = .cancelled
                cancelled.append(detail.items[n])
            }
        }
        var counts: [TaskStatus: Int] = [:]
        for item in detail.items { counts[item.task.status, default: 0] += 1 }
        detail.summary = BatchSummary(batch: detail.summary.batch, counts: counts)
        batchDetails[detail.summary.batch.id] = detail
        return BatchCancelOutcome(summary: detail.summary, cancelled: cancelled, alreadyEnded: ended, refused: refused)
    }

    func followBatch(
        _ id: String, timeout: Double, pause: (Double) -> Bool, receive: (BatchSummary) -> Void,
        unattended: (BatchSummary) -> Void
    ) throws -> BatchWaitOutcome {
        calls.append("followBatch \(id)")
        followTimeouts.append(timeout)
        for summary in batchFollowSummaries { receive(summary) }
        return try batchFollowOutcome ?? .finished(findBatch(id).summary)
    }

    private func findBatch(_ idOrPrefix: String) throws -> BatchDetail {
        let matches = batchDetails.keys.filter { $0.hasPrefix(idOrPrefix.lowercased()) }.sorted()
        guard let id = matches.first else { throw TaskError.batchNotFound(id: idOrPrefix) }
        guard matches.count == 1 else { throw TaskError.ambiguousBatchPrefix(prefix: idOrPrefix, candidates: matches) }
        return batchDetails[id]!
    }

    func setQPUPaused(_ id: String, paused: Bool) throws -> QPUStatus {
        calls.append("\(paused ? "pause" : "resume") \(id)")
        guard qpuList.contains(where: { $0.id == id }) else { throw TaskError.unknownQPU(id: id) }
        var status = statuses[id] ?? QPUStatus(paused: false, since: nil, queued: 0)
        status.paused = paused
        status.since = Self.time
        statuses[id] = status
        return status
    }

    func qpuStatuses() throws -> [String: QPUStatus] {
        calls.append("qpuStatuses")
        var all: [String: QPUStatus] = [:]
        for qpu in qpuList { all[qpu.id] = statuses[qpu.id] ?? QPUStatus(paused: false, since: nil, queued: 0) }
        return all
    }

    func queuePosition(_ id: String) throws -> QueuePosition? {
        calls.append("queuePosition \(id)")
        return positions[id]
    }

    func diagnostics(_ idOrPrefix: String) throws -> TaskDiagnostics {
        calls.append("diagnostics \(idOrPrefix)")
        let task = try find(idOrPrefix)
        return TaskDiagnostics(task: task, runs: runs[task.id] ?? [], diagnostics: compileDiagnostics[task.id] ?? [])
    }

    private func find(_ idOrPrefix: String) throws -> QuantumTask {
        if let error = errors[idOrPrefix] { throw error }
        let matches = tasks.keys.filter { $0.hasPrefix(idOrPrefix.lowercased()) }.sorted()
        guard let id = matches.first else { throw TaskError.notFound(id: idOrPrefix) }
        guard matches.count == 1 else { throw TaskError.ambiguousPrefix(prefix: idOrPrefix, candidates: matches) }
        return tasks[id]!
    }

    /// 2026-01-26T10:00:00Z.
    static let time = Timestamp(milliseconds: 1_769_421_600_000)

    /// A task in `status`, with `id`.
    static func task(_ id: String, _ status: TaskStatus, shotsDone: Int = 0) -> QuantumTask {
        var task = QuantumTask(
            id: id, status: status, qpuID: "sim:statevector", shots: 100, seed: 7, definitionID: "d",
            createdBy: "tester", createdDate: time, updatedDate: time, shotsDone: shotsDone)
        if status.isUnsuccessful {
            task.errorClass = .invalidProgram
            task.errorReasons = ["bell.qasm:4:1: 'cx' takes 2 quantum arguments, but got 1"]
        }
        return task
    }
}

extension CommandContext {
    /// A capturing context whose task commands talk to `client`.
    static func capturing(client: TaskClientDouble, tty: Bool = false) -> CommandContext {
        let context = CommandContext.capturing(tty: tty)
        context.makeTaskClient = { _ in client }
        return context
    }
}
