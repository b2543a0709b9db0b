// The local task client: the task service over the database file of `--db`/$QSH_DB,
// opened on first use with the access the operation needs (submit creates it, cancel
// changes it, the rest only read it). Reads settle the tasks of lost workers (the
// service's sweep); a submit starts a detached worker when none runs.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

/// A `TaskClient` on the local task database. Not Sendable: it owns a database connection.
final class LocalTaskClient: TaskClient {
    let database: LocalDatabase
    /// Read for the QPUs (memory limit, the test QPU) and the simulator's threads.
    let environment: [String: String]
    /// Who submits and cancels: `created_by`, and `cli <user>` in the event log.
    let user: String
    /// The executable to start as a detached worker after a submit; nil never starts one.
    let workerExecutable: String?
    let clock: any WallClock
    /// The service, once an operation opened the database; later operations reuse it.
    private var opened: TaskService?

    init(
        database: LocalDatabase, environment: [String: String], user: String, workerExecutable: String?,
        clock: any WallClock = SystemClock()
    ) {
        self.database = database
        self.environment = environment
        self.user = user
        self.workerExecutable = workerExecutable
        self.clock = clock
    }

    /// The client of an invocation: its `--db`, its environment; a worker is started after a
    /// submit unless `--no-autostart` or QSH_NO_AUTOSTART=1.
    convenience init(invocation: Invocation) {
        let context = invocation.context
        let autostart = !invocation.arguments.has("--no-autostart") && context.environment["QSH_NO_AUTOSTART"] != "1"
        self.init(
            database: LocalDatabase(invocation), environment: context.environment,
            user: Self.userName(context.environment), workerExecutable: autostart ? context.executablePath : nil)
    }

    /// Who submits: $USER, else $LOGNAME, else the uid.
    static func userName(_ environment: [String: String]) -> String {
        if let user = environment["USER"], !user.isEmpty { return user }
        if let user = environment["LOGNAME"], !user.isEmpty { return user }
        return "uid \(getuid())"
    }

    /// The service, opening the database for `access` if no operation opened it yet.
    private func service(_ access: StoreAccess) throws -> TaskService {
        if let opened { return opened }
        let service = TaskService(repository: try database.open(access), clock: clock)
        opened = service
        return service
    }

    /// The registry's QPUs, its default first.
    func qpus() throws -> [QPUInfo] { Backends.registry(environment).qpus.map(QPUInfo.init) }

    func submit(_ submission: TaskSubmission) throws -> SubmitReceipt {
        let service = try service(.create)
        // Tasks of a lost worker are settled before a worker is looked for.
        service.recoverLostTasks()
        let (task, reused) = try service.submitReporting(request(submission), actor: "cli")
        return SubmitReceipt(task: task, warnings: try ensureWorker(service), reused: reused)
    }

    /// The service's request for a submission by this client's user.
    private func request(_ submission: TaskSubmission) -> SubmitRequest {
        SubmitRequest(
            program: submission.program, qpuID: submission.qpuID, shots: submission.shots, seed: submission.seed,
            name: submission.name, tags: submission.tags, createdBy: user, idempotencyKey: submission.idempotencyKey)
    }

    /// Starts a detached worker when none runs (unless autostart is off); a warning when
    /// it could not be started.
    private func ensureWorker(_ service: TaskService) throws -> [String] {
        guard let workerExecutable,
            let warning = WorkerLauncher.ensureWorker(
                store: service.repository, executable: workerExecutable, database: try database.absolutePath())
        else { return [] }
        return [warning]
    }

    func submitBatch(_ submission: BatchSubmission) throws -> BatchReceipt {
        let service = try service(.create)
        service.recoverLostTasks()
        let (summary, reused) = try service.submitBatch(
            BatchRequest(
                name: submission.name,
                items: submission.items.map { BatchItemRequest(label: $0.label, request: request($0.submission)) },
                createdBy: user, idempotencyKey: submission.idempotencyKey))
        return BatchReceipt(summary: summary, warnings: try ensureWorker(service), reused: reused)
    }

    func rerun(_ idOrPrefix: String, _ rerun: RerunSubmission) throws -> SubmitReceipt {
        let service = try service(.write)
        service.recoverLostTasks()
        let task = try service.rerun(
            idOrPrefix,
            RerunRequest(
                shots: rerun.shots, seed: rerun.seed, newSeed: rerun.newSeed, qpuID: rerun.qpuID,
                program: rerun.program, createdBy: user))
        return SubmitReceipt(task: task, warnings: try ensureWorker(service))
    }

    func history(_ idOrPrefix: String) throws -> TaskHistory { try service(.read).history(idOrPrefix) }

    func batch(_ idOrPrefix: String) throws -> BatchSummary { try service(.read).batch(idOrPrefix) }

    func batchDetail(_ idOrPrefix: String) throws -> BatchDetail { try service(.read).batchDetail(idOrPrefix) }

    func batches(limit: Int, page: Int) throws -> BatchPage { try service(.read).listBatches(limit: limit, page: page) }

    func batchResults(_ idOrPrefix: String) throws -> BatchResults { try service(.read).batchResults(idOrPrefix) }

