// What `tasks list` asks a repository for and what it gets back: filters, a sort
// field (by wire name), a page, and the page with the number of tasks that match.

/// The fields `tasks list` can sort by (wire names).
public enum TaskSortField: String, Sendable, CaseIterable {
    case createdDate = "created_date"
    case updatedDate = "updated_date"
    case status = "task_status"
    case qpuID = "qpu_id"
    case shots
    case name
    case id
}

/// A `tasks list` query: filters first, then sort, then the page. Ties in the sort
/// field keep the order the tasks were stored in (reversed when descending).
public struct TaskQuery: Sendable {
    /// Any of these states (empty: all).
    public var statuses: [TaskStatus] = []
    public var qpuID: String?
    /// Only the tasks of this batch.
    public var batchID: String?
    /// Only the tasks this user submitted (the API's users see only their own).
    public var createdBy: String?
    /// Every pair must match.
    public var tags: [(String, String)] = []
    /// Created at or after.
    public var since: Timestamp?
    /// Created before.
    public var until: Timestamp?
    public var limit: Int = 20
    /// 0-based page of `limit` tasks.
    public var page: Int = 0
    public var sort: TaskSortField = .createdDate
    public var descending: Bool = true

    public init() {}

    /// True when only the states filter is set (or none is): the total then comes from
    /// counts the repository keeps, not from counting rows.
    var filtersOnlyByStatus: Bool {
        qpuID == nil && batchID == nil && createdBy == nil && tags.isEmpty && since == nil && until == nil
    }
}

/// One page of a listing and the number of tasks that match the filters.
public struct TaskPage: Sendable {
    public var tasks: [QuantumTask]
    public var page: Int
    public var size: Int
    public var total: Int

    public init(tasks: [QuantumTask], page: Int, size: Int, total: Int) {
        self.tasks = tasks
        self.page = page
        self.size = size
        self.total = total
    }

    /// `{"elements": [...], "page": 0, "size": N, "total": T}`.
    public var wireJSON: JSONValue {
        .object([
            ("elements", .array(tasks.map(\.wireJSON))),
            ("page", .int(page)),
            ("size", .int(size)),
            ("total", .int(total)),
        ])
    }
}
