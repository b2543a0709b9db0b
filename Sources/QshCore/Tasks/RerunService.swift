// Re-runs and history on the task service: a re-run is a new Created task with the
// earlier task's settings and the overrides, recording what it was re-run from; its
// definition is the earlier one (shared) unless the program changed.

extension TaskService {
    /// Submits a new task from the settings of the task `idOrPrefix` (QPU, shots, seed,
    /// name, tags, program) with the request's overrides applied. The program is the
    /// earlier task's definition, shared, unless the request brings another one.
    /// - Throws: `TaskError.notFound` (and the other errors of `get`),
    ///   `.invalidRequest` for bad shots, `StoreError.corrupt` when the earlier task's
    ///   program is missing.
    public func rerun(_ idOrPrefix: String, _ request: RerunRequest, actor: String = "cli") throws -> QuantumTask {
        let earlier = try get(idOrPrefix)
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
        try repository.insert(task, program: program, actor: actor)
        return task
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
