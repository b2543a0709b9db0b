// TaskStore: row mapping, prefix lookup, listing in SQL, compare-and-set
// transitions with their event rows, leases and the sweep query.
import QshCore
import Testing
import TestSupport

@Suite struct TaskStoreTests {
    @Test func submittedTaskRoundTrips() throws {
        let service = try makeService()
        let task = try service.submit(bellRequest(tags: ["team": "q", "run": "1"]))
        let read = try service.get(task.id)
        #expect(read == task)
        #expect(read.status == .created)
        #expect(read.tags == ["team": "q", "run": "1"])
        let events = try service.store.events(taskID: task.id)
        #expect(events.count == 1)
        #expect(events[0].from == nil)
        #expect(events[0].to == .created)
        #expect(events[0].actor == "cli")
        let definition = try service.store.definition(id: task.definitionID)
        #expect(definition?.main.name == "bell.qasm")
        #expect(definition?.main.bytes == Array("OPENQASM 2.0;".utf8))
        #expect(definition?.includes == [])
    }

    @Test func wireShapeFollowsDesignOrder() throws {
        let task = QuantumTask(
            id: "550e8400-e29b-41d4-a716-446655440000", status: .completed, qpuID: "sim:statevector", shots: 1000,
            seed: 7, definitionID: "d", createdBy: "alice", createdDate: Timestamp(milliseconds: 1_769_421_600_000),
            updatedDate: Timestamp(milliseconds: 1_769_421_690_000))
        let keys = task.wireJSON.objectValue?.map(\.0) ?? []
        #expect(Array(keys.prefix(10)) == [
            "id", "task_status", "qpu_id", "shots", "definition_id", "compilation_id", "created_by",
            "created_date", "updated_date", "error_reasons",
        ])
        #expect(task.wireJSON["updated_date"] == "2026-01-26T10:01:30Z")
        #expect(task.wireJSON["compilation_id"] == .null)
        #expect(task.wireJSON["error_reasons"] == [])
    }

    @Test func prefixLookup() throws {
        let service = try makeService()
        let task = try service.submit(bellRequest())
        #expect(try service.get(String(task.id.prefix(8))).id == task.id)
        #expect(try service.get(task.id.uppercased()).id == task.id)
        #expect(throws: TaskError.invalidID(text: "abc")) { try service.get("abc") }
        #expect(throws: TaskError.invalidID(text: "zzzz")) { try service.get("zzzz") }
        let missing = task.id.hasPrefix("0000") ? "ffff" : "0000"
        #expect(throws: TaskError.notFound(id: missing)) { try service.get(missing) }
    }

    @Test func ambiguousPrefixListsCandidates() throws {
        let service = try makeService()
        let clock = ManualClock()
        for id in ["abcd0000-0000-4000-8000-000000000001", "abcd0000-0000-4000-8000-000000000002"] {
            let t = QuantumTask(
                id: id, status: .created, qpuID: "q", shots: 1, seed: 1, definitionID: "def-" + id, createdBy: "a",
                createdDate: clock.now(), updatedDate: clock.now())
            try service.store.insert(t, program: ProgramSnapshot(main: SourceFile(name: "x", bytes: [])), actor: "cli")
        }
        #expect(
            throws: TaskError.ambiguousPrefix(
                prefix: "abcd",
                candidates: ["abcd0000-0000-4000-8000-000000000001", "abcd0000-0000-4000-8000-000000000002"])
        ) { try service.get("abcd") }
        #expect(try service.get("abcd0000-0000-4000-8000-000000000002").id.hasSuffix("2"))
    }

    @Test func listFiltersSortsAndPagesInSQL() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        var ids: [String] = []
        for i in 0..<25 {
            clock.advance(seconds: 1)
            let t = try service.submit(
                bellRequest(shots: i + 1, tags: ["parity": i % 2 == 0 ? "even" : "odd"], qpu: i < 5 ? "a" : "b"))
            ids.append(t.id)
        }
        _ = try service.cancel(ids[0])
        var q = TaskQuery()
        q.limit = 10
        let first = try service.list(q)
        #expect(first.total == 25)
        #expect(first.size == 10)
        #expect(first.tasks.map(\.id) == Array(ids.reversed().prefix(10)))
        q.page = 2
        #expect(try service.list(q).tasks.map(\.id) == Array(ids.reversed().suffix(5)))

        var filtered = TaskQuery()
        filtered.statuses = [.cancelled]
        #expect(try service.list(filtered).tasks.map(\.id) == [ids[0]])
        #expect(try service.list(filtered).total == 1)

        var byQPU = TaskQuery()
        byQPU.qpuID = "a"
        byQPU.tags = [("parity", "even")]
        byQPU.sort = .shots
        byQPU.descending = false
        let page = try service.list(byQPU)
        #expect(page.tasks.map(\.shots) == [1, 3, 5])
        #expect(page.total == 3)

        var since = TaskQuery()
        since.since = Timestamp(milliseconds: ManualClock().now().milliseconds + 21_000)
        #expect(try service.list(since).total == 5)
    }

    @Test func transitionIsACompareAndSetWithItsEvent() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let task = try service.submit(bellRequest())
        let store = service.store
        #expect(try store.transition(task.id, from: .created, to: .payloadProcessing, at: clock.now(), actor: "w"))
        // The same move again loses: the task is no longer Created.
        #expect(!(try store.transition(task.id, from: .created, to: .payloadProcessing, at: clock.now(), actor: "w")))
        #expect(try store.events(taskID: task.id).map(\.to) == [.created, .payloadProcessing])
        #expect(throws: TaskError.illegalTransition(id: task.id, from: .payloadProcessing, to: .completed)) {
            try store.transition(task.id, from: .payloadProcessing, to: .completed, at: clock.now(), actor: "w")
        }
        #expect(try store.task(id: task.id)?.status == .payloadProcessing)
    }

    @Test func extraWorkRollsBackWithTheTransition() throws {
        struct Boom: Error {}
        let clock = ManualClock()
        let service = try makeService(clock)
        let task = try service.submit(bellRequest())
        #expect(throws: Boom.self) {
            try service.store.transition(task.id, from: .created, to: .cancelled, at: clock.now(), actor: "x") { _ in
                throw Boom()
            }
        }
        #expect(try service.store.task(id: task.id)?.status == .created)
        #expect(try service.store.events(taskID: task.id).count == 1)
    }

    @Test func countsFollowTransitions() throws {
        let service = try makeService()
        let a = try service.submit(bellRequest())
        _ = try service.submit(bellRequest())
        _ = try service.cancel(a.id)
        var q = TaskQuery()
        q.statuses = [.created]
        #expect(try service.list(q).total == 1)
        q.statuses = [.created, .cancelled]
        #expect(try service.list(q).total == 2)
    }

    @Test func leasesAreClaimedRenewedAndSwept() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let store = service.store
        let first = try service.submit(bellRequest())
        clock.advance(seconds: 1)
        let second = try service.submit(bellRequest())
        let claimed = try store.claimNext(owner: "w1", at: clock.now(), leaseSeconds: 10)
        #expect(claimed?.id == first.id)
        #expect(claimed?.status == .payloadProcessing)
        #expect(claimed?.leaseOwner == "w1")
        #expect(try store.claimNext(owner: "w2", at: clock.now(), leaseSeconds: 10)?.id == second.id)
        #expect(try store.claimNext(owner: "w3", at: clock.now(), leaseSeconds: 10) == nil)

        clock.advance(seconds: 8)
        #expect(try store.renewLeases(owner: "w1", at: clock.now(), leaseSeconds: 10) == 1)
        clock.advance(seconds: 5)
        // w2's lease expired at +11 s; w1 renewed to +19 s.
        #expect(try store.expiredLeases(at: clock.now()).map(\.id) == [second.id])
        let swept = try RecoverySweep(store: store, clock: clock, actor: "w9").run()
        #expect(swept.map(\.id) == [second.id])
        let failed = try store.task(id: second.id)
        #expect(failed?.status == .failed)
        #expect(failed?.errorClass == .internalError)
        #expect(failed?.errorReasons.first?.hasPrefix("worker 'w2' was lost: its lease expired at ") == true)
        #expect(failed?.leaseOwner == nil)
        #expect(try store.events(taskID: second.id).last?.actor == "sweep w9")
        #expect(try store.task(id: first.id)?.status == .payloadProcessing)
        #expect(try RecoverySweep(store: store, clock: clock, actor: "w9").run().isEmpty)
    }

    @Test func workerRegistryReservesOneStart() throws {
        let clock = ManualClock()
        let store = try makeService(clock).store
        #expect(!(try store.hasLiveWorker(at: clock.now())))
        #expect(try store.reserveWorkerStart(at: clock.now(), seconds: 5))
        #expect(!(try store.reserveWorkerStart(at: clock.now(), seconds: 5)))
        try store.registerWorker(owner: "w1", pid: 42, at: clock.now(), leaseSeconds: 10)
        #expect(try store.hasLiveWorker(at: clock.now()))
        clock.advance(seconds: 11)
        #expect(!(try store.hasLiveWorker(at: clock.now())))
        try store.unregisterWorker(owner: "w1")
        #expect(try store.reserveWorkerStart(at: clock.now(), seconds: 5))
    }
}

