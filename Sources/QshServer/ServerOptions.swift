// How a server runs: where it listens, its database, its workers, its limits, its QPUs.
// qsh-server's main.swift fills this from its flags and environment; QshServer reads none.
import QshCore

/// The settings of one server.
public struct ServerOptions: Sendable {
    /// The address to listen on (`127.0.0.1`, `::1`, `0.0.0.0`...) and the port (0: any free one).
    public var host: String
    public var port: Int
    /// The task database (created when missing).
    public var databasePath: String
    /// In-process workers (0: only external `qsh worker` processes run tasks).
    public var workers: Int
    /// The largest request body, in bytes.
    public var maxBody: Int
    /// How long a stop waits for requests and running tasks, in seconds.
    public var grace: Double
    /// PEM files of the certificate (chain) and its key: HTTPS when both are given.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Requests per second per token (0: no limit).
    public var rateLimit: Double
    /// The QPUs tasks run on.
    public var qpus: QPURegistry
    /// Threads each run of the simulator takes.
    public var threads: Int
    /// qsh's version, recorded in each run's metadata and served in /health.
    public var version: String
    /// Lease length of the in-process workers, in seconds.
    public var leaseSeconds: Double = 15
    /// For qsh's own tests: in-process workers pause after entering this state.
    public var holdAfter: TaskStatus?
    /// Seconds between an event stream's looks at its tasks (it backs off to this from
    /// 50 ms while nothing changes), and between its keep-alive comments.
    public var streamPoll: Double = 0.5
    public var keepAlive: Double = 15
    /// Tasks GET /v2/export reads from the store at a time (and so holds in memory).
    public var exportPageSize = 200

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databasePath: String, workers: Int = 1,
        maxBody: Int = 16 << 20, grace: Double = 30, tlsCertificate: String? = nil, tlsKey: String? = nil,
        rateLimit: Double = 200, qpus: QPURegistry, threads: Int, version: String
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.workers = workers
        self.maxBody = maxBody
        self.grace = grace
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.rateLimit = rateLimit
        self.qpus = qpus
        self.threads = threads
        self.version = version
    }

    /// True for a loopback address (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
