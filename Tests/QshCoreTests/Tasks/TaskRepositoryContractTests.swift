// The contract of TaskRepository, written against the protocol alone and run on every
// conformance (RepositoryFactory.all): storing and reading, definitions, prefixes, lists,
// transitions with their event and payload, runs, leases, racing claims, sweep, workers.
import Foundation
import QshCore
import Synchronization
import Testing

@Suite struct TaskRepositoryContractTests {
    /// A service over a fresh repository of `factory`, and the repository's keeper.
    static func open(_ factory: RepositoryFactory, _ clock: ManualClock = ManualClock()) throws
        -> (OpenedRepository, TaskService)
    {
        let opened = try factory.make()
        return (opened, TaskService(repository: opened.repository, clock: clock))
    }

    /// A task stored directly, with a chosen id and program.
    static func insert(
        _ repository: any TaskRepository, id: String, at: Timestamp, program: ProgramSnapshot = bellProgram,
        batchID: String? = nil
    ) throws -> QuantumTask {
        let task = QuantumTask(
            id: id, status: .created, qpuID: "q", shots: 1, seed: 1, definitionID: program.definitionID,
            createdBy: "a", createdDate: at, updatedDate: at, batchID: batchID)
        try repository.insert(task, program: program, actor: "cli")
        return task
    }

    static let bellProgram = ProgramSnapshot(main: SourceFile(name: "bell.qasm", text: "OPENQASM 2.0;"))

    // MARK: Storing and reading

    @Test(arguments: RepositoryFactory.all)
    func aStoredTaskReadsBackWithItsCreationEvent(_ factory: RepositoryFactory) throws {
        let (opened, service) = try Self.open(factory)
        let repository = opened.repository
        let task = try service.submit(bellRequest(tags: ["team": "q", "run": "1"]))
        #expect(try repository.task(id: task.id) == task)
        #expect(try service.get(task.id).tags == ["team": "q", "run": "1"])
        let events = try repository.events(taskID: task.id)
        #expect(events.map(\.to) == [.created])
        #expect(events[0].from == nil && events[0].actor == "cli" && events[0].at == task.createdDate)
        #expect(try repository.definition(id: task.definitionID) == Self.bellProgram)
        #expect(try repository.result(taskID: task.id) == nil)
        #expect(try repository.runs(taskID: task.id).isEmpty)
        #expect(try repository.diagnostics(taskID: task.id).isEmpty)
        #expect(try repository.task(id: "00000000-0000-4000-8000-000000000000") == nil)
        try repository.checkStorage()
    }

    @Test(arguments: RepositoryFactory.all)
    func programBytesAndIncludesRoundTrip(_ factory: RepositoryFactory) throws {
        let (opened, service) = try Self.open(factory)
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
        #expect(try opened.repository.definition(id: task.definitionID) == program)
        #expect(try opened.repository.definition(id: "no-such-definition") == nil)

        request.program = ProgramSnapshot(main: SourceFile(name: "<stdin>", bytes: []))
        let empty = try service.submit(request)
        #expect(try opened.repository.definition(id: empty.definitionID)?.main == SourceFile(name: "<stdin>", bytes: []))
    }

    /// The same program (name, bytes and includes) is one definition, whoever submits it;
    /// any difference makes another.
    @Test(arguments: RepositoryFactory.all)
    func definitionsAreContentAddressedAndShared(_ factory: RepositoryFactory) throws {
        let (opened, service) = try Self.open(factory)
        let program = ProgramSnapshot(
            main: SourceFile(name: "main.qasm", text: "OPENQASM 2.0;\ninclude \"a.inc\";\n"),
            includes: [IncludedFile(path: "a.inc", result: .loaded(Array("qreg q[1];\n".utf8)))])
        var request = bellRequest()
        request.program = program
        let first = try service.submit(request)
        let second = try service.submit(request)
        #expect(first.definitionID == program.definitionID)
        #expect(second.definitionID == first.definitionID)
        #expect(first.definitionID.utf8.count == 64)
        #expect(try opened.repository.definition(id: first.definitionID) == program)

        var changed = program
        changed.includes[0].result = .loaded(Array("qreg q[2];\n".utf8))
        request.program = changed
        let third = try service.submit(request)
        #expect(third.definitionID != first.definitionID)
        #expect(try opened.repository.definition(id: third.definitionID) == changed)
        #expect(try opened.repository.definition(id: first.definitionID) == program)
    }

