// The task commands against a client double: what they ask the client, how they render
// what it returns, and which exit status each answer and each error gives.
import QshCore
import Testing
import TestSupport
@testable import qsh

@Suite struct TaskCommandTests {
    let a = "550e8400-e29b-41d4-a716-446655440000"
    let b = "66660000-e29b-41d4-a716-446655440000"
    let c = "77770000-e29b-41d4-a716-446655440000"

    func run(_ words: [String], _ client: TaskClientDouble, tty: Bool = false) -> (QshCore.ExitStatus, CommandContext) {
        let context = CommandContext.capturing(client: client, tty: tty)
        return (Dispatcher.run(words, context: context), context)
    }

    @Test func getRendersTheTaskTheClientReturns() {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .completed)
        let (status, context) = run(["tasks", "get", "550e8400", "-o", "json"], client)
        #expect(status == .ok)
        #expect(context.stdout.text == client.tasks[a]!.wireJSON.prettySerialized() + "\n")
        #expect(client.calls == ["get 550e8400"])
    }

    @Test func taskErrorsGiveTheirCodesStatusAndDetails() {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .created)
        client.tasks["550e0000-0000-4000-8000-000000000000"] = TaskClientDouble.task(
            "550e0000-0000-4000-8000-000000000000", .created)
        var (status, context) = run(["tasks", "get", "abcd", "-o", "json"], client)
        #expect(status == .notFound)
        #expect(context.stderr.text
            == #"{"error": {"code": "not_found", "message": "task 'abcd' not found", "task_id": "abcd"}}"# + "\n")
        (status, context) = run(["tasks", "get", "550e", "-o", "json"], client)
        #expect(status == .usage)
        #expect(context.stderr.text.hasPrefix(#"{"error": {"code": "ambiguous_id", "#))
        #expect(context.stderr.text.contains(#""candidates": ["550e0000-0000-4000-8000-000000000000", "550e8400"#))
    }

    @Test func anInvalidIDNeverReachesTheClient() {
        let client = TaskClientDouble()
        let (status, context) = run(["tasks", "results", "zz"], client)
        #expect(status == .usage)
        #expect(context.stderr.text.hasPrefix("qsh: 'zz' is not a task id"))
        #expect(client.calls.isEmpty)
    }

    @Test(arguments: [
        (TaskStatus.failed, QshCore.ExitStatus.taskFailed), (.payloadProcessingError, .taskFailed),
        (.cancelled, .cancelled), (.created, .failure),
    ])
    func resultsOfATaskWithoutThemExitWithItsEnd(state: TaskStatus, expected: QshCore.ExitStatus) throws {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, state)
        let (status, context) = run(["tasks", "results", a, "-o", "json"], client)
        #expect(status == expected)
        #expect(context.stdout.text == "")
        let error = try JSONValue.parse(context.stderr.text)
        guard case .object(let members) = error, case .object(let inner)? = members.first?.1 else {
            Issue.record("not an error object: \(context.stderr.text)")
            return
        }
        #expect(inner.first { $0.0 == "code" }?.1 == .string("no_results"))
        #expect(inner.contains { $0.0 == "error_class" } == state.isUnsuccessful)
    }

    @Test func cancelGoesOnAfterARefusalAndExitsWithTheFirstError() {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .created)
        client.tasks[b] = TaskClientDouble.task(b, .executionStarted)
        client.tasks[c] = TaskClientDouble.task(c, .completed)
        client.executing = [b]
        let (status, context) = run(["tasks", "cancel", a, b, c, "-o", "tsv"], client)
        #expect(status == .failure)
        #expect(client.calls == ["cancel \(a)", "cancel \(b)", "cancel \(c)"])
        #expect(context.stdout.text.split(separator: "\n").map { $0.split(separator: "\t")[1] } == ["Cancelled", "Completed"])
        #expect(context.stderr.text == """
            cancelled task \(a)
            qsh: task '\(b)' cannot be cancelled: it is ExecutionStarted and execution has started
            task \(c) already ended: it is Completed

            """)
    }

    @Test func waitStreamsTheEventsAndExitsWithTheEnd() {
        let client = TaskClientDouble()
        let created = TaskClientDouble.task(a, .created)
        let running = TaskClientDouble.task(a, .executionStarted, shotsDone: 40)
        let failed = TaskClientDouble.task(a, .failed)
        client.tasks[a] = created
        let seen = Timestamp(milliseconds: 1_769_421_601_000)
        client.followEvents = [.status(created), .status(running), .progress(running, observed: seen), .status(failed)]
        client.followOutcome = .finished([failed])
        let (status, context) = run(["tasks", "wait", "550e8400", "-o", "ndjson", "--timeout", "5"], client)
        #expect(status == .taskFailed)
        #expect(client.calls == ["get 550e8400", "follow \(a)"])
        #expect(client.followTimeouts == [5])
        #expect(context.stdout.text == [
            TaskRenderer.streamEvent(created, kind: "status", observed: seen),
            TaskRenderer.streamEvent(running, kind: "status", observed: seen),
            TaskRenderer.streamEvent(running, kind: "progress", observed: seen),
            TaskRenderer.streamEvent(failed, kind: "status", observed: seen),
            failed.wireJSON.serialized() + "\n",
        ].joined())
    }

    @Test func waitTakesTheWorstEndOfSeveralTasks() {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .completed)
        client.tasks[b] = TaskClientDouble.task(b, .cancelled)
        client.followOutcome = .finished([client.tasks[a]!, client.tasks[b]!])
        let (status, context) = run(["tasks", "wait", a, b, "-o", "json"], client)
        #expect(status == .cancelled)
        #expect(context.stdout.text.hasPrefix("[\n"))
    }

    @Test func aTimeoutSaysWhatIsPendingAndThatNoWorkerRuns() {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .created)
        client.followOutcome = .timedOut([client.tasks[a]!], noWorker: true)
        let (status, context) = run(["tasks", "wait", a, "--timeout", "5s"], client)
        #expect(status == .timedOut)
        #expect(context.stdout.text == "")
        #expect(context.stderr.text == "qsh: timed out after 5.0s: task '\(a)' is still Created, and no worker is "
            + "running: start one with 'qsh worker' ('tasks submit' starts one unless --no-autostart or "
            + "QSH_NO_AUTOSTART=1)\n")
    }

    @Test func ctrlCWithCancelOnInterruptCancelsWhatHasNotEnded() {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .created)
        client.tasks[b] = TaskClientDouble.task(b, .completed)
        client.followOutcome = .interrupted([client.tasks[a]!, client.tasks[b]!])
        let (status, context) = run(["tasks", "wait", a, b, "--cancel-on-interrupt"], client)
        #expect(status == .interrupted)
        #expect(client.calls.suffix(1) == ["cancel \(a)"])
        #expect(context.stderr.text == "qsh: stopped waiting and asked to cancel: 550e8400 is Cancelled\n")
    }

    @Test func submitSendsTheOptionsAndPrintsTheReceipt() throws {
        let dir = try TempDirectory()
        let path = try dir.write("bell.qasm", "OPENQASM 2.0;\nqreg q[1];\n")
        let client = TaskClientDouble()
        client.submitWarnings = ["cannot start a worker (no such file); run 'qsh worker' to process tasks"]
        let (status, context) = run(
            ["tasks", "submit", path, "--shots", "10", "--seed", "3", "--tag", "k=v", "--name", "n", "-o", "json"],
            client)
        #expect(status == .ok)
        let submission = try #require(client.submissions.first)
        #expect(submission.shots == 10 && submission.seed == 3 && submission.name == "n")
        #expect(submission.tags == ["k": "v"] && submission.qpuID == "sim:statevector")
        #expect(submission.program.main.name == path)
        let task = try #require(client.tasks.values.first)
        #expect(context.stdout.text == task.wireJSON.prettySerialized() + "\n")
        #expect(context.stderr.text == "submitted task \(task.id)\nqsh: warning: " + client.submitWarnings[0] + "\n")
    }

    @Test func submitWaitShowsTheResultsOfACompletedTask() throws {
        let dir = try TempDirectory()
        let path = try dir.write("bell.qasm", "OPENQASM 2.0;\nqreg q[1];\n")
        let client = TaskClientDouble()
        let id = "00000000-0000-4000-8000-000000000001"
        let done = TaskClientDouble.task(id, .completed)
        let result = TaskResult(
            taskID: id, shots: 100, shotsDone: 100, partial: false,
            registers: [RegisterCounts(name: "c", width: 1, counts: ["0": 100])])
        client.results[id] = result
        client.followOutcome = .finished([done])
        let (status, context) = run(["tasks", "submit", path, "--wait", "-q", "-o", "ndjson"], client)
        #expect(status == .ok)
        // -q: the id alone, no stream and no final document.
        #expect(context.stdout.text == id + "\n")
        let (loud, output) = run(["tasks", "submit", path, "--wait", "-o", "ndjson"], client)
        #expect(loud == .ok)
        #expect(output.stdout.text == done.wireJSON.serialized() + "\n" + result.wireJSON.serialized() + "\n")
    }

    @Test func anUnknownQPUIsAUsageErrorBeforeAnythingIsRead() {
        let client = TaskClientDouble()
        let (status, context) = run(["tasks", "submit", "missing.qasm", "--qpu", "sim:statevectr"], client)
        #expect(status == .usage)
        #expect(context.stderr.text.hasPrefix(
            "qsh: unknown QPU 'sim:statevectr'; see 'qsh qpus list' (did you mean 'sim:statevector'?)\n"))
        #expect(client.calls == ["qpus"])
    }

    @Test func aDryRunShowsTheVerdictAndFailsWithItsClass() throws {
        let dir = try TempDirectory()
        let path = try dir.write("bell.qasm", "OPENQASM 2.0;\nqreg q[1];\n")
        let client = TaskClientDouble()
        client.verdict = DryRunVerdict(qpuID: "sim:statevector", shots: 1000, circuit: CircuitSize(qubits: 2, clbits: 2, operations: 4))
        var (status, context) = run(["tasks", "submit", path, "--dry-run", "-o", "table"], client)
        #expect(status == .ok)
        #expect(context.stdout.text == "ok: \(path) is valid for sim:statevector (2 qubits, 2 bits, 4 operations)\n")
        client.verdict = DryRunVerdict(
            qpuID: "sim:statevector", shots: 1000, errorClass: .resourceLimit, reasons: ["the program uses 40 qubits"])
        (status, context) = run(["tasks", "submit", path, "--dry-run", "-o", "table"], client)
        #expect(status == .failure)
        #expect(context.stderr.text == "qsh: the program uses 40 qubits\n")
        #expect(!client.calls.contains("submit"))
    }

    @Test func listAsksForTheQueryTheOptionsDescribe() throws {
        let client = TaskClientDouble()
        client.page = TaskPage(tasks: [TaskClientDouble.task(a, .completed)], page: 2, size: 1, total: 11)
        let (status, context) = run(
            ["tasks", "list", "--status", "Completed,failed", "--tag", "k=v", "--limit", "5", "--page", "2", "-o", "json"],
            client)
        #expect(status == .ok)
        let query = try #require(client.queries.first)
        #expect(query.statuses == [.completed, .failed] && query.limit == 5 && query.page == 2)
        #expect(query.tags.map { "\($0.0)=\($0.1)" } == ["k=v"])
        #expect(context.stdout.text == client.page.wireJSON.prettySerialized() + "\n")
    }

    @Test func qpusComeFromTheClient() {
        let client = TaskClientDouble()
        client.qpuList.append(
            QPUInfo(id: "remote:x", summary: "far away",
                    capabilities: QPUCapabilities(maxQubits: 5, maxShots: 10, memoryLimit: 1 << 20,
                                                  supportsMidCircuitMeasurement: false)))
        var (status, context) = run(["qpus", "list", "-o", "tsv"], client)
        #expect(status == .ok)
        #expect(context.stdout.text.hasSuffix("remote:x\tonline\t0\t5\t10\t1048576\tfalse\tdouble\t\tfar away\n"))
        (status, context) = run(["qpus", "get", "remote:y", "-o", "json"], client)
        #expect(status == .notFound)
        #expect(context.stderr.text == #"{"error": {"code": "not_found", "message": "QPU 'remote:y' not found"}}"# + "\n")
    }
}

/// The QPU commands and `tasks get`'s queue and diagnostics, against the client double.
@Suite struct QPUCommandTests {
    let a = "550e8400-e29b-41d4-a716-446655440000"

    func run(_ words: [String], _ client: TaskClientDouble) -> (QshCore.ExitStatus, CommandContext) {
        let context = CommandContext.capturing(client: client)
        return (Dispatcher.run(words, context: context), context)
    }

    @Test func pauseAndResumeAskTheClientAndPrintTheStatus() {
        let client = TaskClientDouble()
        var (status, context) = run(["qpus", "pause", "sim:statevector", "-o", "tsv"], client)
        #expect(status == .ok)
        #expect(context.stdout.text == "sim:statevector\tpaused\t0\t30\t100000000\t1073741824\ttrue\tdouble\t\tstate vector\n")
        #expect(context.stderr.text == "qpu sim:statevector paused\n")
        (status, context) = run(["qpus", "resume", "sim:statevector", "-o", "json"], client)
        #expect(status == .ok)
        #expect(context.stderr.text == "qpu sim:statevector online\n")
        #expect(context.stdout.text.contains("\"status\": \"online\",\n  \"status_date\": \"2026-01-26T10:00:00Z\""))
        (status, context) = run(["qpus", "pause", "sim:nope"], client)
        #expect(status == .notFound)
        #expect(context.stderr.text == "qsh: QPU 'sim:nope' not found\n")
        #expect(client.calls == ["qpus", "pause sim:statevector", "qpus", "resume sim:statevector", "qpus"])
    }

    @Test func getShowsAWaitingTasksPlaceInItsQueue() {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .scheduled)
        client.positions[a] = QueuePosition(position: 2, length: 3)
        client.statuses["sim:statevector"] = QPUStatus(paused: true, since: nil, queued: 3)
        var (status, context) = run(["tasks", "get", a, "-o", "json"], client)
        #expect(status == .ok)
        #expect(context.stdout.text.hasSuffix(
            "\"queue\": {\n    \"position\": 2,\n    \"length\": 3,\n    \"qpu_status\": \"paused\"\n  }\n}\n"))
        (status, context) = run(["tasks", "get", a, "-o", "table"], client)
        #expect(context.stdout.text.contains("\nqueue:   2 of 3 for sim:statevector (paused)\n"))
        // An ended task has no place in a queue, and the client is not asked.
        client.tasks[a] = TaskClientDouble.task(a, .completed)
        (status, context) = run(["tasks", "get", a, "-o", "json"], client)
        #expect(context.stdout.text == client.tasks[a]!.wireJSON.prettySerialized() + "\n")
        #expect(client.calls.filter { $0.hasPrefix("queuePosition") }.count == 2)
    }

    @Test func getWithDiagnosticsShowsEveryRunAndTheCompilesDiagnostics() throws {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .completed)
        let result = TaskResult(
            taskID: a, shots: 100, shotsDone: 100, partial: false, registers: [],
            timings: [("queued", 0.5), ("compile", 0.25), ("execute", 1), ("total", 1.75)],
            metrics: .object([("qubits", .int(2)), ("gates", .object([("h", .int(1))]))]),
            metadata: .object([("qsh_version", "0.1.0"), ("simd", "avx2")]))
        client.runs[a] = [
            TaskRun(
                id: "r1", taskID: a, attempt: 1, compilationID: "c1", worker: "pid 1 on h",
                started: TaskClientDouble.time, ended: TaskClientDouble.time, result: result)
        ]
        var (status, context) = run(["tasks", "get", a, "--diagnostics", "-o", "json"], client)
        #expect(status == .ok)
        let document = try JSONValue.parse(context.stdout.text)
        #expect(document["runs"]?.arrayValue?.count == 1)
        #expect(document["runs"]?.arrayValue?.first?["timings"] == JSONValue.object([
            ("queued", .double(0.5)), ("compile", .double(0.25)), ("execute", .double(1)), ("total", .double(1.75)),
        ]))
        #expect(document["runs"]?.arrayValue?.first?["metadata"]?["simd"] == "avx2")
        #expect(document["diagnostics"] == .array([]))
        (status, context) = run(["tasks", "get", a, "--diagnostics", "-o", "table"], client)
        #expect(context.stdout.text.hasSuffix("""

            run 1: started 2026-01-26T10:00:00Z, ended 2026-01-26T10:00:00Z by pid 1 on h
              timings:  queued 500ms, compile 250ms, execute 1.0s, total 1.75s
              metrics:  qubits 2, gates {h 1}
              metadata: qsh_version 0.1.0, simd avx2

            """))
        (status, context) = run(["tasks", "get", a, "--diagnostics", "--wait"], client)
        #expect(status == .usage)
    }
}
