// Migrations: a fresh file is stamped; steps run in order, each with its version;
// a foreign file and a newer schema are refused with their bytes untouched.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct MigratorTests {
    @Test func freshFileIsStampedAndMigrated() throws {
        let dir = try TempDirectory()
        let path = dir.file("sub/dir/tasks.sqlite")
        let store = try SQLiteTaskStore.open(path: path)
        #expect(try store.connection.scalar("PRAGMA application_id") == Int64(Schema.applicationID))
        #expect(try store.connection.scalar("PRAGMA user_version") == Int64(Schema.migrator.latestVersion))
        #expect(try store.connection.scalar("PRAGMA foreign_keys") == 1)
        let mode = try store.connection.prepare("PRAGMA journal_mode").first { $0.text(0) }
        #expect(mode == "wal")
        let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let dirMode = try FileManager.default.attributesOfItem(atPath: dir.file("sub/dir"))[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(dirMode == 0o700)
    }

    @Test func reopeningAppliesNothing() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        _ = try SQLiteTaskStore.open(path: path)
        let db = try Connection(path: path)
        #expect(try Schema.migrator.migrate(db) == [])
    }

    @Test func stepsRunInOrderEachWithItsVersion() throws {
        let db = try Connection(path: ":memory:")
        let migrator = Migrator(
            applicationID: 7,
            migrations: [
                Migration(version: 2, name: "b", sql: "ALTER TABLE a ADD COLUMN y INTEGER"),
                Migration(version: 1, name: "a", sql: "CREATE TABLE a (x INTEGER)"),
            ])
        #expect(try migrator.migrate(db) == [1, 2])
        #expect(try db.scalar("PRAGMA user_version") == 2)
        #expect(try db.scalar("PRAGMA application_id") == 7)
        let more = Migrator(
            applicationID: 7,
            migrations: migrator.migrations + [Migration(version: 3, name: "c", sql: "CREATE TABLE c (z)")])
        #expect(try more.migrate(db) == [3])
    }

    @Test func failedStepRollsBackAndKeepsTheVersion() throws {
        let db = try Connection(path: ":memory:")
        let migrator = Migrator(
            applicationID: 7,
            migrations: [
                Migration(version: 1, name: "a", sql: "CREATE TABLE a (x INTEGER)"),
                Migration(version: 2, name: "broken", sql: "CREATE TABLE b (y); CREATE TABLE a (x)"),
            ])
        #expect(
            throws: StoreError.migrationFailed(path: ":memory:", version: 2, name: "broken", reason: "table a already exists")
        ) { try migrator.migrate(db) }
        #expect(try db.scalar("PRAGMA user_version") == 1)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'b'") == 0)
    }

    @Test func foreignDatabaseIsRefusedUntouched() throws {
        let dir = try TempDirectory()
        let path = dir.file("other.sqlite")
        do {
            let other = try Connection(path: path)
            try other.execute("PRAGMA application_id = 1234; CREATE TABLE notes (x); INSERT INTO notes VALUES (1)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.foreignFile(path: path, applicationID: 1234)) { try SQLiteTaskStore.open(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func unstampedDatabaseWithTablesIsForeign() throws {
        let dir = try TempDirectory()
        let path = dir.file("plain.sqlite")
        do { try Connection(path: path).execute("CREATE TABLE notes (x)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.foreignFile(path: path, applicationID: 0)) { try SQLiteTaskStore.open(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func textFileIsForeign() throws {
        let dir = try TempDirectory()
        let path = try dir.write("notes.txt", String(repeating: "not a database\n", count: 100))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.foreignFile(path: path, applicationID: 0)) { try SQLiteTaskStore.open(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func newerSchemaIsRefusedUntouched() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        do {
            let store = try SQLiteTaskStore.open(path: path)
            try store.connection.execute("PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let latest = Schema.migrator.latestVersion
        #expect(throws: StoreError.newerSchema(path: path, version: 99, supported: latest)) {
            try SQLiteTaskStore.open(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(
            StoreError.newerSchema(path: "x", version: 99, supported: 1).message
                == "'x' was written by a newer qsh (schema version 99, this qsh supports up to 1); upgrade qsh to use it")
    }

    @Test func ourIdWithTablesButNoVersionIsRefusedUntouched() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        do {
            try Connection(path: path).execute(
                "PRAGMA application_id = \(Schema.applicationID); CREATE TABLE definitions (x)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.unversioned(path: path)) { try SQLiteTaskStore.open(path: path) }
        #expect(throws: StoreError.unversioned(path: path)) { try SQLiteTaskStore.open(path: path, access: .read) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(StoreError.unversioned(path: path).message.hasPrefix("'\(path)' has the application id of a qsh task database"))
    }

    @Test func aVersion1DatabaseIsUpgradedAndItsTasksStillRead() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let v1 = Migrator(applicationID: Schema.applicationID, migrations: Array(Schema.migrations.prefix(1)))
        do {
            let old = try SQLiteTaskStore.open(path: path, migrator: v1)
            try old.connection.run(
                "INSERT INTO definitions (id, file_name, source, created_ms) VALUES ('d1', 'old.qasm', 'OPENQASM 2.0;', 0)")
        }
        let store = try SQLiteTaskStore.open(path: path)
        #expect(try store.connection.scalar("PRAGMA user_version") == Int64(Schema.migrator.latestVersion))
        let definition = try #require(try store.definition(id: "d1"))
        #expect(definition.main == SourceFile(name: "old.qasm", text: "OPENQASM 2.0;"))
        #expect(definition.includes.isEmpty)
    }

    @Test func aFailedStepNamesTheFileAndTheStep() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let broken = Migrator(
            applicationID: 7,
            migrations: [
                Migration(version: 1, name: "a", sql: "CREATE TABLE a (x)"),
                Migration(version: 2, name: "again", sql: "CREATE TABLE a (x)"),
            ])
        let error = StoreError.migrationFailed(path: path, version: 2, name: "again", reason: "table a already exists")
        #expect(throws: error) { try SQLiteTaskStore.open(path: path, migrator: broken) }
        #expect(
            error.message
                == "cannot upgrade '\(path)' to schema version 2 (again): table a already exists; it was left as it was. "
                + "Check it with 'sqlite3 \(path) \"PRAGMA integrity_check\"'")
        #expect(try Connection(path: path).scalar("PRAGMA user_version") == 1)
    }
}
