// The task database as the server uses it: a pool of connections (one per request in
// flight, kept for reuse) to the SQLite file or the PostgreSQL database of `--db`, each
// used by one thread at a time on a dispatch queue off Swift's cooperative pool, since
// both block (a busy lock, a round trip); and the feed of its announcements, if it makes any.
import Dispatch
import QshCore
import Synchronization

/// Runs repository work for requests off the cooperative thread pool.
final class Database: Sendable {
    /// The database file, or PostgreSQL address (`--db`).
    let path: String
    /// Where times come from: the given clock, or PostgreSQL's once `prepare` connected.
    var clock: any WallClock { clockSource.withLock { $0 } }
    private let clockSource: Mutex<any WallClock>
    /// How many idle connections are kept for reuse (an arbitrary bound: more are opened
    /// while more requests are in flight, and closed when they finish).
    static let idleLimit = 16
    private let idle = Mutex<[PooledStore]>([])
    private let queue = DispatchQueue(label: "qsh-server.database", attributes: .concurrent)

    /// How a request's connection rides out a lost database server: reconnecting for a
    /// few seconds (a restart), then failing the request (arbitrary: a client should not
    /// hang); the outage is told once, through `outages`.
    let reconnection: ReconnectPolicy

    init(path: String, clock: any WallClock = SystemClock(), outages: OutageReporter? = nil) {
        self.path = path
        clockSource = Mutex(clock)
        reconnection = ReconnectPolicy(maximumDelay: 1, reporter: outages, giveUp: { elapsed in elapsed >= 5 })
    }

    /// Opens a store for requests.
    private func openForRequests() throws -> any TaskRepository {
        let store = try Self.open(path)
        store.keepReconnecting(reconnection)
        return store
    }

    /// Opens the database once (creating it, and migrating it), so that a bad path fails
    /// at start-up, not at the first request.
    func prepare() throws {
        let store = try openForRequests()
        let clock = try Self.clock(for: store, fallback: self.clock)
        clockSource.withLock { $0 = clock }
        if let waiter = try store.changeWaiter() { feed.withLock { $0 = ChangeFeed(waiter: waiter) } }
        idle.withLock { $0.append(PooledStore(store: store)) }
    }

    /// The store's announcements of changes for the event streams; nil when it makes none.
    var changes: ChangeFeed? { feed.withLock { $0 } }
    private let feed = Mutex<ChangeFeed?>(nil)

    /// Opens the store `path` names: PostgreSQL for a postgres:// URL or libpq's key/value
    /// form (libpq is loaded then), else the SQLite file, created when missing.
    static func open(_ path: String) throws -> any TaskRepository {
        if let address = PostgresAddress(path) { return try PostgresTaskStore(address: address) }
        return try SQLiteTaskStore.open(path: path, access: .create)
    }

    /// The time source for `store`: the server's clock for PostgreSQL (every replica and
    /// worker agrees on it), else `fallback`.
    static func clock(for store: any TaskRepository, fallback: any WallClock) throws -> any WallClock {
        guard fallback is SystemClock, let postgres = store as? PostgresTaskStore else { return fallback }
        return try postgres.databaseClock()
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
    func withStore<T>(_ body: (any TaskRepository) throws -> T) throws -> T {
        let pooled = try idle.withLock { $0.popLast() } ?? PooledStore(store: openForRequests())
        defer {
            // A connection left inside a transaction (it cannot be, but if it were) is dropped.
            if !pooled.inTransaction {
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
    let store: any TaskRepository

    /// True when its connection is inside a transaction.
    var inTransaction: Bool {
        (store as? SQLiteTaskStore)?.connection.inTransaction ?? (store as? PostgresTaskStore)?.connection.inTransaction
            ?? false
    }
}
