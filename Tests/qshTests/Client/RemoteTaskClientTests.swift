// The HTTP client against a scripted transport: the request each TaskClient operation sends
// (method, URL, headers, body), what it makes of the answer, the errors it maps back to the
// local ones, retries with backoff, idempotency keys, the event streams, and the cache
// (hits without a request, misses, --offline).
import QshCore
import Testing
import TestSupport
@testable import qsh

@Suite struct RemoteTaskClientTests {
    static let server = try! ServerAddress("http://127.0.0.1:8080/")
    static let id = "550e8400-e29b-41d4-a716-446655440000"

    final class Sleeps: @unchecked Sendable { var seconds: [Double] = [] }

    /// A client on `transport`, with a cache in `dir` (nil: none).
    static func client(
        _ transport: HTTPTransportDouble, dir: TempDirectory? = nil, offline: Bool = false, sleeps: Sleeps = Sleeps()
    ) -> RemoteTaskClient {
        RemoteTaskClient(
            server: server, token: "qsh_secret", transport: transport,
            cache: dir.map { ResultCache(server: server, folder: $0.path + "/cache") }, offline: offline,
            sleep: { sleeps.seconds.append($0) }, makeKey: { "generated-key" })
    }

    static func task(_ status: TaskStatus) -> QuantumTask { TaskClientDouble.task(id, status) }

    @Test func getSendsTheTokenAndDecodesTheTask() throws {
        let transport = HTTPTransportDouble([.answer(200, Self.task(.completed).wireJSON)])
        let task = try Self.client(transport).get("550E8400")
        #expect(task == Self.task(.completed))
        #expect(transport.lines == ["GET http://127.0.0.1:8080/v2/tasks/550e8400"])
        #expect(transport.requests[0].header("authorization") == "Bearer qsh_secret")
        #expect(transport.requests[0].header("accept") == "application/json")
    }

    @Test func aWaitingTasksQueueComesWithItsGet() throws {
        guard case .object(var members) = Self.task(.scheduled).wireJSON else { return }
        members.append(("queue", ["position": 1, "length": 4, "qpu_status": "online"]))
        let transport = HTTPTransportDouble([.answer(200, .object(members))])
        let client = Self.client(transport)
        _ = try client.get(Self.id)
        #expect(try client.queuePosition(Self.id) == QueuePosition(position: 1, length: 4))
        #expect(transport.requests.count == 1)
    }

