// PostgresError: a failed PostgreSQL call as a typed value (what failed, SQLSTATE, the
// server's or libpq's words, the address without its password). Bound values never appear
// in it; a connection failure names the host and says what to check.

/// An error from PostgreSQL or libpq.
public struct PostgresError: QshError, CustomStringConvertible, Equatable {
    /// What kind of failure this is, for the caller's decision (retry, reconnect, report).
    public enum Kind: Sendable, Equatable {
        /// libpq.so.5 cannot be loaded (not installed).
        case libraryMissing
        /// The connection could not be made (server down, wrong host, password, database).
        case cannotConnect
        /// An open connection broke (server restart, network cut).
        case connectionLost
        /// A serialisation failure or deadlock: the transaction may be retried as a whole.
        case serialization
        /// A constraint refused a row (SQLSTATE class 23).
        case constraint
        /// Anything else the server refused (a bug, a privilege, a full disk).
        case server
    }

    public var kind: Kind
    /// The five-character SQLSTATE, empty when the server gave none (libpq's own errors).
    public var sqlState: String
    /// The server's or libpq's words (first line).
    public var detail: String
    /// The database, without its password.
    public var location: String
    /// The host and port, for connection failures: `'db1' port 5432`.
    public var host: String?
    /// The SQL text of the failing statement, without bound values.
    public var sql: String?

    public init(
        kind: Kind, sqlState: String = "", detail: String, location: String, host: String? = nil, sql: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.detail = detail
        self.location = location
        self.host = host
        self.sql = sql
    }

    /// The kind of an SQLSTATE: class 08 and the shutdown states are a lost connection,
    /// 40001 and 40P01 a serialisation failure, class 23 a constraint.
    static func kind(ofSQLState state: String) -> Kind {
        if state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) { return .connectionLost }
        if state == "40001" || state == "40P01" { return .serialization }
        if state.hasPrefix("23") { return .constraint }
        return .server
    }

    /// True when the transaction may be run again from its start.
    public var isRetryable: Bool { kind == .serialization || kind == .connectionLost }

    public var code: ErrorCode {
        switch kind {
        case .serialization: return .databaseBusy
        default: return .databaseError
        }
    }

    public var message: String {
        switch kind {
        case .libraryMissing:
            return "cannot use PostgreSQL database '\(location)': \(detail); install libpq (Debian: apt-get install libpq5)"
        case .cannotConnect:
            return "cannot connect to PostgreSQL \(host.map { "at \($0)" } ?? "") ('\(location)'): \(detail); "
                + Self.advice(forConnectionFailure: detail)
        case .connectionLost:
            return "lost the connection to PostgreSQL \(host.map { "at \($0)" } ?? "") ('\(location)'): \(detail); "
                + "check that the server is running and reachable, then try again"
        case .serialization, .constraint, .server:
            return "database error: \(detail) on '\(location)'"
        }
    }

    /// The line a long-lived process logs when an outage begins: what failed, and that it
    /// keeps trying.
    public var outageLine: String {
        let at = host.map { "at \($0) " } ?? ""
        let what = kind == .connectionLost ? "lost the connection to" : "cannot reach"
        return "\(what) PostgreSQL \(at)('\(location)'): \(detail); reconnecting until it answers"
    }

    /// What to check for a connection that could not be made, from libpq's words.
    static func advice(forConnectionFailure detail: String) -> String {
        let lower = detail.lowercased()
        if lower.contains("password authentication failed") {
            return "check the user's password (in the URL, $PGPASSWORD or ~/.pgpass)"
        }
        if lower.contains("no password supplied") {
            return "the server asks for a password: give it in the URL, $PGPASSWORD or ~/.pgpass"
        }
        if lower.contains("database") && lower.contains("does not exist") {
            return "create the database (createdb) or check its name in the URL"
        }
        if lower.contains("role") && lower.contains("does not exist") {
            return "check the user name in the URL, or create the role"
        }
        if lower.contains("could not translate host name") || lower.contains("name or service not known") {
            return "check the host name in the URL"
        }
        if lower.contains("timeout") || lower.contains("timed out") {
            return "check the network between here and the server, and the host and port in the URL"
        }
        if lower.contains("no pg_hba.conf entry") {
            return "the server's pg_hba.conf does not let this user in from here; ask its administrator"
        }
        return "check that the server is running there and accepts connections (host, port and database in the URL)"
    }

    /// The message plus the SQL, for logs and tests.
    public var description: String { sql.map { message + " (in: \($0))" } ?? message }
}
