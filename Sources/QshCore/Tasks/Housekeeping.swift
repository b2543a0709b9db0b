// What housekeeping asks of a repository and gets back: which ended tasks `tasks prune`
// removes, and the health report `qsh doctor` prints (schema, size, integrity, workers,
// counts, tasks stranded past their lease).

/// Which ended tasks `tasks prune` removes: every filter must match.
public struct PruneFilter: Sendable, Equatable {
    /// Any of these terminal states (empty: every terminal state).
    public var statuses: [TaskStatus] = []
    /// Ended before this time (nil: whenever).
    public var endedBefore: Timestamp?

    public init(statuses: [TaskStatus] = [], endedBefore: Timestamp? = nil) {
        self.statuses = statuses
        self.endedBefore = endedBefore
    }

    /// The states the filter takes: `statuses`, else every terminal state.
    public var terminalStatuses: [TaskStatus] {
        statuses.isEmpty ? TaskStatus.allCases.filter(\.isTerminal) : statuses
    }
}

/// A worker's registration as `qsh doctor` shows it.
public struct WorkerRegistration: Sendable, Equatable {
    /// The worker's owner name (`starting` while a launcher starts one).
    public var owner: String
    public var pid: Int
    public var started: Timestamp
    /// Its registration (and its leases) run until then unless renewed.
    public var expires: Timestamp
    /// How many tasks hold a lease of this worker.
    public var leasedTasks: Int
    /// True when the registration had not expired when the report was made.
    public var live: Bool

    public init(owner: String, pid: Int, started: Timestamp, expires: Timestamp, leasedTasks: Int, live: Bool) {
        self.owner = owner
        self.pid = pid
        self.started = started
        self.expires = expires
        self.leasedTasks = leasedTasks
        self.live = live
    }
}

/// The state of a task store, as `qsh doctor` reports it.
public struct StoreHealth: Sendable, Equatable {
    /// The database file (`:memory:` in memory).
    public var location: String
    /// The schema version the store has, and the newest this qsh knows.
    public var schemaVersion: Int
    public var latestSchemaVersion: Int
    /// The database engine (`SQLite`, `PostgreSQL`) and its version: the SQLite library's,
    /// or the PostgreSQL server's (`server_version`).
    public var engine: String
    public var engineVersion: String
    /// Pages of the main file (PostgreSQL: the database's size in blocks), their size and
    /// how many are free (nil on PostgreSQL, which keeps no free list of its own to count).
    public var pageCount: Int
    public var pageSize: Int
    public var freePages: Int?
    /// What the integrity check found: ["ok"] when nothing is wrong.
    public var integrity: [String]
    /// Every registration, live or expired.
    public var workers: [WorkerRegistration]
    /// Tasks per state, every state in lifecycle order.
    public var counts: [TaskStatus: Int]
    /// Tasks waiting (Created, PayloadProcessing, Scheduled) per QPU that has any.
    public var queues: [String: Int]
    /// Tasks that have not ended and whose lease expired: their worker is gone and no
    /// sweep has settled them yet.
    public var stranded: [QuantumTask]
    /// When the report was made.
    public var checkedAt: Timestamp

    public init(
        location: String, engine: String = "SQLite", engineVersion: String = "", schemaVersion: Int,
        latestSchemaVersion: Int, pageCount: Int, pageSize: Int, freePages: Int?, integrity: [String],
        workers: [WorkerRegistration], counts: [TaskStatus: Int], queues: [String: Int] = [:],
        stranded: [QuantumTask], checkedAt: Timestamp
    ) {
        self.location = location
        self.engine = engine
        self.engineVersion = engineVersion
        self.queues = queues
        self.schemaVersion = schemaVersion
        self.latestSchemaVersion = latestSchemaVersion
        self.pageCount = pageCount
        self.pageSize = pageSize
        self.freePages = freePages
        self.integrity = integrity
        self.workers = workers
        self.counts = counts
        self.stranded = stranded
        self.checkedAt = checkedAt
    }

    /// The size of the main file in bytes.
    public var sizeBytes: Int { pageCount * pageSize }

    /// True when the integrity check passed.
    public var integrityOK: Bool { integrity == ["ok"] }

    /// Every problem found, worst first, each one line; empty when healthy.
    public var problems: [String] {
        var found: [String] = []
        if !integrityOK {
            found.append("integrity check failed: " + (integrity.first ?? "no answer")
                + (integrity.count > 1 ? " (and \(integrity.count - 1) more)" : ""))
        }
        if schemaVersion < latestSchemaVersion {
            found.append("schema version \(schemaVersion) is older than \(latestSchemaVersion)")
        }
        if !stranded.isEmpty {
            let n = stranded.count
            let ids = stranded.prefix(3).map { String($0.id.prefix(8)) }.joined(separator: ", ")
            found.append(
                "\(n) task\(n == 1 ? "" : "s") stranded past \(n == 1 ? "its" : "their") lease (\(ids)"
                    + (n > 3 ? ", ..." : "") + ")")
        }
        return found
    }

    /// True when nothing is wrong (no problems).
    public var healthy: Bool { problems.isEmpty }

    /// The verdict in one line: `healthy`, or `unhealthy: ` and the problems.
    public var verdict: String { healthy ? "healthy" : "unhealthy: " + problems.joined(separator: "; ") }
}
