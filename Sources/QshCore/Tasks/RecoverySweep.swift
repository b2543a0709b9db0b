// The recovery sweep: a task whose worker stopped renewing its lease (killed,
// crashed, machine slept) becomes Failed with error_class internal_error and a
// reason naming the lost worker. Run at worker start and periodically.

/// Turns tasks with expired leases into Failed.
public struct RecoverySweep {
    public let store: TaskStore
    public let clock: any WallClock
    /// Who sweeps, for the event log (e.g. the sweeping worker's owner id).
    public let actor: String

    public init(store: TaskStore, clock: any WallClock, actor: String) {
        self.store = store
        self.clock = clock
        self.actor = actor
    }

    /// The reason recorded for a task whose lease expired.
    public static func reason(for task: QuantumTask) -> String {
        let owner = task.leaseOwner ?? "unknown"
        let when = task.leaseExpires.map { " at \($0.rfc3339)" } ?? ""
        return "worker '\(owner)' was lost: its lease expired\(when) while the task was \(task.status.rawValue)"
    }

    /// Fails every task whose lease has expired.
    /// - Returns: the tasks it failed.
    @discardableResult
    public func run() throws -> [QuantumTask] {
        try store.failExpiredLeases(at: clock.now(), actor: "sweep \(actor)", reason: Self.reason(for:))
    }
}
