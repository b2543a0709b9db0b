// Upgrading from schema version 3 without loss: the file a qsh of schema 3 wrote (Tests/
// Fixtures/schema3, see make.sh) keeps every row of every table, gains the batch,
// lineage and idempotency columns and tables empty, and its tasks can be re-run; a
// schema-3 file whose tasks name a batch gets that batch's row.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct SchemaUpgrade3Tests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/schema3/tasks.sql")

    /// The fixture restored into a file in `dir`, still at schema version 3.
    static func restoredFixture(_ dir: TempDirectory) throws -> String {
        let path = dir.file("tasks.sqlite")
        try Connection(path: path).execute(try String(contentsOf: fixture, encoding: .utf8))
        #expect(try Connection(path: path).scalar("PRAGMA user_version") == 3)
        return path
    }

    /// Every table of schema 3 with every column it had, in a stable order.
    static let version3Tables = [
        "SELECT * FROM tasks ORDER BY rowid", "SELECT * FROM task_events ORDER BY seq",
        "SELECT * FROM task_tags ORDER BY task_id, key", "SELECT * FROM workers ORDER BY owner",
        "SELECT id, file_name, source, created_ms, hex(program) FROM definitions ORDER BY id",
        "SELECT definition_id, seq, path, outcome, hex(bytes), reason FROM definition_includes ORDER BY 1, 2",
        "SELECT * FROM task_counts ORDER BY task_status", "SELECT * FROM compilations ORDER BY id",
        "SELECT * FROM runs ORDER BY id", "SELECT * FROM diagnostics ORDER BY task_id, seq",
    ]

    static let version3TaskColumns = """
        id, task_status, qpu_id, shots, seed, name, tags, definition_id, compilation_id, created_by, created_ms, \
        updated_ms, scheduled_ms, started_ms, ended_ms, error_class, error_reasons, shots_done, lease_owner, \
        lease_expires_ms, batch_id
        """

    static func rows(_ db: Connection, _ sql: String) throws -> [String] {
        try db.prepare(sql).rows { row in
            (0..<row.count).map { row.isNull($0) ? "NULL" : row.text($0) }.joined(separator: "|")
        }
    }

    @Test func theDatabaseOfTheLastReleaseUpgradesWithoutLoss() throws {
        let dir = try TempDirectory()
        let path = try Self.restoredFixture(dir)
        let tables = Self.version3Tables.map { $0.replacingOccurrences(of: "SELECT * FROM tasks", with: "SELECT \(Self.version3TaskColumns) FROM tasks") }
        let before = try tables.map { try Self.rows(try Connection(path: path), $0) }
        #expect(before[0].count == 4)
        #expect(before[8].count == 1)

        let store = try SQLiteTaskStore.open(path: path)
        #expect(try store.connection.scalar("PRAGMA user_version") == Int64(Schema.migrator.latestVersion))
        let after = try tables.map { try Self.rows(store.connection, $0) }
        for (n, table) in tables.enumerated() { #expect(after[n] == before[n], "\(table)") }
        #expect(try store.connection.scalar(
            "SELECT count(*) FROM tasks WHERE batch_label IS NOT NULL OR rerun_of IS NOT NULL OR lineage_id IS NOT NULL")
            == 0)
        #expect(try store.connection.scalar("SELECT count(*) FROM batches") == 0)
        #expect(try store.connection.scalar("SELECT count(*) FROM idempotency_keys") == 0)
        #expect(try store.listBatches(limit: 10, page: 0).total == 0)

        // A task of the old file re-runs with its definition shared and its lineage found.
        let service = TaskService(repository: store, clock: SystemClock())
        let old = try #require(try store.list(TaskQuery()).tasks.first { $0.status == .completed })
        let again = try service.rerun(old.id, RerunRequest(createdBy: "t"))
        #expect(again.definitionID == old.definitionID && again.seed == old.seed && again.rerunOf == old.id)
        #expect(try service.history(again.id).entries.map(\.task.id) == [old.id, again.id])
        #expect(try store.result(taskID: old.id)?.dataJSON != nil)
    }

    @Test func tasksOfASchema3FileThatNameABatchGetItsRow() throws {
        let dir = try TempDirectory()
        let path = try Self.restoredFixture(dir)
        do {
            let db = try Connection(path: path)
            try db.execute(
                """
                UPDATE tasks SET batch_id = 'b0000000-0000-4000-8000-000000000000'
                WHERE rowid IN (SELECT rowid FROM tasks ORDER BY rowid LIMIT 3)
                """)
        }
        let store = try SQLiteTaskStore.open(path: path)
        let batch = try #require(try store.batch(id: "b0000000-0000-4000-8000-000000000000"))
        let items = try store.batchItems(batchID: batch.id)
        #expect(batch.size == 3 && items.count == 3)
        #expect(batch.createdDate == items.map(\.task.createdDate).min())
        #expect(try store.resolveBatch("b000") == batch.id)
    }
}
