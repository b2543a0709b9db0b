// Opening the store for what a command does: reading and writing never create a file,
// a folder, or -wal and -shm files; reading a file this process may not write opens
// it read-only (SQLite's immutable mode when the -wal is empty and no -shm can be
// made); a write through a read-only store names the file.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct StoreOpeningTests {
    /// Everything under `dir`, relative, sorted.
    static func listing(_ dir: TempDirectory) throws -> [String] {
        (FileManager.default.subpaths(atPath: dir.path) ?? []).sorted()
    }

    @Test(arguments: [StoreAccess.read, .write])
    func aMissingDatabaseIsNotCreated(access: StoreAccess) throws {
        let dir = try TempDirectory()
        for path in [dir.file("tasks.sqlite"), dir.file("no/such/folder/tasks.sqlite"), dir.file("file/tasks.sqlite")] {
            if path.contains("/file/") { try dir.write("file", "a file, not a folder") }
            #expect(throws: StoreError.missing(path: path)) { try SQLiteTaskStore.open(path: path, access: access) }
        }
        #expect(try Self.listing(dir) == ["file"])
        #expect(StoreError.missing(path: "x").code == "no_database")
        #expect(StoreError.missing(path: "x").message == "no task database at 'x'")
    }

    @Test(arguments: [StoreAccess.read, .write])
    func anEmptyFileIsNoDatabaseAndStaysEmpty(access: StoreAccess) throws {
        let dir = try TempDirectory()
        let path = try dir.write("tasks.sqlite", "")
        #expect(throws: StoreError.missing(path: path)) { try SQLiteTaskStore.open(path: path, access: access) }
        #expect(try Self.listing(dir) == ["tasks.sqlite"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }

    @Test func readingAnExistingDatabaseWorksAndCreatingStillCreates() throws {
        let dir = try TempDirectory()
        let path = dir.file("new/tasks.sqlite")
        let service = TaskService(repository: try SQLiteTaskStore.open(path: path, access: .create), clock: ManualClock())
        let task = try service.submit(bellRequest())
        let reader = try SQLiteTaskStore.open(path: path, access: .read)
        #expect(!reader.isReadOnly)
        #expect(try reader.task(id: task.id)?.id == task.id)
        #expect(try SQLiteTaskStore.open(path: path, access: .write).task(id: task.id) != nil)
    }

    /// A read-only store over a database with tasks, made as it would be for a user who
    /// may only read it: through a read-only connection.
    @Test func aReadOnlyStoreReadsAndItsWritesNameTheFile() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let writer = TaskService(repository: try SQLiteTaskStore.open(path: path), clock: ManualClock())
        let task = try writer.submit(bellRequest())
        let store = try SQLiteTaskStore(connection: Connection(path: path, readOnly: true))
        #expect(store.isReadOnly)
        #expect(try store.task(id: task.id)?.status == .created)
        let service = TaskService(repository: store, clock: ManualClock())
        do {
            _ = try service.submit(bellRequest())
            Issue.record("expected a read-only error")
        } catch let error as SQLiteError {
            #expect(error.resultCode == 8)  // SQLITE_READONLY
            #expect(
                error.message
                    == "database error: attempt to write a readonly database on '\(path)'; check that you may write "
                    + "the file, the -wal and -shm files beside it and its folder")
        }
    }

    @Test func aReadOnlyStoreOfAnOlderSchemaSaysWhatToDo() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let v1 = Migrator(applicationID: Schema.applicationID, migrations: Array(Schema.migrations.prefix(1)))
        _ = try SQLiteTaskStore.open(path: path, migrator: v1)
        #expect(throws: StoreError.readOnlyOldSchema(path: path, version: 1, needed: Schema.migrator.latestVersion)) {
            try SQLiteTaskStore(connection: Connection(path: path, readOnly: true))
        }
    }

    @Test func anImmutableReadSeesTheMainFileOnly() throws {
        let dir = try TempDirectory()
        let path = dir.file("odd %?#name.sqlite")
        let task: QuantumTask
        do {
            let store = try SQLiteTaskStore.open(path: path)
            let service = TaskService(repository: store, clock: ManualClock())
            task = try service.submit(bellRequest())
            try store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let store = try SQLiteTaskStore(connection: Connection(path: path, readOnly: true, immutable: true))
        #expect(try store.task(id: task.id)?.id == task.id)
    }

    @Test func aFullDiskNamesTheFile() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let store = try SQLiteTaskStore.open(path: path)
        let service = TaskService(repository: store, clock: ManualClock())
        let pages = try #require(try store.connection.scalar("PRAGMA page_count"))
        try store.connection.execute("PRAGMA max_page_count = \(pages)")
        var request = bellRequest()
        request.program.main = SourceFile(name: "big.qasm", bytes: [UInt8](repeating: 0x2F, count: 1 << 20))
        do {
            _ = try service.submit(request)
            Issue.record("expected a full database")
        } catch let error as SQLiteError {
            #expect(error.resultCode == 13)  // SQLITE_FULL
            #expect(
                error.message
                    == "database error: database or disk is full on '\(path)'; free space on the disk that holds it "
                    + "(see 'df') and try again")
        }
    }

    @Test func aMalformedFileNamesTheFileAndHowToSaveWhatIsLeft() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        do {
            let store = try SQLiteTaskStore.open(path: path)
            let service = TaskService(repository: store, clock: ManualClock())
            for _ in 0..<20 { _ = try service.submit(bellRequest()) }
            try store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 2 * 4096)
        handle.write(Data(repeating: 0xFF, count: 3 * 4096))
        try handle.close()
        do {
            var query = TaskQuery()
            query.limit = 100
            _ = try SQLiteTaskStore.open(path: path, access: .read).list(query)
            Issue.record("expected a malformed database")
        } catch let error as SQLiteError {
            #expect(error.resultCode == 11)  // SQLITE_CORRUPT
            #expect(
                error.message
                    == "database error: database disk image is malformed on '\(path)'; the file is damaged: restore it "
                    + "from a copy, or save what can still be read with 'sqlite3 \(path) .recover | sqlite3 recovered.sqlite'")
        }
    }
}
