// The batch, re-run and history commands against a client double: what they ask the
// client, the progress line and exit status of a batch wait, and completion of batch ids
// and of the new options from the command table.
import QshCore
import Testing
import TestSupport
@testable import qsh

@Suite struct BatchCommandTests {
    let a = "550e8400-e29b-41d4-a716-446655440000"

    func run(_ words: [String], _ client: TaskClientDouble, tty: Bool = false) -> (QshCore.ExitStatus, CommandContext) {
        let context = CommandContext.capturing(client: client, tty: tty)
        return (Dispatcher.run(words, context: context), context)
    }

    /// A client that knows one batch of three items: Completed, PayloadProcessingError, Created.
    func clientWithBatch() throws -> (TaskClientDouble, String) {
        let client = TaskClientDouble()
        let dir = try TempDirectory()
        for name in ["a", "b", "c"] { _ = try dir.write("\(name).qasm", "OPENQASM 2.0;\n") }
        let receipt = try client.submitBatch(
            BatchSubmission(
                name: nil,
                items: ["a", "b", "c"].map {
                    ($0, TaskSubmission(program: ProgramSnapshot(main: SourceFile(name: $0, bytes: [])), qpuID: "q",
                                        shots: 10))
                }))
        var detail = try client.batchDetail(receipt.summary.batch.id)
        detail.items[0].task.status = .completed
        detail.items[1].task.status = .payloadProcessingError
        detail.summary = BatchSummary(
            batch: detail.summary.batch, counts: [.completed: 1, .payloadProcessingError: 1, .created: 1])
        client.batchDetails[detail.summary.batch.id] = detail
        return (client, detail.summary.batch.id)
    }

    @Test func severalFilesAreSubmittedAsOneBatchWithTheOptionsSettings() throws {
        let dir = try TempDirectory()
        for name in ["a", "b"] { _ = try dir.write("\(name).qasm", "OPENQASM 2.0;\n") }
        let client = TaskClientDouble()
        let (status, context) = run(
            ["tasks", "submit", dir.file("a.qasm"), dir.file("b.qasm"), "--shots", "7", "--seed", "3", "--name", "n",
             "--idempotency-key", "k", "-q"], client)
        #expect(status == .ok)
        #expect(client.calls == ["qpus", "submitBatch a b"])
        let batch = try #require(client.batchSubmissions.first)
        #expect(batch.name == "n" && batch.idempotencyKey == "k")
        #expect(batch.items.map(\.submission.shots) == [7, 7] && batch.items.map(\.submission.seed) == [3, 3])
        #expect(batch.items.map(\.submission.name) == ["a", "b"])
        #expect(batch.items.allSatisfy { $0.submission.idempotencyKey == nil })
        #expect(context.stdout.text == "b0000000-0000-4000-8000-000000000001\n")
    }

    @Test func aRerunPassesItsOverrides() throws {
        let client = TaskClientDouble()
        client.tasks[a] = TaskClientDouble.task(a, .payloadProcessingError)
        let (status, context) = run(["tasks", "rerun", "550e", "--shots", "9", "--new-seed", "-o", "json"], client)
        #expect(status == .ok)
        let rerun = try #require(client.reruns.first)
        #expect(rerun.id == a && rerun.rerun.shots == 9 && rerun.rerun.newSeed && rerun.rerun.seed == nil)
        #expect(rerun.rerun.program == nil && rerun.rerun.qpuID == nil)
        #expect(try JSONValue.parse(context.stdout.text)["rerun_of"] == .string(a))
        #expect(context.stderr.text == "submitted task c0000000-0000-4000-8000-000000000001, a re-run of \(a)\n")
    }

