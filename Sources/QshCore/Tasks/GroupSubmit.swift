// Submits stored together: several independent submit requests (from concurrent API
// clients) written in one transaction, and so with one sync, each with its own outcome.
// Durability is the store's as ever; what is shared is the commit.

/// One task to store with `TaskRepository.insertMany`.
public struct TaskInsertion: Sendable {
    public var task: QuantumTask
    public var program: ProgramSnapshot
    public var actor: String
    public var idempotency: IdempotencyRecord?

    public init(task: QuantumTask, program: ProgramSnapshot, actor: String, idempotency: IdempotencyRecord? = nil) {
        self.task = task
        self.program = program
        self.actor = actor
        self.idempotency = idempotency
    }
}

extension TaskService {
    /// Submits every request as `submitReporting` does, storing the new tasks with one
    /// `insertMany` (one transaction). A request that fails (bad shots, an idempotency key
    /// used for another request) fails alone.
    /// - Returns: per request, the task and whether an idempotency key returned an
    ///   earlier one, or the error.
    /// - Throws: only when the shared write failed as a whole (nothing of it was stored).
    public func submitMany(_ requests: [SubmitRequest], actor: String) throws
        -> [Result<(task: QuantumTask, reused: Bool), any Error>]
    {
        var outcomes: [Result<(task: QuantumTask, reused: Bool), any Error>?] = Array(repeating: nil, count: requests.count)
        var insertions: [TaskInsertion] = []
        var positions: [Int] = []
        for (i, request) in requests.enumerated() {
            do {
                let task = try makeTask(request)
                var record: IdempotencyRecord?
                if let key = request.idempotencyKey {
                    let made = try idempotency(key, [(nil, request)], name: nil)
                    if let earlier = try earlierTask(made) {
                        outcomes[i] = .success((earlier, true))
                        continue
                    }
                    record = made
                }
                insertions.append(TaskInsertion(task: task, program: request.program, actor: actor, idempotency: record))
                positions.append(i)
            } catch {
                outcomes[i] = .failure(error)
            }
        }
        let errors = try repository.insertMany(insertions)
        for (n, error) in errors.enumerated() {
            let i = positions[n]
            let insertion = insertions[n]
            guard let error else {
                outcomes[i] = .success((insertion.task, false))
                continue
            }
            // Another submit stored the key first (perhaps one of this group).
            if case TaskError.idempotencyKeyUsed = error, let record = insertion.idempotency {
                do {
                    guard let earlier = try earlierTask(record) else { throw TaskError.idempotencyMismatch(key: record.key) }
                    outcomes[i] = .success((earlier, true))
                } catch {
                    outcomes[i] = .failure(error)
                }
            } else {
                outcomes[i] = .failure(error)
            }
        }
        return outcomes.map { $0! }
    }
}
