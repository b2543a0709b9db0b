// The task service's batches, re-runs, history and idempotent submits: the aggregate rule,
// all-or-none submit, results of the items that completed, cancel item by item, waiting on
// one read per poll, lineages, and keys that return what they first made (re-runs too).
import QshCore
import Testing

@Suite struct BatchServiceTests {
    func request(_ text: String, shots: Int = 100, seed: UInt64? = 7) -> SubmitRequest {
        SubmitRequest(
            source: "OPENQASM 2.0; // \(text)", fileName: "\(text).qasm", qpuID: "test:fake", shots: shots, seed: seed,
            createdBy: "alice")
    }

    func batch(_ labels: [String], key: String? = nil) -> BatchRequest {
        BatchRequest(
            name: "sweep", items: labels.map { BatchItemRequest(label: $0, request: request($0)) }, createdBy: "alice",
            idempotencyKey: key)
    }

    /// Moves a task along the lifecycle; Completed with counts.
    func move(_ service: TaskService, _ id: String, to end: TaskStatus) throws {
        let path: [TaskStatus]
        switch end {
        case .payloadProcessingError: path = [.created, .payloadProcessing, .payloadProcessingError]
        case .cancelled: path = [.created, .cancelled]
        case .failed: path = [.created, .payloadProcessing, .scheduled, .executionStarted, .failed]
        default:
            let happy: [TaskStatus] = [.created, .payloadProcessing, .scheduled, .executionStarted,
                                       .executionCompleted, .completed]
            path = Array(happy.prefix(through: happy.firstIndex(of: end) ?? 0))
        }
        for (from, to) in zip(path, path.dropFirst()) {
            var changes = TaskChanges()
            if to == .completed {
                changes.result = TaskResult(
                    taskID: id, shots: 100, shotsDone: 100, partial: false,
                    registers: [RegisterCounts(name: "c", width: 1, counts: ["0": 40, "1": 60])])
            }
            if to == .payloadProcessingError || to == .failed {
                changes.errorClass = .invalidProgram
                changes.errorReasons = ["\(id): bad"]
            }
            try service.repository.transition(id, from: from, to: to, at: service.clock.now(), actor: "t", changes: changes)
        }
    }

    @Test func theAggregateStatusFollowsOneRule() {
        #expect(BatchStatus.aggregate([:]) == .created)
        #expect(BatchStatus.aggregate([.created: 0]) == .created)
        #expect(BatchStatus.aggregate([.created: 3]) == .running)
        #expect(BatchStatus.aggregate([.completed: 2, .executionStarted: 1]) == .running)
        #expect(BatchStatus.aggregate([.failed: 1, .scheduled: 1]) == .running)
        #expect(BatchStatus.aggregate([.completed: 5]) == .completed)
        #expect(BatchStatus.aggregate([.completed: 5, .cancelled: 1]) == .cancelled)
        #expect(BatchStatus.aggregate([.completed: 5, .cancelled: 1, .payloadProcessingError: 1]) == .payloadProcessingError)
        #expect(BatchStatus.aggregate([.cancelled: 1, .payloadProcessingError: 1, .failed: 1]) == .failed)
        #expect(BatchStatus.allCases.filter(\.isTerminal) == [.completed, .payloadProcessingError, .failed, .cancelled])
    }

    @Test func aBatchIsSubmittedWholeWithItsLabels() throws {
        let service = try makeService()
        let (summary, reused) = try service.submitBatch(batch(["a", "b", "c"]))
        #expect(!reused)
        #expect(summary.batch.size == 3 && summary.counts == [.created: 3] && summary.status == .running)
        #expect(summary.batch.name == "sweep" && summary.batch.createdBy == "alice")
        let detail = try service.batchDetail(String(summary.batch.id.prefix(6)))
        #expect(detail.items.map(\.label) == ["a", "b", "c"])
        #expect(detail.items.allSatisfy { $0.task.batchID == summary.batch.id && $0.task.createdBy == "alice" })
        #expect(Set(detail.items.map(\.task.definitionID)).count == 3)
    }