/// Two connections to one WAL file: what two processes see.
@Suite struct TaskStoreFileTests {
    @Test func twoConnectionsRaceOneTransition() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let clock = ManualClock()
        let a = TaskService(store: try TaskStore.open(path: path), clock: clock)
        let b = TaskService(store: try TaskStore.open(path: path), clock: clock)
        let task = try a.submit(bellRequest())
        #expect(try b.get(task.id).status == .created)
        #expect(try a.store.transition(task.id, from: .created, to: .payloadProcessing, at: clock.now(), actor: "a"))
        #expect(!(try b.store.transition(task.id, from: .created, to: .cancelled, at: clock.now(), actor: "b")))
        #expect(try b.get(task.id).status == .payloadProcessing)
        #expect(try b.store.events(taskID: task.id).count == 2)
    }

    @Test func aHeldWriteLockTimesOutAsBusy() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let holder = try TaskStore.open(path: path)
        let waiter = try TaskStore(connection: Connection(path: path, busyTimeout: 50))
        try holder.connection.execute("BEGIN IMMEDIATE")
        do {
            _ = try waiter.claimNext(owner: "w", at: ManualClock().now(), leaseSeconds: 1)
            Issue.record("expected SQLITE_BUSY")
        } catch let error as SQLiteError {
            #expect(error.code == "database_busy")
            #expect(error.isBusy)
        }
        // Readers are not blocked by the writer in WAL mode.
        var q = TaskQuery()
        q.limit = 1
        #expect(try waiter.list(q).total == 0)
        try holder.connection.execute("ROLLBACK")
    }
}

