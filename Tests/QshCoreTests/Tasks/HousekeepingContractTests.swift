// The housekeeping part of the TaskRepository contract, run on every conformance
// (RepositoryFactory.all): delete and prune (transactional, shared definitions kept),
// export and import of records (lossless, duplicates refused), and the health report.
import Foundation
import QshCore
import Testing

@Suite struct HousekeepingContractTests {
    typealias Contract = TaskRepositoryContractTests

    static let other = ProgramSnapshot(
        main: SourceFile(name: "ghz.qasm", bytes: Array("OPENQASM 2.0;\ninclude \"lib.inc\";\n".utf8) + [0xFF, 0x0A]),
        includes: [
            IncludedFile(path: "lib.inc", result: .loaded([0x00, 0xC3, 0x28])),
            IncludedFile(path: "gone.inc", result: .notFound),
        ])

    /// A task run to Completed by worker "w1": compilation, run with counts, tags, events.
    static func completed(_ repository: any TaskRepository, _ clock: ManualClock, id: String, program: ProgramSnapshot)
        throws -> QuantumTask
    {
        let task = QuantumTask(
            id: id, status: .created, qpuID: "q", shots: 10, seed: UInt64.max - 1, name: "n\(id.prefix(4))",
            tags: ["team": "q", "ü": "ß"], definitionID: program.definitionID, createdBy: "a",
            createdDate: clock.now(), updatedDate: clock.now())
        try repository.insert(task, program: program, actor: "cli")
        _ = try #require(try repository.claimNext(owner: "w1", at: clock.now(), leaseSeconds: 60))
        clock.advance(seconds: 1)
        let compilation = Compilation(
            id: "c-" + id, definitionID: program.definitionID, qpuID: "q", created: clock.now(),
            circuit: FakeCompilers.bell)
        try repository.transition(
            id, from: .payloadProcessing, to: .scheduled, at: clock.now(), actor: "worker w1",
            changes: TaskChanges(compilation: compilation))
        try repository.transition(id, from: .scheduled, to: .executionStarted, at: clock.now(), actor: "worker w1")
        clock.advance(seconds: 1)
        let result = TaskResult(
            taskID: id, shots: 10, shotsDone: 10, partial: false,
            registers: [RegisterCounts(name: "c", width: 2, counts: ["00": 6, "11": 4])],
            timings: [("execute", 0.25)], metrics: .object([("qubits", .int(2))]),
            metadata: .object([("seed", .int(7))]))
        try repository.transition(
            id, from: .executionStarted, to: .executionCompleted, at: clock.now(), actor: "worker w1",
            changes: TaskChanges(shotsDone: 10, result: result))
        try repository.transition(id, from: .executionCompleted, to: .completed, at: clock.now(), actor: "worker w1")
        return try #require(try repository.task(id: id))
    }

    /// A task that ended PayloadProcessingError with a diagnostic.
    static func refused(_ repository: any TaskRepository, _ clock: ManualClock, id: String) throws -> QuantumTask {
        _ = try Contract.insert(repository, id: id, at: clock.now(), program: other)
        _ = try #require(try repository.claimNext(owner: "w1", at: clock.now(), leaseSeconds: 60))
        let diagnostic = Diagnostic(
            .error, code: "unknown_gate", message: "unknown gate 'foo'",
            at: SourceLocation(file: "ghz.qasm", line: 3, column: 1), notes: ["did you mean 'h'?"])
        try repository.transition(
            id, from: .payloadProcessing, to: .payloadProcessingError, at: clock.now(), actor: "worker w1",
            changes: TaskChanges(errorClass: .invalidProgram, errorReasons: ["unknown gate 'foo'"], diagnostics: [diagnostic]))
        return try #require(try repository.task(id: id))
    }

    static let a = "aaaaaaaa-0000-4000-8000-000000000001"
    static let b = "bbbbbbbb-0000-4000-8000-000000000002"
    static let c = "cccccccc-0000-4000-8000-000000000003"

    // MARK: Delete and prune

