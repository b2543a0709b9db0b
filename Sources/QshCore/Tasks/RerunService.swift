// Re-runs and history on the task service: a re-run is a new Created task with the
// earlier task's settings and the overrides, recording what it was re-run from; its
// definition is the earlier one (shared) unless the program changed. A keyed re-run repeats.

extension TaskService {
    /// Submits a new task from the settings of the task `idOrPrefix` (QPU, shots, seed,
    /// name, tags, program) with the request's overrides applied. The program is the
    /// earlier task's definition, shared, unless the request brings another one.
    /// - Throws: `TaskError.notFound` (and the other errors of `get`),
    ///   `.invalidRequest` for bad shots, `StoreError.corrupt` when the earlier task's
    ///   program is missing, `.idempotencyMismatch` (see `rerunReporting`).
    public func rerun(_ idOrPrefix: String, _ request: RerunRequest, actor: String = "cli") throws -> QuantumTask {
        try rerunReporting(idOrPrefix, request, actor: actor).task
    }

    /// As `rerun`; with an idempotency key stored before for a re-run of the same task with
    /// the same overrides, returns the task that first re-run made (`reused` true) and
    /// stores nothing.
    /// - Throws: the errors of `rerun`; `TaskError.idempotencyMismatch` for a key used
    ///   with another request (a submit, a batch, another re-run).
    public func rerunReporting(_ idOrPrefix: String, _ request: RerunRequest, actor: String = "cli") throws
        -> (task: QuantumTask, reused: Bool)
    {
        let earlier = try get(idOrPrefix)
        var record: IdempotencyRecord?
        if let key = request.idempotencyKey {
            try Self.checkIdempotencyKey(key)
            let asked = IdempotencyRecord(key: key, fingerprint: IdempotencyRecord.fingerprint(rerunOf: earlier.id, request))
            if let made = try earlierTask(asked) { return (made, true) }
            record = asked
        }
        let program: ProgramSnapshot
        if let changed = request.program {
            program = changed
        } else {
            guard let stored = try repository.definition(id: earlier.definitionID) else {
                throw TaskError.invalidRequest(
                    reason: "task '\(earlier.id)' cannot be re-run: its program '\(earlier.definitionID)' is not stored")
            }
            program = stored
        }
        var seed: UInt64? = request.seed ?? earlier.seed
        if request.newSeed && request.seed == nil { seed = nil }
        var task = try makeTask(
            SubmitRequest(
                program: program, qpuID: request.qpuID ?? earlier.qpuID, shots: request.shots ?? earlier.shots,
                seed: seed, name: earlier.name, tags: earlier.tags, createdBy: request.createdBy))
        // The same program keeps the earlier definition's id, whatever form that id has
        // (a file older than content-addressed definitions kept its ids).
        if request.program == nil { task.definitionID = earlier.definitionID }
        task.rerunOf = earlier.id
        do {
            try repository.insert(task, program: program, actor: actor, idempotency: record)
        } catch TaskError.idempotencyKeyUsed {
            // Another re-run with the key was stored first.
            guard let record, let made = try earlierTask(record) else {
                throw TaskError.idempotencyMismatch(key: request.idempotencyKey ?? "")
            }
            return (made, true)
        }
        return (task, false)
    }

    /// The lineage of the task `idOrPrefix`: its first task and every re-run, oldest
    /// first, each with its latest results.
    public func history(_ idOrPrefix: String) throws -> TaskHistory {
        let task = try get(idOrPrefix)
        guard let lineage = try repository.lineage(taskID: task.id) else { throw TaskError.notFound(id: idOrPrefix) }
        var entries: [(task: QuantumTask, result: TaskResult?)] = []
        for member in lineage.tasks {
            let current = try recovered(member)
            entries.append((current, try repository.result(taskID: current.id)))
        }
        return TaskHistory(lineageID: lineage.root, entries: entries)
    }
}
