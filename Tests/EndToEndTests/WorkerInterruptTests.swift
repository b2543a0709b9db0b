// End-to-end: a worker stops within moments of SIGINT or SIGTERM, whatever it is doing
// (waiting for work, compiling, scheduled, running on the test QPU, sampling 10^8
// shots, or just past a run), fails the task it held with internal_error and a reason
// naming the signal, records a run that had finished, and exits 130 (SIGINT) or 0
// (SIGTERM).
import Foundation
import Testing
import TestSupport

@Suite struct WorkerInterruptTests {
    static let slow = ["QSH_TEST_QPU": "1", "QSH_TEST_SHOT_MS": "50"]

    /// Starts `qsh worker` on the sandbox's database, its stderr captured, SIGINT at its default.
    static func startWorker(_ box: TaskSandbox, extra: [String: String] = [:]) throws -> RunningProcess {
        var env = box.environment
        env["PATH"] = "/usr/bin:/bin"
        for (k, v) in extra { env[k] = v }
        let child = try Subprocess.start(
            "/usr/bin/env", ["--default-signal=INT", Qsh.binary, "worker", "--lease", "2"], environment: env,
            directory: box.dir.path)
        // It blocks SIGINT and SIGTERM (together) before it looks for work.
        #expect(SignalReadiness.waitUntilReady(pid: child.process.processIdentifier, for: SIGINT))
        return child
    }

    /// The worker's pid is the child of env(1) once exec'd: the same process.
    static func owner(_ child: RunningProcess) -> String { "pid \(child.process.processIdentifier) on " }

    static func expectInterrupted(
        _ box: TaskSandbox, _ id: String, by signal: String, in state: String, worker: RunningProcess
    ) throws {
        let task = try box.task(id)
        #expect(task["task_status"].string == "Failed")
        #expect(task["error_class"].string == "internal_error")
        let reason = task["error_reasons"][0].string ?? ""
        #expect(reason.hasPrefix("worker '\(owner(worker))"))
        #expect(reason.hasSuffix("' was interrupted (\(signal)) while the task was \(state)"))
    }

    @Test func anIdleWorkerStopsAtOnce() throws {
        for (signal, status, name) in [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, 0, "SIGTERM")] {
            let box = try TaskSandbox()
            let worker = try Self.startWorker(box)
            kill(worker.process.processIdentifier, signal)
            let run = worker.finish(timeout: 30)
            #expect(!run.signalled)
            #expect(run.status == status)
            #expect(run.stdout == "")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("qsh worker: \(Self.owner(worker))") == true)
            #expect(lines.last?.hasPrefix("qsh worker: \(Self.owner(worker))") == true)
            #expect(lines.last?.hasSuffix(" stopped by \(name)") == true)
        }
    }

    /// Held right after the claim (compiling), once Scheduled, and while the test QPU runs.
    @Test(arguments: [("PayloadProcessing", SIGINT), ("Scheduled", SIGTERM), ("ExecutionStarted", SIGINT)])
    func aWorkerStoppedMidTaskFailsIt(state: String, signal: Int32) throws {
        let box = try TaskSandbox()
        let id = try box.submit(["--qpu", "test:sleep", "--shots", "1000"], extra: Self.slow)
        var extra = Self.slow
        if state != "ExecutionStarted" { extra["QSH_TEST_HOLD_AFTER"] = state }
        let worker = try Self.startWorker(box, extra: extra)
        #expect(try box.waitFor(id, [state]) == state)
        kill(worker.process.processIdentifier, signal)
        let run = worker.finish(timeout: 30)
        #expect(!run.signalled)
        #expect(run.status == (signal == SIGINT ? 130 : 0))
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        try Self.expectInterrupted(box, id, by: name, in: state, worker: worker)
        #expect(run.stderr.contains("qsh worker: task \(id) Failed: worker '"))
        #expect(run.stderr.hasSuffix(" stopped by \(name)\n"))
        // The queue is left to the next worker.
        let next = try box.submit(["--shots", "10"])
        #expect(try box.status(next) == "Created")
    }

    @Test func aWorkerSampling100MillionShotsStopsAtOnce() throws {
        let box = try TaskSandbox()
        let id = try box.submit(["--shots", "100000000"])
        let worker = try Self.startWorker(box)
        #expect(try box.waitFor(id, ["ExecutionStarted"]) == "ExecutionStarted")
        worker.process.interrupt()
        let run = worker.finish(timeout: 30)
        #expect(!run.signalled)
        #expect(run.status == 130)
        try Self.expectInterrupted(box, id, by: "SIGINT", in: "ExecutionStarted", worker: worker)
    }

    @Test func aRunThatFinishedIsRecordedBeforeTheWorkerStops() throws {
        let box = try TaskSandbox()
        let id = try box.submit(["--shots", "100"])
        var extra = Self.slow
        extra["QSH_TEST_HOLD_AFTER"] = "ExecutionCompleted"
        let worker = try Self.startWorker(box, extra: extra)
        #expect(try box.waitFor(id, ["ExecutionCompleted"]) == "ExecutionCompleted")
        worker.process.interrupt()
        let run = worker.finish(timeout: 30)
        #expect(run.status == 130)
        #expect(try box.status(id) == "Completed")
        let results = try box.run(["tasks", "results", id, "-o", "json"])
        #expect(results.status == 0)
        #expect(try J.parse(results.stdout)["partial"].bool == false)
    }
}
