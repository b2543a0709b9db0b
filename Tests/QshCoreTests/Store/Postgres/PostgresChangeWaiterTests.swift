// Waking on PostgreSQL's announcements (LISTEN/NOTIFY): a waiter hears a task created, a
// transition and progress made through another connection, passes over what does not
// concern it, and stops when asked. The channel is shared by every schema of the test
// server, so these tests only ever wait for their own tasks' changes.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite(.disabled(if: TestPostgres.url == nil && !TestPostgres.required, Comment(rawValue: TestPostgres.unavailableReason ?? "")))
struct PostgresChangeWaiterTests {
    /// Waits (up to a minute: the announcement comes at once) for a change to `id`.
    static func next(_ waiter: any TaskChangeWaiter, _ id: String) -> [TaskChangeNotice] {
        guard case .changed(let notices) = waiter.wait(seconds: 60, for: .tasks([id]), pause: { _ in true }) else { return [] }
        return notices.filter { $0.taskID == id }
    }

    @Test func aWaiterHearsATaskCreatedMovedAndProgressingElsewhere() throws {
        let schema = try PostgresTestSchema()
        let mine = try PostgresTaskStore(address: schema.address)
        let waiter = try #require(try mine.changeWaiter())
        #expect(waiter.fallbackPoll == 5)
        let elsewhere = try PostgresTaskStore(address: schema.address)
        let service = TaskService(repository: elsewhere, clock: ManualClock())
        let task = try service.submit(bellRequest())
        // Work: announced without an id (a submit of many tasks is one announcement).
        let work = waiter.wait(seconds: 60, for: .work, pause: { _ in true })
        guard case .changed(let notices) = work else { Issue.record("no announcement: \(work)"); return }
        #expect(notices.contains(TaskChangeNotice(taskID: nil, status: .created)))

        let claimed = try #require(try elsewhere.claimNext(owner: "w", at: ManualClock().now(), leaseSeconds: 30))
        #expect(claimed.id == task.id)
        #expect(Self.next(waiter, task.id) == [TaskChangeNotice(taskID: task.id, status: .payloadProcessing)])
        #expect(try elsewhere.transition(task.id, from: .payloadProcessing, to: .scheduled, at: ManualClock().now(), actor: "w"))
        #expect(Self.next(waiter, task.id) == [TaskChangeNotice(taskID: task.id, status: .scheduled)])
        #expect(try elsewhere.transition(task.id, from: .scheduled, to: .executionStarted, at: ManualClock().now(), actor: "w"))
        #expect(Self.next(waiter, task.id) == [TaskChangeNotice(taskID: task.id, status: .executionStarted)])
        try elsewhere.recordProgress(id: task.id, shotsDone: 50, partial: nil, at: ManualClock().now())
        #expect(Self.next(waiter, task.id) == [TaskChangeNotice(taskID: task.id, status: nil, progress: true)])
    }

    @Test func aWaiterPassesOverOtherTasksAndAMoveThatDidNotHappen() throws {
        let schema = try PostgresTestSchema()
        let store = try PostgresTaskStore(address: schema.address)
        let service = TaskService(repository: store, clock: ManualClock())
        let followed = try service.submit(bellRequest())
        let other = try service.submit(bellRequest())
        let waiter = try #require(try store.changeWaiter())
        // A compare-and-set that fails (the task is not Scheduled) is rolled back: no announcement.
        #expect(try !store.transition(followed.id, from: .scheduled, to: .executionStarted, at: ManualClock().now(), actor: "w"))
        #expect(try store.transition(other.id, from: .created, to: .cancelled, at: ManualClock().now(), actor: "cli"))
        #expect(waiter.wait(seconds: 0.5, for: .tasks([followed.id]), pause: { _ in true }) == .timedOut)
        #expect(try store.transition(followed.id, from: .created, to: .cancelled, at: ManualClock().now(), actor: "cli"))
        #expect(Self.next(waiter, followed.id) == [TaskChangeNotice(taskID: followed.id, status: .cancelled)])
    }

    @Test func aWaitEndsWhenItsPauseSaysStop() throws {
        let schema = try PostgresTestSchema()
        let store = try PostgresTaskStore(address: schema.address)
        let waiter = try #require(try store.changeWaiter())
        var asked = 0
        #expect(waiter.wait(seconds: 60, for: .tasks(["none"]), pause: { seconds in
            asked += 1
            return seconds == 0 && asked < 3
        }) == .interrupted)
        #expect(asked == 3)
    }

    @Test func aFollowerOfATaskIsWokenByItsChangesAndADeletion() throws {
        let schema = try PostgresTestSchema()
        let store = try PostgresTaskStore(address: schema.address)
        let service = TaskService(repository: store, clock: ManualClock())
        let task = try service.submit(bellRequest())
        let waiter = try #require(try store.changeWaiter())
        let elsewhere = try PostgresTaskStore(address: schema.address)
        try elsewhere.delete(ids: [task.id], unfinished: true)
        #expect(Self.next(waiter, task.id) == [TaskChangeNotice(taskID: task.id, status: nil)])
    }
}
