// TaskService: cancel in every state (idempotent on terminal, refused once
// execution started), waiting with backoff and timeout, results and events.
import QshCore
import Testing

@Suite struct TaskServiceTests {
    /// A task moved along the happy path up to `status`.
    func task(in status: TaskStatus, _ service: TaskService) throws -> QuantumTask {
        let task = try service.submit(bellRequest())
        let path: [TaskStatus] = [.created, .payloadProcessing, .scheduled, .executionStarted, .executionCompleted,
                                  .completed]
        var current = TaskStatus.created
        if let end = path.firstIndex(of: status) {
            for next in path.prefix(end + 1).dropFirst() {
                try service.repository.transition(task.id, from: current, to: next, at: service.clock.now(), actor: "t")
                current = next
            }
        } else {
            let before: TaskStatus = status == .payloadProcessingError ? .payloadProcessing : .created
            if before != .created {
                try service.repository.transition(task.id, from: .created, to: before, at: service.clock.now(), actor: "t")
            }
            try service.repository.transition(task.id, from: before, to: status, at: service.clock.now(), actor: "t")
        }
        return try service.get(task.id)
    }

    @Test(arguments: [TaskStatus.created, .payloadProcessing, .scheduled])
    func cancelBeforeExecutionSucceeds(status: TaskStatus) throws {
        let service = try makeService()
        let t = try task(in: status, service)
        guard case .cancelled(let after) = try service.cancel(t.id) else {
            Issue.record("expected a cancel")
            return
        }
        #expect(after.status == .cancelled)
        #expect(after.endedDate != nil)
        let last = try service.repository.events(taskID: t.id).last
        #expect(last?.from == status)
        #expect(last?.detail == "cancelled by the user")
    }

    @Test(arguments: [TaskStatus.executionStarted, .executionCompleted])
    func cancelAfterExecutionStartedIsRefused(status: TaskStatus) throws {
        let service = try makeService()
        let t = try task(in: status, service)
        #expect(throws: TaskError.cancelRefused(id: t.id, status: status)) { try service.cancel(t.id) }
        #expect(try service.get(t.id).status == status)
    }

    @Test(arguments: [TaskStatus.completed, .failed, .cancelled, .payloadProcessingError])
    func cancelOnTerminalIsIdempotent(status: TaskStatus) throws {
        let service = try makeService()
        let t = try task(in: status, service)
        guard case .alreadyTerminal(let after) = try service.cancel(t.id) else {
            Issue.record("expected already terminal")
            return
        }
        #expect(after.status == status)
        #expect(try service.repository.events(taskID: t.id).count == t.status.eventCountOnHappyPath)
    }

    @Test func waitReturnsWhenTerminalAndReportsEachChange() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest())
        var seen: [TaskStatus] = []
        var polls = 0
        let outcome = try service.waitUntilTerminal(
            ids: [t.id], timeout: 60,
            pause: { seconds in
                polls += 1
                clock.advance(seconds: seconds)
                let now = try? service.get(t.id).status
                if now == .created {
                    _ = try? service.repository.transition(t.id, from: .created, to: .cancelled, at: clock.now(), actor: "x")
                }
                return true
            },
            onChange: { seen.append($0.status) })
        guard case .finished(let tasks) = outcome else {
            Issue.record("expected finished")
            return
        }
        #expect(tasks.map(\.status) == [.cancelled])
        #expect(seen == [.created, .cancelled])
        #expect(polls == 1)
    }

    @Test func waitTimesOutWithBackoff() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest())
        var sleeps: [Double] = []
        let outcome = try service.waitUntilTerminal(
            ids: [t.id], timeout: 2, backoff: Backoff(initial: 0.1, factor: 2, maximum: 1),
            pause: { seconds in
                sleeps.append(seconds)
                clock.advance(seconds: seconds)
                return true
            }, onChange: { _ in })
        guard case .timedOut = outcome else {
            Issue.record("expected a timeout")
            return
        }
        #expect(sleeps == [0.1, 0.2, 0.4, 0.8, 0.5])
    }

    @Test func waitStopsOnInterrupt() throws {
        let service = try makeService()
        let t = try service.submit(bellRequest())
        let outcome = try service.waitUntilTerminal(ids: [t.id], timeout: 60, pause: { _ in false }, onChange: { _ in })
        guard case .interrupted(let tasks) = outcome else {
            Issue.record("expected an interrupt")
            return
        }
        #expect(tasks.first?.status == .created)
    }

    @Test func resultsOfATaskWithoutThemIsAnError() throws {
        let service = try makeService()
        let t = try service.submit(bellRequest())
        #expect(throws: TaskError.noResults(id: t.id, status: .created)) { try service.results(t.id) }
    }

    @Test func resultsOfAFailedTaskSayWhyItFailed() throws {
        let service = try makeService()
        let t = try service.submit(bellRequest())
        for (from, to) in [(TaskStatus.created, TaskStatus.payloadProcessing), (.payloadProcessing, .scheduled),
                           (.scheduled, .executionStarted)] {
            try service.repository.transition(t.id, from: from, to: to, at: service.clock.now(), actor: "t")
        }
        // Partial counts left behind do not make a failed task's results.
        try service.repository.recordProgress(
            id: t.id, shotsDone: 10, partial: [RegisterCounts(name: "c", width: 1, counts: ["0": 10])],
            at: service.clock.now())
        #expect(try service.repository.result(taskID: t.id)?.partial == true)
        try service.repository.transition(
            t.id, from: .executionStarted, to: .failed, at: service.clock.now(), actor: "t",
            changes: TaskChanges(errorClass: .executionError, errorReasons: ["bell.qasm:3:1: one", "bell.qasm:4:1: two"]))
        let expected = TaskError.noResults(
            id: t.id, status: .failed, errorClass: .executionError, reasons: ["bell.qasm:3:1: one", "bell.qasm:4:1: two"])
        #expect(throws: expected) { try service.results(t.id) }
        #expect(
            expected.message
                == "task '\(t.id)' has no results: it ended Failed (execution_error): bell.qasm:3:1: one; "
                + "bell.qasm:4:1: two")
        let invalid = TaskError.noResults(
            id: "x", status: .payloadProcessingError, errorClass: .invalidProgram, reasons: ["bell.qasm:3:1: one"])
        #expect(invalid.message == "task 'x' has no results: it ended PayloadProcessingError (invalid_program): bell.qasm:3:1: one")
        // A task that has not ended yet keeps the short form.
        #expect(TaskError.noResults(id: "x", status: .created).message == "task 'x' has no results (it is Created)")
    }

    @Test func submitRefusesZeroShots() throws {
        let service = try makeService()
        #expect(throws: TaskError.invalidRequest(reason: "shots must be at least 1")) {
            try service.submit(bellRequest(shots: 0))
        }
    }

    @Test func randomSeedsAreStoredAndJSONSafe() throws {
        let service = try makeService()
        var request = bellRequest()
        request.seed = nil
        let t = try service.submit(request)
        #expect(try service.get(t.id).seed == t.seed)
        #expect(t.seed < 1 << 53)
    }
}

