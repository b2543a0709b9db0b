// The wire decoders are the inverses of the encoders: for representative values (every
// state, optional members present and absent, seeds beyond Int.max, nested results,
// batches, lineages), encode -> decode gives the value back, and encode -> decode ->
// encode gives the same bytes; a document of the wrong shape names the member.
import QshCore
import Testing

@Suite struct WireDecodingTests {
    static let t0 = Timestamp(milliseconds: 1_769_421_600_000)
    static let t1 = Timestamp(milliseconds: 1_769_421_690_000)

    static func task(_ status: TaskStatus, seed: UInt64 = 7, extras: Bool = false) -> QuantumTask {
        var task = QuantumTask(
            id: "550e8400-e29b-41d4-a716-446655440000", status: status, qpuID: "sim:statevector", shots: 1000, seed: seed,
            definitionID: "def", createdBy: "alice", createdDate: t0, updatedDate: t1)
        if extras {
            task.name = "bell \"quoted\""
            task.tags = ["exp": "a,b", "z": ""]
            task.compilationID = "comp"
            task.scheduledDate = t0
            task.startedDate = t1
            task.endedDate = t1
            task.shotsDone = 1000
            task.batchID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
            task.batchLabel = "first"
            task.rerunOf = "11111111-2222-4333-8444-555555555555"
        }
        if status.isUnsuccessful {
            task.errorClass = .invalidProgram
            task.errorReasons = ["bell.qasm:4:1: 'cx' takes 2 quantum arguments, but got 1", "second"]
        }
        return task
    }

    static var tasks: [QuantumTask] {
        TaskStatus.allCases.flatMap { [task($0), task($0, extras: true)] } + [task(.completed, seed: UInt64.max)]
    }

    @Test func aTaskRoundTrips() throws {
        for task in Self.tasks {
            let decoded = try QuantumTask(wireJSON: task.wireJSON)
            #expect(decoded == task)
            #expect(decoded.wireJSON.serialized() == task.wireJSON.serialized())
            // Through text, as it crosses the wire.
            #expect(try QuantumTask(wireJSON: JSONValue.parse(task.wireJSON.prettySerialized())) == task)
        }
    }

    @Test func aTaskWithAQueueMemberDecodesAndTheQueueToo() throws {
        guard case .object(var members) = Self.task(.scheduled).wireJSON else { return }
        members.append(("queue", ["position": 2, "length": 3, "qpu_status": "paused"]))
        #expect(try QuantumTask(wireJSON: .object(members)) == Self.task(.scheduled))
        #expect(try QueuePosition(wireJSON: JSONValue.object(members)["queue"]!) == QueuePosition(position: 2, length: 3))
    }

