// How a long-lived process (a worker, a server) rides out losing its database server: a
// restart or a network cut. Its store reconnects with capped backoff and runs the interrupted
// work again; the process says so once per outage, not once per attempt. One-shot commands
// set no policy and fail fast.
import Synchronization

/// What a store does when its connection to the database server is lost: try again with
/// growing delays (from `initialDelay`, times 1.5, capped at `maximumDelay`) until the
/// server answers or `giveUp` says to stop. A store with no connection to lose (SQLite)
/// ignores it.
public struct ReconnectPolicy: Sendable {
    /// The first delay and the cap, in seconds.
    public var initialDelay: Double
    public var maximumDelay: Double
    /// Asked between attempts with the seconds since the outage began: true stops trying,
    /// and the last error is thrown (the process is stopping, or a request waited enough).
    public var giveUp: @Sendable (_ elapsed: Double) -> Bool
    /// Told of the outage and of its end (nil: nobody is told).
    public var reporter: OutageReporter?

    public init(
        initialDelay: Double = 0.1, maximumDelay: Double = 5, reporter: OutageReporter? = nil,
        giveUp: @escaping @Sendable (_ elapsed: Double) -> Bool = { _ in false }
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.reporter = reporter
        self.giveUp = giveUp
    }

    /// The delay after `delay`.
    public func next(after delay: Double) -> Double { min(maximumDelay, delay * 1.5) }
}

/// Says once per outage that the database cannot be reached, however many connections
/// (a worker's, its heartbeat's, a server's pool) notice it: the first one that fails to
/// reconnect reports; the outage ends when any of them reconnects. Sendable: shared by the
/// connections of one process.
public final class OutageReporter: Sendable {
    private let down = Mutex(false)
    private let report: @Sendable (String) -> Void

    /// - Parameter report: given one line (the error's message, without the advice to
    ///   try again) when an outage begins.
    public init(_ report: @escaping @Sendable (String) -> Void) { self.report = report }

    /// A connection could not reconnect: reports `message` unless this outage was reported.
    public func lost(_ message: String) {
        let first = down.withLock { down in
            defer { down = true }
            return !down
        }
        if first { report(message) }
    }

    /// A connection works again: the next failure is a new outage.
    public func restored() { down.withLock { $0 = false } }

    /// True while an outage reported has not ended.
    public var isDown: Bool { down.withLock { $0 } }
}