extension TaskStatus {
    /// Events written by `task(in:)` to reach this terminal state.
    var eventCountOnHappyPath: Int {
        switch self {
        case .completed: return 6
        case .payloadProcessingError: return 3
        default: return 2
        }
    }
}

/// Lost workers and missing ones, seen from the commands.
extension TaskServiceTests {
    @Test func aWaitSettlesATaskWhoseWorkerWasLost() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest())
        _ = try service.repository.claimNext(owner: "dead", at: clock.now(), leaseSeconds: 5)
        var seen: [TaskStatus] = []
        let outcome = try service.waitUntilTerminal(
            ids: [t.id], timeout: 60,
            pause: { seconds in
                clock.advance(seconds: seconds)
                return true
            },
            onChange: { seen.append($0.status) })
        guard case .finished(let tasks) = outcome else {
            Issue.record("expected finished")
            return
        }
        #expect(tasks.map(\.status) == [.failed])
        #expect(tasks.first?.errorClass == .internalError)
        #expect(seen == [.payloadProcessing, .failed])
        #expect(try service.repository.events(taskID: t.id).last?.actor == "sweep cli")
        // Within the lease and one poll (the backoff reaches 1 s).
        #expect(clock.now().seconds(until: try #require(tasks.first?.endedDate)) <= 0)
    }

    @Test func getAndListSettleTasksWhoseLeaseExpired() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let a = try service.submit(bellRequest())
        _ = try service.repository.claimNext(owner: "dead", at: clock.now(), leaseSeconds: 5)
        #expect(try service.get(a.id).status == .payloadProcessing)
        clock.advance(seconds: 6)
        #expect(try service.get(a.id).status == .failed)
        let b = try service.submit(bellRequest())
        _ = try service.repository.claimNext(owner: "dead", at: clock.now(), leaseSeconds: 5)
        clock.advance(seconds: 6)
        var query = TaskQuery()
        query.statuses = [.failed]
        #expect(try service.list(query).tasks.map(\.id).sorted() == [a.id, b.id].sorted())
    }

    @Test func aQueuedTaskWithoutALiveWorkerIsReportedOnce() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest())
        var reported: [String] = []
        let outcome = try service.waitUntilTerminal(
            ids: [t.id], timeout: 3,
            pause: { seconds in
                clock.advance(seconds: seconds)
                return true
            },
            onChange: { _ in }, onUnattended: { reported.append($0.id) })
        guard case .timedOut = outcome else {
            Issue.record("expected a timeout")
            return
        }
        #expect(reported == [t.id])
        #expect(try !service.workerIsLive())
        // With a worker registered, nothing is said.
        try service.repository.registerWorker(owner: "w1", pid: 1, at: clock.now(), leaseSeconds: 60)
        #expect(try service.workerIsLive())
        reported = []
        _ = try service.waitUntilTerminal(
            ids: [t.id], timeout: 3,
            pause: { seconds in
                clock.advance(seconds: seconds)
                return true
            },
            onChange: { _ in }, onUnattended: { reported.append($0.id) })
        #expect(reported.isEmpty)
    }

    @Test func anInfiniteTimeoutWaitsUntilTheEnd() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest())
        var pauses = 0
        let outcome = try service.waitUntilTerminal(
            ids: [t.id], timeout: .infinity,
            pause: { seconds in
                pauses += 1
                clock.advance(seconds: 3600)
                if pauses == 50 {
                    _ = try? service.repository.transition(t.id, from: .created, to: .cancelled, at: clock.now(), actor: "x")
                }
                return true
            },
            onChange: { _ in })
        guard case .finished(let tasks) = outcome else {
            Issue.record("expected finished")
            return
        }
        #expect(tasks.map(\.status) == [.cancelled])
        #expect(pauses == 50)
    }
}
