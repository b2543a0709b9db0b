// The repository contract for pausing QPUs, run on every conformance: the pause state
// and its idempotence, holding a Scheduled task of a paused QPU, claiming held tasks only
// once their QPU runs again (before Created ones), and queue positions and lengths.
import QshCore
import Testing

extension TaskRepositoryContractTests {
    /// A task for QPU `qpu`, created at `ms`.
    static func insert(_ repository: any TaskRepository, _ id: String, qpu: String, ms: Int64) throws -> QuantumTask {
        let at = Timestamp(milliseconds: ms)
        let task = QuantumTask(
            id: id, status: .created, qpuID: qpu, shots: 1, seed: 1, definitionID: bellProgram.definitionID,
            createdBy: "a", createdDate: at, updatedDate: at)
        try repository.insert(task, program: bellProgram, actor: "cli")
        return task
    }

    static func uuid(_ n: Int) -> String { "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - String(n).count) + String(n) }

    @Test(arguments: RepositoryFactory.all)
    func aQPUIsPausedAndResumedOnceEach(_ factory: RepositoryFactory) throws {
        let (opened, _) = try Self.open(factory)
        let repository = opened.repository
        #expect(try repository.qpuStates().isEmpty)
        let t1 = Timestamp(milliseconds: 1_000), t2 = Timestamp(milliseconds: 2_000), t3 = Timestamp(milliseconds: 3_000)
        #expect(try repository.setQPUPaused("q", paused: true, at: t1, actor: "cli a")
            == QPUState(qpuID: "q", paused: true, updated: t1, actor: "cli a"))
        // Pausing again changes nothing, not even the time.
        #expect(try repository.setQPUPaused("q", paused: true, at: t2, actor: "cli b").updated == t1)
        #expect(try repository.qpuStates() == [QPUState(qpuID: "q", paused: true, updated: t1, actor: "cli a")])
        #expect(try repository.setQPUPaused("q", paused: false, at: t3, actor: "cli b")
            == QPUState(qpuID: "q", paused: false, updated: t3, actor: "cli b"))
        try repository.setQPUPaused("r", paused: true, at: t3, actor: "cli b")
        #expect(try repository.qpuStates().map(\.qpuID) == ["q", "r"])
    }

    @Test(arguments: RepositoryFactory.all)
    func aPausedQPUsTasksAreHeldInScheduledAndClaimedAfterItResumes(_ factory: RepositoryFactory) throws {
        let (opened, _) = try Self.open(factory)
        let repository = opened.repository
        let now = Timestamp(milliseconds: 10_000)
        let held = try Self.insert(repository, Self.uuid(1), qpu: "q", ms: 1_000)
        let other = try Self.insert(repository, Self.uuid(2), qpu: "r", ms: 2_000)
        try repository.setQPUPaused("q", paused: true, at: now, actor: "cli")
        // The claim takes the Created task of the paused QPU too: it is compiled, then held.
        let claimed = try #require(try repository.claimNext(owner: "w", at: now, leaseSeconds: 10))
        #expect(claimed.id == held.id && claimed.status == .payloadProcessing)
        try repository.transition(held.id, from: .payloadProcessing, to: .scheduled, at: now, actor: "worker w")
        // Only the task's lease holder may hold it, and only while its QPU is paused.
        #expect(try repository.holdIfPaused(id: held.id, owner: "other") == false)
        #expect(try repository.holdIfPaused(id: held.id, owner: "w") == true)
        let waiting = try #require(try repository.task(id: held.id))
        #expect(waiting.status == .scheduled && waiting.leaseOwner == nil && waiting.leaseExpires == nil)
        // The sweep leaves an unheld Scheduled task alone.
        #expect(try repository.recoverExpiredLeases(
            at: now.adding(seconds: 3600), actor: "sweep", reason: { _ in "lost" }, completed: { _ in "done" }).isEmpty)
        // While the QPU is paused, the next claim passes the held task by.
        #expect(try repository.claimNext(owner: "w", at: now, leaseSeconds: 10)?.id == other.id)
        #expect(try repository.claimNext(owner: "w", at: now, leaseSeconds: 10) == nil)
        // Resumed: the held task is claimed again, still Scheduled, leased, with no new event.
        try repository.setQPUPaused("q", paused: false, at: now, actor: "cli")
        let events = try repository.events(taskID: held.id).count
        let again = try #require(try repository.claimNext(owner: "w2", at: now, leaseSeconds: 10))
        #expect(again.id == held.id && again.status == .scheduled && again.leaseOwner == "w2")
        #expect(try repository.events(taskID: held.id).count == events)
        #expect(try repository.claimNext(owner: "w3", at: now, leaseSeconds: 10) == nil)
        // A running QPU's Scheduled task is not held.
        #expect(try repository.holdIfPaused(id: held.id, owner: "w2") == false)
    }

    @Test(arguments: RepositoryFactory.all)
    func queuePositionsCountAQPUsWaitingTasksInOrderOfCreation(_ factory: RepositoryFactory) throws {
        let (opened, _) = try Self.open(factory)
        let repository = opened.repository
        let now = Timestamp(milliseconds: 10_000)
        let a = try Self.insert(repository, Self.uuid(1), qpu: "q", ms: 1_000)
        let b = try Self.insert(repository, Self.uuid(2), qpu: "r", ms: 2_000)
        let c = try Self.insert(repository, Self.uuid(3), qpu: "q", ms: 3_000)
        let d = try Self.insert(repository, Self.uuid(4), qpu: "q", ms: 3_000)
        #expect(try repository.queuePosition(taskID: a.id) == QueuePosition(position: 1, length: 3))
        #expect(try repository.queuePosition(taskID: b.id) == QueuePosition(position: 1, length: 1))
        #expect(try repository.queuePosition(taskID: c.id) == QueuePosition(position: 2, length: 3))
        // Same creation time: the one stored first is ahead.
        #expect(try repository.queuePosition(taskID: d.id) == QueuePosition(position: 3, length: 3))
        #expect(try repository.queueLengths() == ["q": 3, "r": 1])
        // PayloadProcessing and Scheduled tasks still wait; executing and ended ones do not.
        try repository.transition(a.id, from: .created, to: .payloadProcessing, at: now, actor: "w")
        try repository.transition(a.id, from: .payloadProcessing, to: .scheduled, at: now, actor: "w")
        #expect(try repository.queuePosition(taskID: a.id) == QueuePosition(position: 1, length: 3))
        try repository.transition(a.id, from: .scheduled, to: .executionStarted, at: now, actor: "w")
        #expect(try repository.queuePosition(taskID: a.id) == nil)
        #expect(try repository.queuePosition(taskID: c.id) == QueuePosition(position: 1, length: 2))
        try repository.transition(c.id, from: .created, to: .cancelled, at: now, actor: "cli")
        #expect(try repository.queuePosition(taskID: c.id) == nil)
        #expect(try repository.queuePosition(taskID: d.id) == QueuePosition(position: 1, length: 1))
        #expect(try repository.queueLengths() == ["q": 1, "r": 1])
        #expect(try repository.queuePosition(taskID: Self.uuid(9)) == nil)
    }
}
