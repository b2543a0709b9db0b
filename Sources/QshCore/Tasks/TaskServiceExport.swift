// Export on the task service, a page at a time, oldest first, each program before its first
// task. A cursor keeps the place (the creation time reached and that millisecond's tasks
// written), so memory stays a page and a task deleted meanwhile shifts nothing.

/// Where an export is. `TaskService.startExport` makes one; `exportNext` moves it on.
public struct ExportCursor: Sendable {
    /// The named tasks still to write (full ids); empty for a query.
    var named: [String]
    /// The query's filters, `since` moved up to the creation time reached; nil for named tasks.
    var query: TaskQuery?
    /// The tasks written whose creation time is `query.since`.
    var boundary: Set<String> = []
    /// The programs written.
    var writtenDefinitions: Set<String> = []
    /// How many task and program records were written.
    public internal(set) var tasks = 0
    public internal(set) var definitions = 0
    /// True once every selected task was written.
    public internal(set) var finished = false

    init(named: [String], query: TaskQuery?) {
        self.named = named
        self.query = query
        finished = named.isEmpty && query == nil
    }
}

extension TaskService {
    /// Hands `write` the records of the selected tasks, oldest first, each task's program
    /// definition before the first task that uses it.
    /// - Returns: how many tasks were written.
    /// - Throws: `TaskError.notFound` (and the other id errors) for a named task, before
    ///   anything is written.
    public func export(_ selection: ExportSelection, write: (ArchiveRecord) throws -> Void) throws -> Int {
        var cursor = try startExport(selection)
        while !cursor.finished { try exportNext(&cursor, write: write) }
        return cursor.tasks
    }

    /// The cursor of an export of `selection`, with its named tasks resolved.
    /// - Throws: `TaskError.notFound` (and the other id errors) for a named task.
    public func startExport(_ selection: ExportSelection) throws -> ExportCursor {
        guard selection.ids.isEmpty else {
            var ids: [String] = []
            for text in selection.ids {
                let id = try repository.resolve(text)
                if !ids.contains(id) { ids.append(id) }
            }
            return ExportCursor(named: ids, query: nil)
        }
        var query = selection.query
        query.sort = .createdDate
        query.descending = false
        query.page = 0
        return ExportCursor(named: [], query: query)
    }

    /// Writes the records of the next (up to) `pageSize` tasks; `cursor.finished` says when
    /// every one was. A named task deleted meanwhile is left out.
    public func exportNext(_ cursor: inout ExportCursor, pageSize: Int = 500, write: (ArchiveRecord) throws -> Void)
        throws
    {
        let size = max(1, pageSize)
        guard var query = cursor.query else {
            let ids = cursor.named.prefix(size)
            for id in ids { try exportTask(id, &cursor, write: write) }
            cursor.named.removeFirst(ids.count)
            cursor.finished = cursor.named.isEmpty
            return
        }
        // The tasks of the boundary millisecond come first again: ask for that many more.
        query.limit = size + cursor.boundary.count
        let page = try repository.list(query)
        for task in page.tasks where !cursor.boundary.contains(task.id) {
            try exportTask(task.id, &cursor, write: write)
        }
        guard page.tasks.count == query.limit, let last = page.tasks.last?.createdDate else {
            cursor.finished = true
            return
        }
        cursor.boundary = Set(page.tasks.filter { $0.createdDate == last }.map(\.id))
        query.since = last
        cursor.query = query
    }

    /// Writes one task's record, after its program's when that was not written yet.
    private func exportTask(_ id: String, _ cursor: inout ExportCursor, write: (ArchiveRecord) throws -> Void) throws {
        guard let record = try repository.exportTask(id: id) else { return }
        if case .text(let definitionID)? = record.rows("tasks").first?["definition_id"],
            cursor.writtenDefinitions.insert(definitionID).inserted,
            let definition = try repository.exportDefinition(id: definitionID)
        {
            try write(definition)
            cursor.definitions += 1
        }
        try write(record)
        cursor.tasks += 1
    }
}
