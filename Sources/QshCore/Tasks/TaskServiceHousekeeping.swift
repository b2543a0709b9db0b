// Housekeeping on the task service: deleting tasks (cancelled first where the lifecycle
// allows), pruning ended ones, import of records, and the health report (export:
// TaskServiceExport.swift).

/// A task `delete` removed, as it was last.
public struct DeletedTask: Sendable, Equatable {
    public var task: QuantumTask
    /// True when it had not ended and was cancelled before it was deleted.
    public var cancelled: Bool

    public init(task: QuantumTask, cancelled: Bool) {
        self.task = task
        self.cancelled = cancelled
    }
}

/// Which tasks an export writes: the ones named, else the ones a query's filters select
/// (its paging is ignored: every match is written, oldest first).
public struct ExportSelection: Sendable {
    public var ids: [String]
    public var query: TaskQuery

    public init(ids: [String] = [], query: TaskQuery = TaskQuery()) {
        self.ids = ids
        self.query = query
    }
}

extension TaskService {
    /// Deletes tasks given by id or prefix, each with everything of its own. A task that
    /// has not ended is cancelled first when the lifecycle allows it; one that cannot be
    /// (execution started) refuses the whole deletion, unless `force`.
    /// - Returns: what was deleted, in the order given (a task named twice counts once).
    /// - Throws: `TaskError.notFound`, `.ambiguousPrefix`, `.invalidID` before anything
    ///   changed; `.deleteRefused` for a task too far along (without `force`).
    public func delete(_ idsOrPrefixes: [String], force: Bool, actor: String = "cli") throws -> [DeletedTask] {
        var tasks: [QuantumTask] = []
        for text in idsOrPrefixes {
            let task = try get(text)
            if !tasks.contains(where: { $0.id == task.id }) { tasks.append(task) }
        }
        if !force, let stuck = tasks.first(where: { !$0.status.isTerminal && !TaskStateMachine.cancellable.contains($0.status) }) {
            throw TaskError.deleteRefused(id: stuck.id, status: stuck.status)
        }
        var deleted: [DeletedTask] = []
        for task in tasks {
            guard !task.status.isTerminal, TaskStateMachine.cancellable.contains(task.status) else {
                deleted.append(DeletedTask(task: task, cancelled: false))
                continue
            }
            do {
                switch try cancel(task.id, actor: actor) {
                case .cancelled(let now): deleted.append(DeletedTask(task: now, cancelled: true))
                case .alreadyTerminal(let now): deleted.append(DeletedTask(task: now, cancelled: false))
                }
            } catch TaskError.cancelRefused(let id, let status) {
                // Execution started meanwhile: completion wins, as for cancel.
                guard force else { throw TaskError.deleteRefused(id: id, status: status) }
                deleted.append(DeletedTask(task: try repository.task(id: id) ?? task, cancelled: false))
            }
        }
        try repository.delete(ids: deleted.map(\.task.id), unfinished: force)
        return deleted
    }

    /// Deletes the ended tasks `filter` selects (or, with `dryRun`, only finds them).
    /// - Returns: their ids, oldest end first.
    public func prune(_ filter: PruneFilter, dryRun: Bool) throws -> [String] {
        try repository.prune(filter, dryRun: dryRun)
    }

    /// Stores exported records (see `TaskRepository.importRecords`): all or nothing.
    public func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary {
        try repository.importRecords(records, skipExisting: skipExisting)
    }

    /// The store's health now, without running the sweep (so stranded tasks show).
    public func health() throws -> StoreHealth { try repository.health(at: clock.now()) }
}
