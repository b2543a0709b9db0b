// What a store's announcements say and whom they concern: the payload of a notice, read
// back; work for workers, a task's changes for its followers, and a change of unknown
// extent (after a reconnect) for everyone.
import QshCore
import Testing

@Suite struct ChangeWaitingTests {
    static let id = "550e8400-e29b-41d4-a716-446655440000"

    @Test func aNoticeReadsBackFromItsPayload() {
        let notices = [
            TaskChangeNotice(taskID: Self.id, status: .executionStarted),
            TaskChangeNotice(taskID: Self.id, status: nil, progress: true),
            TaskChangeNotice(taskID: nil, status: .created),
            TaskChangeNotice(taskID: Self.id, status: nil),
        ]
        for notice in notices { #expect(TaskChangeNotice(payload: notice.payload) == notice) }
        #expect(notices.map(\.payload) == [
            "ExecutionStarted \(Self.id)", "progress \(Self.id)", "Created", "changed \(Self.id)",
        ])
        #expect(TaskChangeNotice(payload: "deleted \(Self.id)") == TaskChangeNotice(taskID: Self.id, status: nil))
        // Text qsh did not write is a change of unknown extent: whoever waits looks again.
        for payload in ["", "hello", "Scheduled2"] { #expect(TaskChangeNotice(payload: payload) == .unknown) }
    }

    @Test func workIsACreatedTaskOrAResumedQPU() {
        #expect(TaskChangeInterest.work.covers(TaskChangeNotice(taskID: nil, status: .created)))
        #expect(TaskChangeInterest.work.covers(TaskChangeNotice(taskID: Self.id, status: .created)))
        #expect(TaskChangeInterest.work.covers(TaskChangeNotice(taskID: nil, status: .scheduled)))
        #expect(TaskChangeInterest.work.covers(.unknown))
        // A task scheduled by its worker, or moving on, is no work for another.
        #expect(!TaskChangeInterest.work.covers(TaskChangeNotice(taskID: Self.id, status: .scheduled)))
        #expect(!TaskChangeInterest.work.covers(TaskChangeNotice(taskID: Self.id, status: .completed)))
        #expect(!TaskChangeInterest.work.covers(TaskChangeNotice(taskID: Self.id, status: nil, progress: true)))
    }

    @Test func aFollowerIsConcernedByItsOwnTasksOnly() {
        let other = "650e8400-e29b-41d4-a716-446655440000"
        let followed = TaskChangeInterest.tasks([Self.id])
        #expect(followed.covers(TaskChangeNotice(taskID: Self.id, status: .completed)))
        #expect(followed.covers(TaskChangeNotice(taskID: Self.id, status: nil, progress: true)))
        #expect(followed.covers(.unknown))
        #expect(!followed.covers(TaskChangeNotice(taskID: other, status: .completed)))
        #expect(!followed.covers(TaskChangeNotice(taskID: nil, status: .created)))
        #expect(TaskChangeInterest.any.covers(TaskChangeNotice(taskID: other, status: .failed)))
    }

    @Test func aStoreThatAnnouncesNothingHasNoWaiterAndIgnoresAReconnectPolicy() throws {
        let store = try SQLiteTaskStore.open(path: ":memory:")
        #expect(try store.changeWaiter() == nil)
        store.keepReconnecting(ReconnectPolicy())
        #expect(try store.task(id: Self.id) == nil)
    }

    @Test func anOutageIsReportedOnceUntilAConnectionIsBack() {
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        let reporter = OutageReporter { lines.all.append($0) }
        reporter.lost("first")
        reporter.lost("second")
        #expect(reporter.isDown && lines.all == ["first"])
        reporter.restored()
        #expect(!reporter.isDown)
        reporter.lost("third")
        #expect(lines.all == ["first", "third"])
        // Backoff: from the first delay, growing by half, capped.
        let policy = ReconnectPolicy(initialDelay: 0.1, maximumDelay: 0.2)
        #expect(abs(policy.next(after: 0.1) - 0.15) < 1e-9 && policy.next(after: 0.15) == 0.2)
    }
}
