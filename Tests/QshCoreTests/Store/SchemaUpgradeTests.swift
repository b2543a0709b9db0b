// Upgrading to schema version 3 without loss: the file a qsh of schema 2 wrote (Tests/
// Fixtures/schema2: tasks in every state, results, diagnostics, includes, workers) and a
// schema-1 file built row by row read back the same; a damaged row does not stop it.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct SchemaUpgradeTests {
    /// Tests/Fixtures/schema2/tasks.sql: the dump of a database made by the release before
    /// schema 3 (see make.sh beside it).
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/schema2/tasks.sql")

    /// The fixture restored into a file in `dir`, still at schema version 2.
    static func restoredFixture(_ dir: TempDirectory) throws -> String {
        let path = dir.file("tasks.sqlite")
        let sql = try String(contentsOf: fixture, encoding: .utf8)
        try Connection(path: path).execute(sql)
        #expect(try Connection(path: path).scalar("PRAGMA user_version") == 2)
        return path
    }

    /// Every row of `sql` as text, one string per row.
    static func rows(_ db: Connection, _ sql: String) throws -> [String] {
        try db.prepare(sql).rows { row in
            (0..<row.count).map { row.isNull($0) ? "NULL" : row.text($0) }.joined(separator: "|")
        }
    }

    @Test func theDatabaseOfTheLastReleaseUpgradesWithoutLoss() throws {
        let dir = try TempDirectory()
        let path = try Self.restoredFixture(dir)
        let untouched = [
            "SELECT * FROM task_events ORDER BY seq", "SELECT * FROM task_tags ORDER BY task_id, key",
            "SELECT * FROM workers ORDER BY owner",
            "SELECT id, file_name, source, created_ms, hex(program) FROM definitions ORDER BY id",
            "SELECT definition_id, seq, path, outcome, hex(bytes), reason FROM definition_includes ORDER BY 1, 2",
            "SELECT * FROM task_counts ORDER BY task_status",
        ]
        let results = "SELECT task_id, shots, shots_done, partial, data, timings, metrics, metadata FROM "
        let diagnostics = "SELECT task_id, seq, severity, replace(code, '-', '_'), message, file, line, col, notes "
            + "FROM diagnostics ORDER BY task_id, seq"
        let (taskRows, taskIDs, untouchedBefore, oldResults, oldDiagnostics):
            ([String], [String], [[String]], [String], [String])
        do {
            let before = try Connection(path: path)
            taskRows = try Self.rows(before, "SELECT \(Self.v2TaskColumns) FROM tasks ORDER BY rowid")
            taskIDs = try before.prepare("SELECT id FROM tasks ORDER BY rowid").rows { $0.text(0) }
            untouchedBefore = try untouched.map { try Self.rows(before, $0) }
            oldResults = try Self.rows(before, results + "results ORDER BY task_id")
            oldDiagnostics = try Self.rows(before, diagnostics)
            #expect(try before.scalar("SELECT count(*) FROM diagnostics WHERE notes <> '[]'") == 1)
        }
        #expect(oldResults.count == 6)
        #expect(taskIDs.count == 9)

        let store = try SQLiteTaskStore.open(path: path)
        let db = store.connection
        #expect(try db.scalar("PRAGMA user_version") == Int64(Schema.migrations.count))
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'results'") == 0)
        #expect(try db.scalar("PRAGMA foreign_key_check") == nil)
        #expect(try Self.rows(db, "SELECT \(Self.v2TaskColumns) FROM tasks ORDER BY rowid") == taskRows)
        #expect(try db.scalar("SELECT count(*) FROM tasks WHERE batch_id IS NOT NULL") == 0)
        #expect(try untouched.map { try Self.rows(db, $0) } == untouchedBefore)
        // Diagnostics keep everything; their codes are spelt in snake_case.
        #expect(try Self.rows(db, diagnostics) == oldDiagnostics)
        #expect(try Self.rows(db, "SELECT code FROM diagnostics ORDER BY task_id, seq") == [
            "include_not_found", "unknown_gate",
        ])
        // Each results row is now a run's, as it was.
        #expect(try Self.rows(db, results + "runs WHERE data IS NOT NULL ORDER BY task_id") == oldResults)
        let withResults = Set(oldResults.map { String($0.prefix(36)) })

        for id in taskIDs {
            let task = try #require(try store.task(id: id))
            let result = try store.result(taskID: id)
            let runs = try store.runs(taskID: id)
            #expect((result != nil) == withResults.contains(id))
            // One run for each task that started executing, by the worker its events name.
            guard let started = task.startedDate else {
                #expect(runs.isEmpty)
                continue
            }
            let run = try #require(runs.first)
            #expect(runs.count == 1 && run.attempt == 1 && run.started == started)
            #expect(run.compilationID == task.compilationID && run.result == result)
            let events = try store.events(taskID: id)
            let startEvent = try #require(events.last(where: { $0.to == .executionStarted }))
            #expect("worker " + (run.worker ?? "") == startEvent.actor)
            #expect(run.ended == events.first(where: { $0.from == .executionStarted })?.at)
            let compilationID = try #require(task.compilationID)
            let compilation = try #require(try store.compilation(id: compilationID))
            #expect(compilation.definitionID == task.definitionID && compilation.qpuID == task.qpuID)
            #expect(compilation.created == task.scheduledDate)
            #expect(compilation.operations == nil)
            if let metrics = result?.metrics, metrics["qubits"] != nil {
                #expect(compilation.qubits == metrics["qubits"]?.intValue)
                #expect(compilation.clbits == metrics["clbits"]?.intValue)
            }
        }
        let completed = try #require(try store.task(id: "05c12c55-5a03-4d35-8a7c-a18695b9d967"))
        let compiledID = try #require(completed.compilationID)
        let compiled = try #require(try store.compilation(id: compiledID))
        #expect(compiled.qubits == 2 && compiled.clbits == 2 && compiled.gateCounts == ["cx": 1, "h": 1, "measure": 2])
        // A task still running when its worker was killed has its partial counts.
        let running = try #require(try store.runs(taskID: "f4b5fab2-4d9b-4a54-a5de-80aee61d8fee").first)
        #expect(running.ended == nil && running.worker == "pid 9808 on vm" && running.result?.partial == true)
        #expect(try store.diagnostics(taskID: "47576100-f8a6-4083-8f0c-3d8a6d6cf6b3").map(\.notes) == [
            [], ["'ccx' is defined in qelib1.inc; add 'include \"qelib1.inc\";' after the OPENQASM line"],
        ])
    }

    /// The columns of `tasks` at schema version 2.
    static let v2TaskColumns = """
        id, task_status, qpu_id, shots, seed, name, tags, definition_id, compilation_id, created_by, created_ms, \
        updated_ms, scheduled_ms, started_ms, ended_ms, error_class, error_reasons, shots_done, lease_owner, \
        lease_expires_ms
        """

    /// After the upgrade the sweep still tells a finished run from a lost one, and the
    /// queue and new submissions work as they did.
    @Test func upgradedTasksAreSweptAndNewOnesStoredAsBefore() throws {
        let dir = try TempDirectory()
        let path = try Self.restoredFixture(dir)
        let store = try SQLiteTaskStore.open(path: path)
        let clock = ManualClock(4_102_444_800_000 + 1000)
        let settled = try RecoverySweep(repository: store, clock: clock, actor: "w9").run()
        #expect(settled.map(\.name) == ["running", "held"])
        #expect(settled.map(\.status) == [.failed, .completed])
        #expect(try store.result(taskID: settled[1].id)?.partial == false)

        let service = TaskService(repository: store, clock: clock)
        let old = try #require(try store.task(id: "026f6e43-2514-4162-9afc-2a16e4d501e8"))
        let program = try #require(try store.definition(id: old.definitionID))
        var request = bellRequest()
        request.program = program
        let again = try service.submit(request)
        // Old definitions keep their ids; the same program submitted now is content-addressed.
        #expect(old.definitionID == "43c8dede-4dd9-41f1-8b87-f4955cf69c2d")
        #expect(again.definitionID == program.definitionID)
        #expect(try store.definition(id: again.definitionID) == program)
        #expect(try service.submit(request).definitionID == again.definitionID)
        let claimed = try store.claimNext(owner: "w1", at: clock.now(), leaseSeconds: 10)
        #expect(claimed?.id == old.id)
    }

    /// A database of schema version 1 (no program bytes, includes or notes) goes through
    /// both steps in one open.
    @Test func aVersion1DatabaseUpgradesWithItsResultsRunsAndDiagnostics() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let v1 = Migrator(applicationID: Schema.applicationID, migrations: Array(Schema.migrations.prefix(1)))
        do {
            let old = try Connection(path: path)
            try v1.migrate(old)
            try old.execute(Self.version1Rows)
        }
        let store = try SQLiteTaskStore.open(path: path)
        #expect(try store.connection.scalar("PRAGMA user_version") == Int64(Schema.migrations.count))
        let done = try #require(try store.task(id: Self.doneID))
        #expect(done.status == .completed && done.tags == ["team": "q"] && done.compilationID == "c-done")
        #expect(try store.definition(id: "d1") == ProgramSnapshot(main: SourceFile(name: "old.qasm", text: "OPENQASM 2.0;")))
        let result = try #require(try store.result(taskID: Self.doneID))
        #expect(result.dataJSON == ["c": ["00": 6, "11": 4]] && result.partial == false && result.shotsDone == 10)
        #expect(result.timings.map(\.0) == ["queue", "execute"])
        #expect(result.metadata["seed"] == .int(7))
        let run = try #require(try store.runs(taskID: Self.doneID).first)
        #expect(run.worker == "pid 1 on old" && run.started == Timestamp(milliseconds: 3000))
        #expect(run.ended == Timestamp(milliseconds: 4000))
        #expect(try store.compilation(id: "c-done")?.qubits == 2)
        #expect(try store.result(taskID: Self.failedID)?.partial == true)
        #expect(try store.runs(taskID: Self.failedID).first?.ended == Timestamp(milliseconds: 9000))
        let diagnostics = try store.diagnostics(taskID: Self.invalidID)
        #expect(diagnostics == [
            Diagnostic(
                code: "unknown_gate", message: "'ccx' is not defined", at: SourceLocation(file: "old.qasm", line: 2, column: 1))
        ])
        #expect(try store.events(taskID: Self.doneID).map(\.to) == [
            .created, .payloadProcessing, .scheduled, .executionStarted, .executionCompleted, .completed,
        ])
        #expect(try store.hasLiveWorker(at: Timestamp(milliseconds: 5000)))
        var query = TaskQuery()
        query.statuses = [.completed, .failed, .payloadProcessingError]
        #expect(try store.list(query).total == 3)
    }

    static let doneID = "10000000-0000-4000-8000-000000000000"
    static let failedID = "20000000-0000-4000-8000-000000000000"
    static let invalidID = "30000000-0000-4000-8000-000000000000"

    /// Rows as a schema-1 qsh wrote them.
    static let version1Rows = """
        INSERT INTO definitions (id, file_name, source, created_ms) VALUES ('d1', 'old.qasm', 'OPENQASM 2.0;', 1000);
        INSERT INTO tasks (id, task_status, qpu_id, shots, seed, tags, definition_id, compilation_id, created_by,
            created_ms, updated_ms, scheduled_ms, started_ms, ended_ms, shots_done)
        VALUES ('\(doneID)', 'Completed', 'sim:statevector', 10, 7, '{"team": "q"}', 'd1', 'c-done', 'a', 1000, 4000,
            2000, 3000, 4000, 10);
        INSERT INTO task_tags VALUES ('\(doneID)', 'team', 'q');
        INSERT INTO task_events (task_id, from_status, to_status, at_ms, actor) VALUES
            ('\(doneID)', NULL, 'Created', 1000, 'cli'),
            ('\(doneID)', 'Created', 'PayloadProcessing', 2000, 'worker pid 1 on old'),
            ('\(doneID)', 'PayloadProcessing', 'Scheduled', 2000, 'worker pid 1 on old'),
            ('\(doneID)', 'Scheduled', 'ExecutionStarted', 3000, 'worker pid 1 on old'),
            ('\(doneID)', 'ExecutionStarted', 'ExecutionCompleted', 4000, 'worker pid 1 on old'),
            ('\(doneID)', 'ExecutionCompleted', 'Completed', 4000, 'worker pid 1 on old');
        INSERT INTO results VALUES ('\(doneID)', 10, 10, 0, '{"c": {"00": 6, "11": 4}}',
            '{"queue": 1.0, "execute": 1.0}', '{"qubits": 2, "clbits": 2, "gates": {"h": 1}}', '{"seed": 7}', 4000);
        INSERT INTO tasks (id, task_status, qpu_id, shots, seed, definition_id, compilation_id, created_by, created_ms,
            updated_ms, scheduled_ms, started_ms, ended_ms, error_class, error_reasons, shots_done)
        VALUES ('\(failedID)', 'Failed', 'sim:statevector', 10, 8, 'd1', 'c-failed', 'a', 5000, 9000, 6000, 7000, 9000,
            'internal_error', '["worker lost"]', 3);
        INSERT INTO task_events (task_id, from_status, to_status, at_ms, actor, detail) VALUES
            ('\(failedID)', NULL, 'Created', 5000, 'cli', NULL),
            ('\(failedID)', 'Scheduled', 'ExecutionStarted', 7000, 'worker pid 2 on old', NULL),
            ('\(failedID)', 'ExecutionStarted', 'Failed', 9000, 'sweep cli', 'worker lost');
        INSERT INTO results VALUES ('\(failedID)', 10, 3, 1, '{"c": {"00": 3}}', '{}', '{}', '{}', 8000);
        INSERT INTO tasks (id, task_status, qpu_id, shots, seed, definition_id, created_by, created_ms, updated_ms,
            ended_ms, error_class, error_reasons)
        VALUES ('\(invalidID)', 'PayloadProcessingError', 'sim:statevector', 10, 9, 'd1', 'a', 5000, 5000, 5000,
            'invalid_program', '["old.qasm:2:1: ''ccx'' is not defined"]');
        INSERT INTO diagnostics VALUES ('\(invalidID)', 0, 'error', 'unknown-gate', '''ccx'' is not defined',
            'old.qasm', 2, 1);
        INSERT INTO workers VALUES ('pid 3 on old', 3, 1000, 10000);
        """

    /// A results row whose metrics are not JSON upgrades (its compilation's size stays
    /// unknown) and reads as the same damaged row it was.
    @Test func aDamagedResultsRowDoesNotStopTheUpgrade() throws {
        let dir = try TempDirectory()
        let path = try Self.restoredFixture(dir)
        let id = "05c12c55-5a03-4d35-8a7c-a18695b9d967"
        try Connection(path: path).run("UPDATE results SET metrics = 'not json' WHERE task_id = ?", [.text(id)])
        let store = try SQLiteTaskStore.open(path: path)
        let task = try #require(try store.task(id: id))
        let compilationID = try #require(task.compilationID)
        let compilation = try #require(try store.compilation(id: compilationID))
        #expect(compilation.qubits == nil && compilation.gateCounts == nil)
        #expect(throws: StoreError.corrupt(
            path: path, taskID: id, what: "the 'metrics' of its results", reason: "is not valid JSON (not json)")
        ) { try store.result(taskID: id) }
    }
}
