// `tasks list` in SQLite: filters, sort and page in one SELECT, and the total from the
// trigger-kept counts per state when only states are filtered (no scan of a million rows).

extension SQLiteTaskStore {
    /// The column a sort field orders by.
    static func column(_ field: TaskSortField) -> String {
        switch field {
        case .createdDate: return "created_ms"
        case .updatedDate: return "updated_ms"
        case .status: return "task_status"
        case .qpuID: return "qpu_id"
        case .shots: return "shots"
        case .name: return "name"
        case .id: return "id"
        }
    }

    /// One page of tasks matching `query`, filtered and sorted in SQL, and the total.
    public func list(_ query: TaskQuery) throws -> TaskPage {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if !query.statuses.isEmpty {
            let unique = Array(Set(query.statuses)).sorted { $0.rawValue < $1.rawValue }
            conditions.append("task_status IN (" + unique.map { _ in "?" }.joined(separator: ", ") + ")")
            values += unique.map { .text($0.rawValue) }
        }
        if let qpu = query.qpuID {
            conditions.append("qpu_id = ?")
            values.append(.text(qpu))
        }
        if let batch = query.batchID {
            conditions.append("batch_id = ?")
            values.append(.text(batch))
        }
        if let user = query.createdBy {
            conditions.append("created_by = ?")
            values.append(.text(user))
        }
        for (key, value) in query.tags {
            conditions.append("id IN (SELECT task_id FROM task_tags WHERE key = ? AND value = ?)")
            values += [.text(key), .text(value)]
        }
        if let since = query.since {
            conditions.append("created_ms >= ?")
            values.append(.integer(since.milliseconds))
        }
        if let until = query.until {
            conditions.append("created_ms < ?")
            values.append(.integer(until.milliseconds))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let direction = query.descending ? "DESC" : "ASC"
        let limit = max(0, query.limit)
        let offset = max(0, query.page).multipliedReportingOverflow(by: limit)
        let sql = "SELECT \(Self.columns) FROM tasks\(filter) ORDER BY \(Self.column(query.sort)) \(direction), "
            + "rowid \(direction) LIMIT ? OFFSET ?"
        let tasks = try connection.cached(sql).rows(
            values + [.int(limit), .int(offset.overflow ? Int.max : offset.partialValue)], decodeTask)

        let total: Int
        if query.filtersOnlyByStatus {
            // Kept by triggers, so an unfiltered count does not scan a million rows.
            let statuses = query.statuses.isEmpty ? TaskStatus.allCases : Array(Set(query.statuses))
            let marks = statuses.map { _ in "?" }.joined(separator: ", ")
            total = Int(
                try connection.scalar(
                    "SELECT coalesce(sum(n), 0) FROM task_counts WHERE task_status IN (\(marks))",
                    statuses.map { .text($0.rawValue) }) ?? 0)
        } else {
            total = Int(try connection.scalar("SELECT count(*) FROM tasks\(filter)", values) ?? 0)
        }
        return TaskPage(tasks: tasks, page: max(0, query.page), size: tasks.count, total: total)
    }
}
