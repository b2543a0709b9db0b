// The pause step of the schema (qpu_states, tasks_held): a database written with the
// steps before it (schema version 3, today's release) opens and upgrades without loss,
// and what the step adds works on the upgraded file.
import QshCore
import Testing
import TestSupport

@Suite struct SchemaStep4UpgradeTests {
    @Test func aSchema3DatabaseUpgradesWithoutLoss() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let clock = ManualClock()
        let steps = Schema.migrations.firstIndex { $0.name == "qpu-pause-states" }!
        let before = Migrator(applicationID: Schema.applicationID, migrations: Array(Schema.migrations.prefix(steps)))
        var ids: [String] = []
        var snapshot: [Stored] = []
        func describe(_ store: SQLiteTaskStore) throws -> [Stored] {
            try ids.map { id in
                let task = try #require(try store.task(id: id))
                return Stored(
                    task: task, events: try store.events(taskID: id), runs: try store.runs(taskID: id),
                    result: try store.result(taskID: id), diagnostics: try store.diagnostics(taskID: id),
                    program: try store.definition(id: task.definitionID))
            }
        }
        do {
            let old = try SQLiteTaskStore.open(path: path, migrator: before)
            #expect(try old.connection.scalar("PRAGMA user_version") == Int64(steps))
            let service = TaskService(repository: old, clock: clock)
            let done = try service.submit(bellRequest(tags: ["team": "q"]))
            let refused = try service.submit(bellRequest())
            let waiting = try service.submit(bellRequest())
            ids = [done.id, refused.id, waiting.id]
            let at = clock.now()
            try old.transition(done.id, from: .created, to: .payloadProcessing, at: at, actor: "worker w")
            try old.transition(done.id, from: .payloadProcessing, to: .scheduled, at: at, actor: "worker w")
            try old.transition(done.id, from: .scheduled, to: .executionStarted, at: at, actor: "worker w")
            let result = TaskResult(
                taskID: done.id, shots: 100, shotsDone: 100, partial: false,
                registers: [RegisterCounts(name: "c", width: 2, counts: ["00": 60, "11": 40])],
                timings: [("queue", 0.5), ("execute", 1)], metrics: .object([("qubits", .int(2))]),
                metadata: .object([("seed", .int(7))]))
            try old.transition(
                done.id, from: .executionStarted, to: .executionCompleted, at: at, actor: "worker w",
                changes: TaskChanges(shotsDone: 100, result: result))
            try old.transition(done.id, from: .executionCompleted, to: .completed, at: at, actor: "worker w")
            try old.transition(refused.id, from: .created, to: .payloadProcessing, at: at, actor: "worker w")
            try old.transition(
                refused.id, from: .payloadProcessing, to: .payloadProcessingError, at: at, actor: "worker w",
                changes: TaskChanges(
                    errorClass: .unsupportedFeature, errorReasons: ["Unsupported gate: h"],
                    diagnostics: [
                        Diagnostic(code: "unsupported_feature", message: "Unsupported gate: h",
                                   at: SourceLocation(file: "bell.qasm", line: 5, column: 1), notes: ["a note"])
                    ]))
            snapshot = try describe(old)
        }
        let store = try SQLiteTaskStore.open(path: path)
        #expect(try store.connection.scalar("PRAGMA user_version") == Int64(Schema.migrations.count))
        #expect(try store.connection.scalar("PRAGMA foreign_key_check") == nil)
        #expect(try describe(store) == snapshot)
        // The step's table and index are there and work.
        #expect(try store.qpuStates().isEmpty)
        #expect(try store.queuePosition(taskID: ids[2]) == QueuePosition(position: 1, length: 1))
        try store.setQPUPaused("test:fake", paused: true, at: clock.now(), actor: "cli")
        #expect(try store.claimNext(owner: "w", at: clock.now(), leaseSeconds: 10)?.id == ids[2])
    }
}

/// What a task database holds of one task.
struct Stored: Equatable {
    var task: QuantumTask
    var events: [TaskEvent]
    var runs: [TaskRun]
    var result: TaskResult?
    var diagnostics: [Diagnostic]
    var program: ProgramSnapshot?
}
