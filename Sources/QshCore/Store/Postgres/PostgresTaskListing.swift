// `tasks list` in PostgreSQL: filters, sort and page in one SELECT, ties in insertion
// order (`row_order`), NULLs where SQLite puts them (first ascending), and the total from
// the trigger-kept counter slots when only states are filtered (no count of a million rows).

extension PostgresTaskStore {
    /// One page of tasks matching `query`, filtered and sorted in SQL, and the total.
    public func list(_ query: TaskQuery) throws -> TaskPage {
        var conditions: [String] = []
        var values: [SQLValue] = []
        func next(_ value: SQLValue) -> String {
            values.append(value)
            return "$\(values.count)"
        }
        if !query.statuses.isEmpty {
            let unique = Array(Set(query.statuses)).sorted { $0.rawValue < $1.rawValue }
            conditions.append("task_status IN (" + unique.map { next(.text($0.rawValue)) }.joined(separator: ", ") + ")")
        }
        if let qpu = query.qpuID { conditions.append("qpu_id = \(next(.text(qpu)))") }
        if let batch = query.batchID { conditions.append("batch_id = \(next(.text(batch)))") }
        if let user = query.createdBy { conditions.append("created_by = \(next(.text(user)))") }
        for (key, value) in query.tags {
            conditions.append(
                "id IN (SELECT task_id FROM task_tags WHERE key = \(next(.text(key))) AND value = \(next(.text(value))))")
        }
        if let since = query.since { conditions.append("created_ms >= \(next(.integer(since.milliseconds)))") }
        if let until = query.until { conditions.append("created_ms < \(next(.integer(until.milliseconds)))") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let filterValues = values
        let direction = query.descending ? "DESC" : "ASC"
        // SQLite puts NULLs first in ascending order and last in descending order.
        let nulls = query.sort == .name ? (query.descending ? " NULLS LAST" : " NULLS FIRST") : ""
        let limit = max(0, query.limit)
        let offset = max(0, query.page).multipliedReportingOverflow(by: limit)
        let sql = "SELECT \(Self.columns) FROM tasks\(filter) ORDER BY \(SQLiteTaskStore.column(query.sort)) "
            + "\(direction)\(nulls), row_order \(direction) LIMIT \(next(.int(limit))) OFFSET "
            + next(.int(offset.overflow ? Int.max : offset.partialValue))
        let tasks = try decodeTasks(try connection.query(sql, values))

        let total: Int
        if query.filtersOnlyByStatus {
            let statuses = query.statuses.isEmpty ? TaskStatus.allCases : Array(Set(query.statuses))
            total = Int(
                try connection.scalar(
                    "SELECT coalesce(sum(n), 0) FROM task_counts WHERE task_status = ANY($1::text[])",
                    [.text(postgresArray(statuses.map(\.rawValue)))]) ?? 0)
        } else {
            total = Int(try connection.scalar("SELECT count(*) FROM tasks\(filter)", filterValues) ?? 0)
        }
        return TaskPage(tasks: tasks, page: max(0, query.page), size: tasks.count, total: total)
    }
}
