// End-to-end: `tasks results` on a task that failed says why: the error class and
// reasons in the message, and in the JSON error object with the task's state; every test runs
// through both doors (local, and qsh as a client of `qsh serve`).
import Foundation
import Testing
import TestSupport

@Suite struct FailedTaskResultsTests {
    @Test(arguments: Door.allCases) func aPayloadProcessingErrorGivesItsReasons(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(text: TaskSandbox.badArity, name: "bad.qasm")
        #expect(try box.run(["worker", "--once"]).status == 0)
        let reason = "bad.qasm:4:1: 'cx' takes 2 quantum arguments, but got 1"
        let table = try box.run(["tasks", "results", String(id.prefix(8)), "-o", "table"])
        #expect(table.status == 3)
        #expect(table.stdout == "")
        #expect(table.stderr == "qsh: task '\(id)' has no results: it ended PayloadProcessingError (invalid_program): \(reason)\n")
        let json = try box.run(["tasks", "results", id, "-o", "json"])
        #expect(json.status == 3)
        #expect(json.stdout == "")
        let error = try J.parse(json.stderr)["error"]
        #expect(error["code"].string == "no_results")
        #expect(error["task_id"].string == id)
        #expect(error["task_status"].string == "PayloadProcessingError")
        #expect(error["error_class"].string == "invalid_program")
        #expect(error["error_reasons"].array.compactMap(\.string) == [reason])
    }

    @Test(.enabled(if: TaskSandbox.sqlite3 != nil), arguments: Door.allCases)
    func aFailedRunGivesItsReasonsNotItsPartialCounts(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(["--shots", "100"])
        #expect(try box.run(["worker", "--once"]).status == 0)
        // A run that failed half-way leaves partial counts behind (forged here: the
        // worker's own failures cannot be provoked from outside).
        let forged = try box.sqlite(
            "UPDATE tasks SET task_status = 'Failed', error_class = 'execution_error', "
                + "error_reasons = '[\"the simulator stopped\"]' WHERE id = '\(id)'; "
                + "UPDATE runs SET partial = 1, shots_done = 40 WHERE task_id = '\(id)'")
        #expect(forged.status == 0)
        let table = try box.run(["tasks", "results", id, "-o", "table"])
        #expect(table.status == 3)
        #expect(table.stdout == "")
        #expect(table.stderr == "qsh: task '\(id)' has no results: it ended Failed (execution_error): the simulator stopped\n")
        let json = try box.run(["tasks", "results", id, "-o", "json"])
        #expect(json.status == 3)
        let error = try J.parse(json.stderr)["error"]
        #expect(error["task_status"].string == "Failed")
        #expect(error["error_class"].string == "execution_error")
        #expect(error["error_reasons"].array.compactMap(\.string) == ["the simulator stopped"])
    }

    @Test(arguments: Door.allCases) func aCancelledOrWaitingTaskKeepsTheShortMessage(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit()
        let waiting = try box.run(["tasks", "results", id, "-o", "json"])
        #expect(waiting.status == 1)
        #expect(waiting.stderr == "{\"error\": {\"code\": \"no_results\", \"message\": \"task '\(id)' has no results (it is Created)\", \"task_id\": \"\(id)\"}}\n")
        #expect(try box.run(["tasks", "cancel", id]).status == 0)
        let cancelled = try box.run(["tasks", "results", id, "-o", "table"])
        #expect(cancelled.status == 6)
        #expect(cancelled.stderr == "qsh: task '\(id)' has no results (it is Cancelled)\n")
    }
}
