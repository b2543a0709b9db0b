// SQLiteTaskStore's own behaviour, beyond the repository contract (Tasks/
// TaskRepositoryContractTests.swift runs on it too): locks between connections, the
// claim's lock-free read, and the database file's identity.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct SQLiteTaskStoreTests {
    @Test func aHeldWriteLockTimesOutAsBusy() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let holder = try SQLiteTaskStore.open(path: path)
        let waiter = try SQLiteTaskStore(connection: Connection(path: path, busyTimeout: 50))
        let clock = ManualClock()
        // An empty queue is read without the write lock: an idle worker never waits on it.
        try holder.connection.execute("BEGIN IMMEDIATE")
        #expect(try waiter.claimNext(owner: "w", at: clock.now(), leaseSeconds: 1) == nil)
        try holder.connection.execute("ROLLBACK")
        _ = try TaskService(repository: holder, clock: clock).submit(bellRequest())
        try holder.connection.execute("BEGIN IMMEDIATE")
        do {
            _ = try waiter.claimNext(owner: "w", at: clock.now(), leaseSeconds: 1)
            Issue.record("expected SQLITE_BUSY")
        } catch let error as SQLiteError {
            #expect(error.code == "database_busy")
            #expect(error.isBusy)
        }
        // Readers are not blocked by the writer in WAL mode.
        var q = TaskQuery()
        q.limit = 1
        #expect(try waiter.list(q).total == 1)
        try holder.connection.execute("ROLLBACK")
        #expect(try waiter.claimNext(owner: "w", at: clock.now(), leaseSeconds: 1) != nil)
    }

    @Test func theStorageCheckNamesADeletedOrReplacedFile() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let store = try SQLiteTaskStore.open(path: path)
        try store.checkStorage()
        try FileManager.default.moveItem(atPath: path, toPath: dir.file("moved.sqlite"))
        #expect(throws: DatabaseFileChanged(path: path, replaced: false)) { try store.checkStorage() }
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        #expect(throws: DatabaseFileChanged(path: path, replaced: true)) { try store.checkStorage() }
        // In memory there is no file to lose.
        try SQLiteTaskStore.open(path: ":memory:").checkStorage()
    }

    /// Identical programs share one row (and one set of include rows).
    @Test func aSharedDefinitionIsStoredOnce() throws {
        let store = try SQLiteTaskStore.open(path: ":memory:")
        let service = TaskService(repository: store, clock: ManualClock())
        var request = bellRequest()
        request.program.includes = [IncludedFile(path: "a.inc", result: .loaded([0x41]))]
        for _ in 0..<3 { _ = try service.submit(request) }
        #expect(try store.connection.scalar("SELECT count(*) FROM definitions") == 1)
        #expect(try store.connection.scalar("SELECT count(*) FROM definition_includes") == 1)
        #expect(try store.connection.scalar("SELECT count(DISTINCT definition_id) FROM tasks") == 1)
    }
}
