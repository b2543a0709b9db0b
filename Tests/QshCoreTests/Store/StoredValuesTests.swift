// Stored values that do not decode are errors naming the file, the task and the
// column: never empty counts, empty tags, a guessed state or a default severity.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct StoredValuesTests {
    /// A store with one task and the results of its finished run, on a file.
    static func completedTask() throws -> (TempDirectory, TaskService, QuantumTask, SQLiteTaskStore) {
        let dir = try TempDirectory()
        let store = try SQLiteTaskStore.open(path: dir.file("tasks.sqlite"))
        let service = TaskService(repository: store, clock: ManualClock())
        let task = try service.submit(bellRequest(tags: ["k": "v"]))
        let result = TaskResult(
            taskID: task.id, shots: 100, shotsDone: 100, partial: false,
            registers: [RegisterCounts(name: "c", width: 2, counts: ["00": 50, "11": 50])], timings: [("queue", 0.5)],
            metrics: .object([("qubits", .int(2))]), metadata: .object([("seed", .string("7"))]))
        let path: [TaskStatus] = [.created, .payloadProcessing, .scheduled, .executionStarted, .executionCompleted]
        for (from, to) in zip(path, path.dropFirst()) {
            try store.transition(
                task.id, from: from, to: to, at: service.clock.now(), actor: "t",
                changes: TaskChanges(result: to == .executionCompleted ? result : nil))
        }
        #expect(try store.result(taskID: task.id) == result)
        return (dir, service, task, store)
    }

    @Test(arguments: [
        ("UPDATE runs SET data = '{\"c\": ' WHERE task_id = ?1", "the 'data' of its results is not valid JSON ({\"c\": )"),
        ("UPDATE runs SET data = '[1]' WHERE task_id = ?1", "the 'data' of its results is not a JSON object of counts ([1])"),
        ("UPDATE runs SET data = '{\"c\": 5}' WHERE task_id = ?1",
         "the 'data' of its results has register 'c' whose counts are not a JSON object"),
        ("UPDATE runs SET data = '{\"c\": {\"0x\": 5}}' WHERE task_id = ?1",
         "the 'data' of its results has '0x' in register 'c', which is not a bitstring of its width"),
        ("UPDATE runs SET data = '{\"c\": {\"00\": 5, \"1\": 1}}' WHERE task_id = ?1",
         "the 'data' of its results has '1' in register 'c', which is not a bitstring of its width"),
        ("UPDATE runs SET data = '{\"c\": {\"00\": -1}}' WHERE task_id = ?1",
         "the 'data' of its results has a count that is not a whole number of at least 0 at 'c'.'00'"),
        ("UPDATE runs SET data = '{\"c\": {\"00\": \"5\"}}' WHERE task_id = ?1",
         "the 'data' of its results has a count that is not a whole number of at least 0 at 'c'.'00'"),
        ("UPDATE runs SET timings = '{\"queue\": \"x\"}' WHERE task_id = ?1",
         "the 'timings' of its results has a value that is not a number at 'queue'"),
        ("UPDATE runs SET metrics = 'nope' WHERE task_id = ?1", "the 'metrics' of its results is not valid JSON (nope)"),
        ("UPDATE runs SET metadata = '[]' WHERE task_id = ?1", "the 'metadata' of its results is not a JSON object ([])"),
    ])
    func aDamagedResultsRowIsAnErrorNamingTheTask(sql: String, reason: String) throws {
        let (_, _, task, store) = try Self.completedTask()
        try store.connection.run(sql, [.text(task.id)])
        let path = store.connection.path
        do {
            _ = try store.result(taskID: task.id)
            Issue.record("expected a damaged row")
        } catch let error as StoreError {
            #expect(error.code == "database_error")
            #expect(
                error.message
                    == "cannot read task '\(task.id)' in '\(path)': \(reason); the file was changed outside qsh or is "
                    + "damaged. Restore it from a copy, or look at the row with sqlite3")
        }
    }

    @Test(arguments: [
        ("UPDATE tasks SET tags = '{\"k\": 1}' WHERE id = ?1", "its tags has a value that is not a string at 'k'"),
        ("UPDATE tasks SET tags = 'x' WHERE id = ?1", "its tags is not valid JSON (x)"),
        ("UPDATE tasks SET error_reasons = '{}' WHERE id = ?1", "its error_reasons is not a JSON array ({})"),
        ("UPDATE tasks SET error_reasons = '[1]' WHERE id = ?1", "its error_reasons has an item that is not a string"),
        ("PRAGMA ignore_check_constraints = ON; UPDATE tasks SET task_status = 'Running' WHERE id = ?1",
         "its task_status is 'Running', not a task state"),
    ])
    func aDamagedTaskRowIsAnErrorNamingTheTask(sql: String, reason: String) throws {
        let (_, service, task, store) = try Self.completedTask()
        for statement in sql.split(separator: ";") {
            let text = statement.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("PRAGMA") { try store.connection.execute(text) } else {
                try store.connection.run(text, [.text(task.id)])
            }
        }
        let path = store.connection.path
        let expected = "cannot read task '\(task.id)' in '\(path)': \(reason); the file was changed outside qsh or is "
            + "damaged. Restore it from a copy, or look at the row with sqlite3"
        for read in [{ _ = try service.get(task.id) }, { _ = try service.list(TaskQuery()) }] as [() throws -> Void] {
            do {
                try read()
                Issue.record("expected a damaged row")
            } catch let error as StoreError {
                #expect(error.message == expected)
            }
        }
    }

    @Test(arguments: [
        ("UPDATE task_events SET to_status = 'Done' WHERE task_id = ?1", "the to_status of its event 1 is 'Done', not a task state"),
        ("UPDATE task_events SET from_status = 'Before' WHERE task_id = ?1",
         "the from_status of its event 1 is 'Before', not a task state"),
    ])
    func anEventWithAnUnknownStateIsAnError(sql: String, reason: String) throws {
        let (_, service, task, store) = try Self.completedTask()
        try store.connection.run(sql, [.text(task.id)])
        let path = store.connection.path
        #expect {
            _ = try service.events(task.id)
        } throws: { error in
            (error as? StoreError)?.message
                == "cannot read task '\(task.id)' in '\(path)': \(reason); the file was changed outside qsh or is "
                + "damaged. Restore it from a copy, or look at the row with sqlite3"
        }
    }

    @Test func diagnosticsKeepTheirNotesAndRefuseAnUnknownSeverity() throws {
        let (_, service, _, store) = try Self.completedTask()
        let diagnostic = Diagnostic(
            code: "unknown-gate", message: "'ccx' is not defined in this scope",
            at: SourceLocation(file: "m.qasm", line: 3, column: 1), notes: ["'ccx' is defined in qelib1.inc"])
        let other = try service.submit(bellRequest())
        try store.transition(other.id, from: .created, to: .payloadProcessing, at: service.clock.now(), actor: "t")
        try store.transition(
            other.id, from: .payloadProcessing, to: .payloadProcessingError, at: service.clock.now(), actor: "t",
            changes: TaskChanges(errorClass: .invalidProgram, errorReasons: ["x"], diagnostics: [diagnostic]))
        #expect(try store.diagnostics(taskID: other.id) == [diagnostic])
        try store.connection.run("UPDATE diagnostics SET severity = 'fatal' WHERE task_id = ?", [.text(other.id)])
        #expect {
            _ = try store.diagnostics(taskID: other.id)
        } throws: { error in
            (error as? StoreError)?.message.contains("the severity of a diagnostic is 'fatal'") == true
        }
    }
}
