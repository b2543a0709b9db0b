// End-to-end: cancel follows the lifecycle — it works on a queued task, is
// idempotent on an ended one (exit 0, the task is kept), and waiting on a
// cancelled task exits 6.
import Testing
import TestSupport

@Suite struct CancelTests {
    @Test func cancelAQueuedTaskThenAgain() throws {
        let box = try TaskSandbox()
        let id = try box.submit()
        let first = try box.run(["tasks", "cancel", String(id.prefix(8)), "-o", "json"])
        #expect(first.status == 0)
        #expect(first.stderr == "")
        #expect(try J.parse(first.stdout)["task_status"].string == "Cancelled")
        let again = try box.run(["tasks", "cancel", id, "-o", "table"])
        #expect(again.status == 0)
        #expect(again.stderr == "task \(id) already ended: it is Cancelled\n")
        #expect(try box.status(id) == "Cancelled")
        let events = try ndjson(try box.run(["tasks", "events", id, "-o", "ndjson"]).stdout)
        #expect(events.map { $0["to"].string ?? "" } == ["Created", "Cancelled"])
        #expect(events.last?["from"].string == "Created")
        #expect(events.last?["detail"].string == "cancelled by the user")
        #expect(events.last?["actor"].string?.hasPrefix("cli ") == true)
    }

    @Test func waitOnACancelledTaskExits6() throws {
        let box = try TaskSandbox()
        let id = try box.submit()
        _ = try box.run(["tasks", "cancel", id])
        let run = try box.run(["tasks", "wait", id, "-o", "json"])
        #expect(run.status == 6)
        #expect(run.stderr == "")
        #expect(try J.parse(run.stdout)["task_status"].string == "Cancelled")
        let results = try box.run(["tasks", "results", id])
        #expect(results.status == 6)
    }

    @Test func cancelSeveralReportsEachAndExitsWithTheFirstFailure() throws {
        let box = try TaskSandbox()
        let a = try box.submit()
        let b = try box.submit()
        let missing = a.hasPrefix("0") || b.hasPrefix("0") ? "ffffffff" : "00000000"
        let run = try box.run(["tasks", "cancel", a, missing, b, "-o", "tsv"])
        #expect(run.status == 5)
        #expect(run.stderr == "cancelled task \(a)\nqsh: task '\(missing)' not found\ncancelled task \(b)\n")
        #expect(run.stdout.split(separator: "\n").map { String($0.prefix(36)) } == [a, b])
    }
}
