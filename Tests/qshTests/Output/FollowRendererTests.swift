// The renderers of a follow, each fed the same events: the terminal's progress line and
// note, the NDJSON stream, and the final document in every form.
import QshCore
import Testing
@testable import qsh

@Suite struct FollowRendererTests {
    let a = "550e8400-e29b-41d4-a716-446655440000"
    let b = "66660000-e29b-41d4-a716-446655440000"

    var created: QuantumTask { TaskClientDouble.task(a, .created) }
    var running: QuantumTask { TaskClientDouble.task(a, .executionStarted, shotsDone: 30) }
    var done: QuantumTask { TaskClientDouble.task(a, .completed) }
    var result: TaskResult {
        TaskResult(
            taskID: a, shots: 100, shotsDone: 100, partial: false,
            registers: [RegisterCounts(name: "c", width: 1, counts: ["0": 60, "1": 40])])
    }

    @Test func theTerminalShowsProgressForOneTaskAndClearsIt() {
        let stderr = OutputStream.capturing()
        let renderer = TerminalFollowRenderer(stderr: stderr, showProgress: true, single: true)
        renderer.show(.status(created))
        renderer.show(.progress(running, observed: TaskClientDouble.time))
        renderer.stop()
        #expect(stderr.text == "\r\u{1B}[Ktask 550e8400: Created\r\u{1B}[Ktask 550e8400: ExecutionStarted 30/100 shots\r\u{1B}[K")
    }

    @Test func theNoteThatNoWorkerRunsIsShownEvenWithoutProgress() {
        let stderr = OutputStream.capturing()
        let renderer = TerminalFollowRenderer(stderr: stderr, showProgress: false, single: true)
        renderer.show(.status(created))
        renderer.show(.unattended(created))
        renderer.stop()
        #expect(stderr.text == "qsh: no worker is running: task 550e8400 stays Created until one starts "
            + "('qsh worker', or autostart on submit)\n")
    }

    @Test func severalTasksGetNoProgressLine() {
        let stderr = OutputStream.capturing()
        let renderer = TerminalFollowRenderer(stderr: stderr, showProgress: true, single: false)
        renderer.show(.status(created))
        renderer.stop()
        #expect(stderr.text == "")
    }

    @Test func theStreamHasAnEventPerLineThenTheTaskAndItsResults() {
        let stdout = OutputStream.capturing()
        let renderer = StreamFollowRenderer(stdout: stdout)
        let seen = Timestamp(milliseconds: 1_769_421_605_000)
        renderer.show(.status(created))
        renderer.show(.unattended(created))
        renderer.show(.progress(running, observed: seen))
        renderer.showEnd([done], result: result)
        let lines = stdout.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix(#"{"event": "status", "id": "550e8400-e29b-41d4-a716-446655440000", "task_status": "Created""#))
        #expect(lines[1].hasPrefix(#"{"event": "progress""#) && lines[1].hasSuffix(#""at": "2026-01-26T10:00:05Z"}"#))
        #expect(lines[2] == done.wireJSON.serialized())
        #expect(lines[3] == result.wireJSON.serialized())
    }

    @Test func jsonIsOneObjectWithItsResultsOrAnArrayForAList() {
        let stdout = OutputStream.capturing()
        DocumentFollowRenderer(stdout: stdout, format: .json, list: false, color: false).showEnd([done], result: result)
        guard case .object(var members) = done.wireJSON else { return }
        members.append(("results", result.wireJSON))
        #expect(stdout.text == JSONValue.object(members).prettySerialized() + "\n")
        let list = OutputStream.capturing()
        DocumentFollowRenderer(stdout: list, format: .json, list: true, color: false).showEnd([done], result: nil)
        #expect(list.text == JSONValue.array([done.wireJSON]).prettySerialized() + "\n")
    }

    @Test func aTableShowsOneTasksFieldsAndCountsOrARowPerTask() {
        let stdout = OutputStream.capturing()
        DocumentFollowRenderer(stdout: stdout, format: .table, list: true, color: false).showEnd([done], result: result)
        #expect(stdout.text == TaskRenderer.task(done, format: .table, color: false) + "\n"
            + TaskRenderer.result(result, format: .table, color: false))
        let two = OutputStream.capturing()
        let other = TaskClientDouble.task(b, .failed)
        DocumentFollowRenderer(stdout: two, format: .wide, list: true, color: false).showEnd([done, other], result: nil)
        #expect(two.text == TaskRenderer.tasks([done, other], page: nil, format: .wide, color: false))
    }

    @Test func csvAndTsvAreRowsWithoutResults() {
        for format in [OutputFormat.csv, .tsv] {
            let stdout = OutputStream.capturing()
            DocumentFollowRenderer(stdout: stdout, format: format, list: false, color: false).showEnd([done], result: result)
            #expect(stdout.text == TaskRenderer.tasks([done], page: nil, format: format, color: false))
        }
    }
}
