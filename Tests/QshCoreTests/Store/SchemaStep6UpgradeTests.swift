// The API token step of the schema (api_tokens): a database written with the steps before it
// (schema version 5) opens and upgrades in place without loss; tokens then work on it, only
// their digests are in the file, and export and import carry tasks but never tokens.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct SchemaStep6UpgradeTests {
    @Test func aSchema5DatabaseUpgradesInPlaceAndStoresOnlyDigests() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let clock = ManualClock()
        let step = try #require(Schema.migrations.firstIndex { $0.name == "api-tokens" })
        let before = Migrator(applicationID: Schema.applicationID, migrations: Array(Schema.migrations.prefix(step)))
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
            #expect(try old.connection.scalar("PRAGMA user_version") == 5)
            let service = TaskService(repository: old, clock: clock)
            let done = try service.submit(bellRequest(tags: ["team": "q"]))
            let waiting = try service.submit(bellRequest())
            ids = [done.id, waiting.id]
            let at = clock.now()
            try old.transition(done.id, from: .created, to: .payloadProcessing, at: at, actor: "worker w")
            try old.transition(done.id, from: .payloadProcessing, to: .cancelled, at: at, actor: "cli")
            try old.setQPUPaused("test:fake", paused: true, at: at, actor: "cli")
            snapshot = try describe(old)
        }
        let store = try SQLiteTaskStore.open(path: path)
        #expect(try store.connection.scalar("PRAGMA user_version") == Int64(Schema.migrator.latestVersion))
        #expect(Schema.migrations[step].version == 6)
        #expect(try store.connection.scalar("PRAGMA foreign_key_check") == nil)
        #expect(try describe(store) == snapshot)
        #expect(try store.qpuStates().map(\.qpuID) == ["test:fake"])

        // Tokens work on the upgraded file, and it holds the digest, never the secret.
        let (token, secret) = try store.createToken(
            user: "alice", scope: .admin, expires: clock.now().adding(seconds: 86_400), now: clock.now())
        #expect(try store.authenticate(secret: secret, now: clock.now())?.id == token.id)
        #expect(try store.connection.scalar(
            "SELECT count(*) FROM api_tokens WHERE token_sha256 = ?", [.text(AccessToken.digest(ofSecret: secret))]) == 1)
        #expect(try store.connection.scalar("SELECT count(*) FROM api_tokens WHERE token_sha256 = ?", [.text(secret)]) == 0)
        try store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        #expect(!bytes.contains(subsequence: Array(secret.utf8)))
        #expect(!bytes.contains(subsequence: Array(secret.dropFirst(4).utf8)))
        #expect(bytes.contains(subsequence: Array(AccessToken.digest(ofSecret: secret).utf8)))

        // Export and import carry the tasks, not the tokens.
        let records = try ids.compactMap { try store.exportTask(id: $0) }
            + [try #require(try store.exportDefinition(id: snapshot[0].task.definitionID))]
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0.tables.allSatisfy { $0.name != "api_tokens" } })
        let copy = try SQLiteTaskStore.open(path: ":memory:")
        #expect(try copy.importRecords(records, skipExisting: false).imported == ids)
        #expect(try copy.tokens().isEmpty)
        #expect(try describe(copy) == snapshot)
    }

    @Test func aStoredScopeThatIsNotKnownIsReportedAsDamage() throws {
        let store = try SQLiteTaskStore.open(path: ":memory:")
        let (token, _) = try store.createToken(user: "a", scope: .read, expires: nil, now: Timestamp(milliseconds: 0))
        // The CHECK refuses a bad scope; a file changed outside qsh may still hold one.
        try store.connection.execute("PRAGMA ignore_check_constraints = ON")
        try store.connection.run("UPDATE api_tokens SET scope = 'root' WHERE id = ?", [.text(token.id)])
        #expect(throws: StoreError.corrupt(
            path: ":memory:", taskID: nil, what: "the scope of API token '\(token.id)'", reason: "is 'root'")
        ) { try store.tokens() }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if self[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
