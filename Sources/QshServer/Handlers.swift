// The handlers of one request: each endpoint's work on the task service, answered in the
// wire shapes the CLI prints with --json. What every handler shares is here: JSON answers,
// the QPU of a path's mode, and finding a task the principal may see.
import HTTPTypes
import Hummingbird
import QshCore

/// The handlers, bound to one request and its principal.
struct Handlers {
    let api: API
    let request: Request
    /// Who asks; nil only on the routes that need no token.
    let principal: Principal?

    func respond(_ endpoint: Endpoint) async throws -> Response {
        let get = request.method == .get
        switch endpoint {
        case .health: return try await health()
        case .metrics: return try await metrics()
        case .openAPI: return openAPI()
        case .tasks(let mode): return get ? try await listTasks(mode: mode) : try await submit(mode: mode)
        case .task(let mode, let id): return get ? try await getTask(id, mode: mode) : try await deleteTask(id, mode: mode)
        case .taskAction(let mode, let id, let action):
            switch action {
            case .cancel: return try await cancel(id, mode: mode)
            case .results: return try await results(id, mode: mode)
            case .events: return try await events(id, mode: mode)
            case .history: return try await history(id, mode: mode)
            case .rerun: return try await rerun(id, mode: mode)
            }
        case .events: return try await followMany()
        case .batches: return get ? try await listBatches() : try await submitBatch()
        case .batch(let id): return try await getBatch(id)
        case .batchAction(let id, let action):
            switch action {
            case .results: return try await batchResults(id)
            case .cancel: return try await cancelBatch(id)
            case .events: return try await followBatch(id)
            }
        case .qpus: return try await listQPUs()
        case .qpu(let id): return try await getQPU(id)
        case .qpuPause(let id, let pause): return try await pauseQPU(id, pause: pause)
        case .prune: return try await prune()
        case .export: return try await export()
        case .importRecords: return try await importRecords()
        }
    }

    // MARK: Shared

    /// The user the request speaks for (`created_by` of what it makes).
    var user: String { principal?.user ?? "api" }

    /// The principal's user when it sees only its own tasks; nil for an admin.
    var ownerFilter: String? { principal.flatMap { $0.seesAll ? nil : $0.user } }

    /// The event log's actor of a change this request makes.
    var actor: String { "api \(user)" }

    /// A JSON answer, as the CLI prints it (pretty, one trailing newline).
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.prettySerialized() + "\n")))
    }

    /// The query parameters.
    var query: QueryItems { request.queryItems }

    /// The QPU whose mode is `mode`.
    /// - Throws: 404 when no QPU has it.
    func qpu(mode: String) throws -> any QPU {
        guard let qpu = api.qpus.qpu(mode: mode) else {
            throw APIError(.notFound, "no QPU has mode '\(mode)'; GET /v2/qpus lists the QPUs and their modes")
        }
        return qpu
    }

    /// The task `idOrPrefix` names, when the principal may see it and it runs on `mode`'s
    /// QPU (when the path names one); a task it may not see is not found, as one that is
    /// not there: existence does not leak.
    func visibleTask(_ idOrPrefix: String, mode: String?, in service: TaskService) throws -> QuantumTask {
        let owner = ownerFilter
        let modeQPU = try mode.map { try qpu(mode: $0).id }
        let task: QuantumTask
        do {
            task = try service.get(idOrPrefix)
        } catch TaskError.ambiguousPrefix(let prefix, let candidates) where owner != nil || modeQPU != nil {
            // Only the candidates this request may see count.
            let visible = try candidates.compactMap { try service.repository.task(id: $0) }.filter {
                (owner == nil || $0.createdBy == owner) && (modeQPU == nil || $0.qpuID == modeQPU)
            }
            guard !visible.isEmpty else { throw TaskError.notFound(id: idOrPrefix) }
            guard visible.count == 1 else { throw TaskError.ambiguousPrefix(prefix: prefix, candidates: visible.map(\.id)) }
            return try service.get(visible[0].id)
        }
        if let owner, task.createdBy != owner { throw TaskError.notFound(id: idOrPrefix) }
        if let modeQPU, task.qpuID != modeQPU { throw TaskError.notFound(id: idOrPrefix) }
        return task
    }

    /// The batch `idOrPrefix` names, when the principal may see it.
    func visibleBatch(_ idOrPrefix: String, in service: TaskService) throws -> BatchSummary {
        let summary = try service.batch(idOrPrefix)
        if let owner = ownerFilter, summary.batch.createdBy != owner { throw TaskError.batchNotFound(id: idOrPrefix) }
        return summary
    }

    /// The `Idempotency-Key` header, when given.
    var idempotencyKey: String? { request.headers[Self.idempotencyKeyHeader] }

    static let idempotencyKeyHeader = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
}
