// Group commit for submits: concurrent POSTs wait in a queue while one writer stores
// everything that is waiting in one transaction (one sync), then the next group. A lone
// submit is written at once; under load, groups grow with the load. Durability settings
// are the store's own (WAL, synchronous=NORMAL): nothing is weakened, only shared.
import Dispatch
import QshCore
import Synchronization

/// Stores submit requests in groups, one writer at a time.
final class SubmitQueue: Sendable {
    typealias Outcome = Result<(task: QuantumTask, reused: Bool), any Error>

    private struct Waiting: Sendable {
        var request: SubmitRequest
        var continuation: CheckedContinuation<(task: QuantumTask, reused: Bool), any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var writing = false
    }

    let database: Database
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "qsh-server.submits")
    /// The most requests one transaction takes (an arbitrary bound that keeps a group's
    /// latency in the milliseconds).
    static let groupLimit = 256
    /// Called after each group was stored (to wake the in-process workers).
    let stored: @Sendable () -> Void

    init(database: Database, stored: @escaping @Sendable () -> Void) {
        self.database = database
        self.stored = stored
    }

    /// Stores `request` (with the next group; its creation event's actor is `api`, its
    /// `created_by` the request's) and returns its task, or the earlier task of
    /// its idempotency key (`reused`).
    /// - Throws: the request's own failure (`TaskError`), or the group's write failure.
    func submit(_ request: SubmitRequest) async throws -> (task: QuantumTask, reused: Bool) {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state -> Bool in
                state.waiting.append(Waiting(request: request, continuation: continuation))
                if state.writing { return false }
                state.writing = true
                return true
            }
            if startWriter { queue.async { self.drain() } }
        }
    }

    /// Writes groups until nothing waits.
    private func drain() {
        while true {
            let group = state.withLock { state -> [Waiting] in
                let group = Array(state.waiting.prefix(Self.groupLimit))
                state.waiting.removeFirst(group.count)
                if group.isEmpty { state.writing = false }
                return group
            }
            if group.isEmpty { return }
            let outcomes: [Outcome]
            do {
                outcomes = try database.withStore { store in
                    try TaskService(repository: store, clock: database.clock)
                        .submitMany(group.map(\.request), actor: "api")
                }
            } catch {
                for waiting in group { waiting.continuation.resume(throwing: error) }
                continue
            }
            for (waiting, outcome) in zip(group, outcomes) { waiting.continuation.resume(with: outcome) }
            stored()
        }
    }
}