    @Test func aBatchWithABadItemIsRefusedWhole() throws {
        let service = try makeService()
        #expect(throws: TaskError.invalidRequest(reason: "a batch needs at least one item")) {
            try service.submitBatch(batch([]))
        }
        #expect(throws: TaskError.invalidRequest(reason: "label 'a' is used twice in the batch")) {
            try service.submitBatch(batch(["a", "b", "a"]))
        }
        #expect(throws: TaskError.invalidRequest(reason: "a batch item's label cannot be empty")) {
            try service.submitBatch(batch(["a", ""]))
        }
        var zero = batch(["a", "b"])
        zero.items[1].request.shots = 0
        #expect(throws: TaskError.invalidRequest(reason: "shots must be at least 1")) { try service.submitBatch(zero) }
        #expect(try service.list(TaskQuery()).total == 0)
        #expect(try service.listBatches(limit: 10, page: 0).total == 0)
    }

    @Test func resultsComeForEveryItemThatCompletedAndSayWhyTheOthersDidNot() throws {
        let service = try makeService()
        let id = try service.submitBatch(batch(["ok", "bad", "late", "stopped"])).summary.batch.id
        let items = try service.batchDetail(id).items
        try move(service, items[0].task.id, to: .completed)
        try move(service, items[1].task.id, to: .payloadProcessingError)
        try move(service, items[2].task.id, to: .executionStarted)
        try move(service, items[3].task.id, to: .cancelled)
        var results = try service.batchResults(id)
        #expect(results.summary.status == .running)
        #expect(results.completed.map(\.item.label) == ["ok"])
        #expect(results.missing.map(\.label) == ["bad", "late", "stopped"])
        #expect(results.wireJSON["results"] == ["ok": ["c": ["0": 40, "1": 60]]])
        #expect(results.wireJSON["missing"]?["bad"]?["error_class"] == "invalid_program")
        try move(service, items[2].task.id, to: .failed)
        results = try service.batchResults(id)
        #expect(results.summary.status == .failed)
        #expect(results.summary.itemStatuses.sorted { $0.rawValue < $1.rawValue }
            == [.cancelled, .completed, .failed, .payloadProcessingError])
    }

    @Test func cancelStopsTheItemsNotExecutingAndLeavesTheRest() throws {
        let service = try makeService()
        let id = try service.submitBatch(batch(["queued", "scheduled", "running", "done"])).summary.batch.id
        let items = try service.batchDetail(id).items
        try move(service, items[1].task.id, to: .scheduled)
        try move(service, items[2].task.id, to: .executionStarted)
        try move(service, items[3].task.id, to: .completed)
        let outcome = try service.cancelBatch(id)
        #expect(outcome.cancelled.map(\.label) == ["queued", "scheduled"])
        #expect(outcome.cancelled.allSatisfy { $0.task.status == .cancelled })
        #expect(outcome.refused.map(\.label) == ["running"])
        #expect(outcome.alreadyEnded.map(\.label) == ["done"])
        #expect(outcome.summary.counts == [.cancelled: 2, .executionStarted: 1, .completed: 1])
        // Again: nothing left to cancel.
        let again = try service.cancelBatch(id)
        #expect(again.cancelled.isEmpty && again.alreadyEnded.count == 3 && again.refused.count == 1)
    }

    @Test func aBatchWaitReadsTheAggregateUntilEveryItemEnded() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let id = try service.submitBatch(batch(["a", "b"])).summary.batch.id
        let items = try service.batchDetail(id).items
        var seen: [String] = []
        var polls = 0
        let outcome = try service.waitForBatch(
            id: id, timeout: 60,
            pause: { seconds in
                clock.advance(seconds: seconds)
                polls += 1
                if polls == 1 { try? self.move(service, items[0].task.id, to: .completed) }
                if polls == 3 { try? self.move(service, items[1].task.id, to: .payloadProcessingError) }
                return true
            },
            onChange: { seen.append("\($0.done)/\($0.total) \($0.status.rawValue)") })
        guard case .finished(let summary) = outcome else {
            Issue.record("expected the wait to finish, got \(outcome)")
            return
        }
        #expect(summary.status == .payloadProcessingError)
        #expect(seen == ["0/2 Running", "1/2 Running", "2/2 PayloadProcessingError"])
        #expect(ExitStatus(endOf: summary.itemStatuses) == .taskFailed)
    }

    @Test func aBatchWaitTimesOutAndSaysWhenNoWorkerRuns() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let id = try service.submitBatch(batch(["a"])).summary.batch.id
        var unattended = 0
        let outcome = try service.waitForBatch(
            id: id, timeout: 5, pause: { clock.advance(seconds: $0); return true }, onChange: { _ in },
            onUnattended: { _ in unattended += 1 })
        guard case .timedOut(let summary) = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(summary.counts == [.created: 1] && unattended == 1)
        let interrupted = try service.waitForBatch(id: id, timeout: 5, pause: { _ in false }, onChange: { _ in })
        guard case .interrupted = interrupted else {
            Issue.record("expected an interruption, got \(interrupted)")
            return
        }
    }

    @Test func anIdempotencyKeyReturnsWhatItFirstMade() throws {
        let service = try makeService()
        var first = request("p", seed: nil)
        first.idempotencyKey = "k"
        let made = try service.submitReporting(first)
        #expect(!made.reused)
        // The same request again, its random seed not given either: the first task.
        let again = try service.submitReporting(first)
        #expect(again.reused && again.task == made.task)
        #expect(try service.list(TaskQuery()).total == 1)
        var other = first
        other.shots = 200
        #expect(throws: TaskError.idempotencyMismatch(key: "k")) { try service.submitReporting(other) }
        // A batch cannot take a single task's key.
        #expect(throws: TaskError.idempotencyMismatch(key: "k")) { try service.submitBatch(batch(["a"], key: "k")) }
        let batchMade = try service.submitBatch(batch(["a", "b"], key: "b"))
        let batchAgain = try service.submitBatch(batch(["a", "b"], key: "b"))
        #expect(batchAgain.reused && batchAgain.summary.batch == batchMade.summary.batch)
        #expect(throws: TaskError.idempotencyMismatch(key: "b")) { try service.submitBatch(batch(["b", "a"], key: "b")) }
        var long = first
        long.idempotencyKey = String(repeating: "x", count: 256)
        #expect(throws: TaskError.invalidRequest(reason: "an idempotency key must be 1 to 255 bytes long")) {
            try service.submitReporting(long)
        }
        #expect(try service.listBatches(limit: 10, page: 0).total == 1)
    }

    @Test func aRerunKeepsTheSettingsAndSharesAnUnchangedProgram() throws {
        let service = try makeService()
        var original = request("p", shots: 300, seed: 11)
        original.name = "first"
        original.tags = ["team": "q"]
        let task = try service.submit(original)
        try move(service, task.id, to: .payloadProcessingError)
        let same = try service.rerun(String(task.id.prefix(8)), RerunRequest(createdBy: "bob"))
        #expect(same.id != task.id && same.rerunOf == task.id && same.status == .created)
        #expect(same.definitionID == task.definitionID && same.seed == 11 && same.shots == 300)
        #expect(same.name == "first" && same.tags == ["team": "q"] && same.qpuID == "test:fake" && same.createdBy == "bob")
        let fixed = ProgramSnapshot(main: SourceFile(name: "fixed.qasm", text: "OPENQASM 2.0; // fixed"))
        let changed = try service.rerun(
            same.id, RerunRequest(shots: 50, seed: 3, qpuID: "test:other", program: fixed, createdBy: "bob"))
        #expect(changed.definitionID == fixed.definitionID && changed.definitionID != task.definitionID)
        #expect(changed.shots == 50 && changed.seed == 3 && changed.qpuID == "test:other")
        #expect(try service.repository.definition(id: changed.definitionID) == fixed)
        let fresh = try service.rerun(task.id, RerunRequest(newSeed: true, createdBy: "bob"))
        #expect(fresh.seed <= RunLimits.maximumSeed)
        #expect(throws: TaskError.notFound(id: "ffff")) { try service.rerun("ffff", RerunRequest(createdBy: "bob")) }

        try move(service, changed.id, to: .completed)
        let history = try service.history(String(changed.id.prefix(8)))
        #expect(history.lineageID == task.id)
        #expect(history.entries.map(\.task.id) == [task.id, same.id, changed.id, fresh.id])
        #expect(history.entries.map(\.task.status) == [.payloadProcessingError, .created, .completed, .created])
        #expect(history.entries[2].result?.dataJSON == ["c": ["0": 40, "1": 60]])
        #expect(history.entries[0].result == nil)
        #expect(try service.history(task.id).entries.count == 4)
    }

    @Test func aKeyedRerunReturnsWhatItFirstMadeAndRefusesAnotherRequest() throws {
        let service = try makeService()
        var submitted = request("p", seed: 11)
        submitted.idempotencyKey = "submit-key"
        let task = try service.submit(submitted)
        let other = try service.submit(request("q"))
        // A new random seed, drawn once: the retry returns the first re-run, its seed too.
        let asked = RerunRequest(shots: 5, newSeed: true, createdBy: "bob", idempotencyKey: "r")
        let made = try service.rerunReporting(String(task.id.prefix(8)), asked)
        #expect(!made.reused && made.task.rerunOf == task.id && made.task.shots == 5)
        let again = try service.rerunReporting(task.id, asked)
        #expect(again.reused && again.task == made.task)
        #expect(try service.list(TaskQuery()).total == 3)
        #expect(try service.history(task.id).entries.map(\.task.id) == [task.id, made.task.id])
        // The same key with other overrides, of another task, or first used by a submit: refused.
        var more = asked
        more.shots = 6
        #expect(throws: TaskError.idempotencyMismatch(key: "r")) { try service.rerunReporting(task.id, more) }
        #expect(throws: TaskError.idempotencyMismatch(key: "r")) { try service.rerunReporting(other.id, asked) }
        var submitsKey = asked
        submitsKey.idempotencyKey = "submit-key"
        #expect(throws: TaskError.idempotencyMismatch(key: "submit-key")) { try service.rerunReporting(task.id, submitsKey) }
        // A submit cannot take a re-run's key.
        var stolen = request("p", seed: 11)
        stolen.idempotencyKey = "r"
        #expect(throws: TaskError.idempotencyMismatch(key: "r")) { try service.submitReporting(stolen) }
        var long = asked
        long.idempotencyKey = ""
        #expect(throws: TaskError.invalidRequest(reason: "an idempotency key must be 1 to 255 bytes long")) {
            try service.rerunReporting(task.id, long)
        }
        // Without a key, every re-run is a new task.
        let plain = RerunRequest(createdBy: "bob")
        #expect(try service.rerun(task.id, plain).id != (try service.rerun(task.id, plain)).id)
        #expect(try service.list(TaskQuery()).total == 5)
    }
}