    func cancelBatch(_ idOrPrefix: String) throws -> BatchCancelOutcome {
        try service(.write).cancelBatch(idOrPrefix, actor: "cli \(user)")
    }

    func followBatch(
        _ id: String, timeout: Double, pause: (Double) -> Bool, receive: (BatchSummary) -> Void,
        unattended: (BatchSummary) -> Void
    ) throws -> BatchWaitOutcome {
        try service(.read).waitForBatch(
            id: id, timeout: timeout, pause: pause, onChange: receive, onUnattended: unattended)
    }

    /// The worker's own compile step and QPU checks (`Worker.prepare`) on the snapshot a
    /// submit would store, so the verdict is the one the task would get.
    func dryRun(_ submission: TaskSubmission, stop: Cancellation) throws -> DryRunVerdict {
        try DryRunVerdict(
            checking: submission.program, qpuID: submission.qpuID, shots: submission.shots, seed: submission.seed,
            qpus: Backends.registry(environment), threads: Backends.threads(environment), stop: stop)
    }

    func get(_ idOrPrefix: String) throws -> QuantumTask { try service(.read).get(idOrPrefix) }

    func list(_ query: TaskQuery) throws -> TaskPage { try service(.read).list(query) }

    func results(_ idOrPrefix: String) throws -> (task: QuantumTask, result: TaskResult) {
        try service(.read).results(idOrPrefix)
    }

    func events(_ idOrPrefix: String) throws -> (task: QuantumTask, events: [TaskEvent]) {
        try service(.read).events(idOrPrefix)
    }

    func cancel(_ idOrPrefix: String) throws -> CancelOutcome {
        try service(.write).cancel(idOrPrefix, actor: "cli \(user)")
    }

    func setQPUPaused(_ id: String, paused: Bool) throws -> QPUStatus {
        guard Backends.registry(environment)[id] != nil else { throw TaskError.unknownQPU(id: id) }
        let service = try service(.create)
        let state = try service.setQPUPaused(id, paused: paused, actor: "cli \(user)")
        let queued = try service.queueLengths()[id] ?? 0
        // The tasks held for it wait for a worker to claim them again.
        if !paused, queued > 0, let workerExecutable {
            _ = WorkerLauncher.ensureWorker(
                store: service.repository, executable: workerExecutable, database: try database.absolutePath())
        }
        return QPUStatus(paused: state.paused, since: state.updated, queued: queued)
    }

    func qpuStatuses() throws -> [String: QPUStatus] {
        let ids = Backends.registry(environment).ids
        var states: [String: QPUState] = [:]
        var queued: [String: Int] = [:]
        // No database yet: nothing paused, nothing queued (reads never create one).
        let path = try database.path()
        if opened != nil || access(path, F_OK) == 0 {
            let service = try service(.read)
            states = try service.qpuStates()
            queued = try service.queueLengths()
        }
        var statuses: [String: QPUStatus] = [:]
        for id in ids {
            let state = states[id]
            statuses[id] = QPUStatus(paused: state?.paused ?? false, since: state?.updated, queued: queued[id] ?? 0)
        }
        return statuses
    }

    func queuePosition(_ id: String) throws -> QueuePosition? { try service(.read).queuePosition(taskID: id) }

    func diagnostics(_ idOrPrefix: String) throws -> TaskDiagnostics { try service(.read).diagnostics(idOrPrefix) }

    /// Polls the database with backoff (`TaskService.waitUntilTerminal`), settling tasks
    /// whose worker was lost, and tells a new state from more shots done in the same one.
    func follow(
        _ ids: [String], timeout: Double, pause: (Double) -> Bool, receive: (FollowEvent) -> Void
    ) throws -> FollowOutcome {
        let service = try service(.read)
        var lastStatus: [String: TaskStatus] = [:]
        let outcome = try service.waitUntilTerminal(
            ids: ids, timeout: timeout, pause: pause,
            onChange: { task in
                if lastStatus[task.id] == task.status {
                    receive(.progress(task, observed: clock.now()))
                } else {
                    lastStatus[task.id] = task.status
                    receive(.status(task))
                }
            },
            onUnattended: { receive(.unattended($0)) })
        switch outcome {
        case .finished(let tasks): return .finished(tasks)
        case .interrupted(let tasks): return .interrupted(tasks)
        case .timedOut(let tasks):
            let queued = tasks.contains { $0.status == .created }
            return .timedOut(tasks, noWorker: queued && (try? service.workerIsLive()) == false)
        }
    }

    func delete(_ idsOrPrefixes: [String], force: Bool) throws -> [DeletedTask] {
        try service(.write).delete(idsOrPrefixes, force: force, actor: "cli \(user)")
    }

    func prune(_ filter: PruneFilter, dryRun: Bool) throws -> [String] {
        try service(dryRun ? .read : .write).prune(filter, dryRun: dryRun)
    }

    func export(_ selection: ExportSelection, write: (ArchiveRecord) throws -> Void) throws -> Int {
        try service(.read).export(selection, write: write)
    }

    func importRecords(_ records: [ArchiveRecord], skipExisting: Bool) throws -> ImportSummary {
        try service(.create).importRecords(records, skipExisting: skipExisting)
    }

    func health() throws -> StoreHealth { try service(.read).health() }
}
