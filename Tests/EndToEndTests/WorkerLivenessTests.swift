// End-to-end: nothing waits on a worker that is not there. A wait on a task whose
// worker was killed ends Failed (internal_error) within the lease, with no other
// command run; get and submit settle such tasks too; a queued task with no worker is
// named in the timeout message; --timeout 0 and none wait without a limit; a run
// whose worker died after storing its results ends Completed with those results; and a
// worker whose database file is deleted or replaced stops, naming the file.
import Foundation
import Testing
import TestSupport

@Suite struct WorkerLivenessTests {
    static let slow = ["QSH_TEST_QPU": "1", "QSH_TEST_SHOT_MS": "20"]

    /// A task on the test QPU whose worker (lease 1 s) was killed while it ran.
    static func killedWorkersTask(_ box: TaskSandbox) throws -> (id: String, pid: Int32) {
        let id = try box.submit(["--qpu", "test:sleep", "--shots", "1000"], extra: slow)
        let worker = try box.start(["worker", "--lease", "1"], extra: slow)
        #expect(try box.waitFor(id, ["ExecutionStarted"]) == "ExecutionStarted")
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        return (id, worker.processIdentifier)
    }

    static func expectLost(_ task: J, pid: Int32, in state: String) {
        #expect(task["task_status"].string == "Failed")
        #expect(task["error_class"].string == "internal_error")
        let reason = task["error_reasons"][0].string ?? ""
        #expect(reason.hasPrefix("worker 'pid \(pid) on "))
        #expect(reason.contains("' was lost: its lease expired at "))
        #expect(reason.hasSuffix(" while the task was \(state)"))
    }

    @Test func aWaitOnAKilledWorkersTaskEndsFailedWithinTheLease() throws {
        let box = try TaskSandbox()
        let (id, pid) = try Self.killedWorkersTask(box)
        // No other command: the wait itself settles the task once the lease has run out.
        let run = try box.run(["tasks", "wait", id, "-o", "json"], timeout: 30)
        #expect(run.status == 3)
        Self.expectLost(try J.parse(run.stdout)[0], pid: pid, in: "ExecutionStarted")
        #expect(try box.run(["tasks", "events", id, "-o", "json"]).stdout.contains(#""actor": "sweep cli""#))
        // The partial counts its run left are not passed off as its results.
        let results = try box.run(["tasks", "results", id, "-o", "table"])
        #expect(results.status == 3)
        #expect(results.stdout == "")
        #expect(results.stderr.hasPrefix("qsh: task '\(id)' has no results: it ended Failed (internal_error): worker "))
    }

