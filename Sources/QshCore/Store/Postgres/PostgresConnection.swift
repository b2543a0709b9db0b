// PostgresConnection: an owned libpq connection (libpq loaded with dlopen on first use),
// statements with parameters ($1, $2...; text, except bytes, which go binary), rows read
// as text, and transactions run again as a whole on a serialisation failure or a lost
// connection. Not Sendable: one connection per thread.
import CPostgres
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An open connection to a PostgreSQL database.
public final class PostgresConnection {
    private var handle: OpaquePointer?
    /// Where it connects, password included (for reconnecting).
    public let address: PostgresAddress
    /// `address` without its password, for every message.
    public let location: String
    /// True between BEGIN and COMMIT/ROLLBACK of `transaction`.
    public private(set) var inTransaction = false

    /// How a transaction that failed on a lost connection or a serialisation failure is
    /// run again: at most this many attempts, waiting between them (arbitrary: about a
    /// minute in all, enough for a server restart).
    public var retryDelays: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30]

    /// For a long-lived process: how a lost connection is ridden out instead of the bounded
    /// `retryDelays` (reconnect with backoff until the server answers; a statement outside a
    /// transaction, a read, runs again too). Nil for one-shot commands.
    public var reconnection: ReconnectPolicy?
    /// When a single-attempt transaction last tried to reconnect.
    private var lastQuickReconnect: ContinuousClock.Instant?

    /// Defaults that the user's text overrides: a connect timeout (libpq's default waits for
    /// the operating system's, minutes) and keepalives, so that a cut network is noticed.
    static let defaults: [(String, String)] = [
        ("connect_timeout", "10"), ("keepalives", "1"), ("keepalives_idle", "30"), ("keepalives_interval", "10"),
        ("keepalives_count", "3"), ("application_name", "qsh"), ("client_encoding", "UTF8"),
    ]

    /// Connects to `address`.
    /// - Throws: `PostgresError` (`.libraryMissing`, `.cannotConnect`).
    public init(_ address: PostgresAddress) throws(PostgresError) {
        self.address = address
        location = address.redacted
        try Self.loadLibrary(location)
        handle = try connect()
    }

    deinit {
        if let handle { cpq_finish(UnsafeMutableRawPointer(handle)) }
    }

    private var raw: UnsafeMutableRawPointer? { handle.map { UnsafeMutableRawPointer($0) } }

    static func loadLibrary(_ location: String) throws(PostgresError) {
        var buffer = [CChar](repeating: 0, count: 512)
        guard cpq_load(&buffer, buffer.count) == 0 else {
            let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw PostgresError(kind: .libraryMissing, detail: reason, location: location)
        }
    }

    private func connect() throws(PostgresError) -> OpaquePointer {
        let pairs = Self.defaults + [("dbname", address.conninfo)]
        var keys = pairs.map { strdup($0.0) }
        var values = pairs.map { strdup($0.1) }
        keys.append(nil)
        values.append(nil)
        defer {
            for pointer in keys + values { free(pointer) }
        }
        let conn = keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in cpq_connect(k.baseAddress, v.baseAddress) }
        }
        guard let conn else {
            throw PostgresError(kind: .cannotConnect, detail: "out of memory", location: location, host: hostText(nil))
        }
        if cpq_status(conn) != CPQ_CONNECTION_OK {
            let detail = Self.firstLine(cpq_error_message(conn))
            let host = hostText(conn)
            cpq_finish(conn)
            throw PostgresError(kind: .cannotConnect, detail: detail, location: location, host: host)
        }
        return OpaquePointer(conn)
    }

    /// `'db1' port 5432` (or the socket folder), from libpq when it has a connection,
    /// else from the address.
    private func hostText(_ conn: UnsafeMutableRawPointer?) -> String {
        let given = address.hostAndPort
        var host = given.host
        var port = given.port
        if let conn {
            if let h = cpq_host(conn).map({ String(cString: $0) }), !h.isEmpty { host = h }
            if let p = cpq_port(conn).map({ String(cString: $0) }), !p.isEmpty { port = p }
        }
        let where_ = host.map { "'\($0)'" } ?? "the default host"
        return where_ + (port.map { " port \($0)" } ?? "")
    }

    /// The first line of a libpq message, without `connection to server ... failed: `
    /// repeated before it (the host is named elsewhere) and without a trailing newline.
    static func firstLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        guard var line = String(cString: text).split(separator: "\n").first else { return "unknown error" }
        if line.hasPrefix("connection to server"), let colon = line.firstRange(of: "failed: ") {
            line = line[colon.upperBound...]
        }
        for prefix in ["FATAL:  ", "ERROR:  "] where line.hasPrefix(prefix) { line = line.dropFirst(prefix.count) }
        return String(line)
    }

    /// The server's version number (150018 for 15.18).
    public var serverVersion: Int { raw.map { Int(cpq_server_version($0)) } ?? 0 }

    /// The connection's socket, for waiting on notifications.
    var socket: Int32 { raw.map { cpq_socket($0) } ?? -1 }

    // MARK: Statements

    /// Runs `sql` (one statement) with `values` bound to $1...$n.
    /// - Returns: its rows (empty for a statement that returns none) and how many rows it changed.
    /// - Throws: `PostgresError`.
    @discardableResult
    public func query(_ sql: String, _ values: [SQLValue] = []) throws(PostgresError) -> PostgresRows {
        while true {
            let inside = inTransaction
            do {
                return try queryOnce(sql, values)
            } catch {
                // Outside a transaction a statement is a read (every write runs in one):
                // running it again after reconnecting is safe.
                guard !inside, error.kind == .connectionLost, let policy = reconnection else { throw error }
                try rideOut(error, policy)
            }
        }
    }

    private func queryOnce(_ sql: String, _ values: [SQLValue]) throws(PostgresError) -> PostgresRows {
        guard let raw else { throw lost("the connection is closed", sql: sql) }
        var texts: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        texts.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .null:
                texts.append(nil)
                lengths.append(0)
                formats.append(0)
            case .integer(let i):
                texts.append(strdup(String(i)))
                lengths.append(0)
                formats.append(0)
            case .real(let d):
                texts.append(strdup(d.isFinite ? "\(d)" : (d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"))))
                lengths.append(0)
                formats.append(0)
            case .text(let s):
                texts.append(strdup(s))
                lengths.append(0)
                formats.append(0)
            case .blob(let bytes):
                let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, bytes.count))
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: bytes.count) }
                }
                texts.append(buffer)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
        defer {
            for (pointer, format) in zip(texts, formats) {
                if format == 1 { pointer?.deallocate() } else { free(pointer) }
            }
        }
        let result = texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { t in
            cpq_exec_params(raw, sql, Int32(values.count), t.baseAddress, lengths, formats)
        }
        return try check(result, sql: sql)
    }

    /// Runs one or more statements without parameters (schema steps, BEGIN, COMMIT).
    public func execute(_ sql: String) throws(PostgresError) {
        guard let raw else { throw lost("the connection is closed", sql: sql) }
        _ = try check(cpq_exec(raw, sql), sql: sql)
    }

    private func check(_ result: UnsafeMutableRawPointer?, sql: String) throws(PostgresError) -> PostgresRows {
        guard let result else {
            throw lost(Self.firstLine(raw.flatMap { cpq_error_message($0) }), sql: sql)
        }
        let status = cpq_result_status(result)
        if status == CPQ_COMMAND_OK || status == CPQ_TUPLES_OK || status == CPQ_EMPTY_QUERY {
            return PostgresRows(result)
        }
        defer { cpq_clear(result) }
        let state = cpq_result_error_field(result, Int32(CPQ_DIAG_SQLSTATE)).map { String(cString: $0) } ?? ""
        var detail = cpq_result_error_field(result, Int32(CPQ_DIAG_MESSAGE_PRIMARY)).map { String(cString: $0) }
            ?? Self.firstLine(cpq_result_error_message(result))
        if let more = cpq_result_error_field(result, Int32(CPQ_DIAG_MESSAGE_DETAIL)).map({ String(cString: $0) }),
            !more.isEmpty
        {
            detail += " (\(more))"
        }
        // libpq reports a broken connection without an SQLSTATE; the status then says it.
        let broken = raw.map { cpq_status($0) != CPQ_CONNECTION_OK } ?? true
        let kind: PostgresError.Kind = broken ? .connectionLost : PostgresError.kind(ofSQLState: state)
        if broken { inTransaction = false }
        return try { () throws(PostgresError) -> PostgresRows in
            throw PostgresError(
                kind: kind, sqlState: state, detail: detail, location: location,
                host: kind == .connectionLost ? hostText(raw) : nil, sql: sql)
        }()
    }

    private func lost(_ detail: String, sql: String?) -> PostgresError {
        inTransaction = false
        return PostgresError(kind: .connectionLost, detail: detail, location: location, host: hostText(raw), sql: sql)
    }

    /// The one value of a query's first row, as an integer; nil for no row or NULL.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws(PostgresError) -> Int64? {
        let rows = try query(sql, values)
        guard rows.count > 0, !rows.isNull(0, 0) else { return nil }
        return rows.int64(0, 0)
    }

    // MARK: Transactions and reconnecting

    /// Connects again after the connection broke (the server restarted, the network came
    /// back); a transaction in progress is lost, which is why `transaction` runs its body
    /// again from the start.
    /// - Throws: `PostgresError.cannotConnect` when the server still cannot be reached.
    public func reconnect() throws(PostgresError) {
        if let raw { cpq_finish(raw) }
        handle = nil
        inTransaction = false
        handle = try connect()
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    /// On a serialisation failure or a lost connection (before or at COMMIT) the whole
    /// body runs again, reconnecting first, after a growing delay, up to `retryDelays`.
    /// - Parameter retried: told before each new attempt (the body may need to know that
    ///   an earlier attempt's COMMIT may have landed).
    ///   - once: one attempt only, its failure thrown at once (an advisory write, such as
    ///     progress, that the next write carries again): no waiting, no reconnecting.
    /// - Returns: what `body` returned.
    public func transaction<T>(
        _ isolation: String? = nil, once: Bool = false, retried: (() -> Void)? = nil,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        precondition(!inTransaction, "nested transaction")
        if once, raw.map({ cpq_status($0) != CPQ_CONNECTION_OK }) ?? true {
            // Broken by an earlier failure: one quick attempt to connect again, at most every
            // few seconds (a connect to an unreachable host can take its timeout).
            let now = ContinuousClock.now
            if lastQuickReconnect.map({ (now - $0).seconds >= 5 }) ?? true {
                lastQuickReconnect = now
                try reconnect()
            }
        }
        var attempt = 0
        while true {
            do {
                return try transactionOnce(isolation, body)
            } catch let error as PostgresError where error.isRetryable && !once {
                let broken = error.kind == .connectionLost || raw.map({ cpq_status($0) != CPQ_CONNECTION_OK }) ?? true
                if broken, let policy = reconnection {
                    try rideOut(error, policy)
                    retried?()
                    continue
                }
                guard attempt < retryDelays.count else { throw error }
                sleepSeconds(retryDelays[attempt])
                attempt += 1
                if error.kind == .connectionLost || raw.map({ cpq_status($0) != CPQ_CONNECTION_OK }) ?? true {
                    do {
                        try reconnect()
                    } catch {
                        if attempt >= retryDelays.count { throw error }
                        continue
                    }
                }
                retried?()
            }
        }
    }

    /// Reconnects as `policy` says after `error` broke the connection: at once (a connection
    /// that broke while idle, the server restarted since), then with growing delays until
    /// the server answers, telling the policy's reporter once that it is lost.
    /// - Throws: the last error, when the policy gives up.
    private func rideOut(_ error: PostgresError, _ policy: ReconnectPolicy) throws(PostgresError) {
        let start = ContinuousClock.now
        var last = error
        var delay = policy.initialDelay
        do {
            try reconnect()
            policy.reporter?.restored()
            return
        } catch {
            last = error
        }
        policy.reporter?.lost(error.outageLine)
        while true {
            // Slept in slices, so that a process stopping is not kept waiting.
            let wake = (ContinuousClock.now - start).seconds + delay
            while (ContinuousClock.now - start).seconds < wake {
                if policy.giveUp((ContinuousClock.now - start).seconds) { throw last }
                sleepSeconds(min(0.1, wake - (ContinuousClock.now - start).seconds))
            }
            if policy.giveUp((ContinuousClock.now - start).seconds) { throw last }
            do {
                try reconnect()
                policy.reporter?.restored()
                return
            } catch {
                last = error
            }
            delay = policy.next(after: delay)
        }
    }

    private func transactionOnce<T>(_ isolation: String?, _ body: (PostgresConnection) throws -> T) throws -> T {
        try execute(isolation.map { "BEGIN ISOLATION LEVEL \($0)" } ?? "BEGIN")
        inTransaction = true
        let value: T
        do {
            value = try body(self)
        } catch {
            if inTransaction { try? execute("ROLLBACK") }
            inTransaction = false
            throw error
        }
        do {
            try execute("COMMIT")
            inTransaction = false
        } catch {
            if inTransaction { try? execute("ROLLBACK") }
            inTransaction = false
            throw error
        }
        return value
    }

    /// Runs a statement outside any transaction (it commits alone), again on a lost
    /// connection as `transaction` does.
    @discardableResult
    public func autocommit(_ sql: String, _ values: [SQLValue] = []) throws -> PostgresRows {
        try transaction { try $0.query(sql, values) }
    }

    // MARK: Notifications

    /// The notifications received so far (after `LISTEN`), read without waiting.
    /// - Throws: `PostgresError.connectionLost` when the connection broke.
    func notifications() throws(PostgresError) -> [(channel: String, payload: String)] {
        guard let raw else { throw lost("the connection is closed", sql: nil) }
        if cpq_consume_input(raw) == 0 || cpq_status(raw) != CPQ_CONNECTION_OK {
            throw lost(Self.firstLine(cpq_error_message(raw)), sql: nil)
        }
        var out: [(String, String)] = []
        while let note = cpq_notifies(raw) {
            out.append((String(cString: note.pointee.relname), String(cString: note.pointee.extra)))
            cpq_freemem(note)
        }
        return out
    }
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}

