// The recovery sweep: a task whose worker stopped renewing its lease (killed, crashed,
// machine slept) is settled. A run that had finished, its complete results stored,
// becomes Completed (nothing is missing); anything else becomes Failed with
// error_class internal_error and a reason naming the lost worker. Workers run it at
// start and periodically; the commands that read or wait for a task run it when that
// task's lease has expired.

/// Settles tasks with expired leases.
public struct RecoverySweep {
    public let repository: any TaskRepository
    public let clock: any WallClock
    /// Who sweeps, for the event log (e.g. the sweeping worker's owner id).
    public let actor: String

    public init(repository: any TaskRepository, clock: any WallClock, actor: String) {
        self.repository = repository
        self.clock = clock
        self.actor = actor
    }

    /// The reason recorded for a task whose lease expired.
    public static func reason(for task: QuantumTask) -> String {
        "worker '\(task.leaseOwner ?? "unknown")' was lost: its lease expired\(expiry(task)) while the task was "
            + task.status.rawValue
    }

    /// The event detail of a finished run completed by the sweep.
    public static func completion(for task: QuantumTask) -> String {
        "worker '\(task.leaseOwner ?? "unknown")' was lost after the run: its lease expired\(expiry(task)); "
            + "the results were complete"
    }

    private static func expiry(_ task: QuantumTask) -> String {
        task.leaseExpires.map { " at \($0.rfc3339)" } ?? ""
    }

    /// Settles every task whose lease has expired.
    /// - Returns: the tasks it settled (Completed or Failed).
    @discardableResult
    public func run() throws -> [QuantumTask] {
        try repository.recoverExpiredLeases(
            at: clock.now(), actor: "sweep \(actor)", reason: Self.reason(for:), completed: Self.completion(for:))
    }
}
