// What only the PostgreSQL store has to show (the contract suite runs on it too): the
// metadata table and its refusals, replicas migrating at once, connection failures that
// name the host and hide the password, and transactions that survive a lost connection.
import Foundation
import QshCore
import Synchronization
import Testing
import TestSupport

@Suite(.disabled(if: TestPostgres.url == nil && !TestPostgres.required, Comment(rawValue: TestPostgres.unavailableReason ?? "")))
struct PostgresTaskStoreTests {
    @Test func thereIsAServerWhereOneIsRequired() {
        #expect(TestPostgres.url != nil, Comment(rawValue: TestPostgres.unavailableReason ?? ""))
    }

    @Test func aFreshSchemaIsStampedWithTheApplicationIdAndVersion() throws {
        let schema = try PostgresTestSchema()
        _ = try PostgresTaskStore(address: schema.address)
        let db = try PostgresConnection(schema.address)
        let rows = try db.query("SELECT application_id, schema_version FROM qsh_metadata")
        #expect(rows.count == 1 && rows.int64(0, 0) == 0x5153_4854 && rows.int(0, 1) == PostgresSchema.latestVersion)
        // Opening again changes nothing.
        _ = try PostgresTaskStore(address: schema.address)
        #expect(try db.scalar("SELECT count(*) FROM qsh_metadata") == 1)
    }

