// Submits stored together (TaskService.submitMany): one transaction for the group, each
// request's own outcome, idempotency keys within and across groups.
import QshCore
import Testing

@Suite struct GroupSubmitTests {
    static func request(_ shots: Int, key: String? = nil, user: String = "alice") -> SubmitRequest {
        SubmitRequest(
            program: ProgramSnapshot(main: SourceFile(name: "p.qasm", text: "OPENQASM 2.0;\nqreg q[1];\n")),
            qpuID: "sim:statevector", shots: shots, createdBy: user, idempotencyKey: key)
    }

    @Test func eachRequestGetsItsOwnOutcome() throws {
        let store = try SQLiteTaskStore.open(path: ":memory:")
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

    @Test func listsFilterByTheirCreator() throws {
        let store = try SQLiteTaskStore.open(path: ":memory:")
        let service = TaskService(repository: store, clock: SystemClock())
        _ = try service.submitMany([Self.request(1), Self.request(2, user: "bob"), Self.request(3)], actor: "api")
        var query = TaskQuery()
        query.createdBy = "alice"
        #expect(try store.list(query).tasks.map(\.shots).sorted() == [1, 3])
        #expect(try store.list(query).total == 2)
        #expect(try store.listBatches(limit: 10, page: 0, createdBy: "bob").total == 0)
    }
}
