// Waking on PostgreSQL's announcements: a connection of its own LISTENs on `qsh_tasks`
// (transitions, progress and new tasks NOTIFY there at COMMIT) and a wait polls its socket
// in tenths of a second, asking the caller between them whether to go on. A lost connection
// is made again at the next wait, which then reports a change of unknown extent.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Waits for `NOTIFY qsh_tasks` on a connection of its own. Not Sendable (one thread waits).
public final class PostgresChangeWaiter: TaskChangeWaiter {
    /// The channel every announcement goes to.
    static let channel = "qsh_tasks"

    public let fallbackPoll: Double
    private let address: PostgresAddress
    private var connection: PostgresConnection?

    /// Connects to `address` and listens.
    /// - Parameter fallbackPoll: seconds after which callers look even without an
    ///   announcement (arbitrary: a lost worker's lease is noticed within this after it ends).
    /// - Throws: `PostgresError` when it cannot connect.
    public init(address: PostgresAddress, fallbackPoll: Double = 5) throws(PostgresError) {
        self.address = address
        self.fallbackPoll = fallbackPoll
        connection = try Self.listen(address)
    }

    private static func listen(_ address: PostgresAddress) throws(PostgresError) -> PostgresConnection {
        let connection = try PostgresConnection(address)
        try connection.execute("LISTEN \(channel)")
        return connection
    }

    public func wait(seconds: Double, pause: (Double) -> Bool) -> TaskChangeWait {
        let start = ContinuousClock.now
        func left() -> Double { seconds - (ContinuousClock.now - start).seconds }
        guard let connection else {
            // Lost before: listen again; what was announced meanwhile is unknown. While the
            // server cannot be reached, wait a second (the caller's own work meets the outage).
            if let fresh = try? Self.listen(address) {
                self.connection = fresh
                return .changed([.unknown])
            }
            while left() > max(0, seconds - 1) {
                sleepSeconds(min(0.1, left()))
                if !pause(0) { return .interrupted }
            }
            return .changed([.unknown])
        }
        while true {
            let received: [(channel: String, payload: String)]
            do {
                received = try connection.notifications()
            } catch {
                self.connection = nil
                return .changed([.unknown])
            }
            let notices = received.filter { $0.channel == Self.channel }.map { TaskChangeNotice(payload: $0.payload) }
            if !notices.isEmpty { return .changed(notices) }
            let remaining = left()
            if remaining <= 0 { return .timedOut }
            var socket = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
            _ = poll(&socket, 1, Int32(max(1, min(remaining, 0.1) * 1000)))
            if !pause(0) { return .interrupted }
        }
    }
}

@available(*, unavailable)
extension PostgresChangeWaiter: Sendable {}

extension PostgresTaskStore {
    /// A waiter on this database's announcements, on a connection of its own.
    public func changeWaiter() throws -> (any TaskChangeWaiter)? {
        try PostgresChangeWaiter(address: connection.address)
    }

    /// Rides out a lost server as `policy` says (see `PostgresConnection.reconnection`).
    public func keepReconnecting(_ policy: ReconnectPolicy) { connection.reconnection = policy }
}