/// A task's program is stored byte for byte with the files it includes.
@Suite struct DefinitionTests {
    @Test func programBytesAndIncludesRoundTrip() throws {
        let service = try makeService()
        let bytes: [UInt8] = Array("OPENQASM 2.0;\n// caf".utf8) + [0xE9, 0x00, 0xFF] + Array("\nqreg q[1];\n".utf8)
        let program = ProgramSnapshot(
            main: SourceFile(name: "dir/main.qasm", bytes: bytes),
            includes: [
                IncludedFile(path: "a.inc", result: .loaded([0xC3, 0x28, 0x0A])),
                IncludedFile(path: "empty.inc", result: .loaded([])),
                IncludedFile(path: "lib/gone.inc", result: .notFound),
                IncludedFile(path: "locked.inc", result: .failed("Permission denied")),
                IncludedFile(path: "big.inc", result: .tooLarge),
            ])
        var request = bellRequest()
        request.program = program
        let task = try service.submit(request)
        #expect(try service.store.definition(id: task.definitionID) == program)
        #expect(try service.store.definition(id: "no-such-definition") == nil)
    }

    @Test func anEmptyProgramIsStoredEmptyNotMissing() throws {
        let service = try makeService()
        var request = bellRequest()
        request.program = ProgramSnapshot(main: SourceFile(name: "<stdin>", bytes: []))
        let task = try service.submit(request)
        #expect(try service.store.definition(id: task.definitionID)?.main == SourceFile(name: "<stdin>", bytes: []))
    }
}

