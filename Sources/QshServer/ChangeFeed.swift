// The database's announcements of task changes for the event streams: one listening
// connection per server (the store's `TaskChangeWaiter`, on a thread of its own) and any
// number of streams awaiting a change that concerns them, with a timeout (the fallback poll).
// A store that announces nothing (SQLite) has no feed, and its streams poll.
import Dispatch
import QshCore
import Synchronization

/// Hands the store's announcements to the event streams that wait for them.
final class ChangeFeed: Sendable {
    private struct Waiting {
        var interest: TaskChangeInterest
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        /// The number of the latest notice.
        var sequence = 0
        /// The latest notices with their numbers, oldest first (at most `kept`).
        var recent: [(Int, TaskChangeNotice)] = []
        var waiting: [Int: Waiting] = [:]
        var nextWaiter = 0
        var stopped = false

        /// True when a notice after `mark` concerns `interest` (or notices after it were
        /// dropped, so none can tell).
        func hasNews(after mark: Int, for interest: TaskChangeInterest) -> Bool {
            guard mark < sequence else { return false }
            guard let first = recent.first, first.0 <= mark + 1 else { return true }
            return recent.contains { $0.0 > mark && interest.covers($0.1) }
        }
    }

    /// How many recent notices are kept for streams that were looking when they came
    /// (arbitrary; a stream further behind looks again).
    static let kept = 1024

    /// Seconds after which a stream looks even without an announcement.
    let fallbackPoll: Double
    private let state = Mutex(State())

    /// Starts listening through `waiter` on a thread of its own, until `stop()`.
    init(waiter: any TaskChangeWaiter) {
        fallbackPoll = waiter.fallbackPoll
        let handed = HandedWaiter(waiter: waiter)
        DispatchQueue(label: "qsh-server.changes").async { [self] in
            let waiter = handed.waiter
            while !isStopped {
                if case .changed(let notices) = waiter.wait(seconds: 1, pause: { [self] _ in !isStopped }) {
                    publish(notices)
                }
            }
        }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// The number of the latest notice: taken before a look, and given to `wait`, so
    /// that a change made during the look is not missed.
    var mark: Int { state.withLock { $0.sequence } }

    /// Ends the feed: every stream waiting is woken, and none waits again.
    func stop() {
        let woken = state.withLock { state -> [Waiting] in
            state.stopped = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for w in woken { w.continuation.resume() }
    }

    /// Waits until a notice after `mark` concerns `interest`, `seconds` pass, the task is
    /// cancelled (the client went away) or the feed stops.
    func wait(for interest: TaskChangeInterest, after mark: Int, seconds: Double) async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.stopped || Task.isCancelled || state.hasNews(after: mark, for: interest) { return true }
                    state.waiting[id] = Waiting(interest: interest, continuation: continuation)
                    return false
                }
                if now { return continuation.resume() }
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(max(0, seconds) * 1000))) {
                    self.resume(id)
                }
            }
        } onCancel: {
            resume(id)
        }
    }

    private func resume(_ id: Int) {
        state.withLock { $0.waiting.removeValue(forKey: id) }?.continuation.resume()
    }

    private func publish(_ notices: [TaskChangeNotice]) {
        let woken = state.withLock { state -> [Waiting] in
            for notice in notices {
                state.sequence += 1
                state.recent.append((state.sequence, notice))
            }
            if state.recent.count > Self.kept { state.recent.removeFirst(state.recent.count - Self.kept) }
            let ids = state.waiting.filter { entry in notices.contains(where: entry.value.interest.covers) }.map(\.key)
            return ids.compactMap { state.waiting.removeValue(forKey: $0) }
        }
        for w in woken { w.continuation.resume() }
    }
}

/// A waiter made on one thread and handed, once, to the feed's thread, the only one that
/// uses it afterwards.
private struct HandedWaiter: @unchecked Sendable {
    let waiter: any TaskChangeWaiter
}