    @Test func aForeignSchemaIsRefusedUntouched() throws {
        let schema = try PostgresTestSchema()
        let db = try PostgresConnection(schema.address)
        try db.execute("CREATE TABLE their_table (x int); INSERT INTO their_table VALUES (1)")
        #expect(throws: PostgresStoreError.foreign(
            location: schema.address.redacted, schema: schema.name, applicationID: nil)
        ) { try PostgresTaskStore(address: schema.address) }
        #expect(try db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = $1", [.text(schema.name)]) == 1)

        let other = try PostgresTestSchema()
        let odb = try PostgresConnection(other.address)
        try odb.execute(
            "CREATE TABLE qsh_metadata (application_id BIGINT, schema_version INTEGER); INSERT INTO qsh_metadata VALUES (7, 1)")
        #expect(throws: PostgresStoreError.foreign(location: other.address.redacted, schema: other.name, applicationID: 7)) {
            try PostgresTaskStore(address: other.address)
        }
        let error = PostgresStoreError.foreign(location: "postgresql://db1/qsh", schema: "public", applicationID: 7)
        #expect(error.code == .foreignDatabase)
        #expect(error.message == "'postgresql://db1/qsh' is not a qsh task database: its schema 'public' holds tables of "
            + "another application (application id 7); it was left untouched. Give qsh a database (or a schema, with "
            + "options=-csearch_path=...) of its own")
    }

    @Test func aNewerSchemaIsRefusedUntouched() throws {
        let schema = try PostgresTestSchema()
        _ = try PostgresTaskStore(address: schema.address)
        let db = try PostgresConnection(schema.address)
        try db.execute("UPDATE qsh_metadata SET schema_version = 99")
        #expect(throws: PostgresStoreError.newerSchema(
            location: schema.address.redacted, version: 99, supported: PostgresSchema.latestVersion)
        ) { try PostgresTaskStore(address: schema.address) }
        #expect(try db.scalar("SELECT schema_version FROM qsh_metadata") == 99)
        #expect(PostgresStoreError.newerSchema(location: "x", version: 99, supported: 6).code == .newerDatabase)
    }

    @Test func aSearchPathWithoutASchemaIsExplained() throws {
        let address = try #require(PostgresAddress(TestPostgres.url(schema: "no_such_schema_here")!))
        #expect(throws: PostgresStoreError.noSchema(location: address.redacted)) {
            try PostgresTaskStore(address: address)
        }
    }

    /// Replicas starting together on a fresh database: one migrates, the others wait on
    /// the advisory lock and find the work done.
    @Test func replicasStartingTogetherMigrateOnce() throws {
        let schema = try PostgresTestSchema()
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do { _ = try PostgresTaskStore(address: schema.address) } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let db = try PostgresConnection(schema.address)
        #expect(try db.scalar("SELECT count(*) FROM qsh_metadata") == 1)
        #expect(try db.scalar("SELECT count(*) FROM task_counts") == 9 * 16)
    }

    // MARK: Connections

    @Test func aServerThatIsNotThereIsNamedWithWhatToCheck() throws {
        // A port nothing listens on: the test server's, once it is known to be free.
        let address = try #require(PostgresAddress("postgresql://qsh:s3cret@127.0.0.1:1/qsh?connect_timeout=5"))
        do {
            _ = try PostgresTaskStore(address: address)
            Issue.record("connected to port 1")
        } catch let error as PostgresError {
            #expect(error.kind == .cannotConnect)
            #expect(error.code == .databaseError)
            #expect(error.message.hasPrefix(
                "cannot connect to PostgreSQL at '127.0.0.1' port 1 ('postgresql://qsh@127.0.0.1:1/qsh?connect_timeout=5'): "))
            #expect(error.message.contains("Connection refused"))
            #expect(error.message.hasSuffix(
                "; check that the server is running there and accepts connections (host, port and database in the URL)"))
            #expect(!error.message.contains("s3cret"))
        }
    }

    @Test func aWrongPasswordAndAMissingDatabaseSayWhatToCheck() throws {
        let url = try #require(TestPostgres.url)
        let port = try #require(url.split(separator: ":").last?.split(separator: "/").first)
        let wrong = try #require(PostgresAddress("postgresql://qsh_secret:not-it@127.0.0.1:\(port)/qsh"))
        do {
            _ = try PostgresConnection(wrong)
            Issue.record("a wrong password was taken")
        } catch {
            #expect(error.kind == .cannotConnect)
            #expect(error.message == "cannot connect to PostgreSQL at '127.0.0.1' port \(port) "
                + "('postgresql://qsh_secret@127.0.0.1:\(port)/qsh'): password authentication failed for user "
                + "\"qsh_secret\"; check the user's password (in the URL, $PGPASSWORD or ~/.pgpass)")
        }
        let right = try #require(PostgresAddress("postgresql://qsh_secret:qsh-test-password@127.0.0.1:\(port)/qsh"))
        #expect(try PostgresConnection(right).scalar("SELECT 1") == 1)

        let missing = try #require(PostgresAddress("postgresql://qsh@127.0.0.1:\(port)/no_such_db"))
        do {
            _ = try PostgresConnection(missing)
            Issue.record("a missing database was opened")
        } catch {
            #expect(error.message == "cannot connect to PostgreSQL at '127.0.0.1' port \(port) "
                + "('postgresql://qsh@127.0.0.1:\(port)/no_such_db'): database \"no_such_db\" does not exist; "
                + "create the database (createdb) or check its name in the URL")
        }
    }

    /// The server ends the connection (as a restart does): the next transition connects
    /// again and runs as a whole, once.
    @Test func aTransitionSurvivesALostConnection() throws {
        let schema = try PostgresTestSchema()
        let store = try PostgresTaskStore(address: schema.address)
        let clock = ManualClock()
        let service = TaskService(repository: store, clock: clock)
        let task = try service.submit(bellRequest())
        let admin = try PostgresConnection(schema.address)
        let pid = try #require(try store.connection.scalar("SELECT pg_backend_pid()"))
        try admin.query("SELECT pg_terminate_backend($1::int)", [.integer(pid)])
        #expect(try store.transition(task.id, from: .created, to: .cancelled, at: clock.now(), actor: "cli"))
        #expect(try store.events(taskID: task.id).map(\.to) == [.created, .cancelled])
        #expect(try store.connection.scalar("SELECT pg_backend_pid()") != pid)
    }
}
