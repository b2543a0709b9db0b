// End-to-end: `tasks wait -o ndjson` streams `status` events stamped with the time the task
// entered the state and `progress` events stamped with the time qsh saw the count — through
// both doors (local, and qsh as a client of `qsh serve`, which follows the server's stream).
import Foundation
import Testing
import TestSupport

@Suite struct StreamEventTests {
    @Test(arguments: Door.allCases) func statusAndProgressEventsCarryTheirDocumentedFieldsAndTimes(door: Door) throws {
        // 60 shots of 50 ms: seconds of ExecutionStarted with counts written as they grow.
        let slow = ["QSH_TEST_QPU": "1", "QSH_TEST_SHOT_MS": "50"]
        let box = try TaskSandbox(door, serverEnvironment: slow)
        let id = try box.submit(["--qpu", "test:sleep", "--shots", "60"], extra: slow)
        let before = rfc3339(Date())
        let worker = try box.start(["worker", "--once"], extra: slow)
        defer { worker.waitUntilExit() }
        let run = try box.run(["tasks", "wait", id, "-o", "ndjson", "--timeout", "120"])
        let after = rfc3339(Date().addingTimeInterval(1))
        #expect(run.status == 0)
        let lines = try ndjson(run.stdout)
        let events = lines.filter { !$0["event"].isNull }
        #expect(lines.last?["task_status"].string == "Completed")
        #expect(lines.last?["event"].isNull == true)
        for event in events {
            #expect(event.keys == ["at", "event", "id", "shots", "shots_done", "task_status"])
            #expect(event["id"].string == id)
            #expect(event["shots"].int == 60)
        }
        // A status event's time is the transition's, as the event log has it.
        let log = try ndjson(try box.run(["tasks", "events", id, "-o", "ndjson"]).stdout)
        let statuses = events.filter { $0["event"].string == "status" }
        #expect(statuses.last?["task_status"].string == "Completed")
        for status in statuses {
            let entered = log.last { $0["to"].string == status["task_status"].string }
            #expect(status["at"].string == entered?["at"].string)
        }
        // Progress events: more shots in ExecutionStarted, each stamped when it was seen.
        let progress = events.filter { $0["event"].string == "progress" }
        #expect(!progress.isEmpty)
        #expect(progress.allSatisfy { $0["task_status"].string == "ExecutionStarted" })
        let counts = progress.compactMap { $0["shots_done"].int }
        #expect(counts == counts.sorted() && Set(counts).count == counts.count)
        let started = log.last { $0["to"].string == "ExecutionStarted" }?["at"].string ?? ""
        for event in progress {
            let at = event["at"].string ?? ""
            #expect(at >= started && at >= before && at <= after, "\(at) not in [\(started), \(after)]")
        }
        // Seen seconds after the run started, the last count is not stamped with its start.
        #expect((progress.last?["at"].string ?? "") > started)
    }

    /// `2026-01-26T10:00:00Z`, as qsh prints times.
    func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