    @Test(arguments: RepositoryFactory.all)
    func prefixesResolveToOneTask(_ factory: RepositoryFactory) throws {
        let (opened, service) = try Self.open(factory)
        let task = try service.submit(bellRequest())
        #expect(try opened.repository.resolve(String(task.id.prefix(8))) == task.id)
        #expect(try opened.repository.resolve(task.id.uppercased()) == task.id)
        #expect(throws: TaskError.invalidID(text: "abc")) { try opened.repository.resolve("abc") }
        #expect(throws: TaskError.invalidID(text: "zzzz")) { try opened.repository.resolve("zzzz") }
        let missing = task.id.hasPrefix("0000") ? "ffff" : "0000"
        #expect(throws: TaskError.notFound(id: missing)) { try opened.repository.resolve(missing) }
        let absent = task.id.hasPrefix("0") ? "10000000-0000-4000-8000-000000000000" : "00000000-0000-4000-8000-000000000000"
        #expect(throws: TaskError.notFound(id: absent)) { try opened.repository.resolve(absent) }
    }

    @Test(arguments: RepositoryFactory.all)
    func anAmbiguousPrefixListsItsCandidates(_ factory: RepositoryFactory) throws {
        let opened = try factory.make()
        let clock = ManualClock()
        for n in 1...12 {
            let suffix = n < 10 ? "0\(n)" : "\(n)"
            _ = try Self.insert(opened.repository, id: "abcd0000-0000-4000-8000-0000000000\(suffix)", at: clock.now())
        }
        let candidates = (1...10).map { n in "abcd0000-0000-4000-8000-0000000000" + (n < 10 ? "0\(n)" : "\(n)") }
        #expect(throws: TaskError.ambiguousPrefix(prefix: "abcd", candidates: candidates)) {
            try opened.repository.resolve("abcd")
        }
        #expect(try opened.repository.resolve("abcd0000-0000-4000-8000-000000000002").hasSuffix("02"))
    }

    // MARK: Listing

    @Test(arguments: RepositoryFactory.all)
    func listFiltersSortsAndPages(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
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
        let first = try opened.repository.list(q)
        #expect(first.total == 25)
        #expect(first.size == 10)
        #expect(first.page == 0)
        #expect(first.tasks.map(\.id) == Array(ids.reversed().prefix(10)))
        q.page = 2
        #expect(try opened.repository.list(q).tasks.map(\.id) == Array(ids.reversed().suffix(5)))
        q.page = 3
        #expect(try opened.repository.list(q).tasks.isEmpty)

        var filtered = TaskQuery()
        filtered.statuses = [.cancelled]
        #expect(try opened.repository.list(filtered).tasks.map(\.id) == [ids[0]])
        #expect(try opened.repository.list(filtered).total == 1)

        var byQPU = TaskQuery()
        byQPU.qpuID = "a"
        byQPU.tags = [("parity", "even")]
        byQPU.sort = .shots
        byQPU.descending = false
        let page = try opened.repository.list(byQPU)
        #expect(page.tasks.map(\.shots) == [1, 3, 5])
        #expect(page.total == 3)

        var since = TaskQuery()
        since.since = Timestamp(milliseconds: ManualClock().now().milliseconds + 21_000)
        #expect(try opened.repository.list(since).total == 5)
        var until = TaskQuery()
        until.until = Timestamp(milliseconds: ManualClock().now().milliseconds + 3_000)
        #expect(try opened.repository.list(until).tasks.map(\.id) == [ids[1], ids[0]])
    }

    @Test(arguments: RepositoryFactory.all)
    func tiesKeepTheOrderTasksWereStoredIn(_ factory: RepositoryFactory) throws {
        let opened = try factory.make()
        let at = ManualClock().now()
        // Ids out of order, one creation time: the stored order decides.
        let ids = ["ffff0000-0000-4000-8000-000000000000", "0000ffff-0000-4000-8000-000000000000",
                   "8888ffff-0000-4000-8000-000000000000"]
        for id in ids { _ = try Self.insert(opened.repository, id: id, at: at) }
        var q = TaskQuery()
        #expect(try opened.repository.list(q).tasks.map(\.id) == ids.reversed())
        q.descending = false
        #expect(try opened.repository.list(q).tasks.map(\.id) == ids)
        q.sort = .id
        #expect(try opened.repository.list(q).tasks.map(\.id) == ids.sorted())
    }

    @Test(arguments: RepositoryFactory.all)
    func totalsFollowTransitions(_ factory: RepositoryFactory) throws {
        let (opened, service) = try Self.open(factory)
        let a = try service.submit(bellRequest())
        _ = try service.submit(bellRequest())
        _ = try service.cancel(a.id)
        var q = TaskQuery()
        q.statuses = [.created]
        #expect(try opened.repository.list(q).total == 1)
        q.statuses = [.created, .cancelled]
        #expect(try opened.repository.list(q).total == 2)
        q.statuses = [.cancelled, .cancelled]
        #expect(try opened.repository.list(q).total == 1)
        #expect(try opened.repository.list(TaskQuery()).total == 2)
    }

    @Test(arguments: RepositoryFactory.all)
    func aBatchIsStoredAndListed(_ factory: RepositoryFactory) throws {
        let opened = try factory.make()
        let clock = ManualClock()
        let ids = ["1000", "2000", "3000"].map { "\($0)0000-0000-4000-8000-000000000000" }
        let inBatch = try Self.insert(opened.repository, id: ids[0], at: clock.now(), batchID: "b1")
        _ = try Self.insert(opened.repository, id: ids[1], at: clock.now())
        _ = try Self.insert(opened.repository, id: ids[2], at: clock.now(), batchID: "b1")
        #expect(try opened.repository.task(id: inBatch.id)?.batchID == "b1")
        #expect(try opened.repository.task(id: ids[1])?.batchID == nil)
        var q = TaskQuery()
        q.batchID = "b1"
        let page = try opened.repository.list(q)
        #expect(page.tasks.map(\.id) == [ids[2], ids[0]])
        #expect(page.total == 2)
    }

    // MARK: Transitions

    @Test(arguments: RepositoryFactory.all)
    func aTransitionIsACompareAndSetWithItsEvent(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let repository = opened.repository
        let task = try service.submit(bellRequest())
        clock.advance(seconds: 1)
        #expect(try repository.transition(task.id, from: .created, to: .payloadProcessing, at: clock.now(), actor: "w"))
        // The same move again loses: the task is no longer Created.
        #expect(!(try repository.transition(task.id, from: .created, to: .cancelled, at: clock.now(), actor: "w")))
        let events = try repository.events(taskID: task.id)
        #expect(events.map(\.to) == [.created, .payloadProcessing])
        #expect(events[1].from == .created && events[1].actor == "w" && events[1].at == clock.now())
        #expect(events[1].sequence > events[0].sequence)
        #expect(throws: TaskError.illegalTransition(id: task.id, from: .payloadProcessing, to: .completed)) {
            try repository.transition(task.id, from: .payloadProcessing, to: .completed, at: clock.now(), actor: "w")
        }
        let now = try #require(try repository.task(id: task.id))
        #expect(now.status == .payloadProcessing)
        #expect(now.updatedDate == clock.now())
        #expect(try repository.events(taskID: task.id).count == 2)
    }

    /// Everything a transition carries is written with the new state.
    @Test(arguments: RepositoryFactory.all)
    func aTransitionRecordsItsPayload(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let repository = opened.repository
        let task = try service.submit(bellRequest())
        try repository.transition(task.id, from: .created, to: .payloadProcessing, at: clock.now(), actor: "w")
        clock.advance(seconds: 1)
        let compilation = Compilation(
            id: "c-1", definitionID: task.definitionID, qpuID: task.qpuID, created: clock.now(),
            circuit: FakeCompilers.bell)
        #expect(compilation.gateCounts == ["h": 1, "cx": 1, "measure": 2])
        #expect(compilation.qubits == 2 && compilation.clbits == 2 && compilation.operations == 4)
        try repository.transition(
            task.id, from: .payloadProcessing, to: .scheduled, at: clock.now(), actor: "w",
            changes: TaskChanges(compilation: compilation))
        let scheduled = try #require(try repository.task(id: task.id))
        #expect(scheduled.compilationID == "c-1")
        #expect(scheduled.scheduledDate == clock.now())
        #expect(try repository.compilation(id: "c-1") == compilation)
        #expect(try repository.compilation(id: "c-2") == nil)

        let other = try service.submit(bellRequest())
        try repository.transition(other.id, from: .created, to: .payloadProcessing, at: clock.now(), actor: "w")
        let diagnostics = [
            Diagnostic(
                code: "unknown-gate", message: "'ccx' is not defined in this scope",
                at: SourceLocation(file: "bell.qasm", line: 4, column: 1), notes: ["'ccx' is defined in qelib1.inc"]),
            Diagnostic(.warning, code: "w", message: "second", at: SourceLocation(file: "x.inc", line: 1, column: 2)),
        ]
        try repository.transition(
            other.id, from: .payloadProcessing, to: .payloadProcessingError, at: clock.now(), actor: "w",
            detail: "bell.qasm:4:1: 'ccx' is not defined in this scope",
            changes: TaskChanges(
                errorClass: .invalidProgram, errorReasons: ["bell.qasm:4:1: 'ccx' is not defined in this scope"],
                diagnostics: diagnostics))
        let failed = try #require(try repository.task(id: other.id))
        #expect(failed.status == .payloadProcessingError)
        #expect(failed.errorClass == .invalidProgram)
        #expect(failed.errorReasons == ["bell.qasm:4:1: 'ccx' is not defined in this scope"])
        #expect(failed.endedDate == clock.now())
        #expect(failed.leaseOwner == nil && failed.leaseExpires == nil)
        #expect(try repository.diagnostics(taskID: other.id) == diagnostics)
        #expect(try repository.events(taskID: other.id).last?.detail == "bell.qasm:4:1: 'ccx' is not defined in this scope")
    }

    /// A payload that cannot be written (a compilation id already taken) leaves the task,
    /// its events and its runs as they were.
    @Test(arguments: RepositoryFactory.all)
    func aTransitionWhosePayloadFailsChangesNothing(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let repository = opened.repository
        let a = try service.submit(bellRequest())
        let b = try service.submit(bellRequest())
        let compilation = Compilation(
            id: "same", definitionID: a.definitionID, qpuID: a.qpuID, created: clock.now(), circuit: FakeCompilers.bell)
        for t in [a, b] {
            try repository.transition(t.id, from: .created, to: .payloadProcessing, at: clock.now(), actor: "w")
        }
        try repository.transition(
            a.id, from: .payloadProcessing, to: .scheduled, at: clock.now(), actor: "w",
            changes: TaskChanges(compilation: compilation))
        #expect(throws: (any Error).self) {
            try repository.transition(
                b.id, from: .payloadProcessing, to: .scheduled, at: clock.now(), actor: "w",
                changes: TaskChanges(compilation: compilation))
        }
        let after = try #require(try repository.task(id: b.id))
        #expect(after.status == .payloadProcessing && after.compilationID == nil && after.scheduledDate == nil)
        #expect(try repository.events(taskID: b.id).count == 2)
        var q = TaskQuery()
        q.statuses = [.scheduled]
        #expect(try repository.list(q).total == 1)
    }

    // MARK: Runs

    /// A run begins when its task enters ExecutionStarted (by the lease owner, with the
    /// compilation) and ends when it leaves; the task's results are the run's counts.
    @Test(arguments: RepositoryFactory.all)
    func aRunIsRecordedFromStartToEnd(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let repository = opened.repository
        let task = try service.submit(bellRequest(shots: 1000))
        let claimed = try #require(try repository.claimNext(owner: "w1", at: clock.now(), leaseSeconds: 60))
        let compilation = Compilation(
            id: "c-1", definitionID: task.definitionID, qpuID: task.qpuID, created: clock.now(),
            circuit: FakeCompilers.bell)
        try repository.transition(
            claimed.id, from: .payloadProcessing, to: .scheduled, at: clock.now(), actor: "worker w1",
            changes: TaskChanges(compilation: compilation))
        // Progress before the run starts is not recorded.
        try repository.recordProgress(
            id: task.id, shotsDone: 5, partial: [RegisterCounts(name: "c", width: 2, counts: ["00": 5])], at: clock.now())
        #expect(try repository.task(id: task.id)?.shotsDone == 0)
        clock.advance(seconds: 1)
        let started = clock.now()
        try repository.transition(task.id, from: .scheduled, to: .executionStarted, at: started, actor: "worker w1")
        var runs = try repository.runs(taskID: task.id)
        #expect(runs.count == 1)
        #expect(runs[0].attempt == 1 && runs[0].worker == "w1" && runs[0].compilationID == "c-1")
        #expect(runs[0].started == started && runs[0].ended == nil && runs[0].result == nil)
        #expect(runs[0].id.utf8.count == 36)
        #expect(try repository.result(taskID: task.id) == nil)

        // Shots without counts move the task's count only.
        try repository.recordProgress(id: task.id, shotsDone: 100, partial: nil, at: clock.now())
        #expect(try repository.task(id: task.id)?.shotsDone == 100)
        #expect(try repository.result(taskID: task.id) == nil)
        let partial = [RegisterCounts(name: "c", width: 2, counts: ["00": 120, "11": 80])]
        try repository.recordProgress(id: task.id, shotsDone: 200, partial: partial, at: clock.now())
        let progress = try #require(try repository.result(taskID: task.id))
        #expect(progress == TaskResult(taskID: task.id, shots: 1000, shotsDone: 200, partial: true, registers: partial))
        #expect(try repository.task(id: task.id)?.shotsDone == 200)

        clock.advance(seconds: 2)
        let final = TaskResult(
            taskID: task.id, shots: 1000, shotsDone: 1000, partial: false,
            registers: [RegisterCounts(name: "c", width: 2, counts: ["00": 510, "11": 490])],
            timings: [("queue", 0.5), ("execute", 2)], metrics: .object([("qubits", .int(2))]),
            metadata: .object([("qpu_id", .string("test:fake")), ("seed", .int(7))]))
        try repository.transition(
            task.id, from: .executionStarted, to: .executionCompleted, at: clock.now(), actor: "worker w1",
            changes: TaskChanges(shotsDone: 1000, result: final))
        #expect(try repository.result(taskID: task.id) == final)
        // Progress after the run is ignored.
        try repository.recordProgress(id: task.id, shotsDone: 3, partial: partial, at: clock.now())
        #expect(try repository.result(taskID: task.id) == final)
        let ended = clock.now()
        clock.advance(seconds: 1)
        try repository.transition(task.id, from: .executionCompleted, to: .completed, at: clock.now(), actor: "worker w1")
        runs = try repository.runs(taskID: task.id)
        #expect(runs.count == 1)
        #expect(runs[0].ended == ended && runs[0].result == final)
        let done = try #require(try repository.task(id: task.id))
        #expect(done.status == .completed && done.shotsDone == 1000 && done.leaseOwner == nil)
        #expect(done.startedDate == started && done.endedDate == clock.now())
    }

    @Test(arguments: RepositoryFactory.all)
    func aRunThatFailsEndsWithItsPartialCounts(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let repository = opened.repository
        let task = try Self.lostTask(service, clock, .executionStarted)
        let partial = [RegisterCounts(name: "c", width: 2, counts: ["00": 7])]
        try repository.recordProgress(id: task.id, shotsDone: 7, partial: partial, at: clock.now())
        clock.advance(seconds: 1)
        try repository.transition(
            task.id, from: .executionStarted, to: .failed, at: clock.now(), actor: "worker lost",
            changes: TaskChanges(errorClass: .executionError, errorReasons: ["the simulator stopped"]))
        let run = try #require(try repository.runs(taskID: task.id).first)
        #expect(run.ended == clock.now())
        #expect(run.result?.partial == true && run.result?.shotsDone == 7)
        #expect(throws: TaskError.noResults(
            id: task.id, status: .failed, errorClass: .executionError, reasons: ["the simulator stopped"])
        ) { try service.results(task.id) }
    }

    // MARK: Leases and claims

    @Test(arguments: RepositoryFactory.all)
    func leasesAreClaimedRenewedReleasedAndSwept(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let repository = opened.repository
        let first = try service.submit(bellRequest())
        clock.advance(seconds: 1)
        let second = try service.submit(bellRequest())
        let claimed = try repository.claimNext(owner: "w1", at: clock.now(), leaseSeconds: 10)
        #expect(claimed?.id == first.id)
        #expect(claimed?.status == .payloadProcessing)
        #expect(claimed?.leaseOwner == "w1")
        #expect(claimed?.leaseExpires == clock.now().adding(seconds: 10))
        #expect(try repository.events(taskID: first.id).last?.actor == "worker w1")
        #expect(try repository.claimNext(owner: "w2", at: clock.now(), leaseSeconds: 10)?.id == second.id)
        #expect(try repository.claimNext(owner: "w3", at: clock.now(), leaseSeconds: 10) == nil)

        clock.advance(seconds: 8)
        #expect(try repository.renewLeases(owner: "w1", at: clock.now(), leaseSeconds: 10) == 1)
        #expect(try repository.renewLeases(owner: "nobody", at: clock.now(), leaseSeconds: 10) == 0)
        clock.advance(seconds: 5)
        // w2's lease expired at +11 s; w1 renewed to +19 s.
        let swept = try RecoverySweep(repository: repository, clock: clock, actor: "w9").run()
        #expect(swept.map(\.id) == [second.id])
        let failed = try #require(try repository.task(id: second.id))
        #expect(failed.status == .failed)
        #expect(failed.errorClass == .internalError)
        #expect(failed.errorReasons.first?.hasPrefix("worker 'w2' was lost: its lease expired at ") == true)
        #expect(failed.leaseOwner == nil)
        #expect(try repository.events(taskID: second.id).last?.actor == "sweep w9")
        #expect(try repository.task(id: first.id)?.status == .payloadProcessing)
        #expect(try RecoverySweep(repository: repository, clock: clock, actor: "w9").run().isEmpty)

        // Another owner cannot drop w1's lease; w1 can.
        try repository.releaseLease(id: first.id, owner: "w2")
        #expect(try repository.task(id: first.id)?.leaseOwner == "w1")
        try repository.releaseLease(id: first.id, owner: "w1")
        let released = try #require(try repository.task(id: first.id))
        #expect(released.leaseOwner == nil && released.leaseExpires == nil)
        clock.advance(seconds: 3600)
        #expect(try RecoverySweep(repository: repository, clock: clock, actor: "w9").run().isEmpty)
    }

    /// Workers claiming from one queue at once, each through its own repository (another
    /// process's view): every task is claimed exactly once, and no claimer stops while a
    /// task is still waiting, since a claim that loses a race tries the next task.
    @Test(arguments: RepositoryFactory.shared)
    func racingClaimersTakeEveryTaskOnce(_ factory: RepositoryFactory) throws {
        let (opened, service) = try Self.open(factory)
        let another = try #require(opened.another)
        var ids: [String] = []
        for _ in 0..<100 { ids.append(try service.submit(bellRequest()).id) }
        let claimed = Mutex<[String]>([])
        let failures = Mutex<[String]>([])
        let waiting = {
            var query = TaskQuery()
            query.statuses = [.created]
            return query
        }()
        DispatchQueue.concurrentPerform(iterations: 6) { worker in
            do {
                let repository = try another()
                while let task = try repository.claimNext(
                    owner: "w\(worker)", at: ManualClock().now(), leaseSeconds: 60)
                {
                    claimed.withLock { $0.append(task.id) }
                }
                // Nothing is submitted meanwhile, so a queue found empty stays empty.
                let left = try repository.list(waiting).total
                if left > 0 { failures.withLock { $0.append("w\(worker) stopped with \(left) tasks waiting") } }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(claimed.withLock { $0 }.sorted() == ids.sorted())
        #expect(try opened.repository.list(waiting).total == 0)
        for id in ids { #expect(try opened.repository.events(taskID: id).map(\.to) == [.created, .payloadProcessing]) }
    }

    @Test(arguments: RepositoryFactory.shared)
    func twoRepositoriesRaceOneTransition(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, a) = try Self.open(factory, clock)
        let another = try #require(opened.another)
        let b = TaskService(repository: try another(), clock: clock)
        let task = try a.submit(bellRequest())
        #expect(try b.get(task.id).status == .created)
        #expect(try a.repository.transition(task.id, from: .created, to: .payloadProcessing, at: clock.now(), actor: "a"))
        #expect(!(try b.repository.transition(task.id, from: .created, to: .cancelled, at: clock.now(), actor: "b")))
        #expect(try b.get(task.id).status == .payloadProcessing)
        #expect(try b.repository.events(taskID: task.id).count == 2)
    }

    // MARK: The sweep

    /// A task claimed by worker "lost" (lease 5 s) and moved on to `state`; a run that
    /// reaches ExecutionCompleted carries `result`.
    static func lostTask(
        _ service: TaskService, _ clock: ManualClock, _ state: TaskStatus, result: TaskResult? = nil
    ) throws -> QuantumTask {
        let t = try service.submit(bellRequest(shots: 1000))
        _ = try service.repository.claimNext(owner: "lost", at: clock.now(), leaseSeconds: 5)
        let path: [TaskStatus] = [.payloadProcessing, .scheduled, .executionStarted, .executionCompleted]
        for (from, to) in zip(path, path.dropFirst()) where path.firstIndex(of: to)! <= path.firstIndex(of: state)! {
            try service.repository.transition(
                t.id, from: from, to: to, at: clock.now(), actor: "worker lost",
                changes: TaskChanges(result: to == .executionCompleted ? result.map { r in
                    var r = r
                    r.taskID = t.id
                    return r
                } : nil))
        }
        return try #require(try service.repository.task(id: t.id))
    }

    static func result(shotsDone: Int, partial: Bool) -> TaskResult {
        TaskResult(
            taskID: "", shots: 1000, shotsDone: shotsDone, partial: partial,
            registers: [RegisterCounts(name: "c", width: 2, counts: ["00": shotsDone / 2, "11": shotsDone - shotsDone / 2])])
    }

    @Test(arguments: RepositoryFactory.all)
    func theSweepCompletesAFinishedRunWhoseWorkerWasLost(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let t = try Self.lostTask(service, clock, .executionCompleted, result: Self.result(shotsDone: 1000, partial: false))
        clock.advance(seconds: 6)
        let settled = try RecoverySweep(repository: opened.repository, clock: clock, actor: "w9").run()
        #expect(settled.map(\.id) == [t.id])
        #expect(settled.first?.status == .completed)
        let task = try #require(try opened.repository.task(id: t.id))
        #expect(task.status == .completed)
        #expect(task.errorClass == nil && task.errorReasons.isEmpty && task.leaseOwner == nil && task.endedDate != nil)
        #expect(try service.results(t.id).1.partial == false)
        let last = try opened.repository.events(taskID: t.id).last
        #expect(last?.from == .executionCompleted && last?.to == .completed && last?.actor == "sweep w9")
        #expect(last?.detail?.hasPrefix("worker 'lost' was lost after the run: its lease expired at ") == true)
        #expect(last?.detail?.hasSuffix("; the results were complete") == true)
    }

    /// Anything short of complete results fails the task, in every state a lease covers.
    @Test(arguments: RepositoryFactory.all, [
        (TaskStatus.payloadProcessing, nil as Int?, false), (.scheduled, nil, false), (.executionStarted, nil, false),
        (.executionStarted, 400, true), (.executionCompleted, nil, false), (.executionCompleted, 400, true),
        (.executionCompleted, 999, false),
    ])
    func theSweepFailsWhatIsNotAFinishedRun(_ factory: RepositoryFactory, lost: (TaskStatus, Int?, Bool)) throws {
        let (state, shotsDone, partial) = lost
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let result = shotsDone.map { Self.result(shotsDone: $0, partial: partial) }
        let t = try Self.lostTask(service, clock, state, result: state == .executionCompleted ? result : nil)
        if state == .executionStarted, let result {
            try opened.repository.recordProgress(
                id: t.id, shotsDone: result.shotsDone, partial: result.registers, at: clock.now())
        }
        clock.advance(seconds: 6)
        #expect(try RecoverySweep(repository: opened.repository, clock: clock, actor: "w9").run().map(\.status) == [.failed])
        let task = try #require(try opened.repository.task(id: t.id))
        #expect(task.errorClass == .internalError)
        #expect(task.errorReasons.first?.hasSuffix(" while the task was \(state.rawValue)") == true)
    }

    @Test(arguments: RepositoryFactory.all)
    func theSweepLeavesALiveLeaseAlone(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Self.open(factory, clock)
        let t = try Self.lostTask(service, clock, .executionCompleted, result: Self.result(shotsDone: 1000, partial: false))
        clock.advance(seconds: 4)
        #expect(try RecoverySweep(repository: opened.repository, clock: clock, actor: "w9").run().isEmpty)
        #expect(try opened.repository.task(id: t.id)?.status == .executionCompleted)
        // A renewal keeps it alive past its first expiry.
        #expect(try opened.repository.renewLeases(owner: "lost", at: clock.now(), leaseSeconds: 5) == 1)
        clock.advance(seconds: 4)
        #expect(try RecoverySweep(repository: opened.repository, clock: clock, actor: "w9").run().isEmpty)
    }

    // MARK: Workers

    @Test(arguments: RepositoryFactory.all)
    func theWorkerRegistryReservesOneStart(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let repository = try factory.make().repository
        #expect(!(try repository.hasLiveWorker(at: clock.now())))
        #expect(try repository.reserveWorkerStart(at: clock.now(), seconds: 5))
        #expect(try repository.hasLiveWorker(at: clock.now()))
        #expect(!(try repository.reserveWorkerStart(at: clock.now(), seconds: 5)))
        try repository.registerWorker(owner: "w1", pid: 42, at: clock.now(), leaseSeconds: 10)
        #expect(try repository.hasLiveWorker(at: clock.now()))
        clock.advance(seconds: 8)
        // Renewing a worker's leases renews its registration.
        _ = try repository.renewLeases(owner: "w1", at: clock.now(), leaseSeconds: 10)
        clock.advance(seconds: 8)
        #expect(try repository.hasLiveWorker(at: clock.now()))
        clock.advance(seconds: 3)
        #expect(!(try repository.hasLiveWorker(at: clock.now())))
        try repository.unregisterWorker(owner: "w1")
        #expect(try repository.reserveWorkerStart(at: clock.now(), seconds: 5))
        // A registering worker replaces the launcher's placeholder.
        try repository.registerWorker(owner: "w2", pid: 43, at: clock.now(), leaseSeconds: 1)
        clock.advance(seconds: 2)
        #expect(!(try repository.hasLiveWorker(at: clock.now())))
    }
}