/// Sleeps the calling thread.
func sleepSeconds(_ seconds: Double) {
    guard seconds > 0 else { return }
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// The rows of one statement's result, read as text (libpq's text format). Owns the
/// PGresult and frees it.
public final class PostgresRows {
    private let result: UnsafeMutableRawPointer
    /// How many rows it has.
    public let count: Int
    /// How many columns it has.
    public let columns: Int

    init(_ result: UnsafeMutableRawPointer) {
        self.result = result
        count = Int(cpq_ntuples(result))
        columns = Int(cpq_nfields(result))
    }

    deinit { cpq_clear(result) }

    /// How many rows the statement inserted, changed or deleted.
    public var changes: Int { Int(String(cString: cpq_cmd_tuples(result))) ?? 0 }

    public func isNull(_ row: Int, _ column: Int) -> Bool { cpq_getisnull(result, Int32(row), Int32(column)) != 0 }

    public func text(_ row: Int, _ column: Int) -> String {
        String(cString: cpq_getvalue(result, Int32(row), Int32(column)))
    }

    public func optionalText(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : text(row, column)
    }

    public func int64(_ row: Int, _ column: Int) -> Int64 { Int64(text(row, column)) ?? 0 }

    public func int(_ row: Int, _ column: Int) -> Int { Int(int64(row, column)) }

    public func optionalInt64(_ row: Int, _ column: Int) -> Int64? { isNull(row, column) ? nil : int64(row, column) }

    public func double(_ row: Int, _ column: Int) -> Double { Double(text(row, column)) ?? 0 }

    /// A bytea value (libpq's text form `\x0a1b...`).
    public func bytes(_ row: Int, _ column: Int) -> [UInt8] {
        let length = Int(cpq_getlength(result, Int32(row), Int32(column)))
        guard let value = cpq_getvalue(result, Int32(row), Int32(column)) else { return [] }
        return value.withMemoryRebound(to: UInt8.self, capacity: length) { p in
            guard length >= 2, p[0] == UInt8(ascii: "\\"), p[1] == UInt8(ascii: "x") else {
                return Array(UnsafeBufferPointer(start: p, count: length))
            }
            func nibble(_ c: UInt8) -> UInt8 {
                switch c {
                case 48...57: return c - 48
                case 97...102: return c - 87
                case 65...70: return c - 55
                default: return 0
                }
            }
            var out: [UInt8] = []
            out.reserveCapacity((length - 2) / 2)
            var i = 2
            while i + 1 < length {
                out.append(nibble(p[i]) << 4 | nibble(p[i + 1]))
                i += 2
            }
            return out
        }
    }

    public func optionalBytes(_ row: Int, _ column: Int) -> [UInt8]? { isNull(row, column) ? nil : bytes(row, column) }

    /// The name of a column.
    public func name(_ column: Int) -> String { String(cString: cpq_fname(result, Int32(column))) }

    /// The type of a column (its OID: 20 bigint, 23 integer, 25 text, 17 bytea, 701 double).
    public func type(_ column: Int) -> UInt32 { cpq_ftype(result, Int32(column)) }

    /// Each row as `body` reads it, with its index.
    public func map<T>(_ body: (Int) throws -> T) rethrows -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for row in 0..<count { out.append(try body(row)) }
        return out
    }

    /// The first row as `body` reads it, or nil when there is none.
    public func first<T>(_ body: (Int) throws -> T) rethrows -> T? { count > 0 ? try body(0) : nil }
}

@available(*, unavailable)
extension PostgresRows: Sendable {}
