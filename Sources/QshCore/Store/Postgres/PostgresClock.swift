// The database's clock: leases and timestamps of every machine sharing a PostgreSQL queue
// come from the server's time, so that machines whose clocks disagree still agree on when a
// lease expires. The offset from this machine's clock is measured once (a round trip,
// halved) and then read locally: no query per timestamp.
import FoundationEssentials

/// The server's time, as this machine's clock plus the offset measured at connection.
public struct DatabaseClock: WallClock {
    /// Milliseconds to add to this machine's clock.
    public let offsetMilliseconds: Int64

    public init(offsetMilliseconds: Int64) { self.offsetMilliseconds = offsetMilliseconds }

    public func now() -> Timestamp {
        Timestamp(milliseconds: SystemClock().now().milliseconds + offsetMilliseconds)
    }
}

extension PostgresTaskStore {
    /// The database's clock, measured now: the server's `clock_timestamp()` against this
    /// machine's clock halfway through the query.
    public func databaseClock() throws -> DatabaseClock {
        let local = SystemClock()
        let before = local.now().milliseconds
        let server = try connection.scalar("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint") ?? before
        let after = local.now().milliseconds
        return DatabaseClock(offsetMilliseconds: server - (before + after) / 2)
    }
}