    @Test func listSendsTheFiltersAsTheQuery() throws {
        var query = TaskQuery()
        query.statuses = [.completed, .failed]
        query.tags = [("exp", "a b&c")]
        query.since = TaskClientDouble.time
        query.limit = 5
        query.page = 2
        query.sort = .shots
        query.descending = false
        let page = TaskPage(tasks: [Self.task(.completed)], page: 2, size: 5, total: 11)
        let transport = HTTPTransportDouble([.answer(200, page.wireJSON)])
        let got = try Self.client(transport).list(query)
        #expect(got.tasks == page.tasks && got.total == 11)
        #expect(transport.lines == [
            "GET http://127.0.0.1:8080/v2/tasks?status=Completed&status=Failed&tag=exp%3Da%20b%26c"
                + "&since=2026-01-26T10%3A00%3A00Z&sort=shots&page=2&size=5"
        ])
    }

    @Test func submitAlwaysSendsAnIdempotencyKeyAndTheRetrySendsTheSameOne() throws {
        let sleeps = Sleeps()
        let transport = HTTPTransportDouble([
            .failure(.broken, "Connection reset by peer"),
            .answer(200, Self.task(.created).wireJSON, headers: [("Idempotent-Replayed", "true")]),
        ])
        let program = ProgramSnapshot(
            main: SourceFile(name: "bell.qasm", text: "OPENQASM 2.0;\ninclude \"lib.inc\";\n"),
            includes: [IncludedFile(path: "lib.inc", result: .loaded(Array("gate g a { h a; }".utf8)))])
        let receipt = try Self.client(transport, sleeps: sleeps).submit(
            TaskSubmission(program: program, qpuID: "sim:statevector", shots: 100, seed: 7, name: "b", tags: ["k": "v"]))
        #expect(receipt.task == Self.task(.created))
        #expect(receipt.reused)
        #expect(transport.lines == Array(repeating: "POST http://127.0.0.1:8080/v2/sim-statevector/tasks", count: 2))
        #expect(transport.requests.map { $0.header("Idempotency-Key") } == ["generated-key", "generated-key"])
        #expect(sleeps.seconds == [0.1])
        let body = try JSONValue.parse(String(decoding: transport.requests[0].body ?? [], as: UTF8.self))
        #expect(body == [
            "program": "OPENQASM 2.0;\ninclude \"lib.inc\";\n", "program_name": "bell.qasm",
            "includes": ["lib.inc": "gate g a { h a; }"], "shots": 100, "seed": 7, "name": "b", "tags": ["k": "v"],
        ])
        #expect(transport.requests[0].header("Content-Type") == "application/json")
    }

    @Test func theUsersIdempotencyKeyIsSentAsGiven() throws {
        let transport = HTTPTransportDouble([.answer(201, Self.task(.created).wireJSON)])
        var submission = TaskSubmission(
            program: ProgramSnapshot(main: SourceFile(name: "b.qasm", text: "")), qpuID: "sim:statevector", shots: 1)
        submission.idempotencyKey = "mine-1"
        let receipt = try Self.client(transport).submit(submission)
        #expect(!receipt.reused)
        #expect(transport.requests[0].header("Idempotency-Key") == "mine-1")
    }

    @Test func getsRetryWithBackoffThenSayWhichServerCannotBeReached() throws {
        let sleeps = Sleeps()
        let transport = HTTPTransportDouble(Array(repeating: .failure(.connect, "Connection refused"), count: 4))
        do {
            _ = try Self.client(transport, sleeps: sleeps).get(Self.id)
            Issue.record("expected a failure")
        } catch let failure as CommandFailure {
            #expect(failure.code.rawValue == "network_error")
            #expect(failure.exitStatus == .failure)
            #expect(failure.message == "cannot reach the qsh server at 'http://127.0.0.1:8080': connection refused "
                + "(is 'qsh serve' running there? check --api or $QSH_API)")
        }
        #expect(sleeps.seconds == [0.1, 0.3, 0.9])
        #expect(transport.requests.count == 4)
    }

    @Test func gatewayErrorsAreRetriedAndAMissingDatabaseIsNot() throws {
        let sleeps = Sleeps()
        let transport = HTTPTransportDouble([
            .raw(502, "<html>bad gateway</html>"), .answer(503, errorBody("database_busy", "busy")),
            .answer(200, Self.task(.completed).wireJSON),
        ])
        #expect(try Self.client(transport, sleeps: sleeps).get(Self.id) == Self.task(.completed))
        #expect(sleeps.seconds == [0.1, 0.3])

        let noDatabase = HTTPTransportDouble([.answer(503, errorBody("no_database", "no task database at '/x'"))])
        #expect(throws: CommandFailure.self) { try Self.client(noDatabase).get(Self.id) }
        #expect(noDatabase.requests.count == 1)
    }

    @Test func aCancelIsSentOnceMoreOnlyWhenItsAnswerWasLost() throws {
        let transport = HTTPTransportDouble([
            .failure(.broken, "Empty reply from server"),
            .answer(200, CancelOutcome.alreadyTerminal(Self.task(.cancelled)).wireJSON),
        ])
        let outcome = try Self.client(transport).cancel(Self.id)
        guard case .alreadyTerminal(let task) = outcome else { Issue.record("\(outcome)"); return }
        #expect(task.status == .cancelled)
        #expect(transport.lines == Array(repeating: "POST http://127.0.0.1:8080/v2/tasks/\(Self.id)/cancel", count: 2))
    }

    @Test func aDeleteIsNeverRepeated() throws {
        let transport = HTTPTransportDouble([
            .answer(200, Self.task(.completed).wireJSON), .failure(.broken, "Connection reset by peer"),
        ])
        #expect(throws: CommandFailure.self) { try Self.client(transport).delete([Self.id], force: false) }
        #expect(transport.lines == [
            "GET http://127.0.0.1:8080/v2/tasks/\(Self.id)", "DELETE http://127.0.0.1:8080/v2/tasks/\(Self.id)",
        ])
    }

    // MARK: Errors

    @Test func serverErrorsBecomeTheLocalErrors() throws {
        func error(_ body: JSONValue, status: Int) -> Error? {
            let transport = HTTPTransportDouble([.answer(status, body)])
            do {
                _ = try Self.client(transport).cancel("550e")
                return nil
            } catch { return error }
        }
        let cases: [(TaskError, Int)] = [
            (.notFound(id: "550e"), 404),
            (.ambiguousPrefix(prefix: "550e", candidates: ["550e1", "550e2"]), 400),
            (.invalidID(text: "zz"), 400),
            (.cancelRefused(id: Self.id, status: .executionStarted), 409),
            (.noResults(id: Self.id, status: .failed, errorClass: .invalidProgram, reasons: ["r1", "r2"]), 409),
            (.noResults(id: Self.id, status: .executionStarted), 409),
            (.idempotencyMismatch(key: "k"), 409),
            (.batchNotFound(id: "7c9e"), 404),
            (.unknownQPU(id: "sim:nope"), 404),
            (.invalidRequest(reason: "shots must be between 1 and 100000, got 0"), 422),
        ]
        for (local, status) in cases {
            let body = ErrorReport.from(local)
            let json = errorBody(body.code.rawValue, body.message, body.details)
            let mapped = error(json, status: status)
            #expect(mapped as? TaskError == local, "\(local)")
            #expect((mapped as? TaskError)?.exitStatus == local.exitStatus)
        }
        // A code without a TaskError of its own is a failure with the server's words (rate_limited: exit 1;
        // a wait this long is not waited out).
        let limited = HTTPTransportDouble([
            .answer(429, errorBody("rate_limited", "too many requests; retry in 60s"), headers: [("Retry-After", "60")]),
        ])
        var unknown: CommandFailure?
        do { _ = try Self.client(limited).cancel("550e") } catch { unknown = error as? CommandFailure }
        #expect(unknown?.code.rawValue == "rate_limited" && unknown?.message == "too many requests; retry in 60s")
        #expect(unknown?.exitStatus == .failure)
        let unauthenticated = error(errorBody("unauthenticated", "missing or invalid token"), status: 401) as? CommandFailure
        #expect(unauthenticated?.message
            == "missing or invalid token; log in with 'qsh login http://127.0.0.1:8080' or set $QSH_TOKEN")
        let html = HTTPTransportDouble([.raw(404, "<html>not here</html>")])
        do {
            _ = try Self.client(html).cancel(Self.id)
        } catch let failure as CommandFailure {
            #expect(failure.message == "the qsh server at 'http://127.0.0.1:8080' answered 404 Not Found without a qsh "
                + "error; check that --api or $QSH_API names a qsh server")
        }
    }

    @Test func anAnswerOfTheWrongShapeNamesTheServer() {
        let transport = HTTPTransportDouble([.answer(200, ["id": 1])])
        do {
            _ = try Self.client(transport).get(Self.id)
            Issue.record("expected a failure")
        } catch let failure as CommandFailure {
            #expect(failure.message.hasPrefix("the qsh server at 'http://127.0.0.1:8080' answered with unexpected task JSON"))
        } catch { Issue.record("\(error)") }
    }

    @Test func libcurlMissingIsOneLine() {
        let failure = RemoteErrors.unreachable(TransportError(kind: .unavailable, detail: "x"), server: Self.server)
        #expect(failure.message == "client mode needs libcurl: cannot load 'libcurl.so.4' (install libcurl4)")
    }

    // MARK: Results, events and the cache

    @Test func resultsOfAFinishedTaskComeFromTheCacheTheSecondTime() throws {
        let dir = try TempDirectory()
        let result = TaskResult(taskID: Self.id, shots: 100, shotsDone: 100, partial: false, registers: [
            RegisterCounts(name: "c", width: 2, counts: ["00": 60, "11": 40]),
        ], timings: [("execute", 0.5)])
        let events = [TaskEvent(sequence: 1, taskID: Self.id, from: nil, to: .created, at: TaskClientDouble.time, actor: "cli", detail: nil),
                      TaskEvent(sequence: 5, taskID: Self.id, from: .executionCompleted, to: .completed, at: TaskClientDouble.time, actor: "worker w", detail: nil)]
        let transport = HTTPTransportDouble([
            .answer(200, Self.task(.completed).wireJSON), .answer(200, result.wireJSON),
            .answer(200, .array(events.map(\.wireJSON))),
        ])
        let first = try Self.client(transport, dir: dir).results(Self.id)
        #expect(first.result == result)
        #expect(try Self.client(transport, dir: dir).events(Self.id).events == events)
        #expect(transport.requests.count == 3)
        // Another process: every answer from the cache, no request.
        let again = HTTPTransportDouble()
        let client = Self.client(again, dir: dir)
        #expect(try client.get(Self.id) == Self.task(.completed))
        #expect(try client.results(Self.id).result == result)
        #expect(try client.events(Self.id).events == events)
        #expect(again.requests.isEmpty)
        // A prefix may match a task the cache does not hold: it asks the server.
        #expect(throws: CommandFailure.self) { try client.get("550e8400") }
        #expect(again.lines == Array(repeating: "GET http://127.0.0.1:8080/v2/tasks/550e8400", count: 4))
    }

    @Test func aTaskThatHasNotEndedIsNotCached() throws {
        let dir = try TempDirectory()
        let transport = HTTPTransportDouble([
            .answer(200, Self.task(.executionStarted).wireJSON), .answer(200, Self.task(.executionStarted).wireJSON),
        ])
        _ = try Self.client(transport, dir: dir).get(Self.id)
        _ = try Self.client(transport, dir: dir).get(Self.id)
        #expect(transport.requests.count == 2)
    }

    @Test func offlineAnswersOnlyFromTheCache() throws {
        let dir = try TempDirectory()
        let transport = HTTPTransportDouble([.answer(200, Self.task(.failed).wireJSON)])
        _ = try Self.client(transport, dir: dir).get(Self.id)
        let offline = Self.client(transport, dir: dir, offline: true)
        #expect(try offline.get("550e") == Self.task(.failed))
        // A failed task's missing results are known without the server, as locally.
        #expect(throws: TaskError.noResults(
            id: Self.id, status: .failed, errorClass: .invalidProgram, reasons: Self.task(.failed).errorReasons)) {
            try offline.results(Self.id)
        }
        do {
            _ = try offline.get("aaaa")
            Issue.record("expected a failure")
        } catch let failure as CommandFailure {
            #expect(failure.message == "--offline: the task of task 'aaaa' is not in the cache of "
                + "'http://127.0.0.1:8080'; only finished tasks read before are; leave out --offline to ask the server")
        }
        do {
            _ = try offline.list(TaskQuery())
            Issue.record("expected a failure")
        } catch let failure as CommandFailure {
            #expect(failure.message.hasPrefix("--offline: this needs the qsh server at 'http://127.0.0.1:8080'"))
        }
        #expect(transport.requests.count == 1)
    }

    @Test func aCacheThatCannotBeOpenedIsIgnored() throws {
        let dir = try TempDirectory()
        _ = try dir.write("cache", "a file where the folder should be")
        let transport = HTTPTransportDouble([.answer(200, Self.task(.completed).wireJSON)])
        #expect(try Self.client(transport, dir: dir).get(Self.id) == Self.task(.completed))
    }

    // MARK: Following

    @Test func followReadsTheEventStream() throws {
        var running = Self.task(.executionStarted)
        running.shotsDone = 40
        let progress = JSONValue.object([("task", running.wireJSON), ("observed", "2026-01-26T10:00:05Z")])
        let transport = HTTPTransportDouble([.stream([
            ": keep-alive", "", "event: status", "data: " + Self.task(.created).wireJSON.serialized(), "",
            "event: status", "data: " + Self.task(.created).wireJSON.serialized(), "",
            "event: status", "data: " + Self.task(.executionStarted).wireJSON.serialized(), "",
            "event: progress", "data: " + progress.serialized(), "",
            "event: status", "data: " + Self.task(.completed).wireJSON.serialized(), "",
            "event: end", "data: {}", "",
        ])])
        var seen: [String] = []
        let outcome = try Self.client(transport).follow([Self.id], timeout: 10, pause: { _ in true }) { event in
            switch event {
            case .status(let t): seen.append("status \(t.status.rawValue)")
            case .progress(let t, let at): seen.append("progress \(t.shotsDone) \(at.rfc3339)")
            case .unattended(let t): seen.append("unattended \(t.status.rawValue)")
            }
        }
        #expect(seen == [
            "status Created", "status ExecutionStarted", "progress 40 2026-01-26T10:00:05Z", "status Completed",
        ])
        guard case .finished(let tasks) = outcome else { Issue.record("\(outcome)"); return }
        #expect(tasks == [Self.task(.completed)])
        #expect(transport.lines == ["GET http://127.0.0.1:8080/v2/events?task_id=\(Self.id)"])
        #expect(transport.requests[0].header("Accept") == "text/event-stream")
    }

    @Test func aStreamThatBreaksIsOpenedAgainAndCtrlCStopsIt() throws {
        let created = Self.task(.created).wireJSON.serialized()
        let transport = HTTPTransportDouble([
            .stream(["event: status", "data: " + created, ""]),
            .stream(["event: status", "data: " + created, "", "event: unattended", "data: " + created, "",
                     "event: end", "data: {}", ""]),
        ])
        var seen = 0
        var unattended = 0
        let outcome = try Self.client(transport).follow([Self.id], timeout: .infinity, pause: { _ in true }) { event in
            if case .unattended = event { unattended += 1 } else { seen += 1 }
        }
        #expect(seen == 1 && unattended == 1)
        guard case .finished = outcome else { Issue.record("\(outcome)"); return }

        let interrupted = HTTPTransportDouble([.stream(["event: status", "data: " + created, "", ": keep-alive"])])
        var looks = 0
        let stopped = try Self.client(interrupted).follow([Self.id], timeout: .infinity, pause: { _ in
            looks += 1
            return looks < 4  // the status message gets through, then Ctrl-C
        }) { _ in }
        guard case .interrupted(let tasks) = stopped else { Issue.record("\(stopped)"); return }
        #expect(tasks.map(\.status) == [.created])
    }

    @Test func followBatchReportsChangedCounts() throws {
        let batch = Batch(id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", createdBy: "a", createdDate: TaskClientDouble.time, size: 2)
        let first = BatchSummary(batch: batch, counts: [.created: 2])
        let last = BatchSummary(batch: batch, counts: [.completed: 2])
        let transport = HTTPTransportDouble([.stream([
            "event: batch", "data: " + first.wireJSON.serialized(), "",
            "event: batch", "data: " + first.wireJSON.serialized(), "",
            "event: batch", "data: " + last.wireJSON.serialized(), "", "event: end", "data: {}", "",
        ])])
        var seen: [BatchSummary] = []
        let outcome = try Self.client(transport).followBatch(
            batch.id, timeout: 5, pause: { _ in true }, receive: { seen.append($0) }, unattended: { _ in })
        #expect(seen == [first, last])
        guard case .finished(let summary) = outcome else { Issue.record("\(outcome)"); return }
        #expect(summary == last)
        #expect(transport.lines == ["GET http://127.0.0.1:8080/v2/batches/\(batch.id)/events"])
    }

    // MARK: The other operations

    @Test func batchesQPUsHistoryAndHousekeepingUseTheirRoutes() throws {
        let batch = Batch(id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", name: "n", createdBy: "a", createdDate: TaskClientDouble.time, size: 1)
        let summary = BatchSummary(batch: batch, counts: [.completed: 1])
        let item = BatchItem(label: "x", task: Self.task(.completed))
        let detail = BatchDetail(summary: summary, items: [item])
        let result = BatchResults(summary: summary, items: [(item, TaskResult(
            taskID: Self.id, shots: 100, shotsDone: 100, partial: false,
            registers: [RegisterCounts(name: "c", width: 1, counts: ["1": 100])]))])
        let qpu = QPUInfo(id: "sim:native", summary: "native", capabilities: QPUCapabilities(
            maxQubits: 5, maxShots: 100, memoryLimit: 1 << 20, supportsMidCircuitMeasurement: false,
            nativeGates: [.h, .cx], couplingMap: CouplingMap([(0, 1)]), precisions: [.single, .double]))
        let paused = QPUStatus(paused: true, since: TaskClientDouble.time, queued: 2)
        let history = TaskHistory(lineageID: Self.id, entries: [(Self.task(.completed), nil)])
        let transport = HTTPTransportDouble([
            .answer(201, summary.wireJSON), .answer(200, detail.wireJSON), .answer(200, detail.wireJSON),
            .answer(200, result.wireJSON), .answer(200, BatchPage(batches: [summary], page: 0, total: 1).wireJSON),
            .answer(200, ["elements": [QpusCommand.json(qpu, status: paused)]]),
            .answer(200, QpusCommand.json(qpu, status: paused)), .answer(200, history.wireJSON),
            .answer(200, PruneSummary(dryRun: true, ids: [Self.id]).wireJSON),
            .answer(200, Self.task(.created).wireJSON),
        ])
        let client = Self.client(transport)
        let receipt = try client.submitBatch(BatchSubmission(name: "n", items: [
            ("x", TaskSubmission(program: ProgramSnapshot(main: SourceFile(name: "x.qasm", text: "q")), qpuID: "sim:native", shots: 3)),
        ]))
        #expect(receipt.summary == summary)
        #expect(try client.batchDetail("7c9e").items.map(\.label) == ["x"])
        let results = try client.batchResults("7c9e")
        #expect(results.completed.map(\.item.label) == ["x"])
        #expect(try client.batches(limit: 10, page: 0).batches == [summary])
        #expect(try client.qpus() == [qpu])
        #expect(try client.qpuStatuses() == ["sim:native": paused])
        #expect(try client.setQPUPaused("sim:native", paused: true) == paused)
        #expect(try client.history("550e").entries.map(\.task.id) == [Self.id])
        #expect(try client.prune(PruneFilter(statuses: [.failed]), dryRun: true) == [Self.id])
        _ = try client.rerun("550e", RerunSubmission(shots: 5, newSeed: true))
        #expect(transport.lines == [
            "POST http://127.0.0.1:8080/v2/batches",
            "GET http://127.0.0.1:8080/v2/batches/7c9e?items=true",
            "GET http://127.0.0.1:8080/v2/batches/7c9e?items=true",
            "GET http://127.0.0.1:8080/v2/batches/\(batch.id)/results",
            "GET http://127.0.0.1:8080/v2/batches?page=0&size=10",
            "GET http://127.0.0.1:8080/v2/qpus",
            "POST http://127.0.0.1:8080/v2/qpus/sim%3Anative/pause",
            "GET http://127.0.0.1:8080/v2/tasks/550e/history",
            "POST http://127.0.0.1:8080/v2/prune",
            "POST http://127.0.0.1:8080/v2/tasks/550e/rerun",
        ])
        #expect(transport.requests[0].header("Idempotency-Key") == "generated-key")
        let batchBody = try JSONValue.parse(String(decoding: transport.requests[0].body ?? [], as: UTF8.self))
        #expect(batchBody["items"]?.arrayValue?.first?["label"] == "x")
        #expect(batchBody["items"]?.arrayValue?.first?["qpu"] == "sim:native")
        let rerunBody = try JSONValue.parse(String(decoding: transport.requests[9].body ?? [], as: UTF8.self))
        #expect(rerunBody == ["shots": 5, "new_seed": true])
    }
}