    @Test(arguments: [
        (BatchWaitOutcomeKind.finished, QshCore.ExitStatus.taskFailed), (.timedOut, .timedOut),
        (.interrupted, .interrupted),
    ])
    func aBatchWaitExitsAsATaskWaitDoes(outcome: BatchWaitOutcomeKind, expected: QshCore.ExitStatus) throws {
        let (client, id) = try clientWithBatch()
        let summary = try client.batch(id)
        switch outcome {
        case .finished: client.batchFollowOutcome = .finished(summary)
        case .timedOut: client.batchFollowOutcome = .timedOut(summary)
        case .interrupted: client.batchFollowOutcome = .interrupted(summary)
        }
        client.batchFollowSummaries = [summary]
        let (status, context) = run(["batches", "wait", String(id.prefix(8)), "-o", "table"], client, tty: true)
        #expect(status == expected)
        // One progress line on the terminal, redrawn in place and cleared at the end.
        #expect(context.stderr.text.hasPrefix(
            "\r\u{1B}[Kbatch b0000000: 2/3 done (Created 1, Completed 1, PayloadProcessingError 1)\r\u{1B}[K"))
        if outcome == .timedOut {
            #expect(context.stderr.text.hasSuffix(
                "qsh: timed out after 300.0s: batch '\(id)' has 2 of 3 items done (Created 1, Completed 1, "
                    + "PayloadProcessingError 1)\n"))
        }
    }

    @Test func aBatchWaitOfCompletedItemsExitsZeroAndQuietPrintsNothing() throws {
        let (client, id) = try clientWithBatch()
        var detail = try client.batchDetail(id)
        detail.summary = BatchSummary(batch: detail.summary.batch, counts: [.completed: 3])
        client.batchDetails[id] = detail
        let (status, context) = run(["batches", "wait", id, "-q"], client, tty: true)
        #expect(status == .ok)
        #expect(context.stdout.text == "" && context.stderr.text == "")
    }

    @Test func resultsOfAPartlyFailedBatchNameTheItemsWithoutResults() throws {
        let (client, id) = try clientWithBatch()
        let (status, context) = run(["batches", "results", id, "-o", "table"], client)
        #expect(status == .failure)  // an item is still Created
        #expect(context.stdout.text == "LABEL  REGISTER  BITS  COUNT  SHARE\n")
        #expect(context.stderr.text.hasPrefix("qsh: 3 of 3 items have no results:\n  'a' (a1000000) ended Completed\n"))
        #expect(context.stderr.text.contains("\n  'c' (a1000000) is Created\n"))
    }

    @Test func aCancelThatFindsItemsExecutingExitsOneNamingThem() throws {
        let (client, id) = try clientWithBatch()
        let running = try client.batchDetail(id).items[2].task.id
        client.executing = [running]
        var (status, context) = run(["batches", "cancel", id, "-o", "table"], client)
        #expect(status == .failure)
        #expect(context.stderr.text == """
            batch \(id): cancelled 0, already ended 2, executing 1
            qsh: 1 item of batch '\(id)' could not be cancelled: execution has started ('c')

            """)
        (status, context) = run(["batches", "cancel", id, "-o", "json"], client)
        #expect(status == .failure)
        #expect(context.stderr.text == #"{"error": {"code": "conflict", "message": "1 item of batch '"# + id
            + #"' could not be cancelled: execution has started ('c')", "batch_id": ""# + id + "\"}}\n")
        #expect(try JSONValue.parse(context.stdout.text)["batch_status"] == "Running")
        client.executing = []
        (status, context) = run(["batches", "cancel", id, "-o", "table"], client)
        #expect(status == .ok)
        #expect(context.stderr.text == "batch \(id): cancelled 1, already ended 2, executing 0\n")
    }

    @Test func batchIDsAndTheNewOptionsComplete() {
        let completer = Completer(
            commands: CommandTable.root, metaCommands: [],
            sources: CompletionSources(
                taskIDs: { prefix in ["7f3a", "a2b4"].filter { $0.hasPrefix(prefix) } },
                batchIDs: { prefix in ["b9e1", "b100", "c2d2"].filter { $0.hasPrefix(prefix) } },
                listDirectory: { $0 == "" || $0 == "./" ? [DirectoryEntry(name: "m.json", isDirectory: false)] : nil }))
        func words(_ line: String) -> [String] { completer.complete(line: line).candidates }
        #expect(words("batches ") == ["cancel", "get", "list", "results", "wait"])
        #expect(words("batches get ") == ["b9e1", "b100", "c2d2"])
        #expect(words("batches results b") == ["b9e1", "b100"])
        #expect(words("batches wait b9e1 ").isEmpty)
        #expect(words("tasks list --batch ") == ["b9e1", "b100", "c2d2"])
        #expect(completer.complete(line: "tasks submit --batch ").kind == .files)
        #expect(words("tasks submit --idem") == ["--idempotency-key"])
        #expect(words("tasks rerun ") == ["7f3a", "a2b4"])
        #expect(words("tasks rerun --new") == ["--new-seed"])
        #expect(completer.complete(line: "tasks rerun --program ").kind == .files)
        #expect(words("tasks history a") == ["a2b4"])
        #expect(words("tasks ").contains("rerun") && words("tasks ").contains("history"))
        #expect(words("").contains("batches"))
    }
}

/// How a batch wait ends, for the parameterised test.
enum BatchWaitOutcomeKind: Sendable, CaseIterable {
    case finished, timedOut, interrupted
}
