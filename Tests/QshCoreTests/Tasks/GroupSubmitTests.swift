// Submits stored together (TaskService.submitMany): one transaction for the group, each
// request's own outcome, idempotency keys within and across groups; the counts by state
// follow every way of storing many tasks at once (groups, batches, imports). On every
// conformance (RepositoryFactory.all).
import QshCore
import Testing

@Suite struct GroupSubmitTests {
    static func request(_ shots: Int, key: String? = nil, user: String = "alice") -> SubmitRequest {
        SubmitRequest(
            program: ProgramSnapshot(main: SourceFile(name: "p.qasm", text: "OPENQASM 2.0;\nqreg q[1];\n")),
            qpuID: "sim:statevector", shots: shots, createdBy: user, idempotencyKey: key)
    }

    @Test(arguments: RepositoryFactory.all)
    func eachRequestGetsItsOwnOutcome(_ factory: RepositoryFactory) throws {
        let store = try factory.make().repository
        let service = TaskService(repository: store, clock: SystemClock())
        let outcomes = try service.submitMany(
            [Self.request(10), Self.request(0), Self.request(20, key: "k"), Self.request(20, key: "k"), Self.request(30, key: "k")],
            actor: "api")
        let first = try outcomes[0].get()
        #expect(first.task.shots == 10 && !first.reused)
        #expect(throws: TaskError.self) { try outcomes[1].get() }
        let keyed = try outcomes[2].get()
        #expect(!keyed.reused)
        // The same key and request in the same group: the first one's task.
        let replayed = try outcomes[3].get()
        #expect(replayed.reused && replayed.task.id == keyed.task.id)
        // The same key with another request: refused.
        #expect(throws: TaskError.idempotencyMismatch(key: "k")) { try outcomes[4].get() }
        #expect(try store.list(TaskQuery()).total == 2)
        #expect(try store.events(taskID: first.task.id).map(\.actor) == ["api"])
        // A later group finds the key's task too.
        let later = try service.submitMany([Self.request(20, key: "k")], actor: "api")
        #expect(try later[0].get().task.id == keyed.task.id)
        #expect(try service.submitMany([], actor: "api").isEmpty)
    }

    @Test(arguments: RepositoryFactory.all)
    func listsFilterByTheirCreator(_ factory: RepositoryFactory) throws {
        let store = try factory.make().repository
        let service = TaskService(repository: store, clock: SystemClock())
        _ = try service.submitMany([Self.request(1), Self.request(2, user: "bob"), Self.request(3)], actor: "api")
        var query = TaskQuery()
        query.createdBy = "alice"
        #expect(try store.list(query).tasks.map(\.shots).sorted() == [1, 3])
        #expect(try store.list(query).total == 2)
        #expect(try store.listBatches(limit: 10, page: 0, createdBy: "bob").total == 0)
    }

    /// The totals by state, as `tasks list --status` and `doctor` read them.
    static func totals(_ store: any TaskRepository) throws -> [TaskStatus: Int] {
        var totals: [TaskStatus: Int] = [:]
        for status in TaskStatus.allCases {
            var query = TaskQuery()
            query.statuses = [status]
            let total = try store.list(query).total
            if total > 0 { totals[status] = total }
        }
        return totals
    }

    @Test(arguments: RepositoryFactory.all)
    func theCountsFollowGroupsBatchesAndImports(_ factory: RepositoryFactory) throws {
        let store = try factory.make().repository
        let service = TaskService(repository: store, clock: SystemClock())
        // A group of 300 with every tenth refused (no shots): 270 stored.
        let outcomes = try service.submitMany((0..<300).map { Self.request($0 % 10 == 0 ? 0 : $0) }, actor: "api")
        #expect(outcomes.filter { (try? $0.get()) != nil }.count == 270)
        #expect(try Self.totals(store) == [.created: 270])
        let cancelled = try outcomes[1].get().task.id
        _ = try service.cancel(cancelled, actor: "cli")
        #expect(try Self.totals(store) == [.created: 269, .cancelled: 1])
        // A batch of 40.
        let items = (0..<40).map { BatchItemRequest(label: "i\($0)", request: Self.request(5)) }
        _ = try service.submitBatch(BatchRequest(name: "sweep", items: items, createdBy: "alice"))
        #expect(try Self.totals(store) == [.created: 309, .cancelled: 1])
        #expect(try store.list(TaskQuery()).total == 310)
        // Everything exported, then imported into an empty store.
        var records: [ArchiveRecord] = []
        _ = try service.export(ExportSelection()) { records.append($0) }
        let target = try factory.make().repository
        _ = try target.importRecords(records, skipExisting: false)
        #expect(try Self.totals(target) == [.created: 309, .cancelled: 1])
        #expect(try target.list(TaskQuery()).total == 310)
    }
}