    @Test func aWrongShapeNamesTheMember() {
        guard case .object(var members) = Self.task(.created).wireJSON else { return }
        members.removeAll { $0.0 == "shots" }
        #expect(throws: WireDecodingError(shape: "task", problem: "member 'shots' is missing or not an integer")) {
            try QuantumTask(wireJSON: .object(members))
        }
        #expect(throws: WireDecodingError(shape: "task", problem: "not an object")) { try QuantumTask(wireJSON: [1]) }
        members.append(("shots", 5))
        members = members.map { $0.0 == "task_status" ? ($0.0, "Done") : $0 }
        #expect(throws: WireDecodingError(shape: "task", problem: "member 'task_status' is missing or not a task state")) {
            try QuantumTask(wireJSON: .object(members))
        }
        #expect(
            WireDecodingError(shape: "task", problem: "x").message == "unexpected task JSON: x")
    }

    @Test func aPageRoundTrips() throws {
        let page = TaskPage(tasks: Self.tasks, page: 2, size: 20, total: 123)
        let decoded = try TaskPage(wireJSON: page.wireJSON)
        #expect(decoded.tasks == page.tasks && decoded.page == 2 && decoded.size == 20 && decoded.total == 123)
        #expect(decoded.wireJSON.serialized() == page.wireJSON.serialized())
    }

    static let result = TaskResult(
        taskID: "550e8400-e29b-41d4-a716-446655440000", shots: 1000, shotsDone: 1000, partial: false,
        registers: [
            RegisterCounts(name: "c", width: 2, counts: ["00": 503, "11": 497]),
            RegisterCounts(name: "d", width: 3, counts: ["101": 1000]),
        ],
        timings: [("queued", 0.25), ("compile", 0.001), ("execute", 1.5)],
        metrics: ["qubits": 2, "gates": ["h": 1, "cx": 1]], metadata: ["simulator": "statevector", "seed": 7])

    @Test func resultsRoundTrip() throws {
        for result in [Self.result, TaskResult(taskID: "x", shots: 10, shotsDone: 4, partial: true, registers: [
            RegisterCounts(name: "c", width: 1, counts: ["0": 3, "1": 1]),
        ])] {
            let decoded = try TaskResult(wireJSON: JSONValue.parse(result.wireJSON.serialized()))
            #expect(decoded == result)
            #expect(decoded.wireJSON.serialized() == result.wireJSON.serialized())
        }
    }

    @Test func eventsRoundTrip() throws {
        let events = [
            TaskEvent(sequence: 1, taskID: "t", from: nil, to: .created, at: Self.t0, actor: "cli alice", detail: nil),
            TaskEvent(sequence: 9, taskID: "t", from: .created, to: .cancelled, at: Self.t1, actor: "cli", detail: "by user"),
        ]
        let json = JSONValue.array(events.map(\.wireJSON))
        #expect(try TaskEvent.list(wireJSON: json) == events)
        #expect(throws: WireDecodingError.self) { try TaskEvent.list(wireJSON: ["x": 1]) }
    }

    @Test func cancelOutcomesRoundTrip() throws {
        for outcome in [CancelOutcome.cancelled(Self.task(.cancelled)), .alreadyTerminal(Self.task(.completed))] {
            let decoded = try CancelOutcome(wireJSON: outcome.wireJSON)
            #expect(decoded.task == outcome.task)
            #expect(decoded.wireJSON.serialized() == outcome.wireJSON.serialized())
        }
    }

    static let batch = Batch(id: "7c9e6679-7425-40de-944b-e07fc1f90ae7", name: "sweep", createdBy: "alice", createdDate: t0, size: 3)

    static func item(_ label: String, _ status: TaskStatus, _ n: Int) -> BatchItem {
        var task = task(status)
        task.id = "0000000\(n)-0000-4000-8000-000000000000"
        return BatchItem(label: label, task: task)
    }

    @Test func batchesRoundTrip() throws {
        let summary = BatchSummary(batch: Self.batch, counts: [.completed: 1, .failed: 1, .created: 1])
        #expect(try BatchSummary(wireJSON: summary.wireJSON) == summary)
        let unnamed = BatchSummary(batch: Batch(id: "b", createdBy: "x", createdDate: Self.t0, size: 0), counts: [:])
        #expect(try BatchSummary(wireJSON: unnamed.wireJSON) == unnamed)

        let items = [Self.item("a", .completed, 1), Self.item("b", .failed, 2), Self.item("c", .created, 3)]
        let detail = BatchDetail(summary: summary, items: items)
        let decoded = try BatchDetail(wireJSON: detail.wireJSON)
        #expect(decoded.summary == summary)
        #expect(decoded.items.map(\.label) == ["a", "b", "c"])
        #expect(decoded.items.map(\.task.id) == items.map(\.task.id))
        #expect(decoded.items.map(\.task.errorReasons) == items.map(\.task.errorReasons))
        #expect(decoded.wireJSON.serialized() == detail.wireJSON.serialized())

        let page = BatchPage(batches: [summary, unnamed], page: 1, total: 7)
        let decodedPage = try BatchPage(wireJSON: page.wireJSON)
        #expect(decodedPage.batches == page.batches && decodedPage.total == 7 && decodedPage.page == 1)

        let results = BatchResults(summary: summary, items: [
            (items[0], TaskResult(taskID: items[0].task.id, shots: 1000, shotsDone: 1000, partial: false,
                                  registers: [RegisterCounts(name: "c", width: 2, counts: ["00": 600, "11": 400])])),
            (items[1], nil), (items[2], nil),
        ])
        let decodedResults = try BatchResults(detail: decoded, wireJSON: results.wireJSON)
        #expect(decodedResults.wireJSON.serialized() == results.wireJSON.serialized())
        #expect(decodedResults.items.map(\.item.label) == ["a", "b", "c"])
        #expect(decodedResults.completed.first?.result.registers == results.completed.first?.result.registers)

        let cancel = BatchCancelOutcome(summary: summary, cancelled: [items[2]], alreadyEnded: [items[0]], refused: [items[1]])
        let decodedCancel = try BatchCancelOutcome(wireJSON: cancel.wireJSON)
        #expect(decodedCancel.wireJSON.serialized() == cancel.wireJSON.serialized())
        #expect(decodedCancel.refused.map(\.label) == ["b"])
        // The summary alone (an older server) is an outcome with no items listed.
        #expect(try BatchCancelOutcome(wireJSON: summary.wireJSON).cancelled.isEmpty)
    }

    @Test func aHistoryRoundTrips() throws {
        var second = Self.task(.completed, extras: true)
        second.id = "22222222-2222-4222-8222-222222222222"
        let history = TaskHistory(lineageID: Self.task(.failed).id, entries: [
            (Self.task(.failed), nil),
            (second, TaskResult(taskID: second.id, shots: 1000, shotsDone: 1000, partial: false,
                                registers: [RegisterCounts(name: "c", width: 2, counts: ["01": 1000])])),
        ])
        let decoded = try TaskHistory(wireJSON: history.wireJSON)
        #expect(decoded.entries.map(\.task) == history.entries.map(\.task))
        #expect(decoded.wireJSON.serialized() == history.wireJSON.serialized())
    }

    @Test func housekeepingSummariesRoundTrip() throws {
        let deleted = [DeletedTask(task: Self.task(.cancelled), cancelled: true), DeletedTask(task: Self.task(.completed), cancelled: false)]
        let decoded = try DeletedTask.list(wireJSON: DeletedTask.wireJSON(deleted))
        #expect(DeletedTask.wireJSON(decoded).serialized() == DeletedTask.wireJSON(deleted).serialized())
        let prune = PruneSummary(dryRun: true, ids: ["a", "b"])
        #expect(try PruneSummary(wireJSON: prune.wireJSON) == prune)
        let summary = ImportSummary(imported: ["x", "y"], skipped: ["z"], definitions: 2)
        #expect(try ImportSummary(wireJSON: summary.wireJSON) == summary)
    }

    @Test func diagnosticsRoundTrip() throws {
        let task = Self.task(.payloadProcessingError)
        let run = TaskRun(
            id: "run-1", taskID: task.id, attempt: 1, compilationID: "comp", worker: "w1", started: Self.t0, ended: Self.t1,
            result: TaskResult(taskID: task.id, shots: 1000, shotsDone: 1000, partial: false, registers: [],
                               timings: [("execute", 0.5)], metrics: ["qubits": 2], metadata: ["seed": 7]))
        let bare = TaskRun(id: "run-2", taskID: task.id, attempt: 2, compilationID: nil, worker: nil, started: Self.t1,
                           ended: nil, result: nil)
        let diagnostics = [
            Diagnostic(code: "arity", message: "'cx' takes 2", at: SourceLocation(file: "bell.qasm", line: 4, column: 1)),
            Diagnostic(code: "x", message: "in include", at: SourceLocation(file: "lib.inc", line: 1, column: 2),
                       notes: ["declared here"]),
        ]
        // As TaskRenderer.runJSON and DiagnosticPrinter.json write them.
        func runJSON(_ run: TaskRun) -> JSONValue {
            .object([
                ("attempt", .int(run.attempt)), ("run_id", .string(run.id)), ("worker", .string(run.worker)),
                ("compilation_id", .string(run.compilationID)), ("started_date", .string(run.started.rfc3339)),
                ("ended_date", run.ended.map { .string($0.rfc3339) } ?? .null),
                ("shots_done", .int(run.result?.shotsDone ?? 0)),
                ("timings", .object((run.result?.timings ?? []).map { ($0.0, .double($0.1)) })),
                ("metrics", run.result?.metrics ?? .object([])), ("metadata", run.result?.metadata ?? .object([])),
            ])
        }
        guard case .object(var members) = task.wireJSON else { return }
        members.append(("runs", .array([runJSON(run), runJSON(bare)])))
        members.append(("diagnostics", [
            ["line": 4, "column": 1, "code": "arity", "message": "'cx' takes 2"],
            ["file": "lib.inc", "line": 1, "column": 2, "code": "x", "message": "in include", "notes": ["declared here"]],
        ]))
        let decoded = try TaskDiagnostics(wireJSON: .object(members), mainFile: "bell.qasm")
        #expect(decoded.task == task)
        #expect(decoded.diagnostics == diagnostics)
        #expect(decoded.runs.map(\.id) == ["run-1", "run-2"])
        #expect(decoded.runs[0].result?.timings.map(\.0) == ["execute"])
        #expect(decoded.runs[0].result?.metrics == ["qubits": 2])
        #expect(decoded.runs[1].result == nil)
        #expect(runJSON(decoded.runs[0]) == runJSON(run) && runJSON(decoded.runs[1]) == runJSON(bare))
    }

    @Test func diagnosticsNameTheProgramSoTheMainFileSurvivesTheWire() throws {
        let task = Self.task(.payloadProcessingError)
        // The first error is in an include: the program's name cannot come from it.
        let diagnostics = [
            Diagnostic(code: "x", message: "in include", at: SourceLocation(file: "lib.inc", line: 1, column: 2)),
            Diagnostic(code: "arity", message: "'cx' takes 2", at: SourceLocation(file: "t.qasm", line: 4, column: 1)),
        ]
        let named = TaskDiagnostics(task: task, runs: [], diagnostics: diagnostics, programName: "t.qasm")
        let json = named.wireJSON(queue: nil)
        #expect(json["program_name"] == "t.qasm")
        #expect(json["diagnostics"] == [
            ["file": "lib.inc", "line": 1, "column": 2, "code": "x", "message": "in include"],
            ["line": 4, "column": 1, "code": "arity", "message": "'cx' takes 2"],
        ])
        #expect(json.objectValue?.suffix(3).map(\.0) == ["runs", "program_name", "diagnostics"])
        // The reader needs no file name of its own.
        let decoded = try TaskDiagnostics(wireJSON: json)
        #expect(decoded.programName == "t.qasm" && decoded.diagnostics == diagnostics)
        #expect(decoded.wireJSON(queue: nil).serialized() == json.serialized())
        // Not known (no stored definition): null, and an answer without it (an older
        // server's) takes the caller's guess.
        let unnamed = TaskDiagnostics(task: task, runs: [], diagnostics: Array(diagnostics.suffix(1)))
        #expect(unnamed.wireJSON(queue: nil)["program_name"] == JSONValue.null)
        guard case .object(var members) = unnamed.wireJSON(queue: nil) else { return }
        members.removeAll { $0.0 == "program_name" }
        let old = try TaskDiagnostics(wireJSON: .object(members), mainFile: "guess.qasm")
        #expect(old.programName == nil && old.diagnostics[0].location.file == "guess.qasm")
    }
}