    @Test(arguments: RepositoryFactory.all)
    func deleteRemovesEveryRowOfATaskAndKeepsADefinitionAnotherTaskUses(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let repository = try factory.make().repository
        let first = try Self.completed(repository, clock, id: Self.a, program: Self.other)
        _ = try Self.completed(repository, clock, id: Self.b, program: Self.other)
        try repository.delete(ids: [Self.a], unfinished: false)
        #expect(try repository.task(id: Self.a) == nil)
        #expect(try repository.events(taskID: Self.a).isEmpty)
        #expect(try repository.runs(taskID: Self.a).isEmpty)
        #expect(try repository.result(taskID: Self.a) == nil)
        #expect(try repository.compilation(id: "c-" + Self.a) == nil)
        // The other task still has its program, includes and all.
        #expect(try repository.definition(id: first.definitionID) == Self.other)
        #expect(try repository.list(TaskQuery()).total == 1)
        try repository.delete(ids: [Self.b], unfinished: false)
        #expect(try repository.definition(id: first.definitionID) == nil)
        #expect(try repository.compilation(id: "c-" + Self.b) == nil)
        #expect(try repository.list(TaskQuery()).total == 0)
    }

    @Test(arguments: RepositoryFactory.all)
    func deleteIsAllOrNothing(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let repository = try factory.make().repository
        _ = try Self.completed(repository, clock, id: Self.a, program: Contract.bellProgram)
        _ = try Contract.insert(repository, id: Self.b, at: clock.now(), program: Self.other)
        let missing = "dddddddd-0000-4000-8000-000000000004"
        #expect(throws: TaskError.notFound(id: missing)) { try repository.delete(ids: [Self.a, missing], unfinished: false) }
        #expect(throws: TaskError.deleteRefused(id: Self.b, status: .created)) {
            try repository.delete(ids: [Self.a, Self.b], unfinished: false)
        }
        #expect(try repository.task(id: Self.a) != nil && repository.task(id: Self.b) != nil)
        try repository.delete(ids: [Self.a, Self.b], unfinished: true)
        #expect(try repository.list(TaskQuery()).total == 0)
        #expect(try repository.definition(id: Self.other.definitionID) == nil)
    }

    @Test(arguments: RepositoryFactory.all)
    func pruneTakesEndedTasksByStateAndAgeAndADryRunChangesNothing(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let repository = try factory.make().repository
        _ = try Self.completed(repository, clock, id: Self.a, program: Contract.bellProgram)
        clock.advance(seconds: 3600)
        _ = try Self.refused(repository, clock, id: Self.b)
        _ = try Contract.insert(repository, id: Self.c, at: clock.now())
        let hourAgo = clock.now().adding(seconds: -1800)
        #expect(try repository.prune(PruneFilter(endedBefore: hourAgo), dryRun: true) == [Self.a])
        #expect(try repository.prune(PruneFilter(), dryRun: true) == [Self.a, Self.b])
        #expect(try repository.prune(PruneFilter(statuses: [.payloadProcessingError]), dryRun: true) == [Self.b])
        #expect(try repository.prune(PruneFilter(statuses: [.cancelled]), dryRun: true) == [])
        #expect(try repository.list(TaskQuery()).total == 3)
        #expect(try repository.prune(PruneFilter(), dryRun: false) == [Self.a, Self.b])
        #expect(try repository.list(TaskQuery()).tasks.map(\.id) == [Self.c])
        // The Created task's program is the bell program, shared with the pruned Completed one.
        #expect(try repository.definition(id: Contract.bellProgram.definitionID) == Contract.bellProgram)
        #expect(try repository.definition(id: Self.other.definitionID) == nil)
    }

    @Test(arguments: RepositoryFactory.all)
    func theServiceCancelsQueuedTasksFirstAndRefusesExecutingOnesUnlessForced(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Contract.open(factory, clock)
        let repository = opened.repository
        let done = try Self.completed(repository, clock, id: Self.a, program: Contract.bellProgram)
        // Claimed first: the claim takes the oldest Created task.
        let executing = try Contract.lostTask(service, clock, .executionStarted)
        let queued = try Contract.insert(repository, id: Self.b, at: clock.now())
        #expect(throws: TaskError.deleteRefused(id: executing.id, status: .executionStarted)) {
            try service.delete([Self.a, "bbbb", executing.id], force: false)
        }
        // Refused before anything changed: the queued task was not even cancelled.
        #expect(try repository.task(id: Self.b)?.status == .created)
        let deleted = try service.delete(["aaaa", "bbbb", Self.a], force: false, actor: "cli bob")
        #expect(deleted.map(\.task.id) == [done.id, queued.id])
        #expect(deleted.map(\.cancelled) == [false, true] && deleted[1].task.status == .cancelled)
        #expect(try repository.task(id: Self.b) == nil)
        let forced = try service.delete([executing.id], force: true)
        #expect(forced == [DeletedTask(task: executing, cancelled: false)])
        #expect(try repository.list(TaskQuery()).total == 0)
        #expect(throws: TaskError.notFound(id: "cccc")) { try service.delete(["cccc"], force: true) }
    }

    // MARK: Export and import

    /// Every record of `repository`'s tasks, definitions first, as the service writes them.
    static func exported(_ repository: any TaskRepository, _ clock: ManualClock) throws -> [ArchiveRecord] {
        var records: [ArchiveRecord] = []
        _ = try TaskService(repository: repository, clock: clock).export(ExportSelection()) { records.append($0) }
        return records
    }

    @Test(arguments: RepositoryFactory.all)
    func exportThenImportIntoAnEmptyStoreReadsBackTheSame(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let source = try factory.make().repository
        _ = try Self.completed(source, clock, id: Self.a, program: Self.other)
        _ = try Self.refused(source, clock, id: Self.b)
        _ = try Contract.insert(source, id: Self.c, at: clock.now())
        let records = try Self.exported(source, clock)
        #expect(records.map(\.kind) == [.definition, .task, .task, .definition, .task])
        // Through the text and back.
        let lines = records.map(TaskArchiveFormat.line)
        let read = try lines.enumerated().map { try TaskArchiveFormat.record($1, source: "x", lineNumber: $0 + 1) }
        #expect(read == records)

        let target = try factory.make().repository
        let summary = try target.importRecords(read, skipExisting: false)
        #expect(summary == ImportSummary(imported: [Self.a, Self.b, Self.c], definitions: 2))
        for id in [Self.a, Self.b, Self.c] {
            #expect(try target.task(id: id) == source.task(id: id))
            #expect(try target.events(taskID: id) == source.events(taskID: id))
            #expect(try target.result(taskID: id) == source.result(taskID: id))
            #expect(try target.runs(taskID: id) == source.runs(taskID: id))
            #expect(try target.diagnostics(taskID: id) == source.diagnostics(taskID: id))
        }
        #expect(try target.definition(id: Self.other.definitionID) == Self.other)
        #expect(try target.compilation(id: "c-" + Self.a) == source.compilation(id: "c-" + Self.a))
        #expect(try target.list(TaskQuery()).tasks == source.list(TaskQuery()).tasks)
        #expect(try Self.exported(target, clock) == records)
    }

    @Test(arguments: RepositoryFactory.all)
    func importRefusesAColumnThisDatabaseLacksAndStoresNothing(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let source = try factory.make().repository
        _ = try Self.completed(source, clock, id: Self.a, program: Self.other)
        var records = try Self.exported(source, clock)
        let task = try #require(records.firstIndex { $0.kind == .task })
        let table = try #require(records[task].tables.firstIndex { $0.name == "task_events" })
        records[task].tables[table].rows[0].fields.append(ArchiveField("from_the_future", .integer(1)))
        let target = try factory.make().repository
        #expect(throws: ImportError.invalid(
            record: Self.a,
            reason: "the column 'from_the_future' of its table 'task_events' is not in this database "
                + "(was it exported by a newer qsh?)")
        ) { try target.importRecords(records, skipExisting: false) }
        #expect(try target.task(id: Self.a) == nil)
        #expect(try target.list(TaskQuery()).total == 0)
    }

    @Test(arguments: RepositoryFactory.all)
    func importRefusesDuplicatesUnlessToldToSkipThem(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let source = try factory.make().repository
        _ = try Self.completed(source, clock, id: Self.a, program: Self.other)
        _ = try Self.refused(source, clock, id: Self.b)
        let records = try Self.exported(source, clock)
        let target = try factory.make().repository
        _ = try target.importRecords(records.filter { $0.id != Self.b }, skipExisting: false)
        #expect(throws: ImportError.duplicate(id: Self.a)) { try target.importRecords(records, skipExisting: false) }
        #expect(try target.task(id: Self.b) == nil)
        let summary = try target.importRecords(records, skipExisting: true)
        #expect(summary == ImportSummary(imported: [Self.b], skipped: [Self.a], definitions: 0))
        #expect(try target.events(taskID: Self.b) == source.events(taskID: Self.b))
    }

    @Test(arguments: RepositoryFactory.all)
    func eventNumbersTakenInTheTargetAreAssignedAnewInOrder(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let source = try factory.make().repository
        _ = try Self.completed(source, clock, id: Self.a, program: Self.other)
        let target = try factory.make().repository
        _ = try Self.completed(target, clock, id: Self.b, program: Contract.bellProgram)
        _ = try target.importRecords(try Self.exported(source, clock), skipExisting: false)
        let events = try target.events(taskID: Self.a)
        let original = try source.events(taskID: Self.a)
        #expect(events.map(\.to) == original.map(\.to) && events.map(\.at) == original.map(\.at))
        #expect(events.map(\.sequence) == events.map(\.sequence).sorted())
        #expect(Set(events.map(\.sequence)).isDisjoint(with: try target.events(taskID: Self.b).map(\.sequence)))
    }

    @Test(arguments: RepositoryFactory.all)
    func aRecordThatDoesNotFitStoresNothing(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let source = try factory.make().repository
        _ = try Self.completed(source, clock, id: Self.a, program: Self.other)
        _ = try Self.refused(source, clock, id: Self.b)
        var records = try Self.exported(source, clock)
        let last = records.count - 1
        let tasksTable = try #require(records[last].tables.firstIndex { $0.name == "tasks" })
        records[last].tables[tasksTable].rows[0].fields.append(ArchiveField("column_from_a_later_schema", .text(Self.a)))
        let target = try factory.make().repository
        #expect(throws: ImportError.self) { try target.importRecords(records, skipExisting: false) }
        #expect(try target.list(TaskQuery()).total == 0)
        #expect(try target.definition(id: Self.other.definitionID) == nil)
        // A task whose program is in neither the file nor the database.
        #expect(throws: ImportError.self) {
            try target.importRecords(records.filter { $0.kind == .task }.prefix(1).map { $0 }, skipExisting: false)
        }
        // A table no task record has.
        var extra = records[1]
        extra.tables.append(ArchiveTable("workers", []))
        #expect(throws: ImportError.self) { try target.importRecords([records[0], extra], skipExisting: false) }
        // A task row whose id is not the record's.
        var renamed = records[1]
        renamed.id = Self.c
        #expect(throws: ImportError.invalid(record: Self.c, reason: "it needs exactly one 'tasks' row with the record's id")) {
            try target.importRecords([records[0], renamed], skipExisting: false)
        }
        #expect(try target.list(TaskQuery()).total == 0)
    }

    // MARK: Health

    @Test(arguments: RepositoryFactory.all)
    func healthFindsATaskStrandedPastItsLeaseWithoutSettlingIt(_ factory: RepositoryFactory) throws {
        let clock = ManualClock()
        let (opened, service) = try Contract.open(factory, clock)
        let repository = opened.repository
        _ = try Self.completed(repository, clock, id: Self.a, program: Contract.bellProgram)
        try repository.registerWorker(owner: "lost", pid: 42, at: clock.now(), leaseSeconds: 5)
        let lost = try Contract.lostTask(service, clock, .executionStarted)
        var health = try repository.health(at: clock.now())
        #expect(health.healthy && health.verdict == "healthy" && health.integrity == ["ok"])
        #expect(health.counts[.completed] == 1 && health.counts[.executionStarted] == 1 && health.counts[.created] == 0)
        #expect(health.workers == [
            WorkerRegistration(
                owner: "lost", pid: 42, started: clock.now(), expires: clock.now().adding(seconds: 5), leasedTasks: 1,
                live: true)
        ])
        #expect(health.schemaVersion == health.latestSchemaVersion && health.pageCount > 0 && health.pageSize > 0)
        clock.advance(seconds: 6)
        health = try repository.health(at: clock.now())
        #expect(health.stranded.map(\.id) == [lost.id])
        #expect(health.workers.first?.live == false)
        #expect(!health.healthy)
        #expect(health.verdict == "unhealthy: 1 task stranded past its lease (\(lost.id.prefix(8)))")
        // Looking changed nothing: the task is still there to see.
        #expect(try repository.task(id: lost.id)?.status == .executionStarted)
    }
}
