// Running a server: opens the database, starts the in-process workers, serves HTTP (or
// HTTPS) until asked to stop, then stops in order: no new connections, in-flight requests
// and running tasks finish within the grace period, what still runs at its end is
// stopped as `qsh worker` stops it, and the workers' registrations are removed.
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import QshCore
import ServiceLifecycle
import Synchronization

/// The qsh HTTP API server.
public final class QshAPIServer: Sendable {
    public let options: ServerOptions
    let api: API
    let log: @Sendable (String) -> Void
    /// The running service group and the task that runs it.
    private let group = Mutex<(ServiceGroup, Task<Void, any Error>)?>(nil)
    private let stopReason = Mutex<String?>(nil)

    /// A server with `options`, logging through `log` (one line each; stderr in qsh-server).
    /// - Parameter authenticator: finds a bearer token's principal; nil refuses every token.
    /// - Throws: what opening the database throws (`StoreError`, `SQLiteError`).
    public convenience init(options: ServerOptions, log: @escaping @Sendable (String) -> Void) throws {
        try self.init(options: options, authenticator: nil, log: log)
    }

    init(options: ServerOptions, authenticator: (any Authenticator)?, log: @escaping @Sendable (String) -> Void) throws {
        self.options = options
        self.log = log
        // A lost database server is told once per outage, whichever connection meets it.
        let outages = OutageReporter { log("database: " + $0) }
        let database = Database(path: options.databasePath, outages: outages)
        try database.prepare()
        let workers = options.workers > 0
            ? WorkerPool(
                settings: WorkerPool.Settings(
                    count: options.workers, databasePath: options.databasePath, qpus: options.qpus,
                    threads: options.threads, leaseSeconds: options.leaseSeconds, version: options.version,
                    holdAfter: options.holdAfter, outages: outages),
                log: { log("worker: " + $0) })
            : nil
        api = API(
            options: options, database: database, workers: workers,
            authenticator: authenticator ?? TokenAuthenticator(database: database), log: log)
    }

    /// The responder (for tests that drive the API without a socket).
    var responder: APIResponder { APIResponder(api: api) }

    /// The application: the responder on the options' address, over TLS when configured.
    func application(onListening: @escaping @Sendable (Int) -> Void) throws -> some ApplicationProtocol {
        var logger = Logger(label: "qsh-server")
        logger.logLevel = .critical
        let server: HTTPServerBuilder
        if let certificate = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate)
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            server = try .tls(
                .http1(),
                tlsConfiguration: TLSConfiguration.makeServerConfiguration(
                    certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey)))
        } else {
            server = .http1()
        }
        return Application(
            responder: APIResponder(api: api), server: server,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// Serves until `stop(reason:)`; then stops as the file's note says.
    /// - Parameter onListening: called with the port once the server listens.
    /// - Throws: when the address cannot be bound, or TLS files cannot be read.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let workers = api.workers
        let app = try application(onListening: { port in
            onListening(port)
            workers?.start()
        })
        var logger = Logger(label: "qsh-server")
        logger.logLevel = .critical
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: app)], gracefulShutdownSignals: [], cancellationSignals: [],
                logger: logger))
        let runner = Task { try await serviceGroup.run() }
        group.withLock { $0 = (serviceGroup, runner) }
        // A stop asked for before the group was set is carried out now.
        if stopReason.withLock({ $0 }) != nil { await serviceGroup.triggerGracefulShutdown() }
        defer { group.withLock { $0 = nil } }
        do {
            try await withTaskCancellationHandler { try await runner.value } onCancel: { runner.cancel() }
        } catch is CancellationError {
            // Cut off at the end of the grace period.
        }
        await finishWorkers()
    }

    /// Asks the server to stop (SIGTERM, SIGINT): it accepts no more connections, event
    /// streams end, workers claim nothing more; requests and running tasks get the grace
    /// period. Returns at once; `run` returns when the stop is done.
    public func stop(reason: String) {
        let first = stopReason.withLock { current -> Bool in
            if current != nil { return false }
            current = reason
            return true
        }
        guard first else { return }
        stopDeadline.withLock { $0 = ContinuousClock.now + .milliseconds(Int(options.grace * 1000)) }
        api.beginStopping()
        api.workers?.drain()
        let deadline = ContinuousClock.now + .milliseconds(Int(options.grace * 1000))
        let grace = options.grace
        let running = group.withLock { $0 }
        Task {
            await running?.0.triggerGracefulShutdown()
            // Requests still in flight at the deadline are cut off.
            try? await Task.sleep(until: deadline)
            if let (_, runner) = self.group.withLock({ $0 }) {
                self.log("stop: requests still in flight after \(grace)s; closing them")
                runner.cancel()
            }
        }
    }

    private let stopDeadline = Mutex<ContinuousClock.Instant?>(nil)

    /// Waits for the workers' running tasks until the grace period ends, then stops them
    /// (each such task ends Failed, naming the signal, as under `qsh worker`).
    private func finishWorkers() async {
        guard let workers = api.workers else { return }
        workers.drain()
        let deadline = stopDeadline.withLock { $0 } ?? ContinuousClock.now
        let left = deadline - ContinuousClock.now
        let seconds = max(0, Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18)
        let finished = await Handlers.waitOffThePool { workers.waitForAll(seconds: seconds) }
        if finished { return }
        let reason = stopReason.withLock { $0 } ?? "stop"
        log("stop: grace period over; stopping the tasks still running")
        workers.stop(reason: reason)
        // A task stops within a fraction of a second; one that does not is left to the
        // sweep (its lease runs out), as a killed worker's would be.
        _ = await Handlers.waitOffThePool { workers.waitForAll(seconds: 5) }
    }
}

extension Handlers {
    /// Runs blocking waiting off Swift's cooperative pool.
    static func waitOffThePool(_ work: @escaping @Sendable () -> Bool) async -> Bool {
        (try? await offThePool(work)) ?? false
    }
}