/// The sweep in every state it can find a lost worker's task in.
extension TaskStoreTests {
    /// A task claimed by worker "lost" (lease 5 s) and moved on to `state`.
    static func lostTask(_ service: TaskService, _ clock: ManualClock, _ state: TaskStatus) throws -> QuantumTask {
        let t = try service.submit(bellRequest(shots: 1000))
        _ = try service.store.claimNext(owner: "lost", at: clock.now(), leaseSeconds: 5)
        let path: [TaskStatus] = [.payloadProcessing, .scheduled, .executionStarted, .executionCompleted]
        for (from, to) in zip(path, path.dropFirst()) where path.firstIndex(of: to)! <= path.firstIndex(of: state)! {
            try service.store.transition(t.id, from: from, to: to, at: clock.now(), actor: "worker lost")
        }
        return try #require(try service.store.task(id: t.id))
    }

    static func result(_ id: String, shotsDone: Int, partial: Bool) -> TaskResult {
        TaskResult(
            taskID: id, shots: 1000, shotsDone: shotsDone, partial: partial,
            registers: [RegisterCounts(name: "c", width: 2, counts: ["00": shotsDone / 2, "11": shotsDone - shotsDone / 2])])
    }

    @Test func theSweepCompletesAFinishedRunWhoseWorkerWasLost() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try Self.lostTask(service, clock, .executionStarted)
        try service.store.transition(
            t.id, from: .executionStarted, to: .executionCompleted, at: clock.now(), actor: "worker lost",
            changes: TaskChanges(shotsDone: 1000),
            extra: { try TaskStore.saveResult($0, Self.result(t.id, shotsDone: 1000, partial: false), at: clock.now()) })
        clock.advance(seconds: 6)
        let settled = try RecoverySweep(store: service.store, clock: clock, actor: "w9").run()
        #expect(settled.map(\.id) == [t.id])
        let task = try #require(try service.store.task(id: t.id))
        #expect(task.status == .completed)
        #expect(task.errorClass == nil && task.errorReasons.isEmpty && task.leaseOwner == nil && task.endedDate != nil)
        #expect(try service.results(t.id).1.partial == false)
        let last = try service.store.events(taskID: t.id).last
        #expect(last?.from == .executionCompleted && last?.to == .completed && last?.actor == "sweep w9")
        #expect(last?.detail?.hasPrefix("worker 'lost' was lost after the run: its lease expired at ") == true)
        #expect(last?.detail?.hasSuffix("; the results were complete") == true)
    }

    /// Anything short of complete results fails the task, in every state a lease covers.
    @Test(arguments: [
        (TaskStatus.payloadProcessing, nil as Int?, false), (.scheduled, nil, false), (.executionStarted, nil, false),
        (.executionStarted, 400, true), (.executionCompleted, nil, false), (.executionCompleted, 400, true),
        (.executionCompleted, 999, false),
    ])
    func theSweepFailsWhatIsNotAFinishedRun(state: TaskStatus, shotsDone: Int?, partial: Bool) throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try Self.lostTask(service, clock, state)
        if let shotsDone {
            try TaskStore.saveResult(
                service.store.connection, Self.result(t.id, shotsDone: shotsDone, partial: partial), at: clock.now())
        }
        clock.advance(seconds: 6)
        #expect(try RecoverySweep(store: service.store, clock: clock, actor: "w9").run().map(\.status) == [.failed])
        let task = try #require(try service.store.task(id: t.id))
        #expect(task.errorClass == .internalError)
        #expect(task.errorReasons.first?.hasSuffix(" while the task was \(state.rawValue)") == true)
    }

    @Test func theSweepLeavesALiveLeaseAlone() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try Self.lostTask(service, clock, .executionCompleted)
        clock.advance(seconds: 4)
        #expect(try RecoverySweep(store: service.store, clock: clock, actor: "w9").run().isEmpty)
        #expect(try service.store.task(id: t.id)?.status == .executionCompleted)
    }
}
