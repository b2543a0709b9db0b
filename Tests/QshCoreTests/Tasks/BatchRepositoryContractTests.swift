// The contract of TaskRepository for batches, lineages and idempotency keys, run on every
// conformance (RepositoryFactory.all): a batch is stored whole or not at all, read in
// order, counted, found by prefix; a lineage is found from any of its tasks; a key is
// stored with what it made and refused the second time.
import QshCore
import Testing

@Suite struct BatchRepositoryContractTests {
    static let at = Timestamp(milliseconds: 1_790_000_000_000)

    static func program(_ text: String) -> ProgramSnapshot {
        ProgramSnapshot(main: SourceFile(name: "\(text).qasm", text: "OPENQASM 2.0; // \(text)"))
    }

    /// A task whose program is `program(text ?? label ?? id)`.
    static func task(
        _ id: String, batch: String? = nil, label: String? = nil, rerunOf: String? = nil, at: Int64 = 0,
        text: String? = nil
    ) -> QuantumTask {
        QuantumTask(
            id: id, status: .created, qpuID: "q", shots: 10, seed: 1,
            definitionID: program(text ?? label ?? id).definitionID,
            createdBy: "a", createdDate: Timestamp(milliseconds: Self.at.milliseconds + at),
            updatedDate: Timestamp(milliseconds: Self.at.milliseconds + at), batchID: batch, batchLabel: label,
            rerunOf: rerunOf)
    }

    static func id(_ n: Int, _ head: String = "b") -> String {
        let digits = String(n)
        return head + String(repeating: "0", count: 7 - digits.count) + digits + "-0000-4000-8000-000000000000"
    }

    static func storeBatch(
        _ repository: any TaskRepository, _ batchID: String, labels: [String], first: Int = 1,
        idempotency: IdempotencyRecord? = nil, at: Int64 = 0
    ) throws {
        let batch = Batch(
            id: batchID, name: "sweep", createdBy: "a", createdDate: Timestamp(milliseconds: Self.at.milliseconds + at),
            size: labels.count)
        let items = labels.enumerated().map { n, label in
            (task: task(id(first + n, "a"), batch: batchID, label: label, at: at), program: program(label))
        }
        try repository.insertBatch(batch, items: items, actor: "cli", idempotency: idempotency)
    }

