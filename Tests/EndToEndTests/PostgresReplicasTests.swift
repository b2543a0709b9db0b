// Many machines, end to end: two `qsh serve` replicas and three `qsh worker` processes, all
// separate and connecting over TCP to one PostgreSQL database of the test's own cluster
// (it restarts it, so it cannot share the run's). 2,000 tasks go in through both replicas;
// a worker is SIGKILLed mid-run and PostgreSQL is restarted while the queue drains; every
// task still runs exactly once and its counts sum to its shots.
import Foundation
import Testing
import TestSupport

@Suite(.disabled(if: TestPostgres.url == nil && !TestPostgres.required, Comment(rawValue: TestPostgres.unavailableReason ?? "")))
struct PostgresReplicasTests {
    static let tasksPerReplica = 1_000
    static let shots = 20

    @Test func replicasAndWorkersShareOneQueueThroughAKilledWorkerAndARestart() throws {
        let cluster = try PrivatePostgres()
        let sandbox = try TaskSandbox()
        let env = ["QSH_DB": cluster.url, "QSH_TEST_QPU": "1"]
        let made = try sandbox.run(["tokens", "create", "--user", "alice", "--scope", "submit", "-q"], extra: env)
        #expect(made.status == 0, Comment(rawValue: made.stderr))
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // The replicas run no workers of their own: the three worker processes do the work.
        // (No rate limit: the test sends 2,000 submits with one token as fast as it can.)
        let replicas = try [0, 1].map { _ in
            try ServerProcess(sandbox, ["--workers", "0", "--rate-limit", "0"], extra: env)
        }
        defer { for replica in replicas { _ = replica.stop() } }
        let workers = try (0..<3).map { _ in
            try Subprocess.start(Qsh.binary, ["worker", "--lease", "3"], environment: Qsh.cleanEnvironment(env))
        }
        defer { for worker in workers where worker.process.isRunning { kill(worker.process.processIdentifier, SIGKILL) } }

        // A long task (test:sleep, 10 ms a shot): its worker is killed while it runs.
        let long = try #require(try replicas[0].request(
            "POST", "/v2/tasks", token: token, json: submitJSON(shots: 3_000, extra: "\"qpu\": \"test:sleep\"")
        ).json["id"].string)
        #expect(try replicas[1].waitFor(long, ["ExecutionStarted"], token: token) == "ExecutionStarted")
        let owner = try cluster.sql("SELECT lease_owner FROM tasks WHERE id = '\(long)'")
        let victim = try #require(workers.first { owner.hasPrefix("pid \($0.process.processIdentifier) ") },
                                  Comment(rawValue: "lease owner '\(owner)'"))
        kill(victim.process.processIdentifier, SIGKILL)

        // 2,000 small tasks, half through each replica, submitted side by side.
        let body = try sandbox.dir.write("bell.json", submitJSON(shots: Self.shots))
        let submits = try replicas.enumerated().map { index, replica in
            try curlMany(replica, token: token, body: body, count: Self.tasksPerReplica, sandbox: sandbox, name: "\(index)")
        }
        for submit in submits {
            let run = submit.finish(timeout: 300)
            #expect(run.status == 0, Comment(rawValue: run.stderr))
            #expect(run.stdout.split(separator: "\n").filter { $0 == "201" }.count == Self.tasksPerReplica)
        }

        // PostgreSQL restarts while the queue drains; workers and replicas reconnect.
        try waitUntil(cluster, "SELECT count(*) >= 100 FROM tasks WHERE task_status = 'Completed'", timeout: 120)
        let waiting = try cluster.sql("SELECT count(*) FROM tasks WHERE task_status = 'Created'")
        try cluster.restart()
        #expect((Int(waiting) ?? 0) > 0, "the queue was drained before the restart")

        // A task submitted through one replica is followed to its end through the other.
        let client = { (replica: ServerProcess) in
            ["QSH_API": replica.base, "QSH_TOKEN": token, "XDG_CACHE_HOME": sandbox.dir.file("cache-\(replica.port)"),
             "QSH_DB": sandbox.noLocalDatabase]
        }
        try sandbox.program()
        let followed = try sandbox.run(["tasks", "submit", "bell.qasm", "-q", "--shots", "\(Self.shots)"],
                                       extra: client(replicas[0]))
        #expect(followed.status == 0, Comment(rawValue: followed.stderr))
        let id = followed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let wait = try sandbox.run(["tasks", "wait", id], extra: client(replicas[1]), timeout: 300)
        #expect(wait.status == 0, Comment(rawValue: wait.stderr))

        try waitUntil(
            cluster, "SELECT count(*) = 0 FROM tasks WHERE task_status NOT IN ('Completed', 'Failed', 'Cancelled', 'PayloadProcessingError')",
            timeout: 300)

        // Every task ran exactly once; counts sum to shots; the killed worker's task failed.
        let exported = try sandbox.run(["tasks", "export"], extra: env)
        #expect(exported.status == 0, Comment(rawValue: exported.stderr))
        let tasks = try ndjson(exported.stdout).filter { $0["record"].string == "task" }.map { $0["tables"] }
        #expect(tasks.count == 2 * Self.tasksPerReplica + 2)
        var completed = 0
        for record in tasks {
            let task = record["tasks"][0]
            let taskID = task["id"].string ?? "?"
            let starts = (record["task_events"].value as? [[String: Any]] ?? []).filter {
                $0["to_status"] as? String == "ExecutionStarted"
            }
            #expect(starts.count == 1, "\(taskID) started \(starts.count) times")
            if taskID == long {
                #expect(task["task_status"].string == "Failed" && task["error_class"].string == "internal_error")
                continue
            }
            #expect(task["task_status"].string == "Completed", "\(taskID)")
            let runs = record["runs"].value as? [[String: Any]] ?? []
            #expect(runs.count == 1, "\(taskID) has \(runs.count) runs")
            let data = try J.parse(runs.first?["data"] as? String ?? "{}")
            let counts = (data["c"].value as? [String: Any] ?? [:]).values.compactMap { ($0 as? NSNumber)?.intValue }
            #expect(counts.reduce(0, +) == Self.shots, "\(taskID)")
            completed += 1
        }
        #expect(completed == 2 * Self.tasksPerReplica + 1)
        for worker in workers where worker !== victim {
            #expect(worker.process.isRunning, "a worker died: \(worker.finish(timeout: 1).stderr)")
        }
    }

    /// One curl process sending `count` POSTs of `body` to `replica`, 8 at a time; it prints
    /// each answer's status on a line.
    func curlMany(_ replica: ServerProcess, token: String, body: String, count: Int, sandbox: TaskSandbox,
                  name: String) throws -> RunningProcess
    {
        let request = """
            url = "\(replica.base)/v2/sim-statevector/tasks"
            header = "Authorization: Bearer \(token)"
            header = "Content-Type: application/json"
            data-binary = "@\(body)"
            output = "/dev/null"
            write-out = "%{http_code}\\n"

            """
        let config = try sandbox.dir.write("curl-\(name).conf", Array(repeating: request, count: count).joined(separator: "next\n"))
        return try Subprocess.start(
            "/usr/bin/curl", ["-s", "-S", "--parallel", "--parallel-max", "8", "-K", config])
    }

    /// Polls `condition` (a query answering a boolean) until it holds; fails after `timeout` s.
    func waitUntil(_ cluster: PrivatePostgres, _ condition: String, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? cluster.sql(condition)) == "t" { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out after \(Int(timeout)) s waiting for: \(condition)")
        throw CancellationError()
    }
}
