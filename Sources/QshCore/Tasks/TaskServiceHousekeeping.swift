// Housekeeping on the task service: deleting tasks (cancelled first where the lifecycle
// allows), pruning ended ones, export and import of records, and the health report.

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

    /// Hands `write` the records of the selected tasks, oldest first, each task's program
    /// definition before the first task that uses it.
    /// - Returns: how many tasks were written.
    /// - Throws: `TaskError.notFound` (and the other id errors) for a named task, before
    ///   anything is written.
    public func export(_ selection: ExportSelection, write: (ArchiveRecord) throws -> Void) throws -> Int {
        var ids: [String] = []
        if selection.ids.isEmpty {
            var query = selection.query
            query.sort = .createdDate
            query.descending = false
            query.limit = 1000
            query.page = 0
            while true {
                let page = try repository.list(query)
                ids += page.tasks.map(\.id)
                if page.tasks.count < query.limit { break }
                query.page += 1
            }
        } else {
            for text in selection.ids {
                let id = try repository.resolve(text)
                if !ids.contains(id) { ids.append(id) }
            }
        }
        var written: Set<String> = []
        var count = 0
        for id in ids {
            guard let record = try repository.exportTask(id: id) else { continue }
            if case .text(let definitionID)? = record.rows("tasks").first?["definition_id"],
                written.insert(definitionID).inserted,
                let definition = try repository.exportDefinition(id: definitionID)
            {
                try write(definition)
            }
            try write(record)
            count += 1
        }
        return count
    }

    /// Stores exported records (see `TaskRepository.importRecords`): all or nothing.
    public func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary {
        try repository.importRecords(records, skipExisting: skipExisting)
    }

    /// The store's health now, without running the sweep (so stranded tasks show).
    public func health() throws -> StoreHealth { try repository.health(at: clock.now()) }
}
