// A worker on PostgreSQL across a server restart: it says once that the server is gone,
// waits for it, and finishes its queue when it is back; nothing is lost and nothing runs
// twice. The server is a cluster of the test's own (scripts/pg-cluster down/up), so that no
// other test sees the outage.
import Foundation
import Testing
import TestSupport

@Suite(.disabled(if: TestPostgres.url == nil && !TestPostgres.required, Comment(rawValue: TestPostgres.unavailableReason ?? "")))
struct PostgresOutageTests {
    @Test func aWorkerRidesOutAServerRestartAndFinishesItsQueue() throws {
        let cluster = try PrivatePostgres()
        let box = try TaskSandbox()
        try box.program()
        // Tasks of 20 shots of 10 ms each: the worker is mid-queue when the server goes.
        let extra = ["QSH_DB": cluster.url, "QSH_TEST_QPU": "1", "QSH_TEST_SHOT_MS": "10"]
        let ids = try (0..<12).map { _ in try box.submit(["--qpu", "test:sleep", "--shots", "20"], extra: extra) }
        var env = box.environment
        env["PATH"] = "/usr/bin:/bin"
        for (k, v) in extra { env[k] = v }
        let worker = try Subprocess.start(Qsh.binary, ["worker", "--idle-exit", "2"], environment: env, directory: box.dir.path)
        func status(_ id: String) throws -> String {
            let run = try box.run(["tasks", "get", id, "-o", "json"], extra: extra)
            return (try? J.parse(run.stdout))?["task_status"].string ?? run.stderr
        }
        let deadline = Date().addingTimeInterval(60)
        while try status(ids[1]) != "Completed" && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }

        try cluster.down()
        Thread.sleep(forTimeInterval: 1)
        try cluster.up()

        let run = worker.finish(timeout: 120)
        #expect(run.status == 0, Comment(rawValue: run.stderr))
        let lines = run.stderr.split(separator: "\n").map(String.init)
        let port = cluster.url.split(separator: ":").last?.split(separator: "/").first.map(String.init) ?? ""
        let outage = lines.filter { $0.contains("reconnecting") }
        #expect(outage.count == 1, Comment(rawValue: run.stderr))
        #expect(outage.first?.hasPrefix(
            "qsh worker: lost the connection to PostgreSQL at '127.0.0.1' port \(port) ('\(cluster.url)'): ") == true)
        #expect(outage.first?.hasSuffix("; reconnecting until it answers") == true)
        #expect(lines.filter { $0.hasSuffix(" Completed") }.count == ids.count)
        for id in ids {
            #expect(try status(id) == "Completed")
            let events = try J.parse(box.run(["tasks", "events", id, "-o", "json"], extra: extra).stdout)
            let started = events.array.filter { $0["to"].string == "ExecutionStarted" }
            #expect(started.count == 1, "\(id)")
        }
    }
}