    @Test func getSettlesAKilledWorkersTaskOnceItsLeaseRanOut() throws {
        let box = try TaskSandbox()
        let (id, pid) = try Self.killedWorkersTask(box)
        let deadline = Date().addingTimeInterval(30)
        var task = try box.task(id)
        while task["task_status"].string == "ExecutionStarted" && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            task = try box.task(id)
        }
        Self.expectLost(task, pid: pid, in: "ExecutionStarted")
    }

    @Test(.enabled(if: TaskSandbox.sqlite3 != nil))
    func submitSettlesAKilledWorkersTask() throws {
        let box = try TaskSandbox()
        let (id, pid) = try Self.killedWorkersTask(box)
        // Read with sqlite3, which settles nothing, and wait until the lease has run out.
        let expires = try box.sqlite("SELECT lease_expires_ms FROM tasks WHERE id = '\(id)'").stdout
        let milliseconds = try #require(Double(expires.trimmingCharacters(in: .whitespacesAndNewlines)))
        while Date().timeIntervalSince1970 * 1000 < milliseconds + 100 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try box.sqlite("SELECT task_status FROM tasks WHERE id = '\(id)'").stdout == "ExecutionStarted\n")
        _ = try box.submit(["--shots", "10"])
        #expect(try box.sqlite("SELECT task_status FROM tasks WHERE id = '\(id)'").stdout == "Failed\n")
        Self.expectLost(try box.task(id), pid: pid, in: "ExecutionStarted")
    }

    @Test func aTimeoutSaysWhenNoWorkerIsRunning() throws {
        let box = try TaskSandbox()
        let id = try box.submit()
        let run = try box.run(["tasks", "wait", id, "--timeout", "200ms", "-o", "table"])
        #expect(run.status == 124)
        #expect(run.stdout == "")
        #expect(run.stderr == """
            qsh: timed out after 200ms: task '\(id)' is still Created, and no worker is running: start one with \
            'qsh worker' ('tasks submit' starts one unless --no-autostart or QSH_NO_AUTOSTART=1)

            """)
        // With a worker registered (but holding the task back) it says no more than that.
        let held = try box.start(["worker"], extra: ["QSH_TEST_QPU": "1", "QSH_TEST_HOLD_AFTER": "Scheduled"])
        defer {
            held.terminate()
            held.waitUntilExit()
        }
        #expect(try box.waitFor(id, ["Scheduled"]) == "Scheduled")
        let waiting = try box.run(["tasks", "wait", id, "--timeout", "200ms", "-o", "table"])
        #expect(waiting.status == 124)
        #expect(waiting.stderr == "qsh: timed out after 200ms: task '\(id)' is still Scheduled\n")
    }

    @Test(arguments: ["0", "none"])
    func aZeroOrNoTimeoutWaitsUntilTheTaskEnds(timeout: String) throws {
        let box = try TaskSandbox()
        let id = try box.submit()
        let waiting = try Subprocess.start(
            Qsh.binary, ["tasks", "wait", id, "--timeout", timeout, "-o", "json"],
            environment: box.environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }, directory: box.dir.path)
        // Well past where a timeout of 0 seconds would have ended it.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(waiting.process.isRunning)
        #expect(try box.run(["worker", "--once"]).status == 0)
        let run = waiting.finish(timeout: 60)
        #expect(run.status == 0)
        #expect(try J.parse(run.stdout)[0]["task_status"].string == "Completed")
        let bad = try box.run(["tasks", "wait", id, "--timeout", "never"])
        #expect(bad.status == 2)
    }

    @Test func aRunWhoseWorkerDiedAfterStoringItsResultsEndsCompleted() throws {
        let box = try TaskSandbox()
        let id = try box.submit(["--shots", "500", "--seed", "3"])
        let worker = try box.start(
            ["worker", "--lease", "1"], extra: ["QSH_TEST_QPU": "1", "QSH_TEST_HOLD_AFTER": "ExecutionCompleted"])
        #expect(try box.waitFor(id, ["ExecutionCompleted"]) == "ExecutionCompleted")
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        let run = try box.run(["tasks", "wait", id, "-o", "json"], timeout: 30)
        #expect(run.status == 0)
        let task = try J.parse(run.stdout)[0]
        #expect(task["task_status"].string == "Completed")
        #expect(task["error_class"].isNull)
        #expect(task["error_reasons"].array.isEmpty)
        let results = try box.run(["tasks", "results", id, "-o", "json"])
        #expect(results.status == 0)
        let data = try J.parse(results.stdout)
        #expect(data["partial"].bool == false)
        #expect(data["shots"].int == 500)
        #expect(data["data"]["c"].keys.allSatisfy { $0 == "00" || $0 == "11" })
        #expect((data["data"]["c"]["00"].int ?? 0) + (data["data"]["c"]["11"].int ?? 0) == 500)
    }

    @Test(arguments: [false, true])
    func aWorkerWhoseDatabaseIsDeletedOrReplacedStopsAndSaysSo(replace: Bool) throws {
        let box = try TaskSandbox()
        let id = try box.submit(["--qpu", "test:sleep", "--shots", "1000"], extra: Self.slow)
        var env = box.environment
        env["PATH"] = "/usr/bin:/bin"
        for (k, v) in Self.slow { env[k] = v }
        let worker = try Subprocess.start(Qsh.binary, ["worker"], environment: env, directory: box.dir.path)
        #expect(try box.waitFor(id, ["ExecutionStarted"]) == "ExecutionStarted")
        let files = [box.db, box.db + "-wal", box.db + "-shm"]
        if replace {
            let other = box.dir.file("data/other.sqlite")
            _ = FileManager.default.createFile(atPath: other, contents: Data())
            #expect(rename(other, box.db) == 0)
        } else {
            for file in files { try? FileManager.default.removeItem(atPath: file) }
        }
        let run = worker.finish(timeout: 30)
        #expect(!run.signalled)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.dropFirst().first?.hasPrefix("qsh worker: pid \(worker.process.processIdentifier) on ") == true)
        #expect(lines.dropFirst().first?.hasSuffix(" stopped: its database file is gone") == true)
        let what = replace ? "was replaced by another file" : "was deleted"
        #expect(lines.last == """
            qsh: the task database '\(box.db)' \(what) while a worker ran task '\(id)' on it, and that run is \
            lost; stop every qsh worker on it, then restore the file (with its -wal and -shm files) or start again \
            with a new database
            """)
    }

    @Test func anIdleWorkerWhoseDatabaseIsDeletedStops() throws {
        let box = try TaskSandbox()
        let id = try box.submit(["--shots", "10"])
        var env = box.environment
        env["PATH"] = "/usr/bin:/bin"
        let worker = try Subprocess.start(Qsh.binary, ["worker"], environment: env, directory: box.dir.path)
        #expect(try box.waitFor(id, ["Completed"]) == "Completed")
        for file in [box.db, box.db + "-wal", box.db + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
        let run = worker.finish(timeout: 30)
        #expect(run.status == 1)
        #expect(run.stderr.hasSuffix(
            "qsh: the task database '\(box.db)' was deleted while a worker had it open; stop every qsh worker on it, "
                + "then restore the file (with its -wal and -shm files) or start again with a new database\n"))
        #expect(!FileManager.default.fileExists(atPath: box.db))
    }
}