    @Test(arguments: RepositoryFactory.all)
    func aBatchIsStoredWholeAndReadBackInOrder(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let batchID = Self.id(1)
        try Self.storeBatch(repository, batchID, labels: ["zeta", "alpha", "mid"])
        #expect(try repository.batch(id: batchID) == Batch(
            id: batchID, name: "sweep", createdBy: "a", createdDate: Self.at, size: 3))
        let items = try repository.batchItems(batchID: batchID)
        #expect(items.map(\.label) == ["zeta", "alpha", "mid"])
        #expect(items.map(\.task.id) == [Self.id(1, "a"), Self.id(2, "a"), Self.id(3, "a")])
        #expect(items.allSatisfy { $0.task.batchID == batchID && $0.task.status == .created })
        #expect(try repository.definition(id: items[1].task.definitionID) == Self.program("alpha"))
        #expect(try repository.batchCounts(batchID: batchID) == [.created: 3])
        #expect(try repository.events(taskID: items[0].task.id).map(\.to) == [.created])
        #expect(try repository.batch(id: Self.id(9)) == nil)
        #expect(try repository.batchCounts(batchID: Self.id(9)).isEmpty)
        var query = TaskQuery()
        query.batchID = batchID
        #expect(try repository.list(query).total == 3)
    }

    @Test(arguments: RepositoryFactory.all)
    func aBatchThatCannotBeStoredWholeLeavesNothing(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        // A label twice.
        #expect(throws: TaskError.invalidRequest(reason: "label 'x' is used twice in the batch")) {
            try Self.storeBatch(repository, Self.id(1), labels: ["x", "y", "x"])
        }
        #expect(try repository.batch(id: Self.id(1)) == nil)
        // The third item's task id is taken: the first two and the batch are not kept.
        try repository.insert(Self.task(Self.id(3, "a"), text: "taken"), program: Self.program("taken"), actor: "cli")
        #expect(throws: (any Error).self) { try Self.storeBatch(repository, Self.id(2), labels: ["a", "b", "c"]) }
        #expect(try repository.batch(id: Self.id(2)) == nil)
        #expect(try repository.task(id: Self.id(1, "a")) == nil)
        #expect(try repository.list(TaskQuery()).total == 1)
    }

    @Test(arguments: RepositoryFactory.all)
    func batchIDsResolveByPrefixAsTaskIDsDo(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        try Self.storeBatch(repository, "7c9e6679-0000-4000-8000-000000000001", labels: ["a"], first: 1)
        try Self.storeBatch(repository, "7c9e6680-0000-4000-8000-000000000002", labels: ["a"], first: 2)
        #expect(try repository.resolveBatch("7C9E6679") == "7c9e6679-0000-4000-8000-000000000001")
        #expect(try repository.resolveBatch("7c9e6680-0000-4000-8000-000000000002")
            == "7c9e6680-0000-4000-8000-000000000002")
        #expect(throws: TaskError.ambiguousBatchPrefix(
            prefix: "7c9e66", candidates: ["7c9e6679-0000-4000-8000-000000000001", "7c9e6680-0000-4000-8000-000000000002"]
        )) { try repository.resolveBatch("7c9e66") }
        #expect(throws: TaskError.batchNotFound(id: "ffff")) { try repository.resolveBatch("ffff") }
        #expect(throws: TaskError.invalidBatchID(text: "7c9")) { try repository.resolveBatch("7c9") }
        #expect(throws: TaskError.invalidBatchID(text: "zzzz")) { try repository.resolveBatch("zzzz") }
        // A task's id is not a batch's.
        #expect(throws: TaskError.batchNotFound(id: Self.id(1, "a"))) { try repository.resolveBatch(Self.id(1, "a")) }
    }

    @Test(arguments: RepositoryFactory.all)
    func countsItemsAndResultsFollowTheItems(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let batchID = Self.id(1)
        try Self.storeBatch(repository, batchID, labels: ["done", "bad", "queued", "again"])
        let ids = (1...4).map { Self.id($0, "a") }
        func move(_ id: String, _ path: [TaskStatus], result: TaskResult? = nil) throws {
            for (from, to) in zip(path, path.dropFirst()) {
                let changes = to == .completed ? TaskChanges(result: result) : TaskChanges()
                #expect(try repository.transition(id, from: from, to: to, at: Self.at, actor: "t", changes: changes))
            }
        }
        let happy: [TaskStatus] = [.created, .payloadProcessing, .scheduled, .executionStarted, .executionCompleted,
                                   .completed]
        let counts = TaskResult(
            taskID: ids[0], shots: 10, shotsDone: 10, partial: false,
            registers: [RegisterCounts(name: "c", width: 1, counts: ["0": 4, "1": 6])])
        try move(ids[0], happy, result: counts)
        try move(ids[1], [.created, .payloadProcessing, .payloadProcessingError])
        var again = counts
        again.taskID = ids[3]
        try move(ids[3], happy, result: again)
        #expect(try repository.batchCounts(batchID: batchID) == [.completed: 2, .payloadProcessingError: 1, .created: 1])
        let results = try repository.batchResults(batchID: batchID)
        #expect(results.map(\.item.label) == ["done", "bad", "queued", "again"])
        #expect(results.map(\.item.task.status) == [.completed, .payloadProcessingError, .created, .completed])
        #expect(results[0].result == counts)
        #expect(results[1].result == nil && results[2].result == nil)
        #expect(results[3].result?.dataJSON == ["c": ["0": 4, "1": 6]])
        #expect(try repository.batchResults(batchID: Self.id(9)).isEmpty)
    }

    @Test(arguments: RepositoryFactory.all)
    func batchesListNewestFirstInPages(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        for n in 1...5 { try Self.storeBatch(repository, Self.id(n), labels: ["a", "b"], first: n * 10, at: Int64(n)) }
        let first = try repository.listBatches(limit: 2, page: 0)
        #expect(first.batches.map(\.batch.id) == [Self.id(5), Self.id(4)])
        #expect(first.total == 5 && first.page == 0)
        #expect(first.batches[0].counts == [.created: 2] && first.batches[0].status == .running)
        #expect(try repository.listBatches(limit: 2, page: 2).batches.map(\.batch.id) == [Self.id(1)])
        #expect(try repository.listBatches(limit: 2, page: 9).batches.isEmpty)
    }

    @Test(arguments: RepositoryFactory.all)
    func aLineageIsFoundFromAnyOfItsTasks(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let root = Self.id(1, "c"), second = Self.id(2, "c"), third = Self.id(3, "c"), branch = Self.id(4, "c")
        try repository.insert(Self.task(root, at: 0, text: "r"), program: Self.program("r"), actor: "cli")
        try repository.insert(Self.task(second, rerunOf: root, at: 1, text: "r"), program: Self.program("r"), actor: "cli")
        try repository.insert(Self.task(third, rerunOf: second, at: 2, text: "s"), program: Self.program("s"), actor: "cli")
        try repository.insert(Self.task(branch, rerunOf: root, at: 3, text: "r"), program: Self.program("r"), actor: "cli")
        let other = Self.id(5, "c")
        try repository.insert(Self.task(other, at: 4, text: "o"), program: Self.program("o"), actor: "cli")
        for member in [root, second, third, branch] {
            let lineage = try #require(try repository.lineage(taskID: member))
            #expect(lineage.root == root)
            #expect(lineage.tasks.map(\.id) == [root, second, third, branch])
        }
        #expect(try repository.task(id: third)?.rerunOf == second)
        #expect(try repository.lineage(taskID: other)?.tasks.map(\.id) == [other])
        #expect(try repository.lineage(taskID: Self.id(9, "c")) == nil)
    }

    @Test(arguments: RepositoryFactory.all)
    func anIdempotencyKeyIsStoredWithWhatItMadeOnce(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let key = IdempotencyRecord(key: "retry-1", fingerprint: "f1")
        try repository.insert(Self.task(Self.id(1, "d"), text: "p"), program: Self.program("p"), actor: "cli", idempotency: key)
        #expect(try repository.idempotencyRecord(key: "retry-1")
            == IdempotencyRecord(key: "retry-1", fingerprint: "f1", taskID: Self.id(1, "d")))
        #expect(throws: TaskError.idempotencyKeyUsed(key: "retry-1")) {
            try repository.insert(Self.task(Self.id(2, "d"), text: "p"), program: Self.program("p"), actor: "cli", idempotency: key)
        }
        #expect(try repository.task(id: Self.id(2, "d")) == nil)
        // A batch's key: the batch and its items are not stored when the key is taken.
        #expect(throws: TaskError.idempotencyKeyUsed(key: "retry-1")) {
            try Self.storeBatch(repository, Self.id(1), labels: ["a"], idempotency: key)
        }
        #expect(try repository.batch(id: Self.id(1)) == nil)
        let batchKey = IdempotencyRecord(key: "retry-2", fingerprint: "f2")
        try Self.storeBatch(repository, Self.id(2), labels: ["a"], first: 5, idempotency: batchKey)
        #expect(try repository.idempotencyRecord(key: "retry-2")
            == IdempotencyRecord(key: "retry-2", fingerprint: "f2", batchID: Self.id(2)))
        #expect(try repository.idempotencyRecord(key: "never") == nil)
    }
}
