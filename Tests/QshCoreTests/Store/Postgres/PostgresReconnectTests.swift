// Riding out a lost PostgreSQL server: a store told to keep reconnecting (workers,
// servers) waits for a server that went down and comes back, reads and writes as if
// nothing happened, and reports the outage once; one that gives up throws the connection's
// error; a one-shot command's store fails fast. The server here is a cluster of the test's
// own (the others must not see it go down).
import Dispatch
import Foundation
import QshCore
import Synchronization
import Testing
import TestSupport

@Suite(.disabled(if: TestPostgres.url == nil && !TestPostgres.required, Comment(rawValue: TestPostgres.unavailableReason ?? "")))
struct PostgresReconnectTests {
    /// Collects what an outage reporter is told.
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
        var reporter: OutageReporter { OutageReporter { [self] line in all.withLock { $0.append(line) } } }
    }

    /// Takes `cluster` down, runs `body` (which meets the outage) while another thread
    /// brings the server up again after `seconds`, and waits for that thread.
    static func outage<T>(_ cluster: PrivatePostgres, seconds: Double, _ body: () throws -> T) throws -> T {
        try cluster.down()
        let back = DispatchGroup()
        back.enter()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(seconds * 1000))) {
            try? cluster.up()
            back.leave()
        }
        defer { back.wait() }
        return try body()
    }

    @Test func aStoreThatKeepsReconnectingRidesOutARestartAndSaysSoOncePerOutage() throws {
        let cluster = try PrivatePostgres()
        let address = try #require(PostgresAddress(cluster.url))
        let store = try PostgresTaskStore(address: address)
        let lines = Lines()
        let reporter = lines.reporter
        store.keepReconnecting(ReconnectPolicy(initialDelay: 0.05, maximumDelay: 0.5, reporter: reporter))
        let service = TaskService(repository: store, clock: SystemClock())
        let first = try service.submit(bellRequest())
        let waiter = try #require(try store.changeWaiter())

        // A read outside any transaction waits for the server, then answers.
        let read = try Self.outage(cluster, seconds: 1) { try store.task(id: first.id) }
        #expect(read?.status == .created)
        #expect(lines.all.withLock { $0.count } == 1)
        let line = try #require(lines.all.withLock { $0.first })
        #expect(line.hasPrefix("lost the connection to PostgreSQL at '127.0.0.1' port "))
        #expect(line.hasSuffix("; reconnecting until it answers"))
        #expect(!reporter.isDown)

        // The waiter's connection was lost too: it says a change of unknown extent (look
        // again), listens again, and hears what comes next.
        #expect(waiter.wait(seconds: 60, pause: { _ in true }) == .changed([.unknown]))
        #expect(waiter.wait(seconds: 60, pause: { _ in true }) == .changed([.unknown]))

        // A transition and a claim in a second outage: run as a whole once it is back; a
        // second line.
        let moved = try Self.outage(cluster, seconds: 1) {
            try store.transition(first.id, from: .created, to: .cancelled, at: SystemClock().now(), actor: "cli")
        }
        #expect(moved)
        #expect(try store.events(taskID: first.id).map(\.to) == [.created, .cancelled])
        #expect(waiter.wait(seconds: 60, pause: { _ in true }) == .changed([.unknown]))
        #expect(waiter.wait(seconds: 60, pause: { _ in true }) == .changed([.unknown]))
        let second = try service.submit(bellRequest())
        guard case .changed(let notices) = waiter.wait(seconds: 60, for: .work, pause: { _ in true }) else {
            Issue.record("the waiter heard nothing after the server came back")
            return
        }
        #expect(notices == [TaskChangeNotice(taskID: nil, status: .created)])
        let claimed = try Self.outage(cluster, seconds: 0.5) {
            try store.claimNext(owner: "w", at: SystemClock().now(), leaseSeconds: 30)
        }
        #expect(claimed?.id == second.id && claimed?.status == .payloadProcessing)
        #expect(lines.all.withLock { $0.count } == 3)
    }

    @Test func aStoreGivesUpWhenItsPolicySaysAndAOneShotStoreFailsFast() throws {
        let cluster = try PrivatePostgres()
        let address = try #require(PostgresAddress(cluster.url))
        let patient = try PostgresTaskStore(address: address)
        let lines = Lines()
        patient.keepReconnecting(ReconnectPolicy(initialDelay: 0.05, reporter: lines.reporter, giveUp: { $0 >= 0.3 }))
        let oneShot = try PostgresTaskStore(address: address)
        try cluster.down()
        defer { try? cluster.up() }
        for store in [patient, oneShot] {
            #expect {
                _ = try store.task(id: "550e8400-e29b-41d4-a716-446655440000")
            } throws: { error in
                let failure = error as? PostgresError
                return failure?.kind == .connectionLost || failure?.kind == .cannotConnect
            }
        }
        #expect(lines.all.withLock { $0.count } == 1)
    }

    @Test func aConnectionCutWhileIdleReconnectsSilently() throws {
        let schema = try PostgresTestSchema()
        let store = try PostgresTaskStore(address: schema.address)
        let lines = Lines()
        store.keepReconnecting(ReconnectPolicy(reporter: lines.reporter))
        let task = try TaskService(repository: store, clock: ManualClock()).submit(bellRequest())
        let pid = try #require(try store.connection.scalar("SELECT pg_backend_pid()"))
        try PostgresConnection(schema.address).query("SELECT pg_terminate_backend($1::int)", [.integer(pid)])
        #expect(try store.task(id: task.id)?.id == task.id)
        #expect(try store.connection.scalar("SELECT pg_backend_pid()") != pid)
        // Reconnected at the first attempt: no outage to tell.
        #expect(lines.all.withLock { $0.isEmpty })

        // Without a policy (a one-shot command) a read on a cut connection fails at once.
        let oneShot = try PostgresTaskStore(address: schema.address)
        let other = try #require(try oneShot.connection.scalar("SELECT pg_backend_pid()"))
        try PostgresConnection(schema.address).query("SELECT pg_terminate_backend($1::int)", [.integer(other)])
        #expect(throws: PostgresError.self) { try oneShot.task(id: task.id) }
    }
}
