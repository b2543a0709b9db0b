// The task database as the server uses it: a pool of SQLite connections (one per request
// in flight, kept for reuse), each used by one thread at a time on a dispatch queue off
// Swift's cooperative pool, since SQLite blocks (a busy lock waits up to its timeout).
import Dispatch
import QshCore
import Synchronization

/// Runs repository work for requests off the cooperative thread pool.
final class Database: Sendable {
    /// The database file (`--db`).
    let path: String
    let clock: any WallClock
    /// How many idle connections are kept for reuse (an arbitrary bound: more are opened
    /// while more requests are in flight, and closed when they finish).
    static let idleLimit = 16
    private let idle = Mutex<[PooledStore]>([])
    private let queue = DispatchQueue(label: "qsh-server.database", attributes: .concurrent)

    init(path: String, clock: any WallClock = SystemClock()) {
        self.path = path
        self.clock = clock
    }

    /// Opens the database once (creating it, and migrating it), so that a bad path fails
    /// at start-up, not at the first request.
    func prepare() throws {
        let store = try SQLiteTaskStore.open(path: path, access: .create)
        idle.withLock { $0.append(PooledStore(store: store)) }
    }

    /// Runs `body` with a task service on a pooled connection, on the database queue.
    /// - Throws: what `body` or opening a connection threw.
    func run<T: Sendable>(_ body: @escaping @Sendable (TaskService) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.withStore { try body(TaskService(repository: $0, clock: self.clock)) } })
            }
        }
    }

    /// Runs `body` with a pooled store on the calling thread (a database-queue thread).
    func withStore<T>(_ body: (SQLiteTaskStore) throws -> T) throws -> T {
        let pooled = try idle.withLock { $0.popLast() } ?? PooledStore(store: SQLiteTaskStore.open(path: path, access: .create))
        defer {
            // A connection left inside a transaction (it cannot be, but if it were) is dropped.
            if !pooled.store.connection.inTransaction {
                idle.withLock { if $0.count < Self.idleLimit { $0.append(pooled) } }
            }
        }
        return try body(pooled.store)
    }
}

/// A pooled store, handed from thread to thread. SQLite connections opened without a
/// mutex (SQLITE_OPEN_NOMUTEX) may move between threads as long as one thread uses them
/// at a time: the pool's lock hands each to one request at a time, hence unchecked.
struct PooledStore: @unchecked Sendable {
    let store: SQLiteTaskStore
}
